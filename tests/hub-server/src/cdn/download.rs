//! `GET|HEAD /objects/{oid}`: object content streamed from disk, ETag = the sha256 (what the
//! Hub's `X-Linked-Etag` promised), ranges for resumes and partial reads.

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;

use crate::app::App;
use crate::errors::{ApiError, ApiResult};
use crate::ranges::{respond, Source};

pub async fn object(
    app: &App,
    oid: &str,
    filename: Option<String>,
    req: Request,
) -> ApiResult<Response> {
    let total = app
        .blobs
        .size(oid)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "Object not found"))?;
    let head = req.method() == Method::HEAD;
    let mut res = respond(Source::Blob(&app.blobs, oid), total, req.headers(), head).await?;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{oid}\"")) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600, immutable"),
    );
    if let Some(name) = filename {
        if let Ok(v) = HeaderValue::from_str(&crate::routes::resolve::content_disposition(&name)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}
