//! `POST /api/validate-yaml` `{"content": <README text>, "repoType": "model"|"dataset"|"space"}`:
//! huggingface_hub asks it before every commit that adds a `README.md` (and
//! `RepoCard.validate`). No token needed. Checks in [`crate::card::validate`].
//!
//! - valid: 200 `{"errors": [], "warnings": [{"message"}…]}` (a warning when the metadata is
//!   missing or empty; the client shows it and commits);
//! - invalid: 400 `{"error", "errors": [{"message"}…], "warnings": […]}` (the client raises
//!   `ValueError("Invalid metadata in README.md. …")` before uploading anything);
//! - with `Accept: text/plain` (`RepoCard.validate`), the same status with one line per
//!   problem: `- Error: <message>` / `- Warning: <message>`.
//!
//! Commits are not refused for their README (the Hub's hooks would): a card that does not
//! parse is just no card data.

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::manage::parse_kind;
use super::{json, parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    content: String,
    repo_type: Option<String>,
}

pub fn validate_yaml(ctx: &Ctx, body: Bytes) -> ApiResult<Response> {
    let b: Body = parse_json(&body)?;
    let kind = parse_kind(b.repo_type.as_deref())?;
    let (errors, warnings) = crate::card::validate(&b.content, kind);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let wants_text = ctx
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/plain"));
    if wants_text {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("- Error: {e}"))
            .chain(warnings.iter().map(|w| format!("- Warning: {w}")))
            .collect();
        let content_type = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        return Ok((status, content_type, lines.join("\n")).into_response());
    }
    let messages = |v: &[String]| -> Value { v.iter().map(|m| json!({"message": m})).collect() };
    if errors.is_empty() {
        return json(json!({"errors": [], "warnings": messages(&warnings)}));
    }
    Err(ApiError::bad_request(errors.join("; "))
        .with_field("errors", messages(&errors))
        .with_field("warnings", messages(&warnings)))
}
