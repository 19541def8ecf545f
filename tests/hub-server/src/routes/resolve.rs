//! `GET|HEAD /{prefix}{repo}/resolve/{rev}/{path}` and `/raw/` (hub-protocol §2.1–2.2):
//! file bytes with the metadata headers the clients' caches depend on, and byte ranges.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::auth::readable;
use super::Ctx;
use crate::errors::{ApiError, ApiResult};
use crate::state::RepoRef;

/// RFC 5987 `attr-char` minus the ones that must be escaped.
const FILENAME_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

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

fn content_type(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".txt") || lower.ends_with(".md") {
        "text/plain; charset=utf-8"
    } else if lower.ends_with(".json") {
        "application/json"
    } else {
        "application/octet-stream"
    }
}

fn content_disposition(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename*=UTF-8''{}; filename=\"{ascii}\"",
        utf8_percent_encode(name, FILENAME_ESCAPE)
    )
}

pub async fn resolve(
    ctx: &Ctx,
    r: &RepoRef,
    rev: &str,
    path: &str,
    _raw: bool,
) -> ApiResult<Response> {
    let (entry, commit) = {
        let state = ctx.app.lock();
        let repo = readable(&state, r, &ctx.caller)?;
        let commit = repo
            .resolve(rev)
            .ok_or_else(|| ApiError::revision_not_found(rev))?;
        let entry =
            commit.files.get(path).cloned().ok_or_else(|| {
                ApiError::entry_not_found("Entry not found").with_commit(&commit.id)
            })?;
        (entry, commit.id.clone())
    };
    let total = entry.size;
    let range = parse_range(
        ctx.headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        total,
    );
    let (status, start, len) = match range {
        ByteRange::Full => (StatusCode::OK, 0, total),
        ByteRange::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b - a + 1),
        ByteRange::Unsatisfiable => {
            let mut res = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "Requested Range Not Satisfiable",
            )
            .with_commit(&commit)
            .into_response();
            res.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{total}")).expect("ascii"),
            );
            return Ok(res);
        }
    };

    let body = if ctx.method == Method::HEAD {
        Body::empty()
    } else {
        ctx.app
            .blobs
            .body(&entry.sha256, start, len)
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    };
    let mut res = Response::new(body);
    *res.status_mut() = status;
    let h = res.headers_mut();
    let hv = |s: String| HeaderValue::from_str(&s).expect("ascii header");
    h.insert(header::CONTENT_LENGTH, hv(len.to_string()));
    h.insert(header::ETAG, hv(format!("\"{}\"", entry.oid)));
    h.insert("x-repo-commit", hv(commit));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(
            header::CONTENT_RANGE,
            hv(format!("bytes {}-{}/{total}", start, start + len - 1)),
        );
    }
    if ctx.query_bool("download")? {
        h.insert(header::CONTENT_DISPOSITION, hv(content_disposition(path)));
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

    #[test]
    fn disposition_has_an_ascii_fallback() {
        assert_eq!(
            content_disposition("d/é x.bin"),
            "attachment; filename*=UTF-8''%C3%A9%20x.bin; filename=\"_ x.bin\""
        );
    }
}
