//! Who is calling and what they may touch (hub-protocol §1.5, §1.8).

use axum::http::{header, HeaderMap};

use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::state::{Caller, Repo, RepoRef, Role, State};

/// Reads `Authorization: Bearer <token>`. An unknown token is a 401 on every endpoint; no header
/// (or an empty Bearer value) means anonymous.
pub fn caller(app: &App, headers: &HeaderMap) -> ApiResult<Caller> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::invalid_credentials())?
        .trim();
    let token = match value.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ if value.eq_ignore_ascii_case("bearer") => "",
        _ => return Err(ApiError::invalid_credentials()),
    };
    if token.is_empty() {
        return Ok(Caller::Anonymous);
    }
    let state = app.lock();
    let t = state
        .tokens
        .get(token)
        .ok_or_else(ApiError::invalid_credentials)?;
    Ok(Caller::User {
        name: t.user.clone(),
        role: t.role,
        token: token.to_string(),
    })
}

/// The repo if the caller may read it; otherwise RepoNotFound (401 anonymous, 404 signed in),
/// so private repos are indistinguishable from missing ones.
pub fn readable<'s>(state: &'s State, r: &RepoRef, caller: &Caller) -> ApiResult<&'s Repo> {
    state
        .repos
        .get(&r.key())
        .filter(|repo| state.can_read(repo, caller))
        .ok_or_else(|| ApiError::repo_not_found(caller != &Caller::Anonymous))
}

/// Checks the caller may write into `namespace`: 401 anonymous, 403 read token or foreign
/// namespace.
pub fn check_write(state: &State, namespace: &str, caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::Anonymous => Err(ApiError::unauthenticated()),
        Caller::User {
            role: Role::Read, ..
        } => Err(ApiError::forbidden(
            "You don't have the rights to write with this token: it has the read role only",
        )),
        Caller::User { name, .. } if !state.is_member(name, namespace) => Err(ApiError::forbidden(
            format!("You don't have the rights to write to the namespace {namespace}"),
        )),
        Caller::User { .. } => Ok(()),
    }
}
