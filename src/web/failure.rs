//! The shell's error: the core's [`HubError`] (what an answer or the caller's input says) or
//! what only the shell can see — the network failed, reading content or storage failed, the
//! caller aborted. Kept typed until it crosses into JavaScript, so retry decisions never
//! inspect JS objects; there every kind becomes one `HubError` class with a `code`.

use alloc::string::String;
use wasm_bindgen::JsValue;

use super::errors::{to_js, JsErrorFields};
use crate::error::HubError;

/// A failed step.
pub enum Failure {
    /// From the core: a Hub answer, bad input, an answer it cannot read; with the JS error
    /// behind it, if any.
    Hub(HubError, Option<JsValue>),
    /// The request failed in transport (`fetch` or a body read rejected): code `Network`.
    Network {
        /// What failed.
        message: String,
        /// The URL.
        url: String,
        /// The JS error.
        cause: JsValue,
    },
    /// Reading the caller's content (or building a body from it) failed: code `Storage`.
    Storage {
        /// What failed.
        message: String,
        /// The JS error, if any.
        cause: Option<JsValue>,
    },
    /// The caller aborted: rethrown exactly as JavaScript produced it.
    Aborted(JsValue),
}

impl Failure {
    /// A `Storage` failure.
    pub fn storage(message: impl Into<String>, cause: Option<JsValue>) -> Failure {
        Failure::Storage {
            message: message.into(),
            cause,
        }
    }

    /// The error as JavaScript sees it.
    pub fn into_js(self) -> JsValue {
        match self {
            Failure::Hub(e, cause) => to_js(JsErrorFields::hub(&e), cause),
            Failure::Network {
                message,
                url,
                cause,
            } => to_js(
                JsErrorFields::new("Network", &message, Some(&url)),
                Some(cause),
            ),
            Failure::Storage { message, cause } => {
                to_js(JsErrorFields::new("Storage", &message, None), cause)
            }
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
