//! What a commit does: its message and base, and the operations, checked as a whole before
//! anything is sent.

use crate::cat;
use crate::text::quoted;
use alloc::collections::BTreeSet;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

use crate::error::HubError;
use crate::ids::path::RepoPath;

/// What a commit does to one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationKind {
    /// Add or replace a file.
    Add,
    /// Delete a file.
    Delete,
    /// Delete a folder and everything under it.
    DeleteFolder,
}

/// The commit message and base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitHeader {
    /// The title (required, non-empty).
    pub summary: String,
    /// The longer description.
    pub description: String,
    /// The commit this one must follow; the Hub answers 412 if the branch moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_commit: Option<String>,
}

impl CommitHeader {
    /// Validates the title and the parent commit (5–40 hex, as the Hub accepts).
    pub fn new(
        summary: &str,
        description: &str,
        parent_commit: Option<&str>,
    ) -> Result<Self, HubError> {
        if summary.trim().is_empty() {
            return Err(HubError::invalid_input("a commit needs a non-empty title"));
        }
        if let Some(p) = parent_commit {
            if !(5..=40).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(HubError::invalid_input(cat!(
                    "invalid parentCommit ",
                    quoted(p),
                    ": expected 5 to 40 hex characters"
                )));
            }
        }
        Ok(CommitHeader {
            summary: summary.to_string(),
            description: description.to_string(),
            parent_commit: parent_commit.map(str::to_string),
        })
    }
}

/// Checks a whole operation list before anything is sent: not empty, valid paths, and no path
/// touched twice (the Hub's result would depend on line order, which is surely a mistake).
/// Paths may be given with a leading `./`; folder deletions may end with `/`.
pub fn validate_operations(ops: &[(OperationKind, &str)]) -> Result<Vec<RepoPath>, HubError> {
    let paths = ops
        .iter()
        .map(|(kind, raw)| {
            let mut p = raw.strip_prefix("./").unwrap_or(raw);
            if *kind == OperationKind::DeleteFolder {
                p = p.strip_suffix('/').unwrap_or(p);
            }
            RepoPath::new(p)
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_paths(&paths)?;
    Ok(paths)
}

/// The rules on a commit's list of (valid) paths: at least one, none twice.
pub fn check_paths(paths: &[RepoPath]) -> Result<(), HubError> {
    if paths.is_empty() {
        return Err(HubError::invalid_input(
            "a commit needs at least one operation",
        ));
    }
    let mut seen = BTreeSet::new();
    for path in paths {
        if !seen.insert(path.as_str()) {
            return Err(HubError::invalid_input(cat!(
                "the path ",
                quoted(path.as_str()),
                " appears twice in one commit"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn operations_are_checked_before_anything_is_sent() {
        use OperationKind::*;
        let ok =
            validate_operations(&[(Add, "./a.txt"), (Delete, "b.txt"), (DeleteFolder, "dir/")])
                .unwrap();
        assert_eq!(
            ok.iter().map(RepoPath::as_str).collect::<Vec<_>>(),
            ["a.txt", "b.txt", "dir"]
        );
        for (ops, what) in [
            (alloc::vec![], "empty"),
            (alloc::vec![(Add, "a"), (Delete, "a")], "duplicate"),
            (alloc::vec![(Add, "a"), (Add, "./a")], "duplicate after ./"),
            (alloc::vec![(Add, "../a")], "parent"),
            (alloc::vec![(Add, "/a")], "absolute"),
            (alloc::vec![(Add, "")], "empty path"),
            (alloc::vec![(Add, "a/")], "trailing slash on a file"),
        ] {
            assert_eq!(
                validate_operations(&ops).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{what}"
            );
        }
    }

    #[test]
    fn headers_need_a_title_and_a_hex_parent() {
        assert!(CommitHeader::new("t", "", Some("abcde")).is_ok());
        for (s, parent) in [
            ("", None),
            ("  ", None),
            ("t", Some("abcd")),
            ("t", Some("xyz12")),
            ("t", Some(&"a".repeat(41)[..])),
        ] {
            assert_eq!(
                CommitHeader::new(s, "", parent).unwrap_err().kind(),
                ErrorKind::InvalidInput
            );
        }
    }
}
