//! Managing repositories: create, delete, whether one exists, whether it is private.

pub mod create;
pub mod delete;
pub mod exists;
pub mod private;
