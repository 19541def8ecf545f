//! Managing repositories: create, delete, whether one exists, whether it is private, who may
//! read or write it.

pub mod access;
pub mod create;
pub mod delete;
pub mod duplicate;
pub mod exists;
pub mod moving;
pub mod private;
pub mod settings;
