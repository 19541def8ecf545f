//! Errors crossing into JavaScript: one `HubError` class, registered by the TypeScript layer, so
//! `instanceof HubError` works; `AbortError`s from `fetch` pass through untouched.

use alloc::string::String;
use core::cell::RefCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::failure::Failure;
use crate::error::HubError;

std::thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the JavaScript `HubError` class that every error from this module is built with.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(ctor: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(ctor));
}

fn set(obj: &Object, key: &str, value: JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// A signed storage URL is a short-lived credential: errors (and so application logs) get it
/// without its query string.
fn redact(url: &str) -> alloc::borrow::Cow<'_, str> {
    let Some((base, query)) = url.split_once('?') else {
        return url.into();
    };
    let q = query.to_ascii_lowercase();
    if ["sig", "signature", "token", "x-amz-", "expires", "exp="]
        .iter()
        .any(|k| q.contains(k))
    {
        alloc::format!("{base}?<signed query removed>").into()
    } else {
        url.into()
    }
}

/// The fields of a JS `HubError`.
pub struct JsErrorFields<'a> {
    code: &'static str,
    message: &'a str,
    url: Option<&'a str>,
    hub: Option<&'a HubError>,
}

impl<'a> JsErrorFields<'a> {
    /// An error the shell produced itself (no Hub answer behind it).
    pub fn new(code: &'static str, message: &'a str, url: Option<&'a str>) -> Self {
        JsErrorFields {
            code,
            message,
            url,
            hub: None,
        }
    }

    /// A core error, with everything the answer said.
    pub fn hub(err: &'a HubError) -> Self {
        JsErrorFields {
            code: err.kind().code(),
            message: err.message(),
            url: err.url(),
            hub: Some(err),
        }
    }
}

/// Builds a JS `HubError` (plus an optional JS `cause`).
pub fn to_js(f: JsErrorFields<'_>, cause: Option<JsValue>) -> JsValue {
    let init = Object::new();
    let message = match f.url {
        Some(u) => f.message.replace(u, &redact(u)),
        None => String::from(f.message),
    };
    set(&init, "message", JsValue::from_str(&message));
    set(&init, "code", JsValue::from_str(f.code));
    set(&init, "url", opt_str(f.url.map(redact).as_deref()));
    if let Some(err) = f.hub {
        set(
            &init,
            "status",
            err.status().map_or(JsValue::UNDEFINED, JsValue::from),
        );
        set(&init, "requestId", opt_str(err.request_id()));
        set(&init, "errorCode", opt_str(err.error_code()));
        set(&init, "serverMessage", opt_str(err.server_message()));
        set(
            &init,
            "retryAfterMs",
            err.retry_after_ms()
                .map_or(JsValue::UNDEFINED, |ms| JsValue::from(ms as f64)),
        );
    }
    if let Some(c) = cause {
        set(&init, "cause", c);
    }
    let args = js_sys::Array::of1(&init);
    let built = ERROR_CLASS.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|ctor| Reflect::construct(ctor, &args).ok())
    });
    built.unwrap_or_else(|| {
        // Without a registered class (direct use of the raw module) still throw a real Error.
        let e = js_sys::Error::new(&message);
        e.set_name("HubError");
        let obj: &Object = e.as_ref();
        for key in [
            "code",
            "status",
            "url",
            "requestId",
            "errorCode",
            "serverMessage",
            "retryAfterMs",
            "cause",
        ] {
            if let Ok(v) = Reflect::get(&init, &JsValue::from_str(key)) {
                set(obj, key, v);
            }
        }
        e.into()
    })
}

/// What a rejected `fetch` (or body read) means: an abort stays exactly as it was thrown;
/// anything else is a `Network` error carrying the original as `cause`.
pub fn from_fetch_rejection(e: JsValue, url: &str) -> Failure {
    if is_abort(&e) {
        return Failure::Aborted(e);
    }
    let detail = Reflect::get(&e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    Failure::Network {
        message: alloc::format!("network error while fetching {url}: {detail}"),
        url: String::from(url),
        cause: e,
    }
}

/// Whether a JS error is an abort (`AbortError`, or `TimeoutError` from `AbortSignal.timeout`).
pub fn is_abort(e: &JsValue) -> bool {
    let name = Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    matches!(name.as_deref(), Some("AbortError" | "TimeoutError"))
}
