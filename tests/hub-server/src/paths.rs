//! Routing on the raw request path (hub-protocol §1.4, §10 item 1). The path is never decoded
//! as a whole: a revision may be one `%2F`-encoded segment or the raw three segments
//! `refs/pr/N` / `refs/convert/X`, and file paths are decoded segment by segment.

use percent_encoding::percent_decode_str;

use crate::errors::{ApiError, ApiResult};
use crate::state::{RepoRef, RepoType};

/// What a request path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    AdminRequests,
    Whoami,
    CreateRepo,
    DeleteRepo,
    RepoInfo {
        repo: RepoRef,
        rev: Option<String>,
    },
    Refs {
        repo: RepoRef,
    },
    Tree {
        repo: RepoRef,
        rev: String,
        path: String,
    },
    PathsInfo {
        repo: RepoRef,
        rev: String,
    },
    Commit {
        repo: RepoRef,
        rev: String,
    },
    Preupload {
        repo: RepoRef,
        rev: String,
    },
    /// `/{prefix}{repo}/resolve/{rev}/{path}`, or `/raw/` when `raw`.
    Resolve {
        repo: RepoRef,
        rev: String,
        path: String,
        raw: bool,
    },
    Unknown,
}

/// Maps a raw (still percent-encoded) path to a route. Fails only on undecodable segments.
pub fn route(raw_path: &str) -> ApiResult<Route> {
    let Some(rest) = raw_path.strip_prefix('/') else {
        return Ok(Route::Unknown);
    };
    let segs: Vec<&str> = rest.split('/').collect();
    match segs.as_slice() {
        ["__admin", "requests"] => Ok(Route::AdminRequests),
        ["api", "whoami-v2"] => Ok(Route::Whoami),
        ["api", "repos", "create"] => Ok(Route::CreateRepo),
        ["api", "repos", "delete"] => Ok(Route::DeleteRepo),
        ["api", seg, ns, name, tail @ ..] => match RepoType::from_api_segment(seg) {
            Some(kind) => api_route(repo_ref(kind, ns, name)?, tail),
            None => Ok(Route::Unknown),
        },
        ["api", ..] | ["__admin", ..] => Ok(Route::Unknown),
        _ => file_route(&segs),
    }
}

fn api_route(repo: RepoRef, tail: &[&str]) -> ApiResult<Route> {
    Ok(match tail {
        [] => Route::RepoInfo { repo, rev: None },
        ["refs"] => Route::Refs { repo },
        ["revision", rest @ ..] => match split_revision(rest)? {
            Some((rev, [])) => Route::RepoInfo {
                repo,
                rev: Some(rev),
            },
            _ => Route::Unknown,
        },
        ["tree", rest @ ..] => match split_revision(rest)? {
            Some((rev, path)) => Route::Tree {
                repo,
                rev,
                path: decode_path(path)?.trim_end_matches('/').to_string(),
            },
            None => Route::Unknown,
        },
        ["paths-info", rest @ ..] => match split_revision(rest)? {
            Some((rev, [])) => Route::PathsInfo { repo, rev },
            _ => Route::Unknown,
        },
        ["commit", rest @ ..] => match split_revision(rest)? {
            Some((rev, [])) => Route::Commit { repo, rev },
            _ => Route::Unknown,
        },
        ["preupload", rest @ ..] => match split_revision(rest)? {
            Some((rev, [])) => Route::Preupload { repo, rev },
            _ => Route::Unknown,
        },
        _ => Route::Unknown,
    })
}

/// `/{prefix}{ns}/{name}/(resolve|raw)/{rev}/{path}`.
fn file_route(segs: &[&str]) -> ApiResult<Route> {
    let (kind, segs) = match segs.first() {
        Some(&"datasets") => (RepoType::Dataset, &segs[1..]),
        Some(&"spaces") => (RepoType::Space, &segs[1..]),
        _ => (RepoType::Model, segs),
    };
    let [ns, name, verb, rest @ ..] = segs else {
        return Ok(Route::Unknown);
    };
    let raw = match *verb {
        "resolve" => false,
        "raw" => true,
        _ => return Ok(Route::Unknown),
    };
    let Some((rev, path)) = split_revision(rest)? else {
        return Ok(Route::Unknown);
    };
    if path.is_empty() {
        return Ok(Route::Unknown);
    }
    Ok(Route::Resolve {
        repo: repo_ref(kind, ns, name)?,
        rev,
        path: decode_path(path)?,
        raw,
    })
}

fn repo_ref(kind: RepoType, ns: &str, name: &str) -> ApiResult<RepoRef> {
    Ok(RepoRef {
        kind,
        namespace: decode_segment(ns)?,
        name: decode_segment(name)?,
    })
}

/// Splits a revision off the front of `segs`: raw `refs/pr/<digits>` or `refs/convert/<word>`
/// take three segments; anything else is one segment, percent-decoded exactly once (so a
/// double-encoded `refs%252Fpr%252F1` stays `refs%2Fpr%2F1` and does not resolve).
pub fn split_revision<'a>(segs: &'a [&'a str]) -> ApiResult<Option<(String, &'a [&'a str])>> {
    match segs {
        ["refs", "pr", n, rest @ ..] if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Some((format!("refs/pr/{n}"), rest)))
        }
        ["refs", "convert", w, rest @ ..]
            if !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            Ok(Some((format!("refs/convert/{w}"), rest)))
        }
        [first, rest @ ..] if !first.is_empty() => Ok(Some((decode_segment(first)?, rest))),
        _ => Ok(None),
    }
}

/// Percent-decodes one segment to UTF-8 (`+` stays a plus: this is a path, not a form).
pub fn decode_segment(seg: &str) -> ApiResult<String> {
    percent_decode_str(seg)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::bad_request("Invalid percent-encoding in path (not UTF-8)"))
}

/// Decodes path segments one by one and joins them with `/` (`%2F` inside a segment is a `/`).
pub fn decode_path(segs: &[&str]) -> ApiResult<String> {
    let parts: Vec<String> = segs
        .iter()
        .map(|s| decode_segment(s))
        .collect::<ApiResult<_>>()?;
    Ok(parts.join("/"))
}

/// Repo id part rules (hub-protocol §1.3).
pub fn valid_repo_part(s: &str) -> bool {
    (1..=96).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        && !s.starts_with(['-', '.'])
        && !s.ends_with(['-', '.'])
        && !s.contains("--")
        && !s.contains("..")
        && !s.ends_with(".git")
}

/// Checks a path named in a commit operation; errors are 422 like the Hub's.
pub fn validate_repo_path(path: &str) -> ApiResult<()> {
    let bad = |why: &str| {
        Err(ApiError::unprocessable(format!(
            "Invalid path {path:?}: {why}"
        )))
    };
    if path.is_empty() {
        return bad("empty path");
    }
    if path.starts_with('/') {
        return bad("absolute paths are not allowed");
    }
    if path.chars().any(char::is_control) {
        return bad("control characters are not allowed");
    }
    for comp in path.split('/') {
        if comp.is_empty() {
            return bad("empty path component");
        }
        // A backslash is a separator on Windows, so `..\x` is traversal too.
        for part in comp.split('\\') {
            if part == "." || part == ".." {
                return bad("relative path components are not allowed");
            }
            if part == ".git" {
                return bad("paths inside .git are not allowed");
            }
        }
    }
    Ok(())
}

/// Query booleans as clients send them (`true`/`false`/`1`/`0`, §1.7).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "1" => Some(true),
        "false" | "False" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(ns: &str, name: &str) -> RepoRef {
        RepoRef {
            kind: RepoType::Model,
            namespace: ns.into(),
            name: name.into(),
        }
    }

    #[test]
    fn revisions_may_be_encoded_or_raw_special_refs() {
        let enc = route("/u/m/resolve/refs%2Fpr%2F1/a.txt").unwrap();
        let raw = route("/u/m/resolve/refs/pr/1/a.txt").unwrap();
        assert_eq!(enc, raw);
        assert_eq!(
            raw,
            Route::Resolve {
                repo: model("u", "m"),
                rev: "refs/pr/1".into(),
                path: "a.txt".into(),
                raw: false
            }
        );
        match route("/api/datasets/u/d/tree/refs/convert/parquet/x%2Fy").unwrap() {
            Route::Tree { rev, path, repo } => {
                assert_eq!(rev, "refs/convert/parquet");
                assert_eq!(path, "x/y");
                assert_eq!(repo.kind, RepoType::Dataset);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn double_encoding_is_decoded_once_only() {
        match route("/api/models/u/m/revision/refs%252Fpr%252F1").unwrap() {
            Route::RepoInfo { rev, .. } => assert_eq!(rev.as_deref(), Some("refs%2Fpr%2F1")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_paths_are_decoded_per_segment() {
        match route("/spaces/u/s/resolve/main/dir/a%20b%23%3F%C3%A9.txt").unwrap() {
            Route::Resolve { path, repo, .. } => {
                assert_eq!(path, "dir/a b#?é.txt");
                assert_eq!(repo.kind, RepoType::Space);
            }
            other => panic!("{other:?}"),
        }
        assert!(route("/u/m/resolve/main/%FF").is_err());
    }

    #[test]
    fn unknown_shapes_are_unknown() {
        assert_eq!(route("/").unwrap(), Route::Unknown);
        assert_eq!(route("/u/m/resolve/main").unwrap(), Route::Unknown);
        assert_eq!(route("/api/things/u/m").unwrap(), Route::Unknown);
        assert_eq!(route("/api/models/u/m/commit/a/b").unwrap(), Route::Unknown);
    }

    #[test]
    fn repo_parts_follow_the_client_rules() {
        assert!(valid_repo_part("my-model_1.0"));
        for bad in [
            "", "-a", "a-", ".a", "a.", "a--b", "a..b", "x.git", "a b", "a/b",
        ] {
            assert!(!valid_repo_part(bad), "{bad}");
        }
        assert!(!valid_repo_part(&"a".repeat(97)));
    }

    #[test]
    fn commit_paths_reject_traversal() {
        assert!(validate_repo_path("dir/a b.txt").is_ok());
        for bad in [
            "",
            "/a",
            "a//b",
            "./a",
            "a/../b",
            "..\\x",
            "a/.git/config",
            ".git",
            "a/",
        ] {
            assert!(validate_repo_path(bad).is_err(), "{bad}");
        }
    }
}
