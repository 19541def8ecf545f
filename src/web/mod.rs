//! The WebAssembly shell: drives the sans-IO core with the caller's `fetch`.
//!
//! Only this module knows about JavaScript. It turns typed option objects into core parameters,
//! sends the core's requests through the injected `fetch` (passing the `AbortSignal` along),
//! feeds responses back, and hands results to JavaScript. Response bodies that are file content
//! are returned as `Response` objects so they stream in JavaScript and never pass through wasm
//! memory.

mod api;
mod bounded;
mod commit;
mod content;
mod errors;
mod failure;
mod hash;
mod options;
mod progress;
mod retrying;
mod sleep;
mod transport;
mod upload;

#[cfg(test)]
mod tests;
