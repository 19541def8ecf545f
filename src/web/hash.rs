//! SHA-256 of content in wasm, read in slices with the next read in flight while the current
//! slice is hashed: memory is two slices, whatever the file size.

use alloc::string::String;

use wasm_bindgen::JsValue;

use super::content::{finish_read, Content};
use super::failure::Failure;
use super::sleep::check_abort;
use crate::hashing::Sha256;

/// Bytes per read. Large enough to amortise the JS↔wasm hop, small enough to stay bounded.
pub const READ_SIZE: u64 = 8 * 1024 * 1024;

/// Hashes `content`, reporting bytes done after each slice.
pub async fn sha256(
    content: &Content,
    signal: &JsValue,
    mut on_progress: impl FnMut(u64),
) -> Result<String, Failure> {
    let size = content.size();
    let mut hasher = Sha256::new();
    let mut start = 0;
    let mut pending = if size > 0 {
        Some(content.start_read(0, size.min(READ_SIZE))?)
    } else {
        None
    };
    while let Some(p) = pending.take() {
        check_abort(signal)?;
        let end = (start + READ_SIZE).min(size);
        if end < size {
            pending = Some(content.start_read(end, (end + READ_SIZE).min(size))?);
        }
        let bytes = finish_read(p, (end - start) as usize).await?;
        hasher.update(&bytes);
        start = end;
        on_progress(start);
    }
    Ok(hasher.finish_hex())
}

/// SHA-256 of a `Blob` (or blob-like) in wasm, for hashing in a Web Worker or on demand.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = hashSha256)]
pub async fn hash_sha256(
    content: JsValue,
    signal: JsValue,
    on_progress: JsValue,
) -> Result<String, JsValue> {
    use wasm_bindgen::JsCast;
    let content = Content::new(content, "content").map_err(|e| Failure::from(e).into_js())?;
    let cb = on_progress.dyn_into::<js_sys::Function>().ok();
    sha256(&content, &signal, |done| {
        if let Some(f) = &cb {
            let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from_f64(done as f64));
        }
    })
    .await
    .map_err(Failure::into_js)
}
