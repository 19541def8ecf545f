//! `GET /api/whoami-v2` (docs/hub-protocol.md §3.8).

use axum::response::Response;
use serde_json::json;

use super::{json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::state::Caller;

pub fn whoami(ctx: &Ctx) -> ApiResult<Response> {
    let Caller::User { name, token, .. } = &ctx.caller else {
        return Err(ApiError::unauthenticated());
    };
    let state = ctx.app.lock();
    let user = state
        .users
        .get(name)
        .ok_or_else(ApiError::invalid_credentials)?;
    let tok = state
        .tokens
        .get(token)
        .ok_or_else(ApiError::invalid_credentials)?;
    let orgs: Vec<_> = state
        .orgs_of(name)
        .into_iter()
        .map(|(org_name, org)| {
            json!({
                "type": "org",
                "id": org.id,
                "name": org_name,
                "fullname": org.fullname,
                "avatarUrl": format!("/avatars/{}.svg", org.id),
                "roleInOrg": "admin",
            })
        })
        .collect();
    json(json!({
        "type": "user",
        "id": user.id,
        "name": name,
        "fullname": user.fullname,
        "email": format!("{name}@localhost"),
        "emailVerified": true,
        "avatarUrl": format!("/avatars/{}.svg", user.id),
        "isPro": false,
        "canPay": false,
        "periodEnd": null,
        "orgs": orgs,
        "auth": {
            "type": "access_token",
            "accessToken": {
                "displayName": tok.display_name,
                "role": tok.role.as_str(),
                "createdAt": tok.created_at,
            }
        }
    }))
}
