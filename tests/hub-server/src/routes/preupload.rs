//! `POST /api/{type}s/{repo}/preupload/{rev}`: tells clients which files go inline
//! (`regular`) and which through LFS (docs/hub-protocol.md §4.2). Both official clients call it
//! before every commit.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_commit, readable};
use super::{json, parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::gitattributes::is_lfs;
use crate::gitignore::is_ignored;
use crate::paths::validate_repo_path;

/// Above this size a file must go through LFS (the Hub's documented git limit).
pub const MAX_REGULAR_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Deserialize)]
struct Body {
    files: Vec<File>,
    #[serde(rename = "gitAttributes")]
    git_attributes: Option<String>,
    /// The `.gitignore` being committed (Python sends it), else the repo's is used.
    #[serde(rename = "gitIgnore")]
    git_ignore: Option<String>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    sample: String,
    size: u64,
}

pub async fn preupload(
    ctx: &Ctx,
    r: &crate::state::RepoRef,
    rev: &str,
    body: Bytes,
) -> ApiResult<Response> {
    let create_pr = ctx.query_bool("create_pr")?;
    let commit = {
        let state = ctx.app.lock();
        let repo = readable(&state, r, &ctx.caller)?;
        check_commit(&state, repo, rev, &ctx.caller, create_pr)?;
        let commit = repo
            .resolve(rev)
            .ok_or_else(|| ApiError::revision_not_found(rev))?
            .clone();
        commit
    };
    let b: Body = parse_json(&body)?;
    let text_of = |path: &str| -> ApiResult<String> {
        match commit.files.get(path) {
            Some(f) => ctx
                .app
                .blobs
                .read_blocking(&f.sha256)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
            None => Ok(String::new()),
        }
    };
    let attributes = match b.git_attributes {
        Some(text) => text,
        None => text_of(".gitattributes")?,
    };
    let ignore = match b.git_ignore {
        Some(text) => text,
        None => text_of(".gitignore")?,
    };
    let mut files = Vec::with_capacity(b.files.len());
    for f in b.files {
        validate_repo_path(&f.path)?;
        let sample = base64::engine::general_purpose::STANDARD
            .decode(f.sample.as_bytes())
            .map_err(|e| {
                ApiError::bad_request(format!("Invalid base64 sample for {}: {e}", f.path))
            })?;
        let lfs = is_lfs(&attributes, &f.path) || f.size > MAX_REGULAR_SIZE || sample.contains(&0);
        let mut entry = json!({
            "path": f.path,
            "uploadMode": if lfs { "lfs" } else { "regular" },
            "shouldIgnore": is_ignored(&ignore, &f.path),
        });
        if let Some(existing) = commit.files.get(&f.path) {
            // Clients skip unchanged files by comparing this with their own hash of the
            // content: sha256 for LFS uploads, the git blob id for regular ones.
            entry["oid"] = Value::String(if lfs {
                existing.sha256.clone()
            } else {
                existing.oid.clone()
            });
        }
        files.push(entry);
    }
    json(json!({"files": files, "commitOid": commit.id}))
}
