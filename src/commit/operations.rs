//! What a commit does: its message and base, and the operations, checked as a whole before
//! anything is sent.

use crate::cat;
use crate::text::quoted;
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

/// Checks a whole operation list before anything is sent: not empty, valid paths (no empty,
/// `.` or `..` component), no path touched twice (the Hub's result would depend on line order,
/// which is surely a mistake) and no file added where another added file needs a folder.
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
    let checked: Vec<(OperationKind, &RepoPath)> = ops
        .iter()
        .map(|(kind, _)| kind.clone())
        .zip(&paths)
        .collect();
    check_paths(&checked)?;
    Ok(paths)
}

/// The rules on a commit's (valid) paths, each with what is done to it: at least one, none
/// twice, and no file added at `a` when another added file (`a/b`) needs `a` to be a folder,
/// in either order. Deleting `a` while adding `a/b` stays allowed: a file replaced by a
/// folder is a real commit.
///
/// Pairwise on purpose: commits are short lists, and a set or a sort would cost the commit
/// module more code than the loop costs time.
pub fn check_paths(ops: &[(OperationKind, &RepoPath)]) -> Result<(), HubError> {
    if ops.is_empty() {
        return Err(HubError::invalid_input(
            "a commit needs at least one operation",
        ));
    }
    for (i, (kind, path)) in ops.iter().enumerate() {
        let path = path.as_str();
        for (other_kind, other) in &ops[..i] {
            let other = other.as_str();
            if path == other {
                return Err(HubError::invalid_input(cat!(
                    "the path ",
                    quoted(path),
                    " appears twice in one commit"
                )));
            }
            if *kind != OperationKind::Add || *other_kind != OperationKind::Add {
                continue;
            }
            let (file, inside) = if is_inside(path, other) {
                (other, path)
            } else if is_inside(other, path) {
                (path, other)
            } else {
                continue;
            };
            return Err(HubError::invalid_input(cat!(
                "the commit adds ",
                quoted(file),
                " as a file and ",
                quoted(inside),
                ", which needs it to be a folder"
            )));
        }
    }
    Ok(())
}

/// Whether `path` lies inside the folder `folder` (`a/b` inside `a`, not `ab` inside `a`).
fn is_inside(path: &str, folder: &str) -> bool {
    path.len() > folder.len() && path.as_bytes()[folder.len()] == b'/' && path.starts_with(folder)
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

    /// `validate_operations` on `(kind, path)` pairs: the error kind, or `None` when accepted.
    fn refused(ops: &[(OperationKind, &str)]) -> Option<ErrorKind> {
        validate_operations(ops).err().map(|e| e.kind())
    }

    #[test]
    fn a_commit_touches_each_path_once() {
        use OperationKind::*;
        let invalid = Some(ErrorKind::InvalidInput);
        assert_eq!(refused(&[(Add, "a.txt"), (Add, "a.txt")]), invalid);
        assert_eq!(refused(&[(Add, "a.txt"), (Delete, "a.txt")]), invalid);
        assert_eq!(refused(&[(Delete, "d"), (DeleteFolder, "d/")]), invalid);
        assert_eq!(refused(&[(Add, "x"), (Add, "y"), (Add, "./x")]), invalid);
        assert_eq!(refused(&[(Add, "a.txt"), (Add, "A.txt")]), None);
    }

    #[test]
    fn a_path_has_no_empty_dot_or_dot_dot_segment() {
        use OperationKind::*;
        for bad in [
            "..", "../a", "a/..", "a/../b", ".", "a/.", "a/./b", "a//b", "", "/a", "a/",
        ] {
            assert_eq!(
                refused(&[(Add, "ok.txt"), (Add, bad)]),
                Some(ErrorKind::InvalidInput),
                "{bad:?}"
            );
        }
        for bad in ["..", "a/../b", "a//b", "."] {
            assert_eq!(
                refused(&[(Delete, bad)]),
                Some(ErrorKind::InvalidInput),
                "{bad:?}"
            );
            assert_eq!(
                refused(&[(DeleteFolder, bad)]),
                Some(ErrorKind::InvalidInput),
                "{bad:?}"
            );
        }
        // One leading "./" means the repo root, as in a shell.
        assert_eq!(refused(&[(Add, "./a/b.txt")]), None);
    }

    #[test]
    fn an_added_file_cannot_also_be_a_folder_of_added_files() {
        use OperationKind::*;
        let invalid = Some(ErrorKind::InvalidInput);
        assert_eq!(refused(&[(Add, "a"), (Add, "a/b")]), invalid);
        assert_eq!(refused(&[(Add, "a/b"), (Add, "a")]), invalid);
        assert_eq!(
            refused(&[(Add, "a/b/c"), (Add, "x"), (Add, "a/b")]),
            invalid
        );
        assert_eq!(refused(&[(Add, "a"), (Add, "./a/b/c")]), invalid);
        let e = validate_operations(&[(Add, "w/x"), (Add, "w")]).unwrap_err();
        assert!(e.message().contains("\"w\""), "{}", e.message());
        assert!(e.message().contains("\"w/x\""), "{}", e.message());
        // Names that only share a prefix are different entries.
        assert_eq!(refused(&[(Add, "a"), (Add, "ab/c"), (Add, "a.txt")]), None);
        assert_eq!(refused(&[(Add, "a/b"), (Add, "a/c"), (Add, "a/d/e")]), None);
        // A file replaced by a folder, or a folder by a file, is a real commit.
        assert_eq!(refused(&[(Delete, "a"), (Add, "a/b")]), None);
        assert_eq!(refused(&[(DeleteFolder, "a"), (Add, "a/b")]), None);
        assert_eq!(refused(&[(Delete, "a/b"), (Add, "a")]), None);
        assert_eq!(
            refused(&[(DeleteFolder, "a/"), (Add, "a")]),
            invalid,
            "same path twice"
        );
    }

    #[test]
    fn the_state_machine_applies_the_same_rules() {
        use crate::commit::flow::{Commit, CommitParams, Operation};
        let p = |s| RepoPath::new(s).unwrap();
        let start = |operations: alloc::vec::Vec<Operation>| {
            Commit::new(
                &crate::HubConfig::new("https://huggingface.co", None).unwrap(),
                CommitParams {
                    repo: crate::RepoId::parse_designation("u/m").unwrap(),
                    revision: crate::Revision::default(),
                    create_pr: false,
                    header: CommitHeader::new("t", "", None).unwrap(),
                    operations,
                },
            )
            .err()
            .map(|e| e.kind())
        };
        let add = |s, size| Operation::Add { path: p(s), size };
        let invalid = Some(ErrorKind::InvalidInput);
        assert_eq!(start(alloc::vec![]), invalid);
        assert_eq!(start(alloc::vec![add("a", 1), add("a", 2)]), invalid);
        assert_eq!(
            start(alloc::vec![add("a", 1), Operation::Delete(p("a"))]),
            invalid
        );
        assert_eq!(start(alloc::vec![add("a/b", 1), add("a", 2)]), invalid);
        assert_eq!(
            start(alloc::vec![Operation::Delete(p("a")), add("a/b", 2)]),
            None
        );
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
