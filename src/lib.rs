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
pub mod info;
pub mod options;
pub mod refs;
pub mod repos;
pub mod text;
// Writes a file next to the sources: a native test only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod wire;

#[cfg(all(feature = "web", target_arch = "wasm32"))]
mod web;

pub use error::{ErrorKind, HubError};
pub use http::config::HubConfig;

/// Every call the shells make by name.
pub fn register_calls(r: &mut impl call::Registry) {
    modules::files(r);
    modules::api(r);
    modules::refs(r);
    modules::repos(r);
    modules::manage(r);
    modules::oauth(r);
    modules::info(r);
}

/// The `.wasm` modules the web shell is built as, and the calls each carries (one line per
/// call): a page loads a module on its first call, so the calls a page makes together belong
/// together, and what few pages use goes in `api`.
pub mod modules {
    use crate::call::Registry;

    /// `files.wasm`: listing and downloads, and what the download cache asks.
    pub fn files(r: &mut impl Registry) {
        r.add::<crate::files::tree::ListFiles>();
        r.add::<crate::files::paths_info::PathsInfo>();
        r.add::<crate::files::paths_info::FileExists>();
        r.add::<crate::files::download::DownloadFile>();
        r.add::<crate::refs::resolve::RevisionCommit>();
        r.add::<crate::repos::private::RepoIsPrivate>();
    }

    /// `api.wasm`: the calls few pages make: a file's metadata, whether a repo exists and who may
    /// read or write it, the account.
    pub fn api(r: &mut impl Registry) {
        r.add::<crate::files::metadata::FileDownloadInfo>();
        r.add::<crate::repos::exists::RepoExists>();
        r.add::<crate::account::whoami::WhoAmICall>();
        r.add::<crate::repos::access::AuthCheck>();
    }

    /// `repos.wasm`: creating and deleting repos (a "new model" page; an upload page that creates
    /// its repo loads it with `commit`).
    pub fn repos(r: &mut impl Registry) {
        r.add::<crate::repos::create::CreateRepo>();
        r.add::<crate::repos::delete::DeleteRepo>();
    }

    /// `manage.wasm`: repo administration (a settings page): moving a repo, its visibility and
    /// gate, duplicating it, which upload and "new model" pages do not need.
    pub fn manage(r: &mut impl Registry) {
        r.add::<crate::repos::moving::MoveRepo>();
        r.add::<crate::repos::settings::UpdateRepoSettings>();
        r.add::<crate::repos::duplicate::DuplicateRepo>();
    }

    /// `oauth.wasm`: "Sign in with Hugging Face": the provider's endpoints, the code exchange, who
    /// signed in (sign-in pages, once per sign-in).
    pub fn oauth(r: &mut impl Registry) {
        r.add::<crate::account::oauth::OAuthDiscovery>();
        r.add::<crate::account::oauth::OAuthTokenCall>();
        r.add::<crate::account::oauth::OAuthUserInfo>();
    }

    /// `refs.wasm`: a repo's branches, tags and history (branch pickers, release pages, "what
    /// changed" views), which list/download and upload pages do not need.
    pub fn refs(r: &mut impl Registry) {
        r.add::<crate::refs::list::ListRepoRefs>();
        r.add::<crate::refs::branches::CreateBranch>();
        r.add::<crate::refs::branches::DeleteBranch>();
        r.add::<crate::refs::tags::CreateTag>();
        r.add::<crate::refs::tags::DeleteTag>();
        r.add::<crate::refs::commits::ListCommits>();
        r.add::<crate::refs::commits::CountCommits>();
    }

    /// `info.wasm`: what the Hub says about repos and searches over them, and likes (model
    /// pages, search pages, galleries), which list/download and upload pages do not need.
    pub fn info(r: &mut impl Registry) {
        r.add::<crate::info::repo_info::RepoInfo>();
        r.add::<crate::info::search::ListRepos>();
        r.add::<crate::info::likes::ListRepoLikers>();
        r.add::<crate::info::likes::Like>();
        r.add::<crate::info::likes::Unlike>();
    }
}

pub use http::{Headers, HttpRequest, HttpResponseHead, Method};
pub use ids::{RepoId, RepoPath, RepoType, Revision};
