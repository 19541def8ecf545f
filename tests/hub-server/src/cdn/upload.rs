//! Uploads on the storage origin. Bodies stream to disk while their sha256 is computed; an
//! object enters the store only if its sha256 and size are the ones the signed URL was issued
//! for (docs/hub-protocol.md §4.4). Parts answer a quoted ETag (the part's sha256), and completion
//! checks every part against the ETag the client reports before assembling them, in order.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::storage::{Incoming, ReceiveError};

/// Completion bodies are small JSON documents.
const COMPLETION_LIMIT: usize = 4 << 20;

#[derive(Deserialize)]
struct Completion {
    oid: String,
    parts: Vec<PartRef>,
}

#[derive(Deserialize)]
struct PartRef {
    #[serde(rename = "partNumber")]
    part_number: u64,
    etag: String,
}

fn internal(e: std::io::Error) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

async fn receive(app: &App, req: Request, expected: u64) -> ApiResult<Incoming> {
    let incoming = app
        .blobs
        .receive(req.into_body(), expected)
        .await
        .map_err(|e| match e {
            ReceiveError::TooLong(max) => ApiError::bad_request(format!(
                "Body is longer than the {max} bytes this URL was issued for"
            )),
            ReceiveError::Body(m) => ApiError::bad_request(format!("Failed to read body: {m}")),
            ReceiveError::Io(e) => internal(e),
        })?;
    if incoming.len != expected {
        return Err(ApiError::bad_request(format!(
            "Expected {expected} bytes, received {}",
            incoming.len
        )));
    }
    Ok(incoming)
}

fn etag_response(etag: &str, body: Response) -> Response {
    let mut res = body;
    if let Ok(v) = HeaderValue::from_str(&format!("\"{etag}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Checks an assembled or uploaded object against its oid and keeps it.
async fn keep(app: &App, oid: &str, size: u64, incoming: Incoming) -> ApiResult<()> {
    if incoming.len != size {
        return Err(ApiError::bad_request(format!(
            "Object {oid}: expected {size} bytes, got {}",
            incoming.len
        )));
    }
    if incoming.sha256 != oid {
        return Err(ApiError::bad_request(format!(
            "Content sha256 {} does not match the oid {oid}",
            incoming.sha256
        )));
    }
    app.blobs.adopt(incoming).await.map_err(internal)
}

/// `PUT /upload/{oid}?size=`: the whole object in one body.
pub async fn put_object(app: &App, oid: &str, size: u64, req: Request) -> ApiResult<Response> {
    let incoming = receive(app, req, size).await?;
    keep(app, oid, size, incoming).await?;
    Ok(etag_response(oid, StatusCode::OK.into_response()))
}

/// Number of parts and the length of part `n` for an object of `size` bytes.
fn part_len(size: u64, chunk: u64, n: u64) -> Option<u64> {
    let count = size.div_ceil(chunk);
    (n >= 1 && n <= count).then(|| chunk.min(size - (n - 1) * chunk))
}

/// `PUT /part/{oid}/{n}?size=&chunk=`: part `n` must be exactly its slice of the object.
pub async fn put_part(
    app: &App,
    oid: &str,
    n: u32,
    size: u64,
    chunk: u64,
    req: Request,
) -> ApiResult<Response> {
    let expected = part_len(size, chunk.max(1), u64::from(n)).ok_or_else(|| {
        ApiError::bad_request(format!("Part {n} is out of range for {size} bytes"))
    })?;
    let incoming = receive(app, req, expected).await?;
    let etag = app
        .blobs
        .put_part(oid, n, incoming)
        .await
        .map_err(internal)?;
    Ok(etag_response(&etag, StatusCode::OK.into_response()))
}

/// `W/"abc"` and `"abc"` both mean `abc`.
fn bare_etag(e: &str) -> &str {
    let e = e.trim();
    let e = e.strip_prefix("W/").unwrap_or(e);
    e.trim_matches('"')
}

/// `POST /complete/{oid}?size=&chunk=`: every part, in order, with the ETag it was answered.
pub async fn complete(
    app: &App,
    oid: &str,
    size: u64,
    chunk: u64,
    req: Request,
) -> ApiResult<Response> {
    let body = axum::body::to_bytes(req.into_body(), COMPLETION_LIMIT)
        .await
        .map_err(|e| ApiError::bad_request(format!("Failed to read body: {e}")))?;
    let c: Completion = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("Invalid completion body: {e}")))?;
    if !c.oid.eq_ignore_ascii_case(oid) {
        return Err(ApiError::bad_request(format!(
            "The body names oid {}, this URL is for {oid}",
            c.oid
        )));
    }
    let count = size.div_ceil(chunk.max(1));
    if c.parts.len() as u64 != count {
        return Err(ApiError::bad_request(format!(
            "Expected {count} parts, got {}",
            c.parts.len()
        )));
    }
    let stored = app.blobs.part_etags(oid).await.map_err(internal)?;
    let mut etags = Vec::with_capacity(c.parts.len());
    for (i, p) in c.parts.iter().enumerate() {
        let n = i as u64 + 1;
        if p.part_number != n {
            return Err(ApiError::bad_request(format!(
                "Parts must be listed in order: expected part {n}, got {}",
                p.part_number
            )));
        }
        let Some(have) = stored.get(&(n as u32)) else {
            return Err(ApiError::bad_request(format!("Part {n} was not uploaded")));
        };
        if bare_etag(&p.etag) != have {
            return Err(ApiError::bad_request(format!(
                "ETag mismatch for part {n}: got {}, the part was stored as \"{have}\"",
                p.etag
            )));
        }
        etags.push(have.clone());
    }
    let incoming = app.blobs.assemble(oid, &etags).await.map_err(internal)?;
    let kept = keep(app, oid, size, incoming).await;
    app.blobs.drop_parts(oid).await;
    kept?;
    let mut res = axum::Json(json!({"oid": oid, "size": size})).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.git-lfs+json"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_object_exactly() {
        let mib = 1024 * 1024;
        assert_eq!(part_len(11 * mib, 5 * mib, 1), Some(5 * mib));
        assert_eq!(part_len(11 * mib, 5 * mib, 3), Some(mib));
        assert_eq!(part_len(11 * mib, 5 * mib, 4), None);
        assert_eq!(part_len(10, 5, 2), Some(5));
        assert_eq!(part_len(10, 5, 0), None);
    }

    #[test]
    fn etags_compare_without_quotes_or_weakness() {
        assert_eq!(bare_etag("\"abc\""), "abc");
        assert_eq!(bare_etag("W/\"abc\""), "abc");
        assert_eq!(bare_etag("abc"), "abc");
    }
}
