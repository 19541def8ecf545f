//! The validated names every call is built from: repo ids, revisions and paths inside a repo.
//! Each one refuses bad input with `InvalidInput` before any request exists.

pub mod path;
pub mod repo;
pub mod revision;

pub use path::RepoPath;
pub use repo::{RepoId, RepoType};
pub use revision::Revision;
