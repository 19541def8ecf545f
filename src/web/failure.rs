//! Failures inside the shell, kept typed until they cross into JavaScript so retry decisions
//! never have to inspect JS objects.

use wasm_bindgen::JsValue;

use super::errors::to_js;
use crate::error::HubError;
use crate::http::retry::{may_retry, Idempotency};

/// A failed step.
pub enum Failure {
    /// A Hub error (from a response, bad input, or the network), with the JS error behind it.
    Hub(HubError, Option<JsValue>),
    /// The caller aborted: rethrown exactly as JavaScript produced it.
    Aborted(JsValue),
}

impl Failure {
    /// Whether another attempt may succeed.
    pub fn may_retry(&self, kind: Idempotency) -> bool {
        match self {
            Failure::Hub(e, _) => may_retry(e, kind),
            Failure::Aborted(_) => false,
        }
    }

    /// The error as JavaScript sees it.
    pub fn into_js(self) -> JsValue {
        match self {
            Failure::Hub(e, cause) => to_js(&e, cause),
            Failure::Aborted(v) => v,
        }
    }
}

impl From<HubError> for Failure {
    fn from(e: HubError) -> Self {
        Failure::Hub(e, None)
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> Self {
        f.into_js()
    }
}
