//! Who is calling: the token's owner.

use crate::call::Registry;

pub mod whoami;

/// Every call of this area.
pub fn register(r: &mut impl Registry) {
    r.add::<whoami::WhoAmICall>();
}
