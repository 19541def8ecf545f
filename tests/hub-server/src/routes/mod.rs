//! Request dispatch: one fallback handler maps the raw path to a [`Route`] and the method to a
//! handler, so no router ever decodes the path.

mod admin;
mod auth;
mod commit;
mod preupload;
mod repos;
mod resolve;
mod tree;
mod whoami;

use axum::body::Bytes;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::paths::{route, Route};
use crate::state::Caller;

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

/// The single fallback handler.
pub async fn dispatch(AxState(app): AxState<App>, req: Request) -> Response {
    match handle(app, req).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn handle(app: App, req: Request) -> ApiResult<Response> {
    let route = route(req.uri().path())?;
    let method = req.method().clone();
    if route == Route::AdminRequests {
        return admin::requests(&app, &method);
    }
    let caller = auth::caller(&app, req.headers())?;
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
    match route {
        Route::Whoami if is_get => whoami::whoami(&ctx),
        Route::CreateRepo if method == Method::POST => repos::create(&ctx, read_body().await?),
        Route::DeleteRepo if method == Method::DELETE => repos::delete(&ctx, read_body().await?),
        Route::RepoInfo { repo, rev } if is_get => repos::info(&ctx, &repo, rev.as_deref()),
        Route::Refs { repo } if is_get => repos::refs(&ctx, &repo),
        Route::Tree { repo, rev, path } if is_get => tree::tree(&ctx, &repo, &rev, &path),
        Route::PathsInfo { repo, rev } if method == Method::POST => {
            tree::paths_info(&ctx, &repo, &rev, read_body().await?)
        }
        Route::Commit { repo, rev } if method == Method::POST => {
            commit::commit(&ctx, &repo, &rev, read_body().await?).await
        }
        Route::Preupload { repo, rev } if method == Method::POST => {
            preupload::preupload(&ctx, &repo, &rev, read_body().await?).await
        }
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

/// A JSON 200 response.
pub fn json(value: serde_json::Value) -> ApiResult<Response> {
    Ok(axum::Json(value).into_response())
}

/// Parses a JSON request body; malformed JSON is a 400.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
}
