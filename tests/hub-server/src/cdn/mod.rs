//! The storage origin: a second listener that plays the LFS storage / CDN host. Every URL on
//! it was handed out by the Hub origin (LFS batch answers, resolve redirects) and carries its
//! own signature, so requests here never need, and never look at, the Hub token.
//!
//! | method | path | what |
//! |---|---|---|
//! | PUT | `/upload/{oid}?size=` | basic upload of a whole object |
//! | PUT | `/part/{oid}/{n}?size=&chunk=` | one part of a multipart upload; answers its ETag |
//! | POST | `/complete/{oid}?size=&chunk=` | multipart completion `{oid, parts:[{partNumber, etag}]}` |
//! | GET, HEAD | `/objects/{oid}[?filename=]` | object content, with ranges |

mod download;
mod upload;

use axum::extract::{Request, State as AxState};
use axum::http::Method;
use axum::response::{IntoResponse, Response};

use crate::app::App;
use crate::errors::{ApiError, ApiResult};

/// The single fallback handler of the storage origin.
pub async fn dispatch(AxState(app): AxState<App>, req: Request) -> Response {
    match handle(app, req).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

/// What a storage path addresses.
enum Target {
    Upload(String),
    Part(String, u32),
    Complete(String),
    Object(String),
}

fn target(path: &str) -> Option<Target> {
    let segs: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    // Only the lowercase form the Hub hands out.
    let oid = |s: &str| crate::git::is_sha256_hex(s).then(|| s.to_string());
    Some(match segs.as_slice() {
        ["upload", o] => Target::Upload(oid(o)?),
        ["part", o, n] => Target::Part(oid(o)?, n.parse().ok().filter(|n| *n >= 1)?),
        ["complete", o] => Target::Complete(oid(o)?),
        ["objects", o] => Target::Object(oid(o)?),
        _ => return None,
    })
}

async fn handle(app: App, req: Request) -> ApiResult<Response> {
    let path = req.uri().path().to_string();
    let Some(target) = target(&path) else {
        return Err(ApiError::not_found());
    };
    let method = req.method().clone();
    let allowed = match target {
        Target::Upload(_) | Target::Part(..) => method == Method::PUT,
        Target::Complete(_) => method == Method::POST,
        Target::Object(_) => method == Method::GET || method == Method::HEAD,
    };
    if !allowed {
        return Err(ApiError::method_not_allowed());
    }
    let params = app
        .signer
        .verify(&path, req.uri().query())
        .map_err(|e| ApiError::forbidden(e.message()))?;
    let param = |k: &str| -> Option<String> {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let number = |k: &str| -> ApiResult<u64> {
        param(k)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| ApiError::bad_request(format!("Missing {k} in the signed URL")))
    };
    match target {
        Target::Upload(oid) => upload::put_object(&app, &oid, number("size")?, req).await,
        Target::Part(oid, n) => {
            upload::put_part(&app, &oid, n, number("size")?, number("chunk")?, req).await
        }
        Target::Complete(oid) => {
            upload::complete(&app, &oid, number("size")?, number("chunk")?, req).await
        }
        Target::Object(oid) => download::object(&app, &oid, param("filename"), req).await,
    }
}
