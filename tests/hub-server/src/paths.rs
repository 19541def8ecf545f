//! Routing on the raw request path (docs/hub-protocol.md §1.4, §10 item 1). The path is never
//! decoded as a whole: a revision may be one `%2F`-encoded segment or the raw three segments
//! `refs/pr/N` / `refs/convert/X`, and file paths are decoded segment by segment.

use percent_encoding::percent_decode_str;

use crate::errors::{ApiError, ApiResult};
use crate::state::{RepoRef, RepoType};

/// What a request path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    AdminRequests,
    /// `/__admin/faults` (`Some(id)` for `/__admin/faults/{id}`).
    AdminFaults(Option<String>),
    AdminGrant,
    AdminDisable,
    AdminStats,
    /// `/__admin/oauth`: automatic consent, token lifetime, apps.
    AdminOAuth,
    /// `/.well-known/openid-configuration`.
    OAuthDiscovery,
    /// `/oauth/authorize`, `/oauth/token`, `/oauth/userinfo`.
    OAuthAuthorize,
    OAuthToken,
    OAuthUserinfo,
    /// `/avatars/{id}.svg`: the picture userinfo names.
    Avatar(String),
    Whoami,
    ValidateYaml,
    /// `/api/users/{user}/likes`.
    UserLikes {
        user: String,
    },
    CreateRepo,
    DeleteRepo,
    MoveRepo,
    /// `/api/models`, `/api/datasets`, `/api/spaces`.
    ListRepos(RepoType),
    Settings {
        repo: RepoRef,
    },
    /// `…/branch/{name}` (create with POST, delete with DELETE).
    Branch {
        repo: RepoRef,
        name: String,
    },
    /// `…/tag/{name}`: POST tags that revision, DELETE removes that tag.
    Tag {
        repo: RepoRef,
        name: String,
    },
    Commits {
        repo: RepoRef,
        rev: String,
    },
    Discussions {
        repo: RepoRef,
    },
    /// `…/discussions/{num}[/{action}]`.
    Discussion {
        repo: RepoRef,
        num: String,
        action: Option<String>,
    },
    /// `…/user-access-request/grant`.
    GrantAccess {
        repo: RepoRef,
    },
    /// `…/duplicate` (POST): a copy under a new id.
    Duplicate {
        repo: RepoRef,
    },
    /// `…/like` (POST likes, DELETE unlikes).
    Like {
        repo: RepoRef,
    },
    Likers {
        repo: RepoRef,
    },
    /// `…/auth-check[/write]`.
    AuthCheck {
        repo: RepoRef,
        write: bool,
    },
    /// `/{prefix}{repo}.git/info/lfs/objects/batch`.
    LfsBatch {
        repo: RepoRef,
    },
    /// `/{prefix}{repo}.git/info/lfs/objects/verify`.
    LfsVerify {
        repo: RepoRef,
    },
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
        ["__admin", "faults"] => Ok(Route::AdminFaults(None)),
        ["__admin", "faults", id] => Ok(Route::AdminFaults(Some(decode_segment(id)?))),
        ["__admin", "grant"] => Ok(Route::AdminGrant),
        ["__admin", "disable"] => Ok(Route::AdminDisable),
        ["__admin", "stats"] => Ok(Route::AdminStats),
        ["__admin", "oauth"] => Ok(Route::AdminOAuth),
        [".well-known", "openid-configuration"] => Ok(Route::OAuthDiscovery),
        ["oauth", "authorize"] => Ok(Route::OAuthAuthorize),
        ["oauth", "token"] => Ok(Route::OAuthToken),
        ["oauth", "userinfo"] => Ok(Route::OAuthUserinfo),
        ["avatars", file] if file.ends_with(".svg") => Ok(Route::Avatar(decode_segment(file)?)),
        ["api", "whoami-v2"] => Ok(Route::Whoami),
        ["api", "repos", "create"] => Ok(Route::CreateRepo),
        ["api", "repos", "delete"] => Ok(Route::DeleteRepo),
        ["api", "repos", "move"] => Ok(Route::MoveRepo),
        ["api", "validate-yaml"] => Ok(Route::ValidateYaml),
        ["api", "users", user, "likes"] => Ok(Route::UserLikes {
            user: decode_segment(user)?,
        }),
        ["api", seg] => Ok(RepoType::from_api_segment(seg)
            .map(Route::ListRepos)
            .unwrap_or(Route::Unknown)),
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
        ["commits", rest @ ..] => match split_revision(rest)? {
            Some((rev, [])) => Route::Commits { repo, rev },
            _ => Route::Unknown,
        },
        ["settings"] => Route::Settings { repo },
        // Ref names are one `%2F`-encoded segment from the clients; raw slashes are accepted too.
        ["branch", rest @ ..] if !rest.is_empty() => Route::Branch {
            repo,
            name: decode_path(rest)?,
        },
        ["tag", rest @ ..] if !rest.is_empty() => Route::Tag {
            repo,
            name: decode_path(rest)?,
        },
        ["discussions"] => Route::Discussions { repo },
        ["discussions", num] => Route::Discussion {
            repo,
            num: decode_segment(num)?,
            action: None,
        },
        ["discussions", num, action] => Route::Discussion {
            repo,
            num: decode_segment(num)?,
            action: Some(decode_segment(action)?),
        },
        ["user-access-request", "grant"] => Route::GrantAccess { repo },
        ["like"] => Route::Like { repo },
        ["duplicate"] => Route::Duplicate { repo },
        ["likers"] => Route::Likers { repo },
        ["auth-check"] => Route::AuthCheck { repo, write: false },
        ["auth-check", "write"] => Route::AuthCheck { repo, write: true },
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
    if let [ns, name_git, "info", "lfs", "objects", op] = segs {
        if let Some(name) = name_git.strip_suffix(".git") {
            let repo = repo_ref(kind, ns, name)?;
            return Ok(match *op {
                "batch" => Route::LfsBatch { repo },
                "verify" => Route::LfsVerify { repo },
                _ => Route::Unknown,
            });
        }
    }
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

impl Route {
    /// The repo a route is about, if any.
    pub fn repo(&self) -> Option<&RepoRef> {
        match self {
            Route::Settings { repo }
            | Route::Branch { repo, .. }
            | Route::Tag { repo, .. }
            | Route::Commits { repo, .. }
            | Route::Discussions { repo }
            | Route::Discussion { repo, .. }
            | Route::GrantAccess { repo }
            | Route::AuthCheck { repo, .. }
            | Route::Like { repo }
            | Route::Duplicate { repo }
            | Route::Likers { repo }
            | Route::LfsBatch { repo }
            | Route::LfsVerify { repo }
            | Route::RepoInfo { repo, .. }
            | Route::Refs { repo }
            | Route::Tree { repo, .. }
            | Route::PathsInfo { repo, .. }
            | Route::Commit { repo, .. }
            | Route::Preupload { repo, .. }
            | Route::Resolve { repo, .. } => Some(repo),
            _ => None,
        }
    }
}

/// The same raw path with the repo id replaced, for the 307 a moved repo answers with.
pub fn moved_path(raw_path: &str, from: &RepoRef, to: &RepoRef) -> String {
    let mut segs: Vec<String> = raw_path.split('/').map(str::to_string).collect();
    // ["", "api", "models", ns, name, …], ["", "datasets", ns, name, …] or ["", ns, name, …]
    let at = if raw_path.starts_with("/api/") {
        3
    } else if from.kind == RepoType::Model {
        1
    } else {
        2
    };
    if segs.len() > at + 1 {
        segs[at] = to.namespace.clone();
        let git = segs[at + 1].ends_with(".git");
        segs[at + 1] = if git {
            format!("{}.git", to.name)
        } else {
            to.name.clone()
        };
    }
    segs.join("/")
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

/// Repo id part rules (docs/hub-protocol.md §1.3).
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

/// Query booleans as clients send them (`true`/`false`/`1`/`0`, docs/hub-protocol.md §1.7).
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
    fn ref_and_lfs_routes() {
        assert_eq!(
            route("/api/models/u/m/branch/feature%2Fx").unwrap(),
            Route::Branch {
                repo: model("u", "m"),
                name: "feature/x".into()
            }
        );
        assert_eq!(
            route("/u/m.git/info/lfs/objects/batch").unwrap(),
            Route::LfsBatch {
                repo: model("u", "m")
            }
        );
        match route("/datasets/u/d.git/info/lfs/objects/verify").unwrap() {
            Route::LfsVerify { repo } => assert_eq!(repo.kind, RepoType::Dataset),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            route("/api/spaces").unwrap(),
            Route::ListRepos(RepoType::Space)
        );
        assert_eq!(
            route("/api/models/u/m/likers").unwrap(),
            Route::Likers {
                repo: model("u", "m")
            }
        );
        assert_eq!(
            route("/api/users/a%2Db/likes").unwrap(),
            Route::UserLikes { user: "a-b".into() }
        );
    }

    #[test]
    fn moved_paths_swap_the_repo_id() {
        let (a, b) = (model("u", "old"), model("o", "new"));
        assert_eq!(
            moved_path("/u/old/resolve/main/x", &a, &b),
            "/o/new/resolve/main/x"
        );
        assert_eq!(
            moved_path("/api/models/u/old/tree/main", &a, &b),
            "/api/models/o/new/tree/main"
        );
        let d = |n: &str| RepoRef {
            kind: RepoType::Dataset,
            namespace: "u".into(),
            name: n.into(),
        };
        assert_eq!(
            moved_path("/datasets/u/x/raw/main/y", &d("x"), &d("z")),
            "/datasets/u/z/raw/main/y"
        );
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
