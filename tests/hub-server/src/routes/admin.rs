//! The admin API, for test scripts (no token; the server listens on 127.0.0.1 only):
//! `/__admin/requests` (what clients did, on both origins), `/__admin/faults` (scripted
//! failures, with `--faults`), `/__admin/grant` and `/__admin/disable` (repo states that the
//! public API cannot reach), and `/__admin/stats` (the counters the server cannot observe):
//!
//! `POST /__admin/stats {"repo": "u/m", "type": "model", "likes": 5, "downloads": 1234,
//! "downloadsAllTime": 5000, "trendingScore": 7}`: every field but `repo` is optional (`type`
//! defaults to `model`; unknown keys are a 400). `likes` is a base added to the users' likes,
//! `downloadsAllTime` defaults to `downloads`; Spaces have no downloads (400). Answers the
//! values info now shows: `{"likes", "downloads", "downloadsAllTime", "trendingScore"}`.

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::manage::{parse_kind, parse_repo_id};
use super::{json, parse_json, Ctx};
use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::faults::RuleSpec;
use crate::state::RepoType;

pub fn requests(app: &App, method: &Method) -> ApiResult<Response> {
    let mut log = app.requests.lock().unwrap_or_else(|p| p.into_inner());
    match *method {
        Method::GET | Method::HEAD => Ok(axum::Json(&*log).into_response()),
        Method::DELETE => {
            log.clear();
            Ok(axum::Json(serde_json::json!({"cleared": true})).into_response())
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

/// `POST` a rule or an array of rules (→ `{"ids":[…]}`), `GET` the rules, `DELETE` them all, or
/// `DELETE /__admin/faults/{id}` one.
pub fn faults(ctx: &Ctx, id: Option<&str>, body: Bytes) -> ApiResult<Response> {
    let Some(faults) = &ctx.app.faults else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "Fault injection is disabled: start the server with --faults",
        ));
    };
    match (&ctx.method, id) {
        (&Method::GET | &Method::HEAD, None) => json(faults.list()),
        (&Method::POST, None) => {
            let v: Value = parse_json(&body)?;
            let specs: Vec<RuleSpec> = match v {
                Value::Array(_) => serde_json::from_value(v),
                other => serde_json::from_value(other).map(|s| vec![s]),
            }
            .map_err(|e| ApiError::bad_request(format!("Invalid fault rule: {e}")))?;
            json(json!({"ids": faults.add(specs)?}))
        }
        (&Method::DELETE, None) => json(json!({"cleared": faults.clear()})),
        (&Method::DELETE, Some(id)) => {
            let n: u64 = id
                .parse()
                .map_err(|_| ApiError::bad_request(format!("Invalid rule id {id:?}")))?;
            if faults.remove(n) {
                json(json!({"deleted": n}))
            } else {
                Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("No fault rule {n}"),
                ))
            }
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

#[derive(Deserialize)]
struct GrantBody {
    repo: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    user: String,
}

#[derive(Deserialize)]
struct DisableBody {
    repo: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// `false` re-enables the repo.
    disabled: Option<bool>,
}

/// `POST /__admin/grant {repo, type, user}`: lets a user through a gated repo's gate.
pub fn grant(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: GrantBody = parse_json(&body)?;
    let r = parse_repo_id(parse_kind(b.kind.as_deref())?, &b.repo)?;
    let mut state = ctx.app.lock();
    if !state.users.contains_key(&b.user) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("User {} not found", b.user),
        ));
    }
    let repo = state
        .repos
        .get_mut(&r.key())
        .ok_or_else(|| ApiError::repo_not_found(true))?;
    repo.grants.insert(b.user);
    ctx.app.persist(&state)?;
    json(json!({"granted": true}))
}

/// `POST /__admin/disable {repo, type, disabled?}`: every access to the repo becomes 403.
pub fn disable(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: DisableBody = parse_json(&body)?;
    let r = parse_repo_id(parse_kind(b.kind.as_deref())?, &b.repo)?;
    let mut state = ctx.app.lock();
    let repo = state
        .repos
        .get_mut(&r.key())
        .ok_or_else(|| ApiError::repo_not_found(true))?;
    repo.disabled = b.disabled.unwrap_or(true);
    let disabled = repo.disabled;
    ctx.app.persist(&state)?;
    json(json!({"disabled": disabled}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StatsBody {
    repo: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    likes: Option<u64>,
    downloads: Option<u64>,
    downloads_all_time: Option<u64>,
    trending_score: Option<i64>,
}

/// `POST /__admin/stats`: sets a repo's like base, downloads and trending score (module docs).
pub fn stats(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: StatsBody = parse_json(&body)?;
    let r = parse_repo_id(parse_kind(b.kind.as_deref())?, &b.repo)?;
    if r.kind == RepoType::Space && (b.downloads.is_some() || b.downloads_all_time.is_some()) {
        return Err(ApiError::bad_request("Spaces have no downloads"));
    }
    let mut state = ctx.app.lock();
    let repo = state
        .repos
        .get_mut(&r.key())
        .ok_or_else(|| ApiError::repo_not_found(true))?;
    let s = &mut repo.stats;
    if let Some(n) = b.likes {
        s.likes = n;
    }
    if let Some(n) = b.downloads {
        s.downloads = n;
    }
    if b.downloads_all_time.is_some() {
        s.downloads_all_time = b.downloads_all_time;
    }
    if let Some(n) = b.trending_score {
        s.trending_score = n;
    }
    let mut answer = json!({"likes": repo.likes(), "trendingScore": repo.stats.trending_score});
    if r.kind != RepoType::Space {
        answer["downloads"] = json!(repo.stats.downloads);
        answer["downloadsAllTime"] = json!(repo.downloads_all_time());
    }
    ctx.app.persist(&state)?;
    json(answer)
}
