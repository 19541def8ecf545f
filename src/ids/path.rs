//! Paths inside a repository.

use alloc::string::{String, ToString};
use core::fmt;

use crate::error::HubError;

/// A validated path inside a repo: relative, `/`-separated, no empty, `.` or `..` component, no
/// `.git` component, no control characters. Rejecting these before any request means a typo never
/// reaches (or escapes) the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoPath(String);

impl RepoPath {
    /// Validates a path.
    pub fn new(path: &str) -> Result<RepoPath, HubError> {
        validate_path(path)?;
        Ok(RepoPath(path.to_string()))
    }

    /// The path as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RepoPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Applies the path rules of [`RepoPath`].
pub fn validate_path(path: &str) -> Result<(), HubError> {
    let fail = |why: &str| {
        Err(HubError::invalid_input(crate::cat!(
            "invalid path in repo ",
            crate::text::quoted(path),
            ": ",
            why
        )))
    };
    if path.is_empty() {
        return fail("it is empty");
    }
    if path.starts_with('/') {
        return fail("it is absolute; paths are relative to the repo root");
    }
    if path.chars().any(|c| c.is_control()) {
        return fail("it contains a control character");
    }
    for component in path.split(['/', '\\']) {
        match component {
            "" => return fail("it has an empty component (\"//\" or a trailing '/')"),
            "." | ".." => return fail("it has a \".\" or \"..\" component"),
            ".git" => return fail("it has a \".git\" component"),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_ordinary_and_unusual_names() {
        for p in [
            "config.json",
            "dir/model.safetensors",
            "my file.txt",
            "données/été.txt",
            "a#b?c.txt",
            ".gitattributes",
            "weights/.hidden",
            "x..y",
        ] {
            assert!(validate_path(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn rejects_paths_that_escape_or_are_empty() {
        for p in [
            "",
            "/abs",
            "a//b",
            "dir/",
            "..",
            "../x",
            "a/../b",
            "./a",
            "a/.",
            "a\\..\\b",
            ".git/config",
            "a/.git",
            "nul\0byte",
            "new\nline",
        ] {
            assert_eq!(
                validate_path(p).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{p:?}"
            );
        }
    }
}
