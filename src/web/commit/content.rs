//! File content to upload: a `Blob`/`File`, or any object shaped like one (`size`, `slice()`,
//! and `arrayBuffer()` on the slices) such as the lazy remote-URL blob of the TypeScript layer.
//! Content is only ever read a slice at a time, so memory stays bounded whatever the size.

use alloc::format;
use alloc::vec::Vec;

use js_sys::{ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::HubError;
use crate::web::errors::from_fetch_rejection;
use crate::web::failure::Failure;

/// One file's content.
#[derive(Clone)]
pub struct Content {
    obj: JsValue,
    size: u64,
    is_blob: bool,
    /// The bytes, when the TypeScript layer already read them (its `BytesContent`): read here
    /// without a promise per read, which for a thousand small files was most of the time.
    data: Option<Uint8Array>,
}

fn method(obj: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

impl Content {
    /// Checks that `obj` can be read as content.
    pub fn new(obj: JsValue, path: &str) -> Result<Content, HubError> {
        let size = Reflect::get(&obj, &JsValue::from_str("size"))
            .ok()
            .and_then(|s| s.as_f64())
            .filter(|s| s.is_finite() && *s >= 0.0 && s.fract() == 0.0);
        let (Some(size), Some(_)) = (size, method(&obj, "slice")) else {
            return Err(HubError::invalid_input(format!(
                "the content of {path:?} must be a Blob, a File, bytes, a string or a URL"
            )));
        };
        let is_blob = obj.is_instance_of::<web_sys::Blob>();
        let data = Reflect::get(&obj, &JsValue::from_str("data"))
            .ok()
            .and_then(|d| d.dyn_into::<Uint8Array>().ok())
            .filter(|d| f64::from(d.length()) == size);
        Ok(Content {
            obj,
            size: size as u64,
            is_blob,
            data,
        })
    }

    /// The original JS object (a `File` keeps its name and modification time).
    pub fn js(&self) -> &JsValue {
        &self.obj
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The JS object for bytes `[start, end)`.
    pub fn slice(&self, start: u64, end: u64) -> Result<JsValue, Failure> {
        let slice = method(&self.obj, "slice")
            .ok_or_else(|| HubError::invalid_input("content has no slice()"))?;
        slice
            .call2(
                &self.obj,
                &JsValue::from_f64(start as f64),
                &JsValue::from_f64(end as f64),
            )
            .map_err(|e| Failure::storage("cannot slice the content", Some(e)))
    }

    /// Starts reading bytes `[start, end)` (the slice's `arrayBuffer()` promise).
    fn start_read(&self, start: u64, end: u64) -> Result<Promise, Failure> {
        let slice = self.slice(start, end)?;
        let read = method(&slice, "arrayBuffer")
            .ok_or_else(|| HubError::invalid_input("content slices have no arrayBuffer()"))?;
        let p = read
            .call0(&slice)
            .map_err(|e| Failure::storage("cannot read the content", Some(e)))?;
        p.dyn_into::<Promise>().map_err(|_| {
            Failure::from(HubError::invalid_input(
                "arrayBuffer() must return a Promise",
            ))
        })
    }

    /// A body for `fetch`: the slice itself when it is a real `Blob` (the browser streams it
    /// from disk), else its bytes.
    pub async fn body(&self, start: u64, end: u64) -> Result<JsValue, Failure> {
        if self.is_blob {
            return self.slice(start, end);
        }
        if let Some(d) = &self.data {
            // A copy: `data` may be a view into bytes shared with other files, and a caller's own
            // `fetch` could read the whole buffer behind a view.
            return Ok(d.slice(start as u32, end as u32).into());
        }
        let buf = JsFuture::from(self.start_read(start, end)?)
            .await
            .map_err(|e| read_failure(e, "content"))?;
        Ok(Uint8Array::new(&buf).into())
    }

    /// Reads bytes `[start, end)` into wasm memory.
    pub async fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, Failure> {
        if let Some(d) = &self.data {
            return Ok(d.subarray(start as u32, end as u32).to_vec());
        }
        let p = self.start_read(start, end)?;
        finish_read(p, (end - start) as usize).await
    }
}

/// Awaits a read started with [`Content::start_read`] and checks its length.
async fn finish_read(p: Promise, expected: usize) -> Result<Vec<u8>, Failure> {
    let buf = JsFuture::from(p)
        .await
        .map_err(|e| read_failure(e, "content"))?;
    let buf: ArrayBuffer = buf.dyn_into().map_err(|_| {
        Failure::from(HubError::invalid_input(
            "arrayBuffer() must resolve to an ArrayBuffer",
        ))
    })?;
    let bytes = Uint8Array::new(&buf);
    if bytes.length() as usize != expected {
        return Err(Failure::storage(
            format!("read {} bytes where {expected} were expected: did the file change while uploading?", bytes.length()),
            None,
        ));
    }
    Ok(bytes.to_vec())
}

fn read_failure(e: JsValue, what: &str) -> Failure {
    match from_fetch_rejection(e, what) {
        Failure::Network { cause, .. } => Failure::storage(
            format!("cannot read the {what} (was the file moved or changed?)"),
            Some(cause),
        ),
        other => other,
    }
}
