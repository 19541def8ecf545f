//! The option objects the TypeScript layer passes in, validated into core parameters.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::config::{HubConfig, DEFAULT_ENDPOINT};
use crate::error::HubError;
use crate::path::RepoPath;
use crate::repo::{RepoId, RepoType};
use crate::revision::Revision;

/// `"ns/name"`, `"datasets/ns/name"` or `{ type, name }`, as `@huggingface/hub` accepts.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum RepoDesignation {
    /// A string designation.
    Name(String),
    /// An object designation.
    Id {
        #[serde(rename = "type", default)]
        kind: Option<String>,
        name: String,
    },
}

impl RepoDesignation {
    pub fn to_repo_id(&self) -> Result<RepoId, HubError> {
        match self {
            RepoDesignation::Name(s) => RepoId::parse_designation(s),
            RepoDesignation::Id { kind, name } => {
                let t = match kind {
                    Some(k) => RepoType::parse(k)?,
                    None => RepoType::Model,
                };
                RepoId::new(t, name)
            }
        }
    }
}

/// The options every repo call shares.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub repo: RepoDesignation,
    #[serde(default)]
    pub revision: Option<String>,
    #[serde(default)]
    pub hub_url: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
}

impl Target {
    pub fn config(&self) -> Result<HubConfig, HubError> {
        config(self.hub_url.as_deref(), self.access_token.as_deref())
    }
    pub fn repo(&self) -> Result<RepoId, HubError> {
        self.repo.to_repo_id()
    }
    pub fn revision(&self) -> Result<Revision, HubError> {
        match self.revision.as_deref() {
            None | Some("") => Ok(Revision::default()),
            Some(r) => Revision::new(r),
        }
    }
}

/// Endpoint and token, for calls that are not about a repo.
pub fn config(hub_url: Option<&str>, token: Option<&str>) -> Result<HubConfig, HubError> {
    HubConfig::new(hub_url.unwrap_or(DEFAULT_ENDPOINT), token)
}

/// `listFiles` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListFilesOptions {
    #[serde(flatten)]
    pub target: Target,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub recursive: bool,
    #[serde(default)]
    pub expand: bool,
}

/// Options naming one file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileOptions {
    #[serde(flatten)]
    pub target: Target,
    pub path: String,
    #[serde(default)]
    pub raw: bool,
    /// `[start, end)`; `end` may be omitted.
    #[serde(default)]
    pub range: Option<Vec<f64>>,
}

/// `pathsInfo` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathsInfoOptions {
    #[serde(flatten)]
    pub target: Target,
    pub paths: Vec<String>,
    #[serde(default)]
    pub expand: bool,
}

/// `whoAmI` options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountOptions {
    #[serde(default)]
    pub hub_url: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
}

/// Validates a repo path, trimming one trailing `/` for folder arguments.
pub fn folder_path(p: Option<&str>) -> Result<Option<RepoPath>, HubError> {
    match p.map(|s| s.strip_suffix('/').unwrap_or(s)) {
        None | Some("") => Ok(None),
        Some(s) => RepoPath::new(s).map(Some),
    }
}

/// Deserialises the options, which the TypeScript layer passes as JSON text (one JSON decoder
/// in the wasm instead of a second, JsValue-walking one per type); a shape error is the caller's
/// `InvalidInput`.
pub fn parse<T: for<'de> Deserialize<'de>>(v: JsValue, what: &str) -> Result<T, HubError> {
    let text = v.as_string().ok_or_else(|| {
        HubError::invalid_input(alloc::format!("{what} options must be passed as JSON text"))
    })?;
    serde_json::from_slice(text.as_bytes())
        .map_err(|e| HubError::invalid_input(alloc::format!("invalid {what} options: {e}")))
}

/// A JS number that must be a non-negative integer byte offset.
pub fn offset(n: f64, what: &str) -> Result<u64, HubError> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        // The number itself is not printed: formatting floats would cost the wasm ~10 KB.
        Err(HubError::invalid_input(alloc::format!(
            "invalid range {what}: expected a non-negative integer number of bytes"
        )))
    }
}
