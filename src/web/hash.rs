//! SHA-256 in wasm for JavaScript callers. The TypeScript layer feeds it chunks of a
//! `Blob.stream()` (browsers serve streams faster than slices, and a stream keeps memory at one
//! chunk), on the main thread or in a Web Worker.

use alloc::string::String;

/// Incremental SHA-256 for JavaScript: the caller streams chunks in (from `Blob.stream()`, which
/// browsers serve faster than slices), the hash runs in wasm, memory stays one chunk.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = Sha256)]
pub struct JsSha256(crate::hashing::Sha256);

#[wasm_bindgen::prelude::wasm_bindgen(js_class = Sha256)]
impl JsSha256 {
    /// A fresh hasher.
    #[wasm_bindgen::prelude::wasm_bindgen(constructor)]
    pub fn new() -> JsSha256 {
        JsSha256(crate::hashing::Sha256::new())
    }

    /// Feeds the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// The lower-case hex digest; the hasher can then be dropped.
    pub fn digest(&self) -> String {
        self.0.clone().finish_hex()
    }
}

impl Default for JsSha256 {
    fn default() -> Self {
        Self::new()
    }
}
