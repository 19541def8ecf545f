//! Naming a file for the cache without asking the Hub anything: the cache validates its keys
//! with the same rules as every call, so bad input fails before storage or the network is
//! touched.

use alloc::string::String;
use serde::Serialize;

use crate::error::HubError;
use crate::files::FileOptions;
use crate::ids::RepoId;

/// A validated file target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FileTarget {
    /// `models/ns/name`: the repo as the cache keys it.
    pub repo_key: String,
    /// `ns/name`.
    pub repo_id: String,
    /// `model`, `dataset`, `space` or `kernel`.
    pub repo_type: String,
    /// The revision asked for (`main` when none was).
    pub revision: String,
    /// The file's path.
    pub path: String,
    /// Whether the revision is a commit id (its files never change).
    pub is_commit: bool,
}

/// `models/ns/name` (the API's plural type segment and the id): one key per repo.
pub fn repo_key(repo: &RepoId) -> String {
    crate::cat!(repo.repo_type().api_segment(), "/", repo.id())
}

/// Validates a file's options into its target.
pub fn file_target(o: &FileOptions) -> Result<FileTarget, HubError> {
    let (_, p) = o.params()?;
    Ok(FileTarget {
        repo_key: repo_key(&p.repo),
        repo_id: String::from(p.repo.id()),
        repo_type: String::from(p.repo.repo_type().as_str()),
        revision: String::from(p.revision.as_str()),
        path: String::from(p.path.as_str()),
        is_commit: p.revision.is_commit_id(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::options::parse;

    fn target(json: &str) -> Result<FileTarget, HubError> {
        file_target(&parse(json, "downloadFile")?)
    }

    #[test]
    fn a_file_is_named_by_its_repo_key_revision_and_path() {
        let t = target(r#"{"repo":"datasets/u/d","path":"a/b.txt"}"#).unwrap();
        assert_eq!(t.repo_key, "datasets/u/d");
        assert_eq!(
            (t.repo_id.as_str(), t.repo_type.as_str()),
            ("u/d", "dataset")
        );
        assert_eq!((t.revision.as_str(), t.path.as_str()), ("main", "a/b.txt"));
        assert!(!t.is_commit);
        let sha = "c52ce5e45984b9378ef6247fe7a45ed72b096b24";
        let t = target(&alloc::format!(
            r#"{{"repo":"u/m","path":"x","revision":"{sha}"}}"#
        ))
        .unwrap();
        assert!(t.is_commit);
        assert_eq!(t.repo_key, "models/u/m");
    }

    #[test]
    fn bad_names_fail_before_anything_else() {
        for json in [
            r#"{"repo":"u/m","path":"../x"}"#,
            r#"{"repo":"u/m"}"#,
            r#"{"repo":"u/m","path":"x","revision":"a..b"}"#,
            r#"{"repo":"not a repo","path":"x"}"#,
            r#"{"repo":"u/m","path":"x","range":[3,1]}"#,
        ] {
            assert_eq!(
                target(json).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{json}"
            );
        }
    }
}
