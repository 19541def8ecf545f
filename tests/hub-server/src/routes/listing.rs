//! `GET /api/models`, `/api/datasets`, `/api/spaces` (docs/hub-protocol.md §3.7): search, filters,
//! sorting and `Link` pagination. Private repos appear only to callers who can read them.

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value};

use super::repos::{repo_json, select};
use super::{with_param, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::state::{Repo, RepoType};

/// Fields of a listing item without `full` or `expand`, per repo type (a subset of info).
fn default_fields(kind: RepoType) -> &'static [&'static str] {
    match kind {
        RepoType::Model => &[
            "likes",
            "trendingScore",
            "private",
            "downloads",
            "tags",
            "createdAt",
            "modelId",
        ],
        RepoType::Dataset => &[
            "author",
            "sha",
            "lastModified",
            "private",
            "gated",
            "disabled",
            "likes",
            "trendingScore",
            "downloads",
            "tags",
            "createdAt",
        ],
        RepoType::Space => &[
            "likes",
            "trendingScore",
            "private",
            "sdk",
            "tags",
            "createdAt",
        ],
    }
}

/// Sort key: the head of `main` for `lastModified` (its sequence number never ties), creation
/// for `createdAt`, and 0 for the counters this server does not keep (likes, downloads,
/// trending), so those fall back to id order.
fn sort_key(repo: &Repo, sort: &str) -> u64 {
    match sort {
        "lastModified" => repo.resolve("main").map_or(0, |c| c.seq),
        "createdAt" => repo.commits.values().map(|c| c.seq).min().unwrap_or(0),
        _ => 0,
    }
}

pub fn list(ctx: &Ctx, kind: RepoType) -> ApiResult<Response> {
    let search: Vec<String> = ctx
        .query_all("search")
        .into_iter()
        .map(|s| s.to_lowercase())
        .collect();
    let author = ctx.query_param("author");
    let filters = ctx.query_all("filter");
    let sort = ctx
        .query_param("sort")
        .unwrap_or_else(|| "trendingScore".into());
    if ![
        "lastModified",
        "createdAt",
        "likes",
        "downloads",
        "trendingScore",
        "likes7d",
    ]
    .contains(&sort.as_str())
    {
        return Err(ApiError::bad_request(format!("Invalid sort: {sort:?}")));
    }
    // Legacy `direction=-1` (descending, the Hub's only order) is the default; `1` ascends.
    let ascending = match ctx.query_param("direction").as_deref() {
        None | Some("-1") => false,
        Some("1") => true,
        Some(d) => return Err(ApiError::bad_request(format!("Invalid direction: {d:?}"))),
    };
    let full = ctx.query_bool("full")?;
    let expand = ctx.query_all("expand");
    let page = ctx
        .query_usize("limit")?
        .filter(|n| *n > 0)
        .unwrap_or(usize::MAX)
        .min(ctx.app.list_page_size(1000));
    let offset = match ctx.query_param("cursor") {
        None => 0,
        Some(c) => decode_cursor(&c)?,
    };

    let state = ctx.app.lock();
    let mut repos: Vec<&Repo> = state
        .repos
        .values()
        .filter(|r| r.kind == kind && state.can_read(r, &ctx.caller))
        .filter(|r| author.as_ref().is_none_or(|a| r.namespace == *a))
        .filter(|r| {
            let id = format!("{}/{}", r.namespace, r.name).to_lowercase();
            search.iter().all(|s| id.contains(s))
        })
        // Repos carry no tags here, so any filter leaves nothing (documented in the README).
        .filter(|_| filters.is_empty())
        .collect();
    repos.sort_by(|a, b| {
        let ka = sort_key(a, &sort);
        let kb = sort_key(b, &sort);
        let by_key = if ascending { ka.cmp(&kb) } else { kb.cmp(&ka) };
        by_key.then_with(|| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)))
    });
    let total = repos.len();
    let start = offset.min(total);
    let end = start.saturating_add(page).min(total);
    let items: Vec<Value> = repos[start..end]
        .iter()
        .filter_map(|repo| {
            let head = repo.resolve("main")?;
            let all = repo_json(repo, head, false);
            let item = if !expand.is_empty() {
                select(&all, &expand)
            } else if full {
                all
            } else {
                let mut m = Map::new();
                for (k, v) in &all {
                    if k == "_id" || k == "id" || default_fields(kind).contains(&k.as_str()) {
                        m.insert(k.clone(), v.clone());
                    }
                }
                m
            };
            Some(Value::Object(item))
        })
        .collect();
    let mut res = axum::Json(items).into_response();
    if end < total {
        let link = format!(
            "<{}{}?{}>; rel=\"next\"",
            ctx.origin(),
            ctx.path,
            with_param(ctx.query.as_deref(), "cursor", &encode_cursor(end))
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            res.headers_mut().insert("link", v);
        }
    }
    Ok(res)
}

fn encode_cursor(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_cursor(c: &str) -> ApiResult<usize> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("offset:")?.parse().ok())
        .ok_or_else(|| ApiError::bad_request(format!("Invalid cursor: {c:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        assert_eq!(decode_cursor(&encode_cursor(42)).unwrap(), 42);
        assert!(decode_cursor("nope").is_err());
    }
}
