//! Repo management beyond create/delete: move (rename or transfer, docs/hub-protocol.md §5.3),
//! settings (visibility and gating, §5.4), granting access to a gated repo (§5.8), and the
//! `auth-check` probe (§3.6).

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_manage, check_write, downloadable, readable};
use super::{json, parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::paths::valid_repo_part;
use crate::state::{RepoRef, RepoType};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoveBody {
    from_repo: String,
    to_repo: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct SettingsBody {
    private: Option<bool>,
    visibility: Option<String>,
    gated: Option<Value>,
}

#[derive(Deserialize)]
struct GrantBody {
    user: String,
}

/// `ns/name` with both parts valid.
pub fn parse_repo_id(kind: RepoType, id: &str) -> ApiResult<RepoRef> {
    match id.split_once('/') {
        Some((ns, name)) if valid_repo_part(ns) && valid_repo_part(name) => Ok(RepoRef {
            kind,
            namespace: ns.to_string(),
            name: name.to_string(),
        }),
        _ => Err(ApiError::bad_request(format!(
            "Invalid repo id {id:?}: expected namespace/name"
        ))),
    }
}

pub fn parse_kind(kind: Option<&str>) -> ApiResult<RepoType> {
    match kind {
        None => Ok(RepoType::Model),
        Some(k) => RepoType::from_name(k)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid repo type: {k:?}"))),
    }
}

/// `POST /api/repos/move` `{fromRepo, toRepo, type}`: the old id then answers GETs with a
/// relative 307 to the new one.
pub fn move_repo(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: MoveBody = parse_json(&body)?;
    let kind = parse_kind(b.kind.as_deref())?;
    let from = parse_repo_id(kind, &b.from_repo)?;
    let to = parse_repo_id(kind, &b.to_repo)?;
    let mut state = ctx.app.lock();
    readable(&state, &from, &ctx.caller)?;
    check_write(&state, &from.namespace, &ctx.caller)?;
    check_write(&state, &to.namespace, &ctx.caller)?;
    check_manage(&ctx.caller, false)?;
    if state.repos.contains_key(&to.key()) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("A {} repo named {} already exists", kind.name(), to.id()),
        ));
    }
    let mut repo = state.repos.remove(&from.key()).expect("checked above");
    repo.namespace = to.namespace.clone();
    repo.name = to.name.clone();
    state.repos.insert(to.key(), repo);
    // Older names that pointed at the old one follow it; the new name is no redirect anymore.
    for target in state.redirects.values_mut() {
        if *target == from.key() {
            *target = to.key();
        }
    }
    state.redirects.remove(&to.key());
    state.redirects.insert(from.key(), to.key());
    ctx.app.persist(&state)?;
    json(json!({"url": ctx.repo_url(&to)}))
}

/// `PUT /api/{type}s/{repo}/settings` `{private?, visibility?, gated?}`.
pub fn settings(ctx: &Ctx, r: &RepoRef, body: Bytes) -> ApiResult<Response> {
    let b: SettingsBody = parse_json(&body)?;
    let private = match (b.visibility.as_deref(), b.private) {
        (Some("private"), _) => Some(true),
        (Some("protected"), _) if r.kind == RepoType::Space => Some(true),
        (Some("public"), _) => Some(false),
        (Some(v), _) => return Err(ApiError::bad_request(format!("Invalid visibility: {v:?}"))),
        (None, p) => p,
    };
    let gated = match &b.gated {
        None => None,
        Some(Value::Bool(false)) => Some(None),
        Some(Value::String(m)) if m == "auto" || m == "manual" => Some(Some(m.clone())),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Invalid gated value {other}: \"auto\", \"manual\" or false"
            )))
        }
    };
    if private.is_none() && gated.is_none() {
        return Err(ApiError::bad_request(
            "Nothing to update: give private, visibility or gated",
        ));
    }
    let mut state = ctx.app.lock();
    readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    check_manage(&ctx.caller, false)?;
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    if let Some(p) = private {
        repo.private = p;
    }
    if let Some(g) = gated {
        repo.gated = g;
    }
    let out = json!({
        "private": repo.private,
        "gated": repo.gated.clone().map_or(json!(false), Value::String),
    });
    ctx.app.persist(&state)?;
    json(out)
}

/// `POST /api/{type}s/{repo}/user-access-request/grant` `{user}`: the owner lets a user in.
pub fn grant(ctx: &Ctx, r: &RepoRef, body: Bytes) -> ApiResult<Response> {
    let b: GrantBody = parse_json(&body)?;
    let mut state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    check_write(&state, &r.namespace, &ctx.caller)?;
    if repo.gated.is_none() {
        return Err(ApiError::bad_request("This repo is not gated"));
    }
    if !state.users.contains_key(&b.user) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("User {} not found", b.user),
        ));
    }
    let repo = state.repos.get_mut(&r.key()).expect("checked above");
    repo.grants.insert(b.user);
    ctx.app.persist(&state)?;
    json(json!({}))
}

/// `GET /api/{type}s/{repo}/auth-check[/write]`: 200 when the caller may read the content
/// (past the gate) or, with `/write`, write to the repo; the usual errors otherwise.
pub fn auth_check(ctx: &Ctx, r: &RepoRef, write: bool) -> ApiResult<Response> {
    let state = ctx.app.lock();
    downloadable(&state, r, &ctx.caller, &ctx.origin())?;
    if write {
        check_write(&state, &r.namespace, &ctx.caller)?;
    }
    json(json!({}))
}
