//! The files area's synchronous exports: naming a file or a repo for the cache, validated by
//! the core's rules, with no request.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::failure::Failure;
use crate::call::to_json;
use crate::files::target::{file_target, repo_key};
use crate::files::FileOptions;
use crate::options::{self, Target};

/// `{ repoKey, repoId, repoType, revision, path, isCommit }` (JSON text) for a file's options.
#[wasm_bindgen(js_name = fileTarget)]
pub fn file_target_js(opts: String) -> Result<String, JsValue> {
    options::parse::<FileOptions>(&opts, "downloadFile")
        .and_then(|o| file_target(&o))
        .and_then(|t| to_json(&t))
        .map_err(|e| Failure::from(e).into_js())
}

/// `models/ns/name` for a repo's options: how the cache keys a repo.
#[wasm_bindgen(js_name = repoKey)]
pub fn repo_key_js(opts: String) -> Result<String, JsValue> {
    options::parse::<Target>(&opts, "repoKey")
        .map(|o| repo_key(&o.repo()))
        .map_err(|e| Failure::from(e).into_js())
}
