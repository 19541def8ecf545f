//! Running a step again after transient failures, as the core's `RetryPolicy` says.

use core::future::Future;

use wasm_bindgen::JsValue;

use super::failure::Failure;
use super::sleep::sleep_ms;
use crate::retry::{Idempotency, RetryPolicy};

/// Runs `attempt` until it succeeds, fails for good, or the policy gives up. `on_retry` is told
/// each wait (for logs and tests).
pub async fn retrying<T, F, Fut>(
    policy: &RetryPolicy,
    kind: Idempotency,
    signal: &JsValue,
    mut attempt: F,
) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut retry = 0;
    loop {
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(Failure::Hub(e, cause)) => {
                match policy.delay_ms(retry, &e, kind, js_sys::Math::random()) {
                    Some(ms) => {
                        sleep_ms(ms, signal).await?;
                        retry += 1;
                    }
                    None => return Err(Failure::Hub(e, cause)),
                }
            }
            Err(other) => return Err(other),
        }
    }
}
