//! `POST /api/{type}s/{repo}/commit/{rev}`: the NDJSON commit (docs/hub-protocol.md §4.5).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_commit, readable};
use super::{json, Ctx};
use crate::discussion::{Discussion, Event};
use crate::errors::{ApiError, ApiResult};
use crate::paths::validate_repo_path;
use crate::state::{FileEntry, RefTarget, RepoRef};

const MOVED_BRANCH: &str =
    "The branch was updated since you opened this page. Please refresh and try again.";

#[derive(Deserialize)]
struct Line {
    key: String,
    value: Value,
}

#[derive(Deserialize)]
struct Header {
    summary: Option<String>,
    description: Option<String>,
    #[serde(rename = "parentCommit")]
    parent_commit: Option<String>,
}

#[derive(Deserialize)]
struct FileOp {
    path: String,
    content: String,
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct PathOp {
    path: String,
}

#[derive(Deserialize)]
struct LfsOp {
    path: String,
    algo: Option<String>,
    oid: String,
    /// Absent for an intra-repo copy of an LFS file (docs/hub-protocol.md §4.6).
    size: Option<u64>,
}

/// One operation of the commit, in request order.
enum Op {
    Put(String, FileEntry),
    /// An `lfsFile` line before its object is looked up: path, oid, announced size.
    PutLfs(String, String, Option<u64>),
    Delete(String),
    DeleteFolder(String),
}

struct Parsed {
    header: Header,
    ops: Vec<Op>,
    /// Decoded contents to store, by sha256.
    blobs: Vec<(String, Bytes)>,
}

pub async fn commit(ctx: &Ctx, r: &RepoRef, rev: &str, body: Bytes) -> ApiResult<Response> {
    let create_pr = ctx.query_bool("create_pr")?;
    {
        let state = ctx.app.lock();
        let repo = readable(&state, r, &ctx.caller)?;
        check_commit(&state, repo, rev, &ctx.caller, create_pr)?;
        if repo.commit_target(rev).is_none() {
            return Err(ApiError::revision_not_found(rev));
        }
    }
    match ctx.content_type().as_deref() {
        Some("application/x-ndjson") | None => {}
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported Content-Type {other:?}: commits are application/x-ndjson"
            )))
        }
    }
    let mut parsed = parse(&body)?;
    resolve_lfs(ctx, &mut parsed.ops).await?;
    ctx.app
        .blobs
        .put_many(parsed.blobs)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;

    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let target = repo
        .commit_target(rev)
        .ok_or_else(|| ApiError::revision_not_found(rev))?;
    let head = repo.target_head(&target).unwrap_or_default().to_string();
    let base = match &parsed.header.parent_commit {
        None => head.clone(),
        Some(p) if create_pr => repo
            .commits
            .keys()
            .find(|id| id.starts_with(&p.to_ascii_lowercase()))
            .cloned()
            .ok_or_else(|| ApiError::new(StatusCode::PRECONDITION_FAILED, MOVED_BRANCH))?,
        Some(p) if head.starts_with(&p.to_ascii_lowercase()) => head.clone(),
        Some(_) => return Err(ApiError::new(StatusCode::PRECONDITION_FAILED, MOVED_BRANCH)),
    };
    let mut files = repo.commits[&base].files.clone();
    apply(&mut files, &parsed.ops)?;
    track_lfs_paths(ctx, &mut files, &parsed.ops)?;

    let author = ctx.caller.user().unwrap_or_default().to_string();
    let title = parsed.header.summary.unwrap_or_default();
    let message = parsed.header.description.unwrap_or_default();
    let commit = state.new_commit(Some(base), &title, &message, &author, files);
    let oid = commit.id.clone();
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    let target = if create_pr {
        let num = repo.next_discussion_num();
        let base_branch = match &target {
            RefTarget::Branch(b) => b.clone(),
            RefTarget::Pr(n) => repo
                .discussions
                .get(n)
                .and_then(|d| d.base.clone())
                .unwrap_or_else(|| "main".to_string()),
        };
        let mut pr = Discussion::new(num, &title, true, &author, Some(base_branch));
        pr.events.push(Event::comment(&author, &message));
        repo.discussions.insert(num, pr);
        RefTarget::Pr(num)
    } else {
        target
    };
    if let RefTarget::Pr(n) = &target {
        if let Some(d) = repo.discussions.get_mut(n) {
            d.events.push(Event::commit(&author, &title, &oid));
        }
    }
    repo.commits.insert(oid.clone(), commit);
    repo.set_target(&target, oid.clone());
    ctx.app.persist(&state)?;

    let repo_url = ctx.repo_url(r);
    let mut body = json!({
        "success": true,
        "commitOid": oid,
        "commitUrl": format!("{repo_url}/commit/{oid}"),
        "hookOutput": "",
    });
    if let (true, RefTarget::Pr(n)) = (create_pr, &target) {
        body["pullRequestUrl"] = json!(format!("{repo_url}/discussions/{n}"));
    }
    json(body)
}

/// Parses the NDJSON body: a `header` line first, then operations.
fn parse(body: &[u8]) -> ApiResult<Parsed> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("Commit body is not valid UTF-8"))?;
    let mut header: Option<Header> = None;
    let mut ops = Vec::new();
    let mut blobs = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let bad = |what: String| ApiError::bad_request(format!("Line {}: {what}", n + 1));
        let line: Line =
            serde_json::from_str(raw).map_err(|e| bad(format!("invalid JSON line: {e}")))?;
        if header.is_none() && line.key != "header" {
            return Err(bad("the first line must be the header".into()));
        }
        match line.key.as_str() {
            "header" if header.is_none() => {
                let h: Header = serde_json::from_value(line.value)
                    .map_err(|e| bad(format!("invalid header: {e}")))?;
                if h.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    return Err(bad("the commit summary is required".into()));
                }
                if let Some(p) = &h.parent_commit {
                    if !(5..=40).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(bad(format!("invalid parentCommit {p:?}")));
                    }
                }
                header = Some(h);
            }
            "header" => return Err(bad("duplicate header line".into())),
            "file" => {
                let f: FileOp = serde_json::from_value(line.value)
                    .map_err(|e| bad(format!("invalid file operation: {e}")))?;
                validate_repo_path(&f.path)?;
                let bytes = match f.encoding.as_deref() {
                    Some("base64") => base64::engine::general_purpose::STANDARD
                        .decode(f.content.as_bytes())
                        .map_err(|e| bad(format!("invalid base64 content for {}: {e}", f.path)))?,
                    Some("utf-8") | Some("utf8") => f.content.into_bytes(),
                    other => return Err(bad(format!("unsupported encoding {other:?}"))),
                };
                let entry = FileEntry::regular(&bytes);
                blobs.push((entry.sha256.clone(), Bytes::from(bytes)));
                ops.push(Op::Put(f.path, entry));
            }
            "lfsFile" => {
                let f: LfsOp = serde_json::from_value(line.value)
                    .map_err(|e| bad(format!("invalid lfsFile operation: {e}")))?;
                validate_repo_path(&f.path)?;
                if f.algo.as_deref().is_some_and(|a| a != "sha256") {
                    return Err(bad(format!("unsupported algo {:?}: sha256", f.algo)));
                }
                if !crate::routes::lfs::valid_oid(&f.oid) {
                    return Err(bad(format!(
                        "invalid oid {:?} for {}: expected 64 hexadecimal characters",
                        f.oid, f.path
                    )));
                }
                ops.push(Op::PutLfs(f.path, f.oid.to_ascii_lowercase(), f.size));
            }
            "deletedFile" => {
                let p: PathOp = serde_json::from_value(line.value)
                    .map_err(|e| bad(format!("invalid deletedFile operation: {e}")))?;
                validate_repo_path(&p.path)?;
                ops.push(Op::Delete(p.path));
            }
            "deletedFolder" => {
                let p: PathOp = serde_json::from_value(line.value)
                    .map_err(|e| bad(format!("invalid deletedFolder operation: {e}")))?;
                let path = p.path.strip_suffix('/').unwrap_or(&p.path).to_string();
                validate_repo_path(&path)?;
                ops.push(Op::DeleteFolder(path));
            }
            other => return Err(bad(format!("unknown key {other:?}"))),
        }
    }
    let header = header.ok_or_else(|| ApiError::bad_request("Empty commit body: no header"))?;
    Ok(Parsed { header, ops, blobs })
}

/// Looks up the object of every `lfsFile` line: it must have been uploaded, with the size the
/// line announces (a copy may leave the size out).
async fn resolve_lfs(ctx: &Ctx, ops: &mut [Op]) -> ApiResult<()> {
    for op in ops.iter_mut() {
        let Op::PutLfs(path, oid, size) = op else {
            continue;
        };
        let stored = ctx
            .app
            .blobs
            .size(oid)
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let entry = match (stored, *size) {
            (None, _) => {
                return Err(ApiError::unprocessable(format!(
                    "LFS object {oid} for {path} was not uploaded: upload it with the LFS batch \
                     API before committing"
                )))
            }
            (Some(n), Some(s)) if n != s => {
                return Err(ApiError::unprocessable(format!(
                    "LFS object {oid} for {path} has size {n}, not {s}"
                )))
            }
            (Some(n), _) => FileEntry::lfs(oid, n),
        };
        *op = Op::Put(std::mem::take(path), entry);
    }
    Ok(())
}

/// Adds `.gitattributes` lines for LFS files the patterns do not cover yet (as the Hub does).
fn track_lfs_paths(
    ctx: &Ctx,
    files: &mut BTreeMap<String, FileEntry>,
    ops: &[Op],
) -> ApiResult<()> {
    let lfs_paths: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Put(path, e) if e.lfs && files.get(path).is_some_and(|f| f.lfs) => {
                Some(path.as_str())
            }
            _ => None,
        })
        .collect();
    if lfs_paths.is_empty() {
        return Ok(());
    }
    let internal =
        |e: std::io::Error| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    let current = match files.get(".gitattributes") {
        Some(f) => {
            String::from_utf8_lossy(&ctx.app.blobs.read_blocking(&f.sha256).map_err(internal)?)
                .into_owned()
        }
        None => String::new(),
    };
    if let Some(text) = crate::gitattributes::track(&current, lfs_paths) {
        let entry = FileEntry::regular(text.as_bytes());
        ctx.app
            .blobs
            .put_blocking(&entry.sha256, text.as_bytes())
            .map_err(internal)?;
        files.insert(".gitattributes".to_string(), entry);
    }
    Ok(())
}

/// Applies operations in order; a path may not be both a file and a folder afterwards.
fn apply(files: &mut BTreeMap<String, FileEntry>, ops: &[Op]) -> ApiResult<()> {
    let mut added = Vec::new();
    for op in ops {
        match op {
            Op::Put(path, entry) => {
                files.insert(path.clone(), entry.clone());
                added.push(path);
            }
            Op::PutLfs(path, ..) => {
                return Err(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("LFS object for {path} was not resolved"),
                ))
            }
            Op::Delete(path) => {
                if files.remove(path).is_none() {
                    return Err(ApiError::entry_not_found(
                        "A file with this name doesn't exist",
                    ));
                }
            }
            Op::DeleteFolder(path) => {
                let prefix = format!("{path}/");
                let doomed: Vec<String> = files
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(k, _)| k.clone())
                    .collect();
                if doomed.is_empty() {
                    return Err(ApiError::entry_not_found(
                        "A folder with this name doesn't exist",
                    ));
                }
                for k in doomed {
                    files.remove(&k);
                }
            }
        }
    }
    for path in added {
        if !files.contains_key(path) {
            continue;
        }
        let mut dir = path.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if files.contains_key(parent) {
                return Err(ApiError::unprocessable(format!(
                    "Cannot add {path}: {parent} is a file"
                )));
            }
            dir = parent;
        }
        let prefix = format!("{path}/");
        if files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
        {
            return Err(ApiError::unprocessable(format!(
                "Cannot add {path}: it is a folder"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> FileEntry {
        FileEntry::regular(b"x")
    }

    #[test]
    fn header_must_come_first_with_a_summary() {
        assert!(parse(b"{\"key\":\"file\",\"value\":{}}\n").is_err());
        assert!(parse(b"{\"key\":\"header\",\"value\":{\"summary\":\"\"}}\n").is_err());
        assert!(parse(b"").is_err());
        let p = parse(b"{\"key\":\"header\",\"value\":{\"summary\":\"s\"}}\n").unwrap();
        assert!(p.ops.is_empty());
    }

    #[test]
    fn utf8_and_base64_contents_decode_alike() {
        let body = "{\"key\":\"header\",\"value\":{\"summary\":\"s\"}}\n\
            {\"key\":\"file\",\"value\":{\"path\":\"a\",\"content\":\"aGk=\",\"encoding\":\"base64\"}}\n\
            {\"key\":\"file\",\"value\":{\"path\":\"b\",\"content\":\"hi\",\"encoding\":\"utf-8\"}}\n";
        let p = parse(body.as_bytes()).unwrap();
        assert_eq!(p.blobs[0].1, p.blobs[1].1);
    }

    #[test]
    fn files_and_folders_cannot_collide() {
        let mut files = BTreeMap::new();
        files.insert("a/b".to_string(), entry());
        assert!(apply(&mut files.clone(), &[Op::Put("a".into(), entry())]).is_err());
        assert!(apply(&mut files.clone(), &[Op::Put("a/b/c".into(), entry())]).is_err());
        apply(
            &mut files,
            &[Op::DeleteFolder("a".into()), Op::Put("a".into(), entry())],
        )
        .unwrap();
        assert!(files.contains_key("a") && !files.contains_key("a/b"));
    }
}
