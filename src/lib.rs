//! hubwasm: a client for the Hugging Face Hub's HTTP API.
//!
//! The core (everything outside `web`) is sans-IO and `no_std` + `alloc`: each Hub call is a
//! `build_*` function that returns an [`HttpRequest`] and a `parse_*` function that turns the
//! response into typed data or a [`HubError`]. Multi-step flows (pagination, file metadata) are
//! small state machines that a shell drives. The `web` feature adds the WebAssembly shell that
//! drives the core with JavaScript's `fetch`.
// Tests build with std (the TypeScript generator's derive expects its prelude); `make lint`
// builds the library for a target without std to prove the core needs none.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(feature = "web"), forbid(unsafe_code))]
#![deny(missing_docs)]

extern crate alloc;

pub mod account;
pub mod call;
pub mod commit;
pub mod error;
pub mod files;
pub mod hashing;
pub mod http;
pub mod ids;
pub mod options;
pub mod refs;
pub mod repos;
// Writes a file next to the sources: a native test only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod wire;

#[cfg(all(feature = "web", target_arch = "wasm32"))]
mod web;

pub use error::{ErrorKind, HubError};
pub use http::config::HubConfig;

/// Every call the shells make by name, area by area.
pub fn register_calls(r: &mut impl call::Registry) {
    files::register(r);
    repos::register(r);
    refs::register(r);
    account::register(r);
}

/// The `.wasm` modules the web shell is built as, and the calls each carries: a page loads a
/// module on its first call, so the calls a page makes together belong together.
pub mod modules {
    use crate::call::Registry;

    /// `files.wasm`: listing, metadata, downloads, and what the download cache asks.
    pub fn files(r: &mut impl Registry) {
        crate::files::register(r);
        crate::refs::register(r);
        r.add::<crate::repos::private::RepoIsPrivate>();
    }

    /// `repos.wasm`: the rarely used calls: repo management and the account.
    pub fn repos(r: &mut impl Registry) {
        crate::repos::register(r);
        crate::account::register(r);
    }
}
pub use http::{Headers, HttpRequest, HttpResponseHead, Method};
pub use ids::{RepoId, RepoPath, RepoType, Revision};
