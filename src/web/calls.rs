//! The one async export behind every named call but `commit`: `call(name, options, fetch,
//! signal)`. The call is looked up in the core's registry and started synchronously (so bad
//! input fails before `fetch` is ever called), then one loop sends requests and feeds the
//! answers back until the call has its result. One async state machine in the wasm for all
//! of them.

use alloc::string::String;
use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::failure::Failure;
use super::transport::{discard_body, Transport};
use crate::call::{Find, Started, Step};
use crate::error::HubError;

/// Runs the call `name` with `opts` (its options as JSON text). Resolves to the result as JSON
/// text, or to the `Response` itself when the result is a file's body.
#[wasm_bindgen]
pub async fn call(
    name: String,
    opts: String,
    fetch: Function,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    run(&name, &opts, Transport::new(fetch, signal))
        .await
        .map_err(Failure::into_js)
}

/// Finds and starts the call: every check on the options happens here.
fn start(name: &str, opts: &str) -> Result<Started, HubError> {
    let mut find = Find::new(name);
    crate::register_calls(&mut find);
    let (start, name) = find
        .found()
        .ok_or_else(|| HubError::invalid_input("no such call"))?;
    crate::options::read(opts, name, start)
}

async fn run(name: &str, opts: &str, t: Transport) -> Result<JsValue, Failure> {
    let Started {
        mut flow,
        request: mut req,
    } = start(name, opts)?;
    loop {
        let (resp, head) = t.send(&req).await?;
        let read = flow.needs_body(&head);
        let body = if read {
            t.read_body(&resp, &req.url).await?
        } else {
            alloc::vec::Vec::new()
        };
        let step = flow.on_response(&head, &body);
        if !read && !matches!(step, Ok(Step::Body)) {
            discard_body(&resp);
        }
        match step? {
            Step::Send(r) => req = r,
            Step::Done(json) => return Ok(JsValue::from_str(&json)),
            Step::Body => return Ok(resp.into()),
        }
    }
}
