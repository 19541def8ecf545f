//! Sending a request again after transient failures, as the core's `RetryPolicy` says. Every
//! retried step of a commit goes through the one non-generic [`Sender::send`].

use alloc::vec::Vec;

use wasm_bindgen::JsValue;

use super::commit::content::Content;
use super::failure::Failure;
use super::sleep::sleep_ms;
use super::transport::{discard_body, Transport};
use crate::error::HubError;
use crate::http::retry::{Attempt, Idempotency, RetryPolicy};
use crate::http::{HttpRequest, HttpResponseHead};

/// The body of a request.
pub enum Payload<'a> {
    /// The core's own (JSON text, or none).
    Core,
    /// A JS body, sent as is on every attempt.
    Js(&'a JsValue),
    /// Bytes `[start, end)` of a file's content, taken anew on every attempt; a successful
    /// answer's body (storage hosts send none worth reading) is cancelled, not read.
    Slice(&'a Content, u64, u64),
}

/// Reads an answer: `Err` with a retryable error means try again.
pub type Parse<'p> = dyn FnMut(&HttpResponseHead, &[u8]) -> Result<(), HubError> + 'p;

/// The transport, the retry policy and the abort signal of a commit.
pub struct Sender<'a> {
    pub t: &'a Transport,
    pub policy: &'a RetryPolicy,
    pub signal: &'a JsValue,
}

impl Sender<'_> {
    /// Sends `req` until `parse` accepts the answer, a failure is final, or the policy gives up
    /// (waiting between attempts, cut short by the abort signal).
    pub async fn send(
        &self,
        req: &HttpRequest,
        kind: Idempotency,
        payload: Payload<'_>,
        parse: &mut Parse<'_>,
    ) -> Result<(), Failure> {
        let mut retry = 0;
        loop {
            let failure = match self.attempt(req, &payload, parse).await {
                Ok(()) => return Ok(()),
                Err(f) => f,
            };
            let what = match &failure {
                Failure::Hub(e, _) => Attempt::Answered(e),
                Failure::Network { .. } => Attempt::Lost,
                Failure::Storage { .. } | Failure::Aborted(_) => return Err(failure),
            };
            match self
                .policy
                .delay_ms(retry, what, kind, js_sys::Math::random())
            {
                Some(ms) => {
                    sleep_ms(ms, self.signal).await?;
                    retry += 1;
                }
                None => return Err(failure),
            }
        }
    }

    async fn attempt(
        &self,
        req: &HttpRequest,
        payload: &Payload<'_>,
        parse: &mut Parse<'_>,
    ) -> Result<(), Failure> {
        let body = match payload {
            Payload::Core => None,
            Payload::Js(b) => Some((*b).clone()),
            Payload::Slice(content, start, end) => Some(content.body(*start, *end).await?),
        };
        let (resp, head) = self.t.send_with_body(req, body.as_ref()).await?;
        let bytes = if head.is_success() && matches!(payload, Payload::Slice(..)) {
            discard_body(&resp);
            Vec::new()
        } else {
            self.t.read_body(&resp, &req.url).await?
        };
        Ok(parse(&head, &bytes)?)
    }
}
