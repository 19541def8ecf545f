//! A repo's refs: branches, tags, and the commits they point to.

pub mod resolve;
