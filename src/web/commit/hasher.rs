//! Hashing a file's content with the hasher the TypeScript layer chose (wasm on a stream, a
//! Web Worker pool, `node:crypto`), reporting progress and giving up at once on abort.

use alloc::format;
use alloc::string::{String, ToString};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::content::Content;
use super::progress::Progress;
use crate::error::HubError;
use crate::web::errors::is_abort;
use crate::web::failure::Failure;
use crate::web::sleep::check_abort;

/// The hash, computed by the TypeScript layer's hasher (wasm on a stream, a Web Worker pool,
/// `node:crypto`): `hasher(content, onBytes)`.
pub async fn external_hash(
    f: &Function,
    content: &Content,
    path: &str,
    total: u64,
    progress: &Progress,
    signal: &JsValue,
) -> Result<String, Failure> {
    let path_owned = path.to_string();
    let progress = progress.clone();
    // Owned by JS from here on: a hasher that reports late (a Web Worker finishing after an
    // abort) must find a live function, not a dropped closure.
    let report = Closure::<dyn Fn(f64)>::new(move |done: f64| {
        progress.file(&path_owned, "hashing", done as u64, total);
    })
    .into_js_value();
    let p = f
        .apply(
            &JsValue::UNDEFINED,
            &js_sys::Array::of4(content.js(), &report, signal, &JsValue::from_str(path)),
        )
        .map_err(|e| Failure::storage("the hasher failed", Some(e)))?;
    let p: Promise = p
        .dyn_into()
        .map_err(|_| HubError::invalid_input("the hasher must return a Promise"))?;
    // An abort ends the wait at once, whether or not the hasher itself listens to the signal.
    let p = Promise::race(&js_sys::Array::of2(&p, &crate::web::sleep::aborted(signal)));
    let v = JsFuture::from(p).await.map_err(|e| {
        if is_abort(&e) {
            Failure::Aborted(e)
        } else {
            Failure::storage(format!("hashing {path} failed"), Some(e))
        }
    })?;
    check_abort(signal)?;
    Ok(v.as_string().unwrap_or_default())
}
