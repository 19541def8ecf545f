//! CORS as the Hub does it (docs/hub-protocol.md §1.6): echo the Origin, answer any preflight, and
//! expose every header a browser client reads.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};

/// The observed Hub list plus `X-Linked-*`, rate-limit and `Retry-After` (read by browser clients).
pub const EXPOSE_HEADERS: &str = "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,\
X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,Content-Length,X-Linked-Size,X-Linked-Etag,X-Xet-Hash,\
RateLimit,RateLimit-Policy,Retry-After";

pub const ALLOW_METHODS: &str = "GET,HEAD,POST,PUT,DELETE,OPTIONS";

/// Allowed when a preflight does not list the headers it wants.
const DEFAULT_ALLOW_HEADERS: &str = "Authorization,Content-Type,Range,Accept,X-Request-Id";

/// Answer to an `OPTIONS` preflight on any path.
pub fn preflight(req: &HeaderMap) -> Response<Body> {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::NO_CONTENT;
    let h = res.headers_mut();
    if let Some(origin) = req.get(header::ORIGIN) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    let allow = req
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOW_HEADERS));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow);
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

/// Adds the CORS response headers when the request came with an `Origin`.
pub fn decorate(origin: Option<&HeaderValue>, res: &mut HeaderMap) {
    let Some(origin) = origin else { return };
    res.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    res.append(header::VARY, HeaderValue::from_static("Origin"));
    res.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
}
