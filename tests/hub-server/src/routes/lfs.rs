//! The Git LFS batch API on the Hub origin (docs/hub-protocol.md §4.3) and the `verify` action. The
//! batch answer sends content to the storage origin: signed, absolute URLs that need no Hub
//! token, as the real Hub's presigned S3 URLs. Objects already stored are answered without
//! actions, so clients skip them; small ones get one `basic` PUT, large ones `multipart` parts
//! of `--chunk-size` bytes and a completion URL.

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_write, check_write_role, downloadable, readable};
use super::{parse_json, Ctx};
use crate::clock::iso8601;
use crate::errors::{ApiError, ApiResult};
use crate::state::RepoRef;

const LFS_JSON: &str = "application/vnd.git-lfs+json";

#[derive(Deserialize)]
struct BatchBody {
    operation: String,
    transfers: Option<Vec<String>>,
    objects: Vec<Value>,
    hash_algo: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<RefName>,
}

#[derive(Deserialize)]
struct RefName {
    name: String,
}

#[derive(Deserialize)]
struct VerifyBody {
    oid: String,
    size: u64,
}

/// Whether an oid is a sha256 in hex (any case; stored lowercase).
pub fn valid_oid(oid: &str) -> bool {
    oid.len() == 64 && oid.bytes().all(|b| b.is_ascii_hexdigit())
}

fn lfs_json(status: StatusCode, body: Value) -> Response {
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(LFS_JSON));
    res
}

/// `POST /{prefix}{repo}.git/info/lfs/objects/batch`.
pub async fn batch(ctx: &Ctx, r: &RepoRef, body: Bytes) -> ApiResult<Response> {
    let b: BatchBody = parse_json(&body)?;
    match b.hash_algo.as_deref() {
        None | Some("sha256") | Some("sha_256") => {}
        Some(other) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("Unsupported hash algorithm {other:?}: use sha256"),
            ))
        }
    }
    let upload = match b.operation.as_str() {
        "upload" => true,
        "download" => false,
        other => {
            return Err(ApiError::unprocessable(format!(
                "Invalid operation {other:?}: upload or download"
            )))
        }
    };
    {
        let state = ctx.app.lock();
        if upload {
            readable(&state, r, &ctx.caller)?;
            check_write_role(&ctx.caller)?;
            // Uploading for a pull request (no ref, or a PR ref) needs a write token only,
            // like opening the PR itself; pushing to a branch needs the namespace.
            let for_pr = b
                .reference
                .as_ref()
                .is_none_or(|rf| rf.name.starts_with("refs/pr/"));
            if !for_pr {
                check_write(&state, &r.namespace, &ctx.caller)?;
            }
        } else {
            downloadable(&state, r, &ctx.caller, &ctx.origin())?;
        }
    }
    // git-lfs: no `transfers` means basic only.
    let transfers = b.transfers.unwrap_or_else(|| vec!["basic".to_string()]);
    let basic_ok = transfers.iter().any(|t| t == "basic");
    let multipart_ok = transfers.iter().any(|t| t == "multipart");
    if !basic_ok && !multipart_ok {
        return Err(ApiError::unprocessable(format!(
            "None of the transfers {transfers:?} is supported: use basic or multipart"
        )));
    }

    let app = &ctx.app;
    let expires_at = iso8601(app.signer.expiry() * 1000);
    let mut any_multipart = false;
    let mut objects = Vec::with_capacity(b.objects.len());
    for obj in &b.objects {
        let oid_value = obj.get("oid").cloned().unwrap_or(Value::Null);
        let size_value = obj.get("size").cloned().unwrap_or(Value::Null);
        let error = |code: u16, message: String| {
            json!({"oid": oid_value, "size": size_value,
                   "error": {"code": code, "message": message}})
        };
        let Some(oid) = oid_value.as_str().filter(|o| valid_oid(o)) else {
            objects.push(error(
                422,
                format!("Invalid oid {oid_value}: expected 64 hexadecimal characters (sha256)"),
            ));
            continue;
        };
        let Some(size) = size_value.as_u64() else {
            objects.push(error(
                422,
                format!("Invalid size {size_value}: expected a non-negative integer"),
            ));
            continue;
        };
        let key = oid.to_ascii_lowercase();
        let stored = app
            .blobs
            .size(&key)
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let base = json!({"oid": oid, "size": size, "authenticated": true});
        let with_actions = |actions: Value| {
            let mut v = base.clone();
            v["actions"] = actions;
            v
        };
        if !upload {
            match stored {
                Some(n) if n == size => {
                    let href = format!(
                        "{}{}",
                        app.storage_url,
                        app.signer.sign(&format!("/objects/{key}"), &[])
                    );
                    objects.push(with_actions(json!({"download": {
                        "href": href, "expires_at": expires_at, "expires_in": app.signer.ttl}})));
                }
                Some(n) => {
                    objects.push(error(422, format!("Object {oid} has size {n}, not {size}")))
                }
                None => objects.push(error(404, format!("Object {oid} does not exist"))),
            }
            continue;
        }
        match stored {
            Some(n) if n == size => {
                // Already stored: no actions, the client skips it.
                objects.push(base);
                continue;
            }
            Some(n) => {
                objects.push(error(
                    422,
                    format!("Object {oid} is already stored with size {n}, not {size}"),
                ));
                continue;
            }
            None => {}
        }
        let verify = json!({
            "href": format!("{}{}", ctx.origin(), app.signer.sign(&verify_path(r), &[])),
            "expires_at": expires_at,
            "expires_in": app.signer.ttl,
        });
        let chunk = app.config.chunk_size;
        let multipart = multipart_ok && (size >= app.config.multipart_threshold || !basic_ok);
        if multipart && size > 0 {
            any_multipart = true;
            let params = [("size", size.to_string()), ("chunk", chunk.to_string())];
            let mut header = serde_json::Map::new();
            header.insert("chunk_size".into(), json!(chunk.to_string()));
            for n in 1..=size.div_ceil(chunk) {
                let url = app.signer.sign(&format!("/part/{key}/{n}"), &params);
                header.insert(
                    format!("{n:05}"),
                    json!(format!("{}{url}", app.storage_url)),
                );
            }
            let href = format!(
                "{}{}",
                app.storage_url,
                app.signer.sign(&format!("/complete/{key}"), &params)
            );
            objects.push(with_actions(json!({
                "upload": {"href": href, "header": header, "expires_at": expires_at,
                           "expires_in": app.signer.ttl},
                "verify": verify,
            })));
        } else {
            let href = format!(
                "{}{}",
                app.storage_url,
                app.signer
                    .sign(&format!("/upload/{key}"), &[("size", size.to_string())])
            );
            objects.push(with_actions(json!({
                "upload": {"href": href, "expires_at": expires_at, "expires_in": app.signer.ttl},
                "verify": verify,
            })));
        }
    }
    let transfer = if any_multipart || !basic_ok {
        "multipart"
    } else {
        "basic"
    };
    Ok(lfs_json(
        StatusCode::OK,
        json!({"transfer": transfer, "objects": objects, "hash_algo": "sha256"}),
    ))
}

/// The (unencoded, always valid) path of a repo's verify endpoint, which is what gets signed.
fn verify_path(r: &RepoRef) -> String {
    format!(
        "/{}{}/{}.git/info/lfs/objects/verify",
        r.kind.url_prefix(),
        r.namespace,
        r.name
    )
}

/// `POST …/info/lfs/objects/verify`: signed, and with Hub auth (Python sends its token).
/// 200 when the object is stored with that size, 404 otherwise.
pub async fn verify(ctx: &Ctx, r: &RepoRef, body: Bytes) -> ApiResult<Response> {
    ctx.app
        .signer
        .verify(&ctx.path, ctx.query.as_deref())
        .map_err(|e| ApiError::forbidden(e.message()))?;
    {
        let state = ctx.app.lock();
        readable(&state, r, &ctx.caller)?;
        check_write_role(&ctx.caller)?;
    }
    let b: VerifyBody = parse_json(&body)?;
    if !valid_oid(&b.oid) {
        return Err(ApiError::unprocessable(format!(
            "Invalid oid {:?}: expected 64 hexadecimal characters",
            b.oid
        )));
    }
    let stored = ctx
        .app
        .blobs
        .size(&b.oid.to_ascii_lowercase())
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    match stored {
        Some(n) if n == b.size => Ok(lfs_json(
            StatusCode::OK,
            json!({"oid": b.oid, "size": b.size}),
        )),
        Some(n) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Object {} is stored with size {n}, not {}", b.oid, b.size),
        )),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Object {} was not uploaded", b.oid),
        )),
    }
}
