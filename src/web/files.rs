//! The files area's synchronous exports: naming a file or a repo for the cache, with the core's
//! rules and no request. Each returns `{"done": …}` or `{"error": …}`.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::envelope::{error, wrap};
use crate::call::to_json;
use crate::files::target::{file_target, repo_key};
use crate::files::FileOptions;
use crate::http::json::push_string;
use crate::options::{self, Target};

/// `{ repoKey, repoId, repoType, revision, path, isCommit }` for a file's options.
#[wasm_bindgen(js_name = fileTarget)]
pub fn file_target_js(opts: &str) -> String {
    match options::parse::<FileOptions>(opts, "downloadFile")
        .and_then(|o| file_target(&o))
        .and_then(|t| to_json(&t))
    {
        Ok(json) => wrap("done", &json),
        Err(e) => error(&e),
    }
}

/// `"models/ns/name"` for a repo's options: how the cache keys a repo.
#[wasm_bindgen(js_name = repoKey)]
pub fn repo_key_js(opts: &str) -> String {
    match options::parse::<Target>(opts, "repoKey") {
        Ok(o) => {
            let mut json = String::new();
            push_string(&mut json, &repo_key(&o.repo()));
            wrap("done", &json)
        }
        Err(e) => error(&e),
    }
}
