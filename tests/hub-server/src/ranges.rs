//! Byte ranges (RFC 9110) and the ranged responses both origins send for file content:
//! `Content-Length`, `Accept-Ranges: bytes`, 206 with `Content-Range`, 416 with `bytes */N`.
//! Clients resume broken downloads with `Range: bytes=<n>-` and read safetensors headers with
//! small ranges (docs/hub-protocol.md §2.3, §2.7), on the Hub and on the CDN alike.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::errors::{ApiError, ApiResult};
use crate::storage::BlobStore;

/// What a `Range` header asks for, given the file size.
#[derive(Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// No (usable) range: send everything with 200.
    Full,
    /// Inclusive byte range: 206.
    Part(u64, u64),
    /// 416 with `Content-Range: bytes */total`.
    Unsatisfiable,
}

/// Parses a single `bytes=` range. Malformed headers are ignored (RFC 9110 allows it), and a
/// multi-range request is answered with the full body (200) rather than multipart/byteranges,
/// which no Hub client asks for.
pub fn parse_range(value: Option<&str>, total: u64) -> ByteRange {
    let Some(spec) = value.and_then(|v| v.trim().strip_prefix("bytes=")) else {
        return ByteRange::Full;
    };
    if spec.contains(',') {
        return ByteRange::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return ByteRange::Full;
    };
    let num = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.is_empty(), num(a), num(b)) {
        // bytes=-n: the last n bytes.
        (true, _, Some(n)) => {
            if n == 0 || total == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(total.saturating_sub(n), total - 1)
            }
        }
        (false, Some(start), end) if b.is_empty() || end.is_some() => {
            if end.is_some_and(|e| e < start) {
                return ByteRange::Full;
            }
            if start >= total {
                return ByteRange::Unsatisfiable;
            }
            ByteRange::Part(start, end.unwrap_or(u64::MAX).min(total - 1))
        }
        _ => ByteRange::Full,
    }
}

/// Where the bytes of a ranged response come from.
pub enum Source<'a> {
    /// A stored object, streamed from disk.
    Blob(&'a BlobStore, &'a str),
    /// Small generated content (an LFS pointer).
    Inline(Bytes),
}

/// A 200/206/416 response for `total` bytes of `source`, honouring the request's `Range`;
/// `head` sends the headers only. Callers add ETag and the like.
pub async fn respond(
    source: Source<'_>,
    total: u64,
    request: &HeaderMap,
    head: bool,
) -> ApiResult<Response> {
    let range = parse_range(
        request.get(header::RANGE).and_then(|v| v.to_str().ok()),
        total,
    );
    let hv = |s: String| HeaderValue::from_str(&s).expect("ascii header");
    let (status, start, len) = match range {
        ByteRange::Full => (StatusCode::OK, 0, total),
        ByteRange::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b - a + 1),
        ByteRange::Unsatisfiable => {
            let mut res = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "Requested Range Not Satisfiable",
            )
            .into_response();
            res.headers_mut()
                .insert(header::CONTENT_RANGE, hv(format!("bytes */{total}")));
            return Ok(res);
        }
    };
    let body = if head {
        Body::empty()
    } else {
        match source {
            Source::Blob(store, sha256) => store
                .body(sha256, start, len)
                .await
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?,
            Source::Inline(bytes) => {
                Body::from(bytes.slice(start as usize..(start + len) as usize))
            }
        }
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(header::CONTENT_LENGTH, hv(len.to_string()));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(
            header::CONTENT_RANGE,
            hv(format!("bytes {}-{}/{total}", start, start + len - 1)),
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        use ByteRange::*;
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(parse_range(Some("bytes=0-0"), 10), Part(0, 0));
        assert_eq!(parse_range(Some("bytes=2-"), 10), Part(2, 9));
        assert_eq!(parse_range(Some("bytes=5-100"), 10), Part(5, 9));
        assert_eq!(parse_range(Some("bytes=-3"), 10), Part(7, 9));
        assert_eq!(parse_range(Some("bytes=-30"), 10), Part(0, 9));
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-0"), 0), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,3-4"), 10), Full);
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Full);
        assert_eq!(parse_range(Some("bytes=a-b"), 10), Full);
    }
}
