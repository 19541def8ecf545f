//! A repo's refs: branches, tags, and the commits they point to.

use crate::call::Registry;

pub mod resolve;

/// Every call of this area.
pub fn register(r: &mut impl Registry) {
    r.add::<resolve::RevisionCommit>();
}
