//! `commit` options as the JavaScript API passes them. The file contents travel beside them
//! (Blobs and bytes stay JavaScript objects); `operations[i]` is described here and its content
//! is `contents[i]`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::commit::operations::{CommitHeader, OperationKind};
use crate::error::HubError;
use crate::http::retry::RetryPolicy;
use crate::options::{Field, Opts, Target};
use crate::{options, RepoPath};

/// One operation on the wire: `{ kind: "add" | "delete" | "deleteFolder", path }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireOperation {
    /// What it does.
    pub kind: OperationKind,
    /// The path as given (checked with the whole list, see [`validate_operations`]).
    ///
    /// [`validate_operations`]: crate::commit::operations::validate_operations
    pub path: String,
}

/// The operation list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Operations(pub Vec<WireOperation>);

impl Field for Operations {
    #[cfg(test)]
    const TS: &'static str = "{ kind: \"add\" | \"delete\" | \"deleteFolder\"; path: string }[]";
    #[cfg(test)]
    const OPTIONAL: bool = false;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        let list = o.list(key)?.ok_or_else(|| o.bad(key, "an array"))?;
        list.iter()
            .map(|v| {
                let op = o.element(key, v)?;
                let kind = match op.required("kind")? {
                    "add" => OperationKind::Add,
                    "delete" => OperationKind::Delete,
                    "deleteFolder" => OperationKind::DeleteFolder,
                    other => {
                        return Err(HubError::invalid_input(crate::cat!(
                            "unknown operation ",
                            crate::text::quoted(other)
                        )))
                    }
                };
                Ok(WireOperation {
                    kind,
                    path: String::from(op.required("path")?),
                })
            })
            .collect::<Result<_, _>>()
            .map(Operations)
    }
}

options! {
    /// `commit` options.
    pub struct CommitOptions: Target {
        /// The commit title.
        pub title: String = "title",
        /// The longer description.
        pub description: Option<String> = "description",
        /// Fail with `PreconditionFailed` if the branch moved past this commit.
        pub parent_commit: Option<String> = "parentCommit",
        /// Open a pull request instead of committing to the branch.
        pub is_pull_request: bool = "isPullRequest",
        /// What the commit does, in order.
        pub operations: Operations = "operations",
        /// How idempotent steps are retried.
        pub retry: RetryPolicy = "retry",
        /// Files uploaded at once (default 4).
        pub file_concurrency: Option<u32> = "fileConcurrency",
        /// Parts of one file uploaded at once (default 6).
        pub part_concurrency: Option<u32> = "partConcurrency",
        /// Files hashed at once (default 4).
        pub hash_concurrency: Option<u32> = "hashConcurrency",
    }
}

impl CommitOptions {
    /// The commit's header, validated.
    pub fn header(&self) -> Result<CommitHeader, HubError> {
        CommitHeader::new(
            &self.title,
            self.description.as_deref().unwrap_or_default(),
            self.parent_commit.as_deref(),
        )
    }

    /// The operations, validated as a whole (see `validate_operations`).
    pub fn paths(&self) -> Result<Vec<RepoPath>, HubError> {
        let kinds: Vec<(OperationKind, &str)> = self
            .operations
            .0
            .iter()
            .map(|op| (op.kind.clone(), op.path.as_str()))
            .collect();
        crate::commit::operations::validate_operations(&kinds)
    }
}
