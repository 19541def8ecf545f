//! Every named call of this module, driven from JavaScript: `start(name, options)` checks the
//! options (bad input fails before any request exists) and gives the first request; then for
//! each answer `needsBody(id, head)` says whether to read its body, and `answer(id, head, body)`
//! gives the next request, the result, or says the answer itself is the result (a download);
//! `end(id)` forgets the call. Every result is JSON text (see `envelope`).

use alloc::boxed::Box;
use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::envelope::{self, error, head, wrap};
use super::slab::Slab;
use crate::call::{Find, Flow, Registry, Step};
use crate::error::HubError;

static CALLS: Slab<Box<dyn Flow>> = Slab::new();

/// The calls of this module (`crate::modules` says which module carries which).
fn register(r: &mut impl Registry) {
    #[cfg(feature = "files")]
    crate::modules::files(r);
    #[cfg(feature = "api")]
    crate::modules::api(r);
    #[cfg(feature = "refs")]
    crate::modules::refs(r);
    #[cfg(feature = "repos")]
    crate::modules::repos(r);
    #[cfg(feature = "manage")]
    crate::modules::manage(r);
    #[cfg(feature = "oauth")]
    crate::modules::oauth(r);
    #[cfg(feature = "info")]
    crate::modules::info(r);
}

/// Starts the call `name`: `{"id", "send": request}` or `{"error"}`.
#[wasm_bindgen]
pub fn start(name: &str, options: &str) -> String {
    let mut find = Find::new(name);
    register(&mut find);
    let Some((start, name)) = find.found() else {
        return error(&HubError::invalid_input("no such call in this module"));
    };
    match crate::options::read(options, name, start) {
        Ok(started) => {
            let id = CALLS.insert(started.flow);
            let mut out = String::from("{\"id\":");
            crate::http::json::push_u64(&mut out, id.into());
            out.push_str(",\"send\":");
            envelope::push_request(&mut out, &started.request);
            out.push('}');
            out
        }
        Err(e) => error(&e),
    }
}

/// Whether the call needs this answer's body (when not, the driver cancels it, or hands it over
/// unread when the answer is the result).
#[wasm_bindgen(js_name = needsBody)]
pub fn needs_body(id: u32, answer_head: &str) -> bool {
    match head(answer_head) {
        Ok(h) => CALLS.with(id, |f| f.needs_body(&h)).unwrap_or(true),
        Err(_) => true,
    }
}

/// Takes an answer: `{"send": request}`, `{"done": result}`, `{"body": true}` or `{"error"}`.
#[wasm_bindgen]
pub fn answer(id: u32, answer_head: &str, body: &[u8]) -> String {
    let step = head(answer_head).and_then(|h| {
        CALLS
            .with(id, |f| f.on_response(&h, body))
            .unwrap_or_else(|| Err(HubError::invalid_input("no such call")))
    });
    match step {
        Ok(Step::Send(req)) => envelope::request("send", &req),
        Ok(Step::Done(json)) => wrap("done", &json),
        Ok(Step::Body) => String::from("{\"body\":true}"),
        Err(e) => error(&e),
    }
}

/// Forgets the call (after its result, an error, or an abort).
#[wasm_bindgen]
pub fn end(id: u32) {
    CALLS.take(id);
}
