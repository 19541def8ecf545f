//! hubwasm: a client for the Hugging Face Hub's HTTP API.
//!
//! The core (everything outside `web`) is sans-IO and `no_std` + `alloc`: each Hub call is a
//! `build_*` function that returns an [`HttpRequest`] and a `parse_*` function that turns the
//! response into typed data or a [`HubError`]. Multi-step flows (pagination, file metadata) are
//! small state machines that a shell drives. The `web` feature adds the WebAssembly shell that
//! drives the core with JavaScript's `fetch`.
#![no_std]
#![cfg_attr(not(feature = "web"), forbid(unsafe_code))]
#![deny(missing_docs)]

extern crate alloc;
// The web shell runs on wasm32-unknown-unknown, which has std; the core never uses it.
#[cfg(any(test, all(feature = "web", target_arch = "wasm32")))]
extern crate std;

pub mod base64;
pub mod commit;
pub mod config;
pub mod download;
pub mod encoding;
pub mod endpoints;
pub mod error;
pub mod file_metadata;
pub mod hashing;
pub mod http;
pub mod json;
pub mod lfs;
pub mod pagination;
pub mod path;
pub mod paths_info;
pub mod preupload;
pub mod repo;
pub mod repos;
pub mod retry;
pub mod revision;
pub mod tree;
pub mod url;
pub mod whoami;

#[cfg(all(feature = "web", target_arch = "wasm32"))]
mod web;

pub use config::HubConfig;
pub use error::{ErrorKind, HubError};
pub use http::{Headers, HttpRequest, HttpResponseHead, Method};
pub use path::RepoPath;
pub use repo::{RepoId, RepoType};
pub use revision::Revision;
