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

/// Incremental git blob SHA-1 (the etag of regular files), for verifying cached downloads.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = GitBlobSha1)]
pub struct JsGitBlobSha1(crate::hashing::GitBlobSha1);

#[wasm_bindgen::prelude::wasm_bindgen(js_class = GitBlobSha1)]
impl JsGitBlobSha1 {
    /// A hasher for a blob of `size` bytes.
    #[wasm_bindgen::prelude::wasm_bindgen(constructor)]
    pub fn new(size: f64) -> JsGitBlobSha1 {
        JsGitBlobSha1(crate::hashing::GitBlobSha1::new(size as u64))
    }

    /// Feeds the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// The hex digest, or an empty string when the bytes fed do not add up to the size.
    pub fn digest(&self) -> String {
        self.0.clone().finish_hex().unwrap_or_default()
    }
}
