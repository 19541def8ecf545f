//! `GET /api/models`, `/api/datasets`, `/api/spaces` (docs/hub-protocol.md §3.7): search, filters,
//! sorting and `Link` pagination. Private repos appear only to callers who can read them. Items
//! describe the head of `main`; tags and card fields come from its README ([`crate::card`]).

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Map, Value};

use super::info::{check_expand, repo_json, select, Derived};
use super::{with_param, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::state::{Repo, RepoType};

/// Fields of a listing item without `full` or `expand`, per repo type (a subset of info; card
/// fields only when the card has them).
fn default_fields(kind: RepoType) -> &'static [&'static str] {
    match kind {
        RepoType::Model => &[
            "likes",
            "trendingScore",
            "private",
            "downloads",
            "tags",
            "pipeline_tag",
            "library_name",
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

/// Sort keys (those the official clients offer). `likes7d`/`likes30d` sort by all likes, `id`
/// by id, `mainSize` by the size of `main`'s files; `num_parameters` and
/// `datasetsServerInfo.numRows` are not modelled (0, so by id).
const SORTS: &[&str] = &[
    "lastModified",
    "createdAt",
    "likes",
    "likes7d",
    "likes30d",
    "downloads",
    "trendingScore",
    "id",
    "mainSize",
    "num_parameters",
    "datasetsServerInfo.numRows",
];

/// The search and filters of a listing request.
struct Search {
    /// Lowercased substrings of the id, all required.
    search: Vec<String>,
    author: Option<String>,
    /// Tags, all required.
    filters: Vec<String>,
    /// Models: the card's `pipeline_tag`.
    pipeline_tag: Option<String>,
    /// Models and datasets: gated (`true`) or not (`false`).
    gated: Option<bool>,
    /// Spaces: models and datasets the card must list; `linked`: at least one of either.
    models: Vec<String>,
    datasets: Vec<String>,
    linked: bool,
}

impl Search {
    fn parse(ctx: &Ctx) -> ApiResult<Search> {
        let gated = match ctx.query_param("gated") {
            None => None,
            Some(_) => Some(ctx.query_bool("gated")?),
        };
        Ok(Search {
            search: ctx
                .query_all("search")
                .into_iter()
                .map(|s| s.to_lowercase())
                .collect(),
            author: ctx.query_param("author"),
            filters: ctx.query_all("filter"),
            pipeline_tag: ctx.query_param("pipeline_tag"),
            gated,
            models: ctx.query_all("models"),
            datasets: ctx.query_all("datasets"),
            linked: ctx.query_bool("linked")?,
        })
    }

    /// Whether a repo matches everything but its visibility.
    fn matches(&self, repo: &Repo, d: &Derived) -> bool {
        let id = format!("{}/{}", repo.namespace, repo.name).to_lowercase();
        let lists = |key: &str, want: &[String]| {
            let have = d.list(key);
            want.iter().all(|w| have.contains(w))
        };
        self.author.as_ref().is_none_or(|a| repo.namespace == *a)
            && self.search.iter().all(|s| id.contains(s))
            && self.filters.iter().all(|f| d.tags.contains(f))
            && (repo.kind != RepoType::Model
                || self
                    .pipeline_tag
                    .as_ref()
                    .is_none_or(|p| d.field("pipeline_tag").as_ref() == Some(p)))
            && (repo.kind == RepoType::Space
                || self.gated.is_none_or(|g| repo.gated.is_some() == g))
            && (repo.kind != RepoType::Space
                || (lists("models", &self.models)
                    && lists("datasets", &self.datasets)
                    && (!self.linked
                        || !d.list("models").is_empty()
                        || !d.list("datasets").is_empty())))
    }
}

/// Numeric sort key (`id` compares ids instead).
fn sort_key(repo: &Repo, sort: &str) -> i128 {
    match sort {
        "lastModified" => repo.resolve("main").map_or(0, |c| c.seq).into(),
        "createdAt" => repo
            .commits
            .values()
            .map(|c| c.seq)
            .min()
            .unwrap_or(0)
            .into(),
        "likes" | "likes7d" | "likes30d" => repo.likes().into(),
        "downloads" => repo.stats.downloads.into(),
        "trendingScore" => repo.stats.trending_score.into(),
        "mainSize" => repo
            .resolve("main")
            .map_or(0, |c| c.files.values().map(|f| f.size).sum::<u64>())
            .into(),
        _ => 0,
    }
}

fn repo_id(r: &Repo) -> (&str, &str) {
    (&r.namespace, &r.name)
}

pub fn list(ctx: &Ctx, kind: RepoType) -> ApiResult<Response> {
    let search = Search::parse(ctx)?;
    let sort = ctx
        .query_param("sort")
        .unwrap_or_else(|| "trendingScore".into());
    if !SORTS.contains(&sort.as_str()) {
        return Err(ApiError::bad_request(format!("Invalid sort: {sort:?}")));
    }
    // Legacy `direction=-1` (descending, the Hub's only order) is the default; `1` ascends.
    let ascending = match ctx.query_param("direction").as_deref() {
        None | Some("-1") => false,
        Some("1") => true,
        Some(d) => return Err(ApiError::bad_request(format!("Invalid direction: {d:?}"))),
    };
    let full = ctx.query_bool("full")?;
    let with_card = ctx.query_bool("cardData")?;
    let with_config = ctx.query_bool("config")?;
    let expand = ctx.query_all("expand");
    if !expand.is_empty() && (full || with_card || with_config) {
        return Err(ApiError::bad_request(
            "expand cannot be combined with full, cardData or config",
        ));
    }
    check_expand(kind, &expand)?;

    let state = ctx.app.lock();
    let mut rows: Vec<(&Repo, Derived)> = state
        .repos
        .values()
        .filter(|r| r.kind == kind && state.can_read(r, &ctx.caller))
        .filter_map(|r| {
            let d = Derived::of(&ctx.app, r, r.resolve("main")?);
            search.matches(r, &d).then_some((r, d))
        })
        .collect();
    rows.sort_by(|(a, _), (b, _)| {
        let by_key = match sort.as_str() {
            "id" => repo_id(a).cmp(&repo_id(b)),
            s => sort_key(a, s).cmp(&sort_key(b, s)),
        };
        let by_key = if ascending { by_key } else { by_key.reverse() };
        by_key.then_with(|| repo_id(a).cmp(&repo_id(b)))
    });
    let (start, end) = window(ctx, rows.len())?;
    let items: Vec<Value> = rows[start..end]
        .iter()
        .filter_map(|(repo, d)| {
            let all = repo_json(repo, repo.resolve("main")?, d, false);
            let item = if !expand.is_empty() {
                select(&all, &expand)
            } else if full {
                all
            } else {
                let mut m = Map::new();
                for (k, v) in &all {
                    let wanted = k == "_id"
                        || k == "id"
                        || default_fields(kind).contains(&k.as_str())
                        || (with_card && k == "cardData");
                    if wanted {
                        m.insert(k.clone(), v.clone());
                    }
                }
                m
            };
            Some(Value::Object(item))
        })
        .collect();
    let mut res = axum::Json(items).into_response();
    link_next(ctx, &mut res, end, rows.len());
    Ok(res)
}

/// An opaque cursor: the offset of the next item.
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

/// The `[start, end)` window of a listing of `total` items for the request's `cursor` and
/// `limit` (at most `--page-size`, 1000 by default).
fn window(ctx: &Ctx, total: usize) -> ApiResult<(usize, usize)> {
    let page = ctx
        .query_usize("limit")?
        .filter(|n| *n > 0)
        .unwrap_or(usize::MAX)
        .min(ctx.app.list_page_size(1000));
    let offset = match ctx.query_param("cursor") {
        None => 0,
        Some(c) => decode_cursor(&c)?,
    };
    let start = offset.min(total);
    Ok((start, start.saturating_add(page).min(total)))
}

/// `Link: <…&cursor=…>; rel="next"` when items follow `end`.
fn link_next(ctx: &Ctx, res: &mut Response, end: usize, total: usize) {
    if end >= total {
        return;
    }
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

/// One page of `items`, paginated like the repo listings (likers, a user's likes).
pub fn paged(ctx: &Ctx, items: &[Value]) -> ApiResult<Response> {
    let (start, end) = window(ctx, items.len())?;
    let mut res = axum::Json(&items[start..end]).into_response();
    link_next(ctx, &mut res, end, items.len());
    Ok(res)
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
