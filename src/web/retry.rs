//! The core's retry policy for the TypeScript driver, which sends and sleeps.

use wasm_bindgen::prelude::*;

use crate::error::ErrorKind;
use crate::http::json::{self, Value};
use crate::http::retry::{Attempt, Idempotency, RetryPolicy};
use crate::options::Field;

/// How long to wait before retry number `retry` (0-based), in ms, or `-1` to give up.
/// `failure` is `{"retry", "commit"?, "policy"?, "error"?}` where `error` holds the failed
/// answer's `{code, status?, serverMessage?, retryAfterMs?}` and is absent when the request was
/// lost in transport; `random` is uniform in `[0, 1)`.
#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(failure: &str, random: f64) -> f64 {
    let Some(v) = json::parse(failure.as_bytes()) else {
        return -1.0;
    };
    let policy = crate::options::read(failure, "retry", |o| RetryPolicy::read(o, "policy"))
        .unwrap_or_default();
    let idempotency = if v["commit"] == Value::Bool(true) {
        Idempotency::Commit
    } else {
        Idempotency::Idempotent
    };
    let e = &v["error"];
    let what = if e.is_null() {
        Attempt::Lost
    } else {
        Attempt::Answered {
            kind: e["code"]
                .as_str()
                .and_then(ErrorKind::from_code)
                .unwrap_or(ErrorKind::Http),
            status: e["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
            server_message: e["serverMessage"].as_str(),
            retry_after_ms: e["retryAfterMs"].as_u64(),
        }
    };
    let retry = v["retry"]
        .as_u64()
        .and_then(|r| u32::try_from(r).ok())
        .unwrap_or(u32::MAX);
    match policy.delay_ms(retry, what, idempotency, random) {
        Some(ms) => ms as f64,
        None => -1.0,
    }
}
