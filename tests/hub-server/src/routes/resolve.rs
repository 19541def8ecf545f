//! `GET|HEAD /{prefix}{repo}/resolve/{rev}/{path}` and `/raw/` (docs/hub-protocol.md §2.1–2.2):
//! file bytes with the metadata headers the clients' caches depend on, and byte ranges.
//! LFS files are not served here: `resolve` redirects to the storage origin, `raw` answers
//! the pointer text git holds.

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::auth::downloadable;
use super::Ctx;
use crate::errors::{ApiError, ApiResult};
use crate::ranges::{respond, Source};
use crate::state::{FileEntry, RepoRef};

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

pub fn content_disposition(path: &str) -> String {
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
    raw: bool,
) -> ApiResult<Response> {
    let (entry, commit) = {
        let state = ctx.app.lock();
        let repo = downloadable(&state, r, &ctx.caller, &ctx.origin())?;
        let commit = repo
            .resolve(rev)
            .ok_or_else(|| ApiError::revision_not_found(rev))?;
        let entry =
            commit.files.get(path).cloned().ok_or_else(|| {
                ApiError::entry_not_found("Entry not found").with_commit(&commit.id)
            })?;
        (entry, commit.id.clone())
    };
    let hv = |s: String| HeaderValue::from_str(&s).expect("ascii header");
    let download = ctx.query_bool("download")?;
    if entry.lfs && !raw {
        return Ok(redirect_to_storage(ctx, &entry, &commit, path, download));
    }
    let head = ctx.method == Method::HEAD;
    let mut res = if entry.lfs {
        // `raw` of an LFS file is its git blob: the pointer text.
        let pointer = crate::git::lfs_pointer(&entry.sha256, entry.size);
        let len = pointer.len() as u64;
        respond(
            Source::Inline(Bytes::from(pointer)),
            len,
            &ctx.headers,
            head,
        )
        .await?
    } else {
        respond(
            Source::Blob(&ctx.app.blobs, &entry.sha256),
            entry.size,
            &ctx.headers,
            head,
        )
        .await?
    };
    let h = res.headers_mut();
    h.insert(header::ETAG, hv(format!("\"{}\"", entry.oid)));
    h.insert("x-repo-commit", hv(commit));
    let kind = if entry.lfs {
        "text/plain; charset=utf-8"
    } else {
        content_type(path)
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if download {
        h.insert(header::CONTENT_DISPOSITION, hv(content_disposition(path)));
    }
    Ok(res)
}

/// An LFS file: 302 to a signed URL on the storage origin, with the metadata clients read
/// from the redirect itself (docs/hub-protocol.md §2.2): `X-Linked-Etag` (the sha256),
/// `X-Linked-Size`, `X-Repo-Commit`, and the pointer's id as `ETag`.
fn redirect_to_storage(
    ctx: &Ctx,
    entry: &FileEntry,
    commit: &str,
    path: &str,
    download: bool,
) -> Response {
    let hv = |s: String| HeaderValue::from_str(&s).expect("ascii header");
    let params = if download {
        vec![(
            "filename",
            path.rsplit('/').next().unwrap_or(path).to_string(),
        )]
    } else {
        Vec::new()
    };
    let location = format!(
        "{}{}",
        ctx.app.storage_url,
        ctx.app
            .signer
            .sign(&format!("/objects/{}", entry.sha256), &params)
    );
    let mut res = (
        StatusCode::FOUND,
        format!("Found. Redirecting to {location}"),
    )
        .into_response();
    let h = res.headers_mut();
    h.insert(header::LOCATION, hv(location));
    h.insert("x-linked-etag", hv(format!("\"{}\"", entry.sha256)));
    h.insert("x-linked-size", hv(entry.size.to_string()));
    h.insert("x-repo-commit", hv(commit.to_string()));
    h.insert(header::ETAG, hv(format!("\"{}\"", entry.oid)));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_has_an_ascii_fallback() {
        assert_eq!(
            content_disposition("d/é x.bin"),
            "attachment; filename*=UTF-8''%C3%A9%20x.bin; filename=\"_ x.bin\""
        );
    }
}
