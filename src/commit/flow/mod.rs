//! A commit as a sans-IO state machine: the driver reads file contents, hashes, sends and
//! waits; the machine says what to send at each step and checks every answer
//! (docs/hub-protocol.md §4; the uploads in docs/client-sequences.md, "py-lfs" and "js-default").
//!
//! States and the driver's calls, in order:
//!
//! 1. **Start** — [`Commit::new`] checks the whole commit (header, paths, every path once);
//!    nothing is sent before it is `Ok`. [`Commit::<Start>::files`] lists the added files; read
//!    the first [`SAMPLE_SIZE`] bytes of each (fewer if shorter), and the whole text of the one
//!    [`Commit::<Start>::git_attributes`] names, if any; give them to
//!    [`Commit::<Start>::preupload`].
//! 2. **Preupload** — send every request of [`Commit::<Preupload>::requests`] (idempotent; in
//!    any order, at once if you like) and feed each answer to `on_response(k, …)` with its
//!    index; then [`Commit::<Preupload>::finish`] says whether LFS files need hashing.
//! 3. **Hashes** — compute the SHA-256 of each file of [`Commit::<Hashes>::wanted`] and give it
//!    to `set_sha256(k, …)`; then `finish()`.
//! 4. **LfsBatch** — as preupload: `requests()`, `on_response(k, …)`, `finish()`.
//! 5. **Uploads** — take the [`Upload`]s with [`Commit::<Uploads>::take`], run each
//!    [`ObjectUpload`] to `Done` (they are independent of each other), and hand them back to
//!    [`Commit::<Uploads>::finish`].
//! 6. **Ready** — send [`Commit::<Ready>::request`] with the body made of
//!    [`Commit::<Ready>::lines`] (an inline file's line is its prefix, the base64 of its whole
//!    content, and its suffix) and feed the answer to `on_response`: the landed commit. Retry it
//!    only as [`Idempotency::Commit`] allows: a commit that may have landed is never sent twice.
//!
//! A retryable error from any `on_response` leaves the machine where it was, so the driver may
//! send the same request again.
//!
//! [`ObjectUpload`]: crate::commit::lfs_transfer::ObjectUpload
//! [`Idempotency::Commit`]: crate::http::retry::Idempotency::Commit

use alloc::string::String;
use alloc::vec::Vec;

use crate::commit::operations::{check_paths, CommitHeader, OperationKind};
use crate::commit::preupload::{PreuploadFile, UploadMode};
use crate::error::HubError;
use crate::{HubConfig, RepoId, RepoPath, Revision};

mod hashes;
mod lfs;
mod preupload;
mod ready;
mod start;
mod uploads;

#[cfg(test)]
mod scenario;

pub use crate::commit::preupload::SAMPLE_SIZE;
pub use hashes::Hashes;
pub use lfs::LfsBatch;
pub use preupload::{Preupload, Preuploaded};
pub use ready::{Line, Ready};
pub use start::Start;
pub use uploads::{Upload, Uploads};

/// One operation of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Add or replace a file of `size` bytes.
    Add {
        /// Where.
        path: RepoPath,
        /// How many bytes the driver will provide.
        size: u64,
    },
    /// Delete a file.
    Delete(RepoPath),
    /// Delete a folder and everything under it.
    DeleteFolder(RepoPath),
}

impl Operation {
    fn path(&self) -> &RepoPath {
        match self {
            Operation::Add { path, .. }
            | Operation::Delete(path)
            | Operation::DeleteFolder(path) => path,
        }
    }

    fn kind(&self) -> OperationKind {
        match self {
            Operation::Add { .. } => OperationKind::Add,
            Operation::Delete(_) => OperationKind::Delete,
            Operation::DeleteFolder(_) => OperationKind::DeleteFolder,
        }
    }

    /// The operation `kind` on `path`, with the size of an added file.
    pub fn new(kind: &OperationKind, path: RepoPath, size: u64) -> Operation {
        match kind {
            OperationKind::Add => Operation::Add { path, size },
            OperationKind::Delete => Operation::Delete(path),
            OperationKind::DeleteFolder => Operation::DeleteFolder(path),
        }
    }
}

/// What to commit, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitParams {
    /// The repo.
    pub repo: RepoId,
    /// The branch (or, with `create_pr`, the base of the pull request).
    pub revision: Revision,
    /// Open a pull request with this commit instead of committing to the branch.
    pub create_pr: bool,
    /// Title, description, parent commit.
    pub header: CommitHeader,
    /// What the commit does, in order.
    pub operations: Vec<Operation>,
}

/// An added file, as the driver sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddedFile<'a> {
    /// Its index among the added files (the driver's content list is in this order).
    pub index: usize,
    /// Where it goes.
    pub path: &'a RepoPath,
    /// Its size.
    pub size: u64,
}

/// A commit in state `S`; see the module doc for the order of calls.
#[derive(Debug)]
pub struct Commit<S> {
    plan: Plan,
    state: S,
}

/// What every state knows.
#[derive(Debug)]
struct Plan {
    cfg: HubConfig,
    repo: RepoId,
    revision: Revision,
    create_pr: bool,
    header: CommitHeader,
    operations: Vec<Operation>,
    /// The added files, in operation order.
    files: Vec<PreuploadFile>,
    /// What was learnt about each added file.
    added: Vec<Added>,
}

#[derive(Debug, Clone, Default)]
struct Added {
    mode: Option<UploadMode>,
    ignored: bool,
    sha256: Option<String>,
}

impl Plan {
    fn file(&self, index: usize) -> AddedFile<'_> {
        AddedFile {
            index,
            path: &self.files[index].path,
            size: self.files[index].size,
        }
    }

    /// The added files that go through LFS storage (not ignored), as indexes.
    fn lfs_files(&self) -> Vec<usize> {
        (0..self.added.len())
            .filter(|&i| self.added[i].mode == Some(UploadMode::Lfs) && !self.added[i].ignored)
            .collect()
    }
}

impl<S> Commit<S> {
    fn with<T>(self, state: T) -> Commit<T> {
        Commit {
            plan: self.plan,
            state,
        }
    }
}

impl Commit<Start> {
    /// Checks the commit as a whole ([`check_paths`]): at least one operation, no path twice,
    /// no added file where another needs a folder.
    pub fn new(cfg: &HubConfig, p: CommitParams) -> Result<Commit<Start>, HubError> {
        let paths: Vec<(OperationKind, &RepoPath)> =
            p.operations.iter().map(|o| (o.kind(), o.path())).collect();
        check_paths(&paths)?;
        let files: Vec<PreuploadFile> = p
            .operations
            .iter()
            .filter_map(|o| match o {
                Operation::Add { path, size } => Some(PreuploadFile {
                    path: path.clone(),
                    size: *size,
                }),
                _ => None,
            })
            .collect();
        let added = alloc::vec![Added::default(); files.len()];
        Ok(Commit {
            plan: Plan {
                cfg: cfg.clone(),
                repo: p.repo,
                revision: p.revision,
                create_pr: p.create_pr,
                header: p.header,
                operations: p.operations,
                files,
                added,
            },
            state: Start,
        })
    }
}

/// Answers to a list of requests sent in any order: each kept by index until all are in.
#[derive(Debug)]
struct Answers<T> {
    got: Vec<Option<T>>,
}

impl<T> Answers<T> {
    fn new(n: usize) -> Self {
        let mut got = Vec::with_capacity(n);
        got.resize_with(n, || None);
        Answers { got }
    }

    /// Refuses `k` when no request `k` was made.
    fn check(&self, k: usize) -> Result<(), HubError> {
        if k < self.got.len() {
            Ok(())
        } else {
            Err(HubError::invalid_input(
                "an answer to a request that was not made",
            ))
        }
    }

    fn put(&mut self, k: usize, v: T) -> Result<(), HubError> {
        self.check(k)?;
        self.got[k] = Some(v);
        Ok(())
    }

    /// Every answer, in request order; an error if one is missing.
    fn all(self) -> Result<Vec<T>, HubError> {
        self.got
            .into_iter()
            .collect::<Option<Vec<T>>>()
            .ok_or_else(|| {
                HubError::invalid_input("the commit moved on before every request was answered")
            })
    }
}
