//! Likes (docs/hub-protocol.md §3.7, §5.8): `POST`/`DELETE /api/{type}s/{repo}/like`,
//! `GET /api/{type}s/{repo}/likers` and `GET /api/users/{user}/likes`, the last two paginated
//! like the repo listings.
//!
//! As on the Hub: liking and unliking are idempotent, a user may like a private repo they can
//! read, and a user's public like list leaves private repos out even for their owner.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::auth::{check_write_role, readable};
use super::listing::paged;
use super::{json, Ctx};
use crate::clock::now_iso;
use crate::errors::{ApiError, ApiResult};
use crate::state::RepoRef;

/// `POST …/like` (`on`) and `DELETE …/like`: 401 anonymous, 403 with a read token, RepoNotFound
/// (404) for a repo the caller cannot read, 403 for a disabled repo; else 200
/// `{"success": true}` whether or not anything changed.
pub fn set(ctx: &Ctx, r: &RepoRef, on: bool) -> ApiResult<Response> {
    check_write_role(&ctx.caller)?;
    let user = ctx.caller.user().unwrap_or_default().to_string();
    let mut state = ctx.app.lock();
    readable(&state, r, &ctx.caller)?;
    state.counter += 1;
    let seq = state.counter;
    let repo = state
        .repos
        .get_mut(&r.key())
        .ok_or_else(|| ApiError::repo_not_found(true))?;
    let changed = if on {
        repo.like(&user, now_iso(), seq)
    } else {
        repo.unlike(&user)
    };
    if changed {
        ctx.app.persist(&state)?;
    }
    json(json!({"success": true}))
}

/// `GET …/likers`: `[{user, fullname, avatarUrl}]`, newest like first; readable like the repo
/// info (no token needed for a public repo).
pub fn likers(ctx: &Ctx, r: &RepoRef) -> ApiResult<Response> {
    let origin = ctx.origin();
    let items: Vec<Value> = {
        let state = ctx.app.lock();
        let repo = readable(&state, r, &ctx.caller)?;
        repo.likes_newest_first()
            .into_iter()
            .map(|l| {
                let u = state.users.get(&l.user);
                json!({
                    "user": l.user,
                    "fullname": u.map_or(l.user.as_str(), |u| u.fullname.as_str()),
                    "avatarUrl": format!(
                        "{origin}/avatars/{}.svg",
                        u.map_or("default", |u| u.id.as_str())
                    ),
                })
            })
            .collect()
    };
    paged(ctx, &items)
}

/// `GET /api/users/{user}/likes`: `[{createdAt, repo: {name, type}}]`, newest first, public
/// repos only; 404 for an unknown user.
pub fn user_likes(ctx: &Ctx, user: &str) -> ApiResult<Response> {
    let items: Vec<Value> = {
        let state = ctx.app.lock();
        if !state.users.contains_key(user) {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("User {user} not found"),
            ));
        }
        state
            .likes_of(user)
            .into_iter()
            .map(|(repo, like)| {
                json!({
                    "createdAt": like.created_at,
                    "repo": {
                        "name": format!("{}/{}", repo.namespace, repo.name),
                        "type": repo.kind.name(),
                    },
                })
            })
            .collect()
    };
    paged(ctx, &items)
}
