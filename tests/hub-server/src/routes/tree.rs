//! Listing: `GET …/tree/{rev}[/{path}]` with cursor pagination and `POST …/paths-info/{rev}`
//! (docs/hub-protocol.md §3.1–3.3).

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Value};

use super::auth::readable;
use super::{parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::git::{path_cmp, tree_ids};
use crate::paths::parse_bool;
use crate::state::{Commit, FileEntry, Repo, RepoRef};

/// The Hub answers 413 above about this many paths in one paths-info call.
const MAX_PATHS: usize = 1000;

/// A tree entry before rendering.
struct Item<'a> {
    path: String,
    file: Option<&'a FileEntry>,
}

/// One commit's view: its files and every folder's tree id.
struct Snapshot<'a> {
    commit: &'a Commit,
    dirs: HashMap<String, String>,
}

impl<'a> Snapshot<'a> {
    fn new(commit: &'a Commit) -> Snapshot<'a> {
        Snapshot {
            commit,
            dirs: tree_ids(&commit.files),
        }
    }

    fn item(&self, path: &str) -> Option<Item<'a>> {
        if let Some(f) = self.commit.files.get(path) {
            return Some(Item {
                path: path.to_string(),
                file: Some(f),
            });
        }
        (!path.is_empty() && self.dirs.contains_key(path)).then(|| Item {
            path: path.to_string(),
            file: None,
        })
    }

    /// Entries of `folder` (`""` = root), depth-first when recursive, in [`path_cmp`] order.
    fn list(&self, folder: &str, recursive: bool) -> Vec<Item<'a>> {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let mut dirs = BTreeSet::new();
        let mut items = Vec::new();
        for (path, f) in self.commit.files.range(prefix.clone()..) {
            let Some(rel) = path.strip_prefix(&prefix) else {
                break;
            };
            if recursive {
                for (i, _) in rel.match_indices('/') {
                    dirs.insert(format!("{prefix}{}", &rel[..i]));
                }
                items.push(Item {
                    path: path.clone(),
                    file: Some(f),
                });
            } else if let Some((first, _)) = rel.split_once('/') {
                dirs.insert(format!("{prefix}{first}"));
            } else {
                items.push(Item {
                    path: path.clone(),
                    file: Some(f),
                });
            }
        }
        items.extend(dirs.into_iter().map(|path| Item { path, file: None }));
        items.sort_by(|a, b| path_cmp(&a.path, &b.path));
        items
    }
}

/// Finds the last commit that changed a path, walking first parents while the id is unchanged.
struct History<'a> {
    repo: &'a Repo,
    trees: HashMap<String, HashMap<String, String>>,
}

impl<'a> History<'a> {
    fn new(repo: &'a Repo) -> History<'a> {
        History {
            repo,
            trees: HashMap::new(),
        }
    }

    fn oid_at(&mut self, commit: &Commit, path: &str, is_dir: bool) -> Option<String> {
        if is_dir {
            self.trees
                .entry(commit.id.clone())
                .or_insert_with(|| tree_ids(&commit.files))
                .get(path)
                .cloned()
        } else {
            commit.files.get(path).map(|f| f.oid.clone())
        }
    }

    fn last_touch(&mut self, start: &'a Commit, path: &str, is_dir: bool, oid: &str) -> &'a Commit {
        let mut cur = start;
        while let Some(parent) = cur.parent.as_ref().and_then(|p| self.repo.commits.get(p)) {
            if self.oid_at(parent, path, is_dir).as_deref() != Some(oid) {
                break;
            }
            cur = parent;
        }
        cur
    }
}

fn render<'a>(item: &Item, snap: &Snapshot<'a>, history: Option<&mut History<'a>>) -> Value {
    let (oid, mut v) = match item.file {
        Some(f) => {
            let mut v = json!({"type": "file", "oid": f.oid, "size": f.size, "path": item.path});
            if f.lfs {
                v["lfs"] =
                    json!({"oid": f.sha256, "size": f.size, "pointerSize": f.pointer_size()});
            }
            (f.oid.clone(), v)
        }
        None => {
            let oid = snap.dirs.get(&item.path).cloned().unwrap_or_default();
            (
                oid.clone(),
                json!({"type": "directory", "oid": oid, "size": 0, "path": item.path}),
            )
        }
    };
    if let Some(h) = history {
        let c = h.last_touch(snap.commit, &item.path, item.file.is_none(), &oid);
        v["lastCommit"] = json!({"id": c.id, "title": c.title, "date": c.date});
        if item.file.is_some() {
            // Every key the Python client reads (`status`, `avScan`, `pickleImportScan`);
            // nothing here is ever scanned, so nothing is found.
            v["securityFileStatus"] = json!({
                "status": "safe",
                "avScan": {"virusFound": false, "virusNames": null},
                "pickleImportScan": null,
            });
        }
    }
    v
}

/// `GET /api/{type}s/{repo}/tree/{rev}[/{path}]`.
pub fn tree(ctx: &Ctx, r: &RepoRef, rev: &str, folder: &str) -> ApiResult<Response> {
    let recursive = ctx.query_bool("recursive")?;
    let expand = ctx.query_bool("expand")?;
    let mut page = ctx.app.page_size(expand);
    if let Some(l) = ctx.query_param("limit") {
        let l: usize = l
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid limit: {l:?}")))?;
        page = page.min(l);
    }
    let after = match ctx.query_param("cursor") {
        None => None,
        Some(c) => Some(decode_cursor(&c)?),
    };

    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let commit = repo
        .resolve(rev)
        .ok_or_else(|| ApiError::revision_not_found(rev))?;
    let snap = Snapshot::new(commit);
    if !folder.is_empty() && !snap.dirs.contains_key(folder) {
        let msg = if commit.files.contains_key(folder) {
            format!("{folder} is not a folder")
        } else {
            format!("{folder} does not exist on \"{rev}\"")
        };
        return Err(ApiError::entry_not_found(msg).with_commit(&commit.id));
    }
    let items = snap.list(folder, recursive);
    let start = match &after {
        None => 0,
        Some(last) => items.partition_point(|i| path_cmp(&i.path, last).is_le()),
    };
    let end = (start + page).min(items.len());
    let mut history = expand.then(|| History::new(repo));
    let body: Vec<Value> = items[start..end]
        .iter()
        .map(|i| render(i, &snap, history.as_mut()))
        .collect();

    let mut res = axum::Json(body).into_response();
    if end < items.len() {
        let link = format!(
            "<{}{}?{}>; rel=\"next\"",
            ctx.origin(),
            ctx.path,
            next_query(ctx.query.as_deref(), &encode_cursor(&items[end - 1].path))
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            res.headers_mut().insert("link", v);
        }
    }
    Ok(res)
}

/// The original query with `cursor` replaced, other parameters kept byte for byte.
fn next_query(query: Option<&str>, cursor: &str) -> String {
    let mut parts: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            key != "cursor"
        })
        .collect();
    let c = format!("cursor={cursor}");
    parts.push(&c);
    parts.join("&")
}

/// Cursors are the last path returned, base64url: opaque to clients, stable if the branch moves.
fn encode_cursor(last_path: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last_path.as_bytes())
}

fn decode_cursor(c: &str) -> ApiResult<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| ApiError::bad_request(format!("Invalid cursor: {c:?}")))
}

/// `POST /api/{type}s/{repo}/paths-info/{rev}`: JSON (JS) or form-urlencoded (Python) body.
pub fn paths_info(ctx: &Ctx, r: &RepoRef, rev: &str, body: Bytes) -> ApiResult<Response> {
    let (paths, expand) = parse_paths_body(ctx.content_type().as_deref(), &body)?;
    if paths.len() > MAX_PATHS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("too many parameters: at most {MAX_PATHS} paths per request"),
        ));
    }
    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let commit = repo
        .resolve(rev)
        .ok_or_else(|| ApiError::revision_not_found(rev))?;
    let snap = Snapshot::new(commit);
    let mut history = expand.then(|| History::new(repo));
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in &paths {
        let p = p.trim_end_matches('/');
        if !seen.insert(p.to_string()) {
            continue;
        }
        if let Some(item) = snap.item(p) {
            out.push(render(&item, &snap, history.as_mut()));
        }
    }
    Ok(axum::Json(out).into_response())
}

fn parse_paths_body(content_type: Option<&str>, body: &[u8]) -> ApiResult<(Vec<String>, bool)> {
    let looks_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    let is_json = match content_type {
        Some("application/json") => true,
        Some("application/x-www-form-urlencoded") => false,
        None => looks_json,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Unsupported Content-Type {other:?}"
            )))
        }
    };
    if is_json {
        #[derive(serde::Deserialize)]
        struct Body {
            paths: Vec<String>,
            #[serde(default)]
            expand: Option<bool>,
        }
        let b: Body = parse_json(&Bytes::copy_from_slice(body))?;
        return Ok((b.paths, b.expand.unwrap_or(false)));
    }
    let mut paths = Vec::new();
    let mut expand = false;
    for (k, v) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "paths" | "paths[]" => paths.push(v.into_owned()),
            "expand" => {
                expand = parse_bool(&v)
                    .ok_or_else(|| ApiError::bad_request(format!("Invalid expand: {v:?}")))?
            }
            _ => {}
        }
    }
    Ok((paths, expand))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_query_keeps_params_and_replaces_cursor() {
        assert_eq!(
            next_query(Some("recursive=true&cursor=old&expand=false"), "new"),
            "recursive=true&expand=false&cursor=new"
        );
        assert_eq!(next_query(None, "c"), "cursor=c");
    }

    #[test]
    fn cursors_round_trip() {
        let c = encode_cursor("dir/é #.txt");
        assert_eq!(decode_cursor(&c).unwrap(), "dir/é #.txt");
        assert!(decode_cursor("!!").is_err());
    }

    #[test]
    fn paths_bodies_parse_as_json_or_form() {
        let (p, e) = parse_paths_body(
            Some("application/json"),
            br#"{"paths":["a","b"],"expand":true}"#,
        )
        .unwrap();
        assert_eq!((p, e), (vec!["a".to_string(), "b".to_string()], true));
        let (p, e) = parse_paths_body(
            Some("application/x-www-form-urlencoded"),
            b"paths=a+b&paths%5B%5D=c&expand=false",
        )
        .unwrap();
        assert_eq!((p, e), (vec!["a b".to_string(), "c".to_string()], false));
        assert!(parse_paths_body(Some("application/json"), b"{").is_err());
    }
}
