//! The WebAssembly shell: drives the sans-IO core with the caller's `fetch`.
//!
//! Only this module knows about JavaScript. It turns typed option objects into core parameters,
//! sends the core's requests through the injected `fetch` (passing the `AbortSignal` along),
//! feeds responses back, and hands results to JavaScript. Response bodies that are file content
//! are returned as `Response` objects so they stream in JavaScript and never pass through wasm
//! memory.

mod bounded;
mod calls;
mod commit;
mod errors;
mod failure;
mod files;
mod hash;
mod retrying;
mod sleep;
mod transport;

#[cfg(test)]
mod tests;
