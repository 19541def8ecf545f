//! Who is calling: the token's owner.

pub mod oauth;
pub mod whoami;
