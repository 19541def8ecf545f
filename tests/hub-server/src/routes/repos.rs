//! Repo lifecycle and refs: create, delete, refs (docs/hub-protocol.md §3.4, §5); info is in
//! [`super::info`].

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_manage, check_write, readable};
use super::{json, parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::gitattributes::INITIAL_GITATTRIBUTES;
use crate::paths::{valid_repo_part, validate_repo_path};
use crate::state::{Caller, FileEntry, RepoRef, RepoType};

/// Spaces must say which SDK they run.
pub const SPACE_SDKS: &[&str] = &["gradio", "streamlit", "docker", "static"];

#[derive(Deserialize)]
struct CreateBody {
    name: String,
    organization: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    private: Option<bool>,
    visibility: Option<String>,
    sdk: Option<String>,
    /// Accepted as the Hub's JS client sends it; the local Hub does not model licenses without
    /// a README (see docs/hub-protocol.md §5).
    #[allow(dead_code)]
    license: Option<String>,
    /// Files of the first commit, next to the Hub's `.gitattributes`.
    #[serde(default)]
    files: Vec<InitialFile>,
}

/// `{path, content, encoding}` of the create body's `files`; `encoding` is `base64` or `utf-8`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InitialFile {
    path: String,
    content: String,
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct DeleteBody {
    name: String,
    organization: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Resolves `{name, organization, type}` to a repo; a `name` of `ns/name` is accepted when no
/// organization is given. A null/missing organization is the caller's namespace.
fn body_repo(
    caller: &Caller,
    name: &str,
    organization: Option<&str>,
    kind: Option<&str>,
) -> ApiResult<RepoRef> {
    let kind = match kind {
        None => RepoType::Model,
        Some(k) => RepoType::from_name(k)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid repo type: {k:?}")))?,
    };
    let (namespace, name) = match (organization, name.split_once('/')) {
        (Some(org), None) => (org.to_string(), name.to_string()),
        (None, Some((ns, n))) => (ns.to_string(), n.to_string()),
        (None, None) => (
            caller.user().unwrap_or_default().to_string(),
            name.to_string(),
        ),
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(format!(
                "Invalid repo name: {name:?}"
            )))
        }
    };
    if !valid_repo_part(&namespace) || !valid_repo_part(&name) {
        return Err(ApiError::bad_request(format!(
            "Invalid repo id {namespace}/{name}: use letters, digits, '-', '_' and '.', \
             not starting or ending with '-' or '.', no '--' or '..', at most 96 characters"
        )));
    }
    Ok(RepoRef {
        kind,
        namespace,
        name,
    })
}

fn repo_url(ctx: &Ctx, r: &RepoRef) -> String {
    format!("{}/{}{}", ctx.origin(), r.kind.url_prefix(), r.id())
}

/// `POST /api/repos/create`.
pub fn create(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    if ctx.caller == Caller::Anonymous {
        return Err(ApiError::unauthenticated());
    }
    let b: CreateBody = parse_json(&body)?;
    let r = body_repo(
        &ctx.caller,
        &b.name,
        b.organization.as_deref(),
        b.kind.as_deref(),
    )?;
    let private = match b.visibility.as_deref() {
        None => b.private.unwrap_or(false),
        Some("private") => true,
        // A protected Space: its page is public, its files private (kept as private here).
        Some("protected") if r.kind == RepoType::Space => true,
        Some("public") => false,
        Some(v) => return Err(ApiError::bad_request(format!("Invalid visibility: {v:?}"))),
    };
    let sdk = match (r.kind, b.sdk) {
        (RepoType::Space, None) => {
            return Err(ApiError::bad_request(
                "No sdk provided: a Space needs one of gradio, streamlit, docker, static",
            ))
        }
        (RepoType::Space, Some(s)) if !SPACE_SDKS.contains(&s.as_str()) => {
            return Err(ApiError::bad_request(format!("Invalid sdk: {s:?}")))
        }
        (_, sdk) => sdk,
    };

    let files = initial_files(b.files)?;
    for (bytes, entry) in files.values() {
        ctx.app
            .blobs
            .put_blocking(&entry.sha256, bytes)
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    }

    let url = repo_url(ctx, &r);
    let mut state = ctx.app.lock();
    check_write(&state, &r.namespace, &ctx.caller)?;
    check_manage(&ctx.caller, true)?;
    if state.repos.contains_key(&r.key()) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("You already created this {} repo", r.kind.name()),
        )
        .with_field("url", Value::String(url)));
    }
    let author = ctx.caller.user().unwrap_or_default().to_string();
    let id = state
        .create_repo(
            &r,
            private,
            sdk,
            &author,
            files.into_iter().map(|(p, (_, e))| (p, e)).collect(),
        )
        .id
        .clone();
    ctx.app.persist(&state)?;
    json(json!({"url": url, "name": r.id(), "id": id}))
}

/// The first commit's files: `.gitattributes`, then those of the request (which may replace
/// it). A path given twice, a bad path or bad base64 is a 400 and no repo is made.
fn initial_files(given: Vec<InitialFile>) -> ApiResult<BTreeMap<String, (Vec<u8>, FileEntry)>> {
    let ga = INITIAL_GITATTRIBUTES.as_bytes().to_vec();
    let mut files = BTreeMap::from([(
        ".gitattributes".to_string(),
        (ga.clone(), FileEntry::regular(&ga)),
    )]);
    let mut seen = BTreeSet::new();
    for f in given {
        validate_repo_path(&f.path)?;
        if !seen.insert(f.path.clone()) {
            return Err(ApiError::bad_request(format!(
                "{} is given twice in files",
                f.path
            )));
        }
        let bytes = match f.encoding.as_deref() {
            Some("base64") => base64::engine::general_purpose::STANDARD
                .decode(f.content.as_bytes())
                .map_err(|e| {
                    ApiError::bad_request(format!("invalid base64 content for {}: {e}", f.path))
                })?,
            Some("utf-8") => f.content.into_bytes(),
            other => {
                return Err(ApiError::bad_request(format!(
                    "unsupported encoding {other:?} for {}: base64 or utf-8",
                    f.path
                )))
            }
        };
        let entry = FileEntry::regular(&bytes);
        files.insert(f.path, (bytes, entry));
    }
    Ok(files)
}

/// `DELETE /api/repos/delete`.
pub fn delete(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    if ctx.caller == Caller::Anonymous {
        return Err(ApiError::unauthenticated());
    }
    let b: DeleteBody = parse_json(&body)?;
    let r = body_repo(
        &ctx.caller,
        &b.name,
        b.organization.as_deref(),
        b.kind.as_deref(),
    )?;
    let mut state = ctx.app.lock();
    readable(&state, &r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    check_manage(&ctx.caller, false)?;
    state.repos.remove(&r.key());
    // Old names of the deleted repo lead nowhere now.
    state.redirects.retain(|_, to| *to != r.key());
    ctx.app.persist(&state)?;
    Ok((StatusCode::OK, "OK").into_response())
}

/// `GET /api/{type}s/{repo}/refs[?include_prs=1]`.
pub fn refs(ctx: &Ctx, r: &RepoRef) -> ApiResult<Response> {
    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let list = |prefix: &str, m: &mut dyn Iterator<Item = (String, &String)>| -> Vec<Value> {
        m.map(|(name, target)| {
            json!({"name": name, "ref": format!("{prefix}{name}"), "targetCommit": target})
        })
        .collect()
    };
    let mut body = json!({
        "branches": list("refs/heads/", &mut repo.branches.iter().map(|(k, v)| (k.clone(), v))),
        "tags": list("refs/tags/", &mut repo.tags.iter().map(|(k, v)| (k.clone(), v))),
        "converts": list("refs/convert/", &mut repo.converts.iter().map(|(k, v)| (k.clone(), v))),
    });
    if ctx.query_bool("include_prs")? {
        body["pullRequests"] = json!(list(
            "refs/pr/",
            &mut repo.prs.iter().map(|(k, v)| (k.to_string(), v))
        ));
    }
    json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, content: &str, encoding: Option<&str>) -> InitialFile {
        InitialFile {
            path: path.into(),
            content: content.into(),
            encoding: encoding.map(Into::into),
        }
    }

    #[test]
    fn create_files_join_gitattributes_in_the_first_commit() {
        let files = initial_files(vec![
            file("README.md", "aGk=", Some("base64")),
            file("a/b.txt", "é", Some("utf-8")),
        ])
        .unwrap();
        let paths: Vec<_> = files.keys().map(String::as_str).collect();
        assert_eq!(paths, [".gitattributes", "README.md", "a/b.txt"]);
        assert_eq!(files["README.md"].0, b"hi");
        assert_eq!(files["a/b.txt"].0, "é".as_bytes());
    }

    #[test]
    fn bad_create_files_are_refused() {
        for bad in [
            vec![file("a", "x", None)],
            vec![file("a", "x", Some("latin1"))],
            vec![file("a", "!!", Some("base64"))],
            vec![file("../a", "", Some("utf-8"))],
            vec![file("a", "", Some("utf-8")), file("a", "x", Some("utf-8"))],
        ] {
            assert!(initial_files(bad).is_err());
        }
    }
}
