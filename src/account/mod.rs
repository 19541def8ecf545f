//! Who is calling: the token's owner.

pub mod whoami;
