//! Who is calling and what they may touch (docs/hub-protocol.md §1.5, §1.8).

use axum::http::{header, HeaderMap, StatusCode};

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
    // An expired OAuth token is refused as an unknown one is (the page signs in again).
    if t.expires_at
        .is_some_and(|at| at <= crate::clock::now_millis())
    {
        return Err(ApiError::invalid_credentials());
    }
    Ok(Caller::User {
        name: t.user.clone(),
        role: t.role,
        token: token.to_string(),
        scopes: t.scopes.clone(),
    })
}

/// The repo if the caller may read it; otherwise RepoNotFound (401 anonymous, 404 signed in),
/// so private repos are indistinguishable from missing ones. A disabled repo is 403 for
/// everyone, with the message the Python client maps to `DisabledRepoError`.
pub fn readable<'s>(state: &'s State, r: &RepoRef, caller: &Caller) -> ApiResult<&'s Repo> {
    let repo = state
        .repos
        .get(&r.key())
        .filter(|repo| state.can_read(repo, caller))
        .ok_or_else(|| ApiError::repo_not_found(caller != &Caller::Anonymous))?;
    if repo.disabled {
        return Err(ApiError::forbidden(DISABLED_MESSAGE));
    }
    Ok(repo)
}

/// [`readable`], plus the gate of a gated repo: file content needs the owner's namespace, an
/// org membership or a grant. Anonymous callers get 401 and signed-in ones 403, both with
/// `X-Error-Code: GatedRepo` (docs/hub-protocol.md §1.8). Metadata (info, tree) is not gated.
pub fn downloadable<'s>(
    state: &'s State,
    r: &RepoRef,
    caller: &Caller,
    origin: &str,
) -> ApiResult<&'s Repo> {
    let repo = readable(state, r, caller)?;
    if repo.gated.is_none() {
        return Ok(repo);
    }
    let what = format!("{} {}", r.kind.name(), r.id());
    match caller.user() {
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            format!(
                "Access to {what} is restricted. You must have access to it and be \
                 authenticated to access it. Please log in."
            ),
        )
        .with_code("GatedRepo")),
        Some(u) if state.is_member(u, &repo.namespace) || repo.grants.contains(u) => Ok(repo),
        Some(_) => Err(ApiError::forbidden(format!(
            "Access to {what} is restricted and you are not in the authorized list. \
             Visit {origin}/{}{} to ask for access.",
            r.kind.url_prefix(),
            r.id()
        ))
        .with_code("GatedRepo")),
    }
}

/// What the Hub says about a disabled repo (matched verbatim by the Python client).
pub const DISABLED_MESSAGE: &str = "Access to this resource is disabled.";

/// A token with the write role (any namespace): what opening a PR or a discussion needs.
pub fn check_write_role(caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::Anonymous => Err(ApiError::unauthenticated()),
        Caller::User {
            role: Role::Read, ..
        } => Err(read_only()),
        Caller::User { .. } => Ok(()),
    }
}

fn read_only() -> ApiError {
    ApiError::forbidden(
        "You don't have the rights to write with this token: it has the read role only",
    )
}

/// Creating, deleting, moving, duplicating a repo or changing its settings: an OAuth token needs
/// `manage-repos` (creating: `contribute-repos` too), beyond writing (docs/hub-protocol.md §1.9).
pub fn check_manage(caller: &Caller, creating: bool) -> ApiResult<()> {
    match caller {
        Caller::User {
            scopes: Some(s), ..
        } if !crate::oauth::may_manage(s, creating) => Err(ApiError::forbidden(
            "This OAuth token was not granted the manage-repos scope",
        )),
        _ => Ok(()),
    }
}

/// Checks the caller may write into `namespace`: 401 anonymous, 403 read token or foreign
/// namespace.
pub fn check_write(state: &State, namespace: &str, caller: &Caller) -> ApiResult<()> {
    match caller {
        Caller::Anonymous => Err(ApiError::unauthenticated()),
        Caller::User {
            role: Role::Read, ..
        } => Err(read_only()),
        Caller::User { name, .. } if !state.is_member(name, namespace) => Err(ApiError::forbidden(
            format!("You don't have the rights to write to the namespace {namespace}"),
        )),
        Caller::User { .. } => Ok(()),
    }
}

/// Who may commit to `rev` (also asked by preupload): the namespace's writers; with
/// `create_pr=1` any write token (opening a PR needs no membership); on `refs/pr/N` also the
/// PR's author.
pub fn check_commit(
    state: &State,
    repo: &Repo,
    rev: &str,
    caller: &Caller,
    create_pr: bool,
) -> ApiResult<()> {
    if create_pr {
        return check_write_role(caller);
    }
    let pr = rev
        .strip_prefix("refs/pr/")
        .and_then(|n| n.parse::<u64>().ok())
        .and_then(|n| repo.discussions.get(&n));
    if let (Some(d), Some(user)) = (pr, caller.user()) {
        if d.author == user {
            return check_write_role(caller);
        }
    }
    check_write(state, &repo.namespace, caller)
}
