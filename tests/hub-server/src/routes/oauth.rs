//! OAuth / OpenID Connect endpoints (docs/hub-protocol.md §1.9; rules in [`crate::oauth`]):
//! discovery, `/oauth/authorize` (a consent page listing the seeded users, or an automatic
//! answer set by `/__admin/oauth`), `/oauth/token` (authorization code with PKCE), and
//! `/oauth/userinfo`.
//!
//! `POST /__admin/oauth {"autoApprove": "test-user" | null, "deny": bool, "tokenLifetimeSecs":
//! n | null, "app": {"clientId", "redirectUris": [...], "secret"?}}`: every key optional.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{json, parse_json, Ctx};
use crate::clock::now_millis;
use crate::errors::{ApiError, ApiResult};
use crate::oauth::{
    may_write, new_access_token, parse_scopes, pkce_matches, redirect_allowed, Grant, OAuthApp,
    CODE_LIFETIME_MS, TOKEN_LIFETIME_SECS,
};
use crate::state::{Role, Token};

/// `GET /.well-known/openid-configuration`. The Hub's own document was not available to copy;
/// this holds what clients read (the three endpoints) and the standard fields that describe what
/// this provider does (docs/hub-protocol.md §1.9, **[inferred]**).
pub fn discovery(ctx: &Ctx) -> ApiResult<Response> {
    let o = ctx.origin();
    json(json!({
        "issuer": o,
        "authorization_endpoint": format!("{o}/oauth/authorize"),
        "token_endpoint": format!("{o}/oauth/token"),
        "userinfo_endpoint": format!("{o}/oauth/userinfo"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "scopes_supported": crate::oauth::SCOPES,
        "subject_types_supported": ["public"],
    }))
}

/// The authorize request's parameters, from the query (GET) or the consent form (POST).
struct Authorize {
    pairs: Vec<(String, String)>,
}

impl Authorize {
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET /oauth/authorize` shows the consent page (or answers at once in automatic mode);
/// `POST` is the page's answer: `user` and `decision` (`allow` or `deny`) with the request's
/// parameters. A bad `client_id` or `redirect_uri` is a 400 page (never a redirect); any other
/// problem goes back to the app as `error` and `error_description`, with its `state`.
pub fn authorize(ctx: &Ctx, form: Option<Bytes>) -> ApiResult<Response> {
    let pairs = match &form {
        Some(body) => form_urlencoded::parse(body).into_owned().collect(),
        None => ctx.query_pairs(),
    };
    let req = Authorize { pairs };
    let mut state = ctx.app.lock();
    state.oauth.ensure_default_app();
    let client_id = req.get("client_id").unwrap_or_default().to_string();
    let Some(app) = state.oauth.apps.get(&client_id).cloned() else {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            "Invalid client_id",
            &format!("No OAuth app has the client_id {client_id:?}."),
        ));
    };
    let redirect_uri = req.get("redirect_uri").unwrap_or_default().to_string();
    if !redirect_allowed(&app, &redirect_uri) {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            "Invalid redirect_uri",
            &format!("{redirect_uri:?} is not a redirect URI of {}.", app.name),
        ));
    }
    let back = |pairs: &[(&str, &str)]| back_to(&redirect_uri, pairs, req.get("state"));
    if req.get("response_type") != Some("code") {
        return Ok(back(&[
            ("error", "unsupported_response_type"),
            ("error_description", "response_type must be code"),
        ]));
    }
    let scopes = match parse_scopes(req.get("scope").unwrap_or("openid")) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => {
            return Ok(back(&[
                ("error", "invalid_scope"),
                ("error_description", "no scope requested"),
            ]))
        }
        Err(bad) => {
            return Ok(back(&[
                ("error", "invalid_scope"),
                ("error_description", &format!("unknown scope {bad}")),
            ]))
        }
    };
    let challenge = req.get("code_challenge").map(str::to_string);
    match (req.get("code_challenge_method"), &challenge) {
        (Some("S256"), Some(c)) if c.len() == 43 => {}
        (None, None) if app.secret.is_some() => {}
        _ => return Ok(back(&[
            ("error", "invalid_request"),
            (
                "error_description",
                "PKCE is required: code_challenge (43 characters) with code_challenge_method S256",
            ),
        ])),
    }
    let (user, allow) = match (&form, state.oauth.auto_approve.clone()) {
        (Some(_), _) => (
            req.get("user").unwrap_or_default().to_string(),
            req.get("decision") == Some("allow"),
        ),
        (None, Some(user)) => (user, !state.oauth.auto_deny),
        (None, None) => return Ok(consent(&req, &app, &scopes, state.users.keys())),
    };
    if !allow {
        return Ok(back(&[
            ("error", "access_denied"),
            ("error_description", "The user denied the request"),
        ]));
    }
    if !state.users.contains_key(&user) {
        return Ok(page(
            StatusCode::BAD_REQUEST,
            "Unknown user",
            &format!("There is no user {user:?}."),
        ));
    }
    let code = state.oauth.issue_code(Grant {
        client_id,
        user,
        scopes,
        redirect_uri: redirect_uri.clone(),
        code_challenge: challenge,
        expires_at: now_millis() + CODE_LIFETIME_MS,
        token: None,
    });
    // `code` first, as the Hub sends it.
    Ok(back(&[("code", &code)]))
}

/// A 303 to `redirect_uri` with `pairs` and the request's `state` added to its query.
fn back_to(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    if let Some(s) = state {
        q.append_pair("state", s);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{sep}{}", q.finish());
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{t}</title><h1>{t}</h1><p>{}</p>\n",
        escape(text),
        t = escape(title)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The consent page: the app, the scopes, one "Sign in as …" button per user, and Cancel.
fn consent<'a>(
    req: &Authorize,
    app: &OAuthApp,
    scopes: &[String],
    users: impl Iterator<Item = &'a String>,
) -> Response {
    let hidden: String = req
        .pairs
        .iter()
        .filter(|(k, _)| k != "user" && k != "decision")
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    let buttons: String = users
        .map(|u| {
            format!(
                "<button name=\"user\" value=\"{u}\" data-user=\"{u}\">Sign in as {u}</button> ",
                u = escape(u)
            )
        })
        .collect();
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Authorize {name}</title>\
         <h1>{name} wants to access your account</h1><p>Scopes: <code>{scopes}</code></p>\
         <form method=\"post\" action=\"/oauth/authorize\">{hidden}<input type=\"hidden\" name=\"decision\" value=\"allow\">{buttons}</form>\
         <form method=\"post\" action=\"/oauth/authorize\">{hidden}<input type=\"hidden\" name=\"decision\" value=\"deny\">\
         <input type=\"hidden\" name=\"user\" value=\"\"><button id=\"deny\">Cancel</button></form>\n",
        name = escape(&app.name),
        scopes = escape(&scopes.join(" ")),
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// An OAuth error answer of the token endpoint: 400 (401 for the client) `{error,
/// error_description}` and nothing else (no `X-Error-Message`: clients read the body).
fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

/// `POST /oauth/token` (form): `grant_type=authorization_code`, `code`, `redirect_uri`,
/// `code_verifier`, and `client_id` (optional for a public app, as `@huggingface/hub` sends
/// none) or the secret (Basic or `client_secret`). A code works once: a second exchange is
/// `invalid_grant` and revokes the token the first one issued.
pub fn token(ctx: &Ctx, headers: &HeaderMap, body: Bytes) -> ApiResult<Response> {
    let bad = |code: &str, d: &str| Ok(oauth_error(StatusCode::BAD_REQUEST, code, d));
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| {
        form.iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if get("grant_type") != Some("authorization_code") {
        return bad(
            "unsupported_grant_type",
            "grant_type must be authorization_code",
        );
    }
    let (basic_id, basic_secret) = basic_auth(headers).unzip();
    let client_id = basic_id.or(get("client_id").map(str::to_string));
    let secret = basic_secret.or(get("client_secret").map(str::to_string));
    let mut state = ctx.app.lock();
    let code = get("code").unwrap_or_default();
    let Some(grant) = state.oauth.codes.get(code).cloned() else {
        return bad("invalid_grant", "unknown or expired code");
    };
    if let Some(issued) = &grant.token {
        state.tokens.remove(issued);
        state.oauth.codes.remove(code);
        ctx.app.persist(&state)?;
        return bad(
            "invalid_grant",
            "this code was already used: the token it gave is revoked",
        );
    }
    if grant.expires_at <= now_millis() {
        return bad("invalid_grant", "the code has expired");
    }
    if client_id.as_ref().is_some_and(|c| *c != grant.client_id) {
        return bad("invalid_grant", "the code was issued to another client");
    }
    let app = state.oauth.apps.get(&grant.client_id).cloned();
    if let Some(expected) = app.and_then(|a| a.secret) {
        if secret.as_deref() != Some(expected.as_str()) {
            return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed",
            ));
        }
    }
    if get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return bad(
            "invalid_grant",
            "redirect_uri is not the one of the authorization request",
        );
    }
    if let Some(challenge) = &grant.code_challenge {
        if !pkce_matches(challenge, get("code_verifier").unwrap_or_default()) {
            return bad(
                "invalid_grant",
                "code_verifier does not match the code_challenge",
            );
        }
    }
    let lifetime = state
        .oauth
        .token_lifetime_secs
        .unwrap_or(TOKEN_LIFETIME_SECS);
    let access = new_access_token();
    state.tokens.insert(
        access.clone(),
        Token {
            user: grant.user.clone(),
            role: if may_write(&grant.scopes) {
                Role::Write
            } else {
                Role::Read
            },
            display_name: format!("oauth:{}", grant.client_id),
            created_at: crate::clock::now_iso(),
            scopes: Some(grant.scopes.clone()),
            expires_at: Some(now_millis() + lifetime * 1000),
        },
    );
    if let Some(g) = state.oauth.codes.get_mut(code) {
        g.token = Some(access.clone());
    }
    ctx.app.persist(&state)?;
    json(json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": lifetime,
        "scope": grant.scopes.join(" "),
    }))
}

/// `Authorization: Basic base64(id:secret)`.
fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let (id, secret) = std::str::from_utf8(&raw).ok()?.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// `GET /avatars/{id}.svg`: a disc whose colour comes from the id (the picture userinfo names).
pub fn avatar(file: &str) -> Response {
    let id = file.trim_end_matches(".svg");
    let hue = id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        % 360;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><circle cx=\"12\" cy=\"12\" r=\"12\" fill=\"hsl({hue},60%,55%)\"/></svg>"
    );
    ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// `GET /oauth/userinfo` with an OAuth token: who signed in, and their orgs.
pub fn userinfo(ctx: &Ctx) -> ApiResult<Response> {
    let token = match &ctx.caller {
        crate::state::Caller::User { token, .. } => token.clone(),
        crate::state::Caller::Anonymous => return Err(ApiError::unauthenticated()),
    };
    let state = ctx.app.lock();
    let t = state
        .tokens
        .get(&token)
        .ok_or_else(ApiError::invalid_credentials)?;
    let scopes = t.scopes.clone().unwrap_or_default();
    let user = state
        .users
        .get(&t.user)
        .ok_or_else(ApiError::invalid_credentials)?;
    let o = ctx.origin();
    let mut info = json!({ "sub": user.id });
    if scopes.iter().any(|s| s == "profile") {
        info["name"] = json!(user.fullname);
        info["preferred_username"] = json!(t.user);
        info["picture"] = json!(format!("{o}/avatars/{}.svg", user.id));
        info["profile"] = json!(format!("{o}/{}", t.user));
        info["isPro"] = json!(false);
    }
    if scopes.iter().any(|s| s == "email") {
        info["email"] = json!(format!("{}@users.local", t.user));
        info["email_verified"] = json!(true);
    }
    let orgs: Vec<Value> = state
        .orgs_of(&t.user)
        .into_iter()
        .map(|(name, org)| {
            let mut v = json!({
                "sub": org.id,
                "name": org.fullname,
                "preferred_username": name,
                "picture": format!("{o}/avatars/{}.svg", org.id),
            });
            if scopes.iter().any(|s| s == "read-memberships") {
                v["roleInOrg"] = json!("write");
            }
            v
        })
        .collect();
    info["orgs"] = Value::Array(orgs);
    json(info)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AdminBody {
    #[serde(default, deserialize_with = "nullable")]
    auto_approve: Option<Option<String>>,
    deny: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    token_lifetime_secs: Option<Option<u64>>,
    app: Option<AdminApp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AdminApp {
    client_id: String,
    name: Option<String>,
    redirect_uris: Vec<String>,
    secret: Option<String>,
}

/// A key given as `null` is `Some(None)` (clear), absent is `None` (leave).
fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /__admin/oauth`: automatic consent, token lifetime, apps.
pub fn admin(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: AdminBody = parse_json(&body)?;
    let mut state = ctx.app.lock();
    state.oauth.ensure_default_app();
    if let Some(a) = b.auto_approve {
        state.oauth.auto_approve = a;
    }
    if let Some(d) = b.deny {
        state.oauth.auto_deny = d;
    }
    if let Some(l) = b.token_lifetime_secs {
        state.oauth.token_lifetime_secs = l;
    }
    if let Some(app) = b.app {
        state.oauth.apps.insert(
            app.client_id.clone(),
            OAuthApp {
                name: app.name.unwrap_or(app.client_id),
                redirect_uris: app.redirect_uris,
                secret: app.secret,
            },
        );
    }
    ctx.app.persist(&state)?;
    json(json!({
        "autoApprove": state.oauth.auto_approve,
        "deny": state.oauth.auto_deny,
        "tokenLifetimeSecs": state.oauth.token_lifetime_secs,
        "apps": state.oauth.apps.keys().collect::<Vec<_>>(),
    }))
}
