//! `HubError`: one error type with the Hub's meanings, built from status, `X-Error-Code`,
//! `X-Error-Message` and the JSON body following the decision order of the reference client
//! (docs/hub-protocol.md §1.8).

use crate::text::num;
use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::http::{json, HttpResponseHead};

/// What went wrong, in the Hub's terms: what the core itself can tell from an answer or from
/// the caller's input. What only a shell can see (the network failed, the caller aborted,
/// storage failed, bytes did not match their hash) is the shell's own error type, which wraps
/// this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The repo does not exist or the caller may not see it.
    RepoNotFound,
    /// The revision (branch, tag, commit) does not exist.
    RevisionNotFound,
    /// The file or folder does not exist at that revision.
    EntryNotFound,
    /// The repo is gated and the caller has not been granted access.
    GatedRepo,
    /// The repo has been disabled by the Hub.
    DisabledRepo,
    /// A storage bucket does not exist.
    BucketNotFound,
    /// A job does not exist.
    JobNotFound,
    /// The token is missing, malformed or invalid.
    AuthRequired,
    /// The token is valid but lacks the permission.
    Forbidden,
    /// The resource exists already, or another operation holds it.
    Conflict,
    /// `parentCommit` no longer matches the branch head.
    PreconditionFailed,
    /// Too many requests; see `retry_after_ms`.
    RateLimited,
    /// The requested byte range is outside the file.
    RangeNotSatisfiable,
    /// The server rejected the request as malformed.
    BadRequest,
    /// The caller's input was rejected before any request was sent.
    InvalidInput,
    /// The server answered something the client cannot understand.
    MalformedResponse,
    /// Any other HTTP error status.
    Http,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 17] = [
        ErrorKind::RepoNotFound,
        ErrorKind::RevisionNotFound,
        ErrorKind::EntryNotFound,
        ErrorKind::GatedRepo,
        ErrorKind::DisabledRepo,
        ErrorKind::BucketNotFound,
        ErrorKind::JobNotFound,
        ErrorKind::AuthRequired,
        ErrorKind::Forbidden,
        ErrorKind::Conflict,
        ErrorKind::PreconditionFailed,
        ErrorKind::RateLimited,
        ErrorKind::RangeNotSatisfiable,
        ErrorKind::BadRequest,
        ErrorKind::InvalidInput,
        ErrorKind::MalformedResponse,
        ErrorKind::Http,
    ];

    /// The kind whose [`ErrorKind::code`] is `code`.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The stable string form, used as `HubError.code` in JavaScript.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::RepoNotFound => "RepoNotFound",
            ErrorKind::RevisionNotFound => "RevisionNotFound",
            ErrorKind::EntryNotFound => "EntryNotFound",
            ErrorKind::GatedRepo => "GatedRepo",
            ErrorKind::DisabledRepo => "DisabledRepo",
            ErrorKind::BucketNotFound => "BucketNotFound",
            ErrorKind::JobNotFound => "JobNotFound",
            ErrorKind::AuthRequired => "AuthRequired",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::PreconditionFailed => "PreconditionFailed",
            ErrorKind::RateLimited => "RateLimited",
            ErrorKind::RangeNotSatisfiable => "RangeNotSatisfiable",
            ErrorKind::BadRequest => "BadRequest",
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::MalformedResponse => "MalformedResponse",
            ErrorKind::Http => "Http",
        }
    }
}

/// An error from the Hub or from validating a call. The details are boxed so that `Result`s
/// stay small on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubError {
    kind: ErrorKind,
    d: Box<Details>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    message: String,
    status: Option<u16>,
    url: Option<String>,
    request_id: Option<String>,
    error_code: Option<String>,
    server_message: Option<String>,
    retry_after_ms: Option<u64>,
}

const INVALID_CREDENTIALS: &str = "Invalid credentials in Authorization header";
const DISABLED: &str = "Access to this resource is disabled.";

impl HubError {
    /// An error with just a kind and a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        HubError {
            kind,
            d: Box::new(Details {
                message: message.into(),
                status: None,
                url: None,
                request_id: None,
                error_code: None,
                server_message: None,
                retry_after_ms: None,
            }),
        }
    }

    /// The same error, naming the URL it concerns (for errors raised outside a response).
    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.d.url = Some(url.into());
        self
    }

    /// Bad caller input, found before any request was built.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        HubError::new(ErrorKind::InvalidInput, message)
    }

    /// A response the client could not make sense of.
    pub fn malformed(head: &HttpResponseHead, what: impl Into<String>) -> Self {
        let mut e = HubError::new(ErrorKind::MalformedResponse, what);
        e.d.status = Some(head.status);
        e.d.url = Some(head.url.clone());
        e.d.request_id = request_id(head);
        e
    }

    /// Builds the error for a non-2xx, non-3xx response. `body` may be empty or truncated.
    pub fn from_response(head: &HttpResponseHead, body: &[u8]) -> Self {
        let code = head.headers.get("x-error-code").map(str::to_owned);
        let header_message = head.headers.get("x-error-message").map(str::to_owned);
        let server_message = header_message
            .clone()
            .or_else(|| message_from_body(head, body));
        let kind = classify(head, code.as_deref(), header_message.as_deref());
        let retry_after_ms = retry_after_ms(head);
        let message = describe(kind, head, server_message.as_deref(), retry_after_ms);
        HubError {
            kind,
            d: Box::new(Details {
                message,
                status: Some(head.status),
                url: Some(head.url.clone()),
                request_id: request_id(head),
                error_code: code,
                server_message,
                retry_after_ms,
            }),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// A human-readable message (includes the server's text when there is one).
    pub fn message(&self) -> &str {
        &self.d.message
    }
    /// The HTTP status, when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        self.d.status
    }
    /// The URL that failed.
    pub fn url(&self) -> Option<&str> {
        self.d.url.as_deref()
    }
    /// The server's request id (`X-Request-Id`, else `X-Amzn-Trace-Id`, else `X-Amz-Cf-Id`).
    pub fn request_id(&self) -> Option<&str> {
        self.d.request_id.as_deref()
    }
    /// The raw `X-Error-Code` header.
    pub fn error_code(&self) -> Option<&str> {
        self.d.error_code.as_deref()
    }
    /// The server's own message (`X-Error-Message` or the body's `error`).
    pub fn server_message(&self) -> Option<&str> {
        self.d.server_message.as_deref()
    }
    /// How long the server asked us to wait, from `Retry-After` or `RateLimit`.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.d.retry_after_ms
    }

    /// Whether retrying the same idempotent request may succeed: 408, 429 and 500/502/503/504
    /// (the reference clients' transient set). Transport failures, which only a shell sees,
    /// are retryable too (see `http::retry`).
    pub fn is_retryable(&self) -> bool {
        crate::http::retry::may_retry(self.into(), crate::http::retry::Idempotency::Idempotent)
    }
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl core::error::Error for HubError {}

/// The decision order of the reference client; the first matching row wins.
fn classify(head: &HttpResponseHead, code: Option<&str>, header_msg: Option<&str>) -> ErrorKind {
    let path = url_path(&head.url);
    match code {
        Some("RevisionNotFound") => return ErrorKind::RevisionNotFound,
        Some("EntryNotFound") => return ErrorKind::EntryNotFound,
        Some("GatedRepo") => return ErrorKind::GatedRepo,
        _ => {}
    }
    if header_msg == Some(DISABLED) {
        return ErrorKind::DisabledRepo;
    }
    if code == Some("RepoNotFound") && path.starts_with("/api/buckets/") {
        return ErrorKind::BucketNotFound;
    }
    if head.status == 404
        && (path.starts_with("/api/jobs/") || path.starts_with("/api/scheduled-jobs/"))
    {
        return ErrorKind::JobNotFound;
    }
    let repo_url = ["/api/models/", "/api/datasets/", "/api/spaces/"]
        .iter()
        .any(|p| path.starts_with(p))
        || crate::text::contains(path, "/resolve/");
    if code == Some("RepoNotFound")
        || (head.status == 401 && header_msg != Some(INVALID_CREDENTIALS) && repo_url)
    {
        return ErrorKind::RepoNotFound;
    }
    match head.status {
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::AuthRequired,
        403 => ErrorKind::Forbidden,
        409 => ErrorKind::Conflict,
        412 => ErrorKind::PreconditionFailed,
        416 => ErrorKind::RangeNotSatisfiable,
        429 => ErrorKind::RateLimited,
        _ => ErrorKind::Http,
    }
}

fn describe(
    kind: ErrorKind,
    head: &HttpResponseHead,
    server: Option<&str>,
    retry_after_ms: Option<u64>,
) -> String {
    let what = match kind {
        ErrorKind::RepoNotFound => "Repository not found (or you lack access to it)",
        ErrorKind::RevisionNotFound => "Revision not found",
        ErrorKind::EntryNotFound => "Entry not found",
        ErrorKind::GatedRepo => "Gated repo: request access on its Hub page",
        ErrorKind::DisabledRepo => "This repo is disabled",
        ErrorKind::BucketNotFound => "Bucket not found",
        ErrorKind::JobNotFound => "Job not found",
        ErrorKind::AuthRequired => "Authentication failed: check your access token",
        ErrorKind::Forbidden => "Forbidden: check your token's permissions",
        ErrorKind::Conflict => "Conflict",
        ErrorKind::PreconditionFailed => "The branch moved since parentCommit",
        ErrorKind::RateLimited => "Rate limited by the Hub",
        ErrorKind::RangeNotSatisfiable => "Requested range not satisfiable",
        ErrorKind::BadRequest => "Bad request",
        _ => "HTTP error",
    };
    let mut s = crate::cat!(what, " (", num(head.status.into()), " for ", head.url, ")");
    if let Some(m) = server {
        s.push_str(": ");
        s.push_str(m);
    }
    if kind == ErrorKind::RangeNotSatisfiable {
        if let Some(cr) = head.headers.get("content-range") {
            s.push_str(&crate::cat!(" [Content-Range: ", cr, "]"));
        }
    }
    if let Some(ms) = retry_after_ms {
        s.push_str(&crate::cat!(
            " (retry after ",
            num(ms.div_ceil(1000)),
            " s)"
        ));
    }
    s
}

fn request_id(head: &HttpResponseHead) -> Option<String> {
    ["x-request-id", "x-amzn-trace-id", "x-amz-cf-id"]
        .iter()
        .find_map(|h| head.headers.get(h))
        .map(str::to_owned)
}

fn url_path(url: &str) -> &str {
    let after_scheme = crate::text::split_once(url, "://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

/// Reads the message out of the Hub's error body shapes: `{"error": "…"}`, `{"error": [..]}`,
/// `{"error": code, "error_description": "…"}`, `{"errors": [{"message": …}]}`, or plain text.
fn message_from_body(head: &HttpResponseHead, body: &[u8]) -> Option<String> {
    if body.is_empty() {
        return None;
    }
    if let Some(b @ json::Value::Object(_)) = json::parse(body) {
        let text = |v: &json::Value| v.as_str().map(String::from);
        if let Some(desc) = b.get("error_description").and_then(text) {
            return Some(desc);
        }
        match b.get("error") {
            Some(json::Value::String(s)) => return Some(s.clone()),
            Some(json::Value::Array(items)) => {
                let parts: Vec<String> = items.iter().filter_map(text).collect();
                if !parts.is_empty() {
                    return Some(parts.join("\n"));
                }
            }
            _ => {}
        }
        let parts: Vec<String> = b
            .get("errors")
            .and_then(|e| e.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|e| e.get("message").and_then(text))
                    .collect()
            })
            .unwrap_or_default();
        return (!parts.is_empty()).then(|| parts.join("\n"));
    }
    let is_html = head
        .headers
        .get("content-type")
        .is_some_and(|ct| crate::text::contains(&ct.to_ascii_lowercase(), "text/html"));
    let text = core::str::from_utf8(body).ok()?.trim();
    if is_html || text.is_empty() || text.starts_with('<') {
        return None;
    }
    let mut t = String::from(text);
    if t.len() > 500 {
        let mut cut = 500;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        t.truncate(cut);
    }
    Some(t)
}

/// `RateLimit: "api";r=0;t=55` (when nothing remains) wins over `Retry-After: <seconds>`; the
/// HTTP-date form of `Retry-After` is ignored, as the reference client does.
fn retry_after_ms(head: &HttpResponseHead) -> Option<u64> {
    if let Some(rl) = head.headers.get("ratelimit") {
        let mut remaining = None;
        let mut reset = None;
        for param in rl.split(';').map(str::trim) {
            if let Some(r) = param.strip_prefix("r=") {
                remaining = r.trim().parse::<u64>().ok();
            } else if let Some(t) = param.strip_prefix("t=") {
                reset = t.trim().parse::<u64>().ok();
            }
        }
        if let (Some(0), Some(t)) = (remaining, reset) {
            return Some(t * 1000);
        }
    }
    head.headers
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| s * 1000)
}

#[cfg(test)]
mod tests;
