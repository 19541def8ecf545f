//! Request dispatch: one fallback handler maps the raw path to a [`Route`] and the method to a
//! handler, so no router ever decodes the path.

mod admin;
pub mod auth;
mod commit;
mod discussions;
mod duplicate;
mod info;
pub mod lfs;
mod likes;
mod listing;
mod manage;
mod oauth;
mod preupload;
mod refs;
mod repos;
pub mod resolve;
mod tree;
mod validate_yaml;
mod whoami;

pub use refs::history;

use axum::body::Bytes;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::paths::{moved_path, route, Route};
use crate::state::{Caller, RepoRef};

/// Largest request body accepted (commits carry base64 file content inline).
const BODY_LIMIT: usize = 2 << 30;

/// What every handler gets: the app, the authenticated caller and the request's parts.
pub struct Ctx {
    pub app: App,
    pub caller: Caller,
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
}

impl Ctx {
    /// `http://host:port` as the client reached us; URLs in bodies are built on it.
    pub fn origin(&self) -> String {
        let host = self
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    }

    /// The absolute URL of this repo's web page (`{origin}/{prefix}{id}`).
    pub fn repo_url(&self, r: &RepoRef) -> String {
        format!("{}/{}{}", self.origin(), r.kind.url_prefix(), r.id())
    }

    /// All values of a repeatable query parameter (`k=v&k=w`, also `k[]=v`).
    pub fn query_all(&self, key: &str) -> Vec<String> {
        let bracket = format!("{key}[]");
        self.query_pairs()
            .into_iter()
            .filter(|(k, _)| k == key || *k == bracket)
            .map(|(_, v)| v)
            .collect()
    }

    /// A positive integer query parameter; anything else is a 400.
    pub fn query_usize(&self, key: &str) -> ApiResult<Option<usize>> {
        match self.query_param(key) {
            None => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("Invalid {key}: {v:?}"))),
        }
    }

    /// Query pairs, decoded as a form.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    /// The last value of a query parameter.
    pub fn query_param(&self, key: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// A boolean query parameter (`true/false/1/0`); anything else is a 400.
    pub fn query_bool(&self, key: &str) -> ApiResult<bool> {
        match self.query_param(key) {
            None => Ok(false),
            Some(v) => crate::paths::parse_bool(&v)
                .ok_or_else(|| ApiError::bad_request(format!("Invalid boolean for {key}: {v:?}"))),
        }
    }

    pub fn content_type(&self) -> Option<String> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
    }
}

/// The single fallback handler of the Hub origin.
pub async fn dispatch(AxState(app): AxState<App>, req: Request) -> Response {
    match handle(app, req).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn handle(app: App, req: Request) -> ApiResult<Response> {
    let route = route(req.uri().path())?;
    let method = req.method().clone();
    let admin = matches!(
        route,
        Route::AdminRequests
            | Route::AdminFaults(_)
            | Route::AdminGrant
            | Route::AdminDisable
            | Route::AdminStats
            | Route::AdminOAuth
            // OAuth's own endpoints read their credentials themselves (Basic at the token
            // endpoint is not a Hub token).
            | Route::OAuthDiscovery
            | Route::OAuthAuthorize
            | Route::OAuthToken
            | Route::Avatar(_)
    );
    // The admin API is for test scripts: no token needed (127.0.0.1 only).
    let caller = if admin {
        Caller::Anonymous
    } else {
        auth::caller(&app, req.headers())?
    };
    let (parts, body) = req.into_parts();
    let ctx = Ctx {
        app,
        caller,
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
    };
    let read_body = || async {
        axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .map_err(|e| ApiError::bad_request(format!("Failed to read request body: {e}")))
    };
    let is_get = method == Method::GET || method == Method::HEAD;
    let post = method == Method::POST;
    let delete = method == Method::DELETE;
    if is_get {
        if let Some(res) = route.repo().and_then(|r| moved(&ctx, r)) {
            return Ok(res);
        }
    }
    match route {
        Route::AdminRequests => admin::requests(&ctx.app, &method),
        Route::AdminFaults(id) => admin::faults(&ctx, id.as_deref(), read_body().await?),
        Route::AdminGrant if post => admin::grant(&ctx, read_body().await?),
        Route::AdminDisable if post => admin::disable(&ctx, read_body().await?),
        Route::AdminStats if post => admin::stats(&ctx, read_body().await?),
        Route::AdminOAuth if post => oauth::admin(&ctx, read_body().await?),
        Route::OAuthDiscovery if is_get => oauth::discovery(&ctx),
        Route::OAuthAuthorize if is_get => oauth::authorize(&ctx, None),
        Route::OAuthAuthorize if post => oauth::authorize(&ctx, Some(read_body().await?)),
        Route::OAuthToken if post => {
            let headers = ctx.headers.clone();
            oauth::token(&ctx, &headers, read_body().await?)
        }
        Route::OAuthUserinfo if is_get => oauth::userinfo(&ctx),
        Route::Avatar(file) if is_get => Ok(oauth::avatar(&file)),
        Route::Whoami if is_get => whoami::whoami(&ctx),
        Route::CreateRepo if post => repos::create(&ctx, read_body().await?),
        Route::DeleteRepo if delete => repos::delete(&ctx, read_body().await?),
        Route::MoveRepo if post => manage::move_repo(&ctx, read_body().await?),
        Route::ValidateYaml if post => validate_yaml::validate_yaml(&ctx, read_body().await?),
        Route::ListRepos(kind) if is_get => listing::list(&ctx, kind),
        Route::Settings { repo } if method == Method::PUT => {
            manage::settings(&ctx, &repo, read_body().await?)
        }
        Route::GrantAccess { repo } if post => manage::grant(&ctx, &repo, read_body().await?),
        Route::AuthCheck { repo, write } if is_get => manage::auth_check(&ctx, &repo, write),
        Route::RepoInfo { repo, rev } if is_get => info::info(&ctx, &repo, rev.as_deref()),
        Route::Like { repo } if post => likes::set(&ctx, &repo, true),
        Route::Duplicate { repo } if post => duplicate::duplicate(&ctx, &repo, read_body().await?),
        Route::Like { repo } if delete => likes::set(&ctx, &repo, false),
        Route::Likers { repo } if is_get => likes::likers(&ctx, &repo),
        Route::UserLikes { user } if is_get => likes::user_likes(&ctx, &user),
        Route::Refs { repo } if is_get => repos::refs(&ctx, &repo),
        Route::Branch { repo, name } if post => {
            refs::create_branch(&ctx, &repo, &name, read_body().await?)
        }
        Route::Branch { repo, name } if delete => refs::delete_branch(&ctx, &repo, &name),
        Route::Tag { repo, name } if post => {
            refs::create_tag(&ctx, &repo, &name, read_body().await?)
        }
        Route::Tag { repo, name } if delete => refs::delete_tag(&ctx, &repo, &name),
        Route::Commits { repo, rev } if is_get => refs::commits(&ctx, &repo, &rev),
        Route::Tree { repo, rev, path } if is_get => tree::tree(&ctx, &repo, &rev, &path),
        Route::PathsInfo { repo, rev } if post => {
            tree::paths_info(&ctx, &repo, &rev, read_body().await?)
        }
        Route::Commit { repo, rev } if post => {
            commit::commit(&ctx, &repo, &rev, read_body().await?).await
        }
        Route::Preupload { repo, rev } if post => {
            preupload::preupload(&ctx, &repo, &rev, read_body().await?).await
        }
        Route::Discussions { repo } if is_get => discussions::list(&ctx, &repo),
        Route::Discussions { repo } if post => discussions::create(&ctx, &repo, read_body().await?),
        Route::Discussion {
            repo,
            num,
            action: None,
        } if is_get => discussions::details(&ctx, &repo, &num),
        Route::Discussion {
            repo,
            num,
            action: Some(action),
        } if post => discussions::act(&ctx, &repo, &num, &action, read_body().await?),
        Route::LfsBatch { repo } if post => lfs::batch(&ctx, &repo, read_body().await?).await,
        Route::LfsVerify { repo } if post => lfs::verify(&ctx, &repo, read_body().await?).await,
        Route::Resolve {
            repo,
            rev,
            path,
            raw,
        } if is_get => resolve::resolve(&ctx, &repo, &rev, &path, raw).await,
        Route::Unknown => Err(ApiError::not_found()),
        _ => Err(ApiError::method_not_allowed()),
    }
}

/// A relative 307 to the new name when the repo was moved (docs/hub-protocol.md §2.2, §5.3);
/// clients re-issue the request there.
fn moved(ctx: &Ctx, r: &RepoRef) -> Option<Response> {
    let state = ctx.app.lock();
    if state.repos.contains_key(&r.key()) {
        return None;
    }
    let to = state.redirects.get(&r.key())?;
    let to = RepoRef::from_key(to)?;
    let mut location = moved_path(&ctx.path, r, &to);
    if let Some(q) = &ctx.query {
        location.push('?');
        location.push_str(q);
    }
    let mut res = (
        axum::http::StatusCode::TEMPORARY_REDIRECT,
        format!("Temporary Redirect. Redirecting to {location}"),
    )
        .into_response();
    res.headers_mut().insert(
        header::LOCATION,
        axum::http::HeaderValue::from_str(&location).ok()?,
    );
    Some(res)
}

/// A JSON 200 response.
pub fn json(value: serde_json::Value) -> ApiResult<Response> {
    Ok(axum::Json(value).into_response())
}

/// The original query with `key` set to `value` (other parameters kept byte for byte): the
/// next-page URL of a listing.
pub fn with_param(query: Option<&str>, key: &str, value: &str) -> String {
    let mut parts: Vec<String> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(key))
        .map(str::to_string)
        .collect();
    parts.push(format!(
        "{key}={}",
        form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
    ));
    parts.join("&")
}

/// Parses an optional JSON body: empty means the type's default.
pub fn parse_json_or_default<T: serde::de::DeserializeOwned + Default>(
    body: &Bytes,
) -> ApiResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    parse_json(body)
}

/// Parses a JSON request body; malformed JSON is a 400.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
}
