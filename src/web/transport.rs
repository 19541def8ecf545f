//! Sending core requests through the injected `fetch`.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Response, ResponseType};

use super::errors::from_fetch_rejection;
use super::failure::Failure;
use crate::error::HubError;
use crate::http::{Body, Headers, HttpRequest, HttpResponseHead};

std::thread_local! {
    /// Whether `redirect: "manual"` shows us real redirects. Browsers return an opaque
    /// response instead; once we see one we let them follow (they drop `Authorization` on
    /// cross-origin redirects by the Fetch standard).
    static MANUAL_REDIRECTS: Cell<bool> = const { Cell::new(true) };
}

/// The caller's `fetch` and `AbortSignal`.
pub struct Transport {
    fetch: Function,
    signal: JsValue,
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

impl Transport {
    /// Wraps the caller's fetch and signal (`undefined` for none).
    pub fn new(fetch: Function, signal: JsValue) -> Self {
        Transport { fetch, signal }
    }

    async fn call(
        &self,
        req: &HttpRequest,
        body: Option<&JsValue>,
        redirect: &str,
    ) -> Result<Response, Failure> {
        let init = Object::new();
        set(&init, "method", &JsValue::from_str(req.method.as_str()));
        let headers = Object::new();
        for (name, value) in req.headers.iter() {
            set(&headers, name, &JsValue::from_str(value));
        }
        set(&init, "headers", &headers);
        match (body, &req.body) {
            (Some(b), _) => set(&init, "body", b),
            (None, Body::Text(text)) => set(&init, "body", &JsValue::from_str(text)),
            (None, Body::Empty) => {}
        }
        set(&init, "redirect", &JsValue::from_str(redirect));
        if !self.signal.is_undefined() && !self.signal.is_null() {
            set(&init, "signal", &self.signal);
        }
        let promise = self
            .fetch
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)
            .map_err(|e| from_fetch_rejection(e, &req.url))?;
        let promise: Promise = promise
            .dyn_into()
            .map_err(|_| HubError::invalid_input("the fetch option must return a Promise"))?;
        let value = JsFuture::from(promise)
            .await
            .map_err(|e| from_fetch_rejection(e, &req.url))?;
        Ok(value
            .dyn_into::<Response>()
            .map_err(|_| HubError::invalid_input("the fetch option must resolve to a Response"))?)
    }

    /// Sends a request without following redirects where the runtime allows it, so the core
    /// decides where the token goes.
    pub async fn send(&self, req: &HttpRequest) -> Result<(Response, HttpResponseHead), Failure> {
        self.send_with_body(req, None).await
    }

    /// Like `send`, with a JS body (a `Blob`, a `Blob` slice, bytes) instead of the core's.
    pub async fn send_with_body(
        &self,
        req: &HttpRequest,
        body: Option<&JsValue>,
    ) -> Result<(Response, HttpResponseHead), Failure> {
        if MANUAL_REDIRECTS.with(Cell::get) {
            let resp = self.call(req, body, "manual").await?;
            if resp.type_() != ResponseType::Opaqueredirect {
                let head = head_of(&resp, &req.url);
                return Ok((resp, head));
            }
            MANUAL_REDIRECTS.with(|m| m.set(false));
        }
        let resp = self.call(req, body, "follow").await?;
        let head = head_of(&resp, &req.url);
        Ok((resp, head))
    }

    /// Reads a whole (small) body: JSON answers and error bodies.
    pub async fn read_body(&self, resp: &Response, url: &str) -> Result<Vec<u8>, Failure> {
        let promise = resp
            .array_buffer()
            .map_err(|e| from_fetch_rejection(e, url))?;
        let buf = JsFuture::from(promise)
            .await
            .map_err(|e| from_fetch_rejection(e, url))?;
        Ok(Uint8Array::new(&buf).to_vec())
    }
}

/// Drops a body we do not need (e.g. a whole file sent to a range probe).
pub fn discard_body(resp: &Response) {
    if let Some(body) = resp.body() {
        if !body.locked() {
            let p = body.cancel();
            // Swallow the result so a failed cancel is not an unhandled rejection.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// The core's view of a response; after a followed redirect its URL is the final one.
fn head_of(resp: &Response, requested: &str) -> HttpResponseHead {
    let mut headers = Headers::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for entry in iter.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.append(&n, &v);
            }
        }
    }
    let url: String = if resp.redirected() {
        resp.url()
    } else {
        String::from(requested)
    };
    HttpResponseHead {
        status: resp.status(),
        headers,
        url,
    }
}
