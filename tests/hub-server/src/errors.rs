//! Hub-shaped errors: JSON `{"error": …}` plus `X-Error-Message` and, where the Hub has one,
//! `X-Error-Code` (the Python client maps exceptions from these headers,
//! docs/hub-protocol.md §1.8).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// Message the Hub uses for anonymous access to a missing or private repo, and for a
/// missing token where one is required.
pub const ANONYMOUS_MESSAGE: &str = "Invalid username or password.";
/// Message for a Bearer token the server does not know.
pub const INVALID_CREDENTIALS: &str = "Invalid credentials in Authorization header";

/// A Hub error response. Boxed so `Result`s stay small on the happy path.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ErrorBody>);

#[derive(Debug, Clone)]
pub struct ErrorBody {
    pub status: StatusCode,
    pub message: String,
    pub code: Option<&'static str>,
    /// Sent as `X-Repo-Commit` (EntryNotFound on resolve carries it so clients cache absence).
    pub repo_commit: Option<String>,
    /// Extra body fields (e.g. `url` on a 409 create).
    pub extra: Map<String, Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError(Box::new(ErrorBody {
            status,
            message: message.into(),
            code: None,
            repo_commit: None,
            extra: Map::new(),
        }))
    }

    pub fn with_code(mut self, code: &'static str) -> ApiError {
        self.0.code = Some(code);
        self
    }

    pub fn with_commit(mut self, commit: impl Into<String>) -> ApiError {
        self.0.repo_commit = Some(commit.into());
        self
    }

    pub fn with_field(mut self, key: &str, value: Value) -> ApiError {
        self.0.extra.insert(key.to_string(), value);
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Not Found")
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    }

    /// Unknown Bearer token: 401 without an error code, so clients do not mistake it for a
    /// missing repo.
    pub fn invalid_credentials() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, INVALID_CREDENTIALS)
    }

    /// No token where one is required.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, ANONYMOUS_MESSAGE)
    }

    /// Missing or unreadable repo: 401 for anonymous callers, 404 for authenticated ones.
    pub fn repo_not_found(authenticated: bool) -> ApiError {
        if authenticated {
            ApiError::new(StatusCode::NOT_FOUND, "Repository not found").with_code("RepoNotFound")
        } else {
            ApiError::new(StatusCode::UNAUTHORIZED, ANONYMOUS_MESSAGE).with_code("RepoNotFound")
        }
    }

    pub fn revision_not_found(rev: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, format!("Invalid rev id: {rev}"))
            .with_code("RevisionNotFound")
    }

    pub fn entry_not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message).with_code("EntryNotFound")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = *self.0;
        let mut body = Map::new();
        body.insert("error".into(), Value::String(e.message.clone()));
        body.extend(e.extra);
        let mut res = (e.status, axum::Json(json!(body))).into_response();
        let h = res.headers_mut();
        // Header values cannot hold control characters; UTF-8 bytes are allowed as obs-text.
        let clean: String = e
            .message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if let Ok(v) = HeaderValue::from_bytes(clean.as_bytes()) {
            h.insert("x-error-message", v);
        }
        if let Some(code) = e.code {
            h.insert("x-error-code", HeaderValue::from_static(code));
        }
        if let Some(c) = e.repo_commit.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert("x-repo-commit", c);
        }
        res
    }
}
