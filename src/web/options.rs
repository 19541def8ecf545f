//! The option objects the TypeScript layer passes in, validated into core parameters.
//!
//! They arrive as JSON text, parsed into one `serde_json::Value` and read field by field: no
//! derived deserialiser per options type (measured: the derived ones cost the wasm more than
//! this whole module).

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

use crate::error::HubError;
use crate::http::config::{HubConfig, DEFAULT_ENDPOINT};
use crate::ids::path::RepoPath;
use crate::ids::repo::{RepoId, RepoType};
use crate::ids::revision::Revision;

/// One call's options object, parsed.
pub struct Opts<'a> {
    map: &'a Map<String, Value>,
    what: &'static str,
}

impl<'a> Opts<'a> {
    fn bad(&self, key: &str, expected: &str) -> HubError {
        HubError::invalid_input(alloc::format!(
            "invalid {} options: `{key}` must be {expected}",
            self.what
        ))
    }

    /// The field, `None` when absent or `null` (as `JSON.stringify` drops `undefined`).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// An optional string.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>, HubError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| self.bad(key, "a string")),
        }
    }

    /// A string that must be there.
    pub fn required(&self, key: &str) -> Result<&'a str, HubError> {
        self.str(key)?.ok_or_else(|| self.bad(key, "a string"))
    }

    /// An optional string, owned.
    pub fn string(&self, key: &str) -> Result<Option<String>, HubError> {
        Ok(self.str(key)?.map(String::from))
    }

    /// A boolean, `false` when absent.
    pub fn flag(&self, key: &str) -> Result<bool, HubError> {
        match self.get(key) {
            None => Ok(false),
            Some(v) => v.as_bool().ok_or_else(|| self.bad(key, "a boolean")),
        }
    }

    /// An optional non-negative integer.
    pub fn int(&self, key: &str) -> Result<Option<u64>, HubError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.bad(key, "a non-negative integer")),
        }
    }

    /// An optional non-negative integer that fits in `u32`.
    pub fn count(&self, key: &str) -> Result<Option<u32>, HubError> {
        match self.int(key)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| self.bad(key, "a non-negative 32-bit integer")),
        }
    }

    /// An optional array.
    pub fn list(&self, key: &str) -> Result<Option<&'a [Value]>, HubError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_array()
                .map(|a| Some(a.as_slice()))
                .ok_or_else(|| self.bad(key, "an array")),
        }
    }

    /// An array that must be there.
    pub fn array(&self, key: &str) -> Result<&'a [Value], HubError> {
        self.list(key)?.ok_or_else(|| self.bad(key, "an array"))
    }

    /// An array of strings that must be there.
    pub fn strings(&self, key: &str) -> Result<Vec<&'a str>, HubError> {
        self.array(key)?
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| self.bad(key, "an array of strings"))
            })
            .collect()
    }

    /// A nested object found by the caller, read with the same rules.
    pub fn nested(parent: &Opts<'_>, map: &'a Map<String, Value>) -> Opts<'a> {
        Opts {
            map,
            what: parent.what,
        }
    }

    /// An optional nested object, read with the same rules.
    pub fn object(&self, key: &str) -> Result<Option<Opts<'a>>, HubError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Opts {
                map,
                what: self.what,
            })),
            Some(_) => Err(self.bad(key, "an object")),
        }
    }
}

/// An options type read from [`Opts`].
pub trait FromOpts: Sized {
    /// Reads the fields.
    fn from_opts(o: &Opts) -> Result<Self, HubError>;
}

/// `repo`: `"ns/name"`, `"datasets/ns/name"` or `{ type, name }`, as `@huggingface/hub` accepts.
fn repo_id(o: &Opts) -> Result<RepoId, HubError> {
    match o.get("repo") {
        Some(Value::String(s)) => RepoId::parse_designation(s),
        Some(Value::Object(_)) => {
            let r = o.object("repo")?.ok_or_else(|| o.bad("repo", "a repo"))?;
            let t = match r.str("type")? {
                Some(k) => RepoType::parse(k)?,
                None => RepoType::Model,
            };
            RepoId::new(t, r.required("name")?)
        }
        _ => Err(o.bad("repo", "a string or { type, name }")),
    }
}

/// The options every repo call shares.
pub struct Target {
    repo: RepoId,
    revision: Option<String>,
    hub_url: Option<String>,
    access_token: Option<String>,
}

impl FromOpts for Target {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        Ok(Target {
            repo: repo_id(o)?,
            revision: o.string("revision")?,
            hub_url: o.string("hubUrl")?,
            access_token: o.string("accessToken")?,
        })
    }
}

impl Target {
    pub fn config(&self) -> Result<HubConfig, HubError> {
        config(self.hub_url.as_deref(), self.access_token.as_deref())
    }
    pub fn repo(&self) -> Result<RepoId, HubError> {
        Ok(self.repo.clone())
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
pub struct ListFilesOptions {
    pub target: Target,
    pub path: Option<String>,
    pub recursive: bool,
    pub expand: bool,
}

impl FromOpts for ListFilesOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        Ok(ListFilesOptions {
            target: Target::from_opts(o)?,
            path: o.string("path")?,
            recursive: o.flag("recursive")?,
            expand: o.flag("expand")?,
        })
    }
}

/// Options naming one file.
pub struct FileOptions {
    pub target: Target,
    pub path: String,
    pub raw: bool,
    /// `[start, end)`; `end` may be omitted.
    pub range: Option<Vec<f64>>,
}

impl FromOpts for FileOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        let range = match o.list("range")? {
            None => None,
            Some(r) => Some(
                r.iter()
                    .map(|n| {
                        n.as_f64()
                            .ok_or_else(|| o.bad("range", "an array of numbers"))
                    })
                    .collect::<Result<Vec<f64>, _>>()?,
            ),
        };
        Ok(FileOptions {
            target: Target::from_opts(o)?,
            path: String::from(o.required("path")?),
            raw: o.flag("raw")?,
            range,
        })
    }
}

/// `pathsInfo` options.
pub struct PathsInfoOptions {
    pub target: Target,
    pub paths: Vec<String>,
    pub expand: bool,
}

impl FromOpts for PathsInfoOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        Ok(PathsInfoOptions {
            target: Target::from_opts(o)?,
            paths: o.strings("paths")?.into_iter().map(String::from).collect(),
            expand: o.flag("expand")?,
        })
    }
}

/// `whoAmI` options.
pub struct AccountOptions {
    pub hub_url: Option<String>,
    pub access_token: Option<String>,
}

impl FromOpts for AccountOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        Ok(AccountOptions {
            hub_url: o.string("hubUrl")?,
            access_token: o.string("accessToken")?,
        })
    }
}

/// Validates a repo path, trimming one trailing `/` for folder arguments.
pub fn folder_path(p: Option<&str>) -> Result<Option<RepoPath>, HubError> {
    match p.map(|s| s.strip_suffix('/').unwrap_or(s)) {
        None | Some("") => Ok(None),
        Some(s) => RepoPath::new(s).map(Some),
    }
}

/// Parses the options, which the TypeScript layer passes as JSON text (one JSON decoder in the
/// wasm instead of a JsValue-walking one); a shape error is the caller's `InvalidInput`.
pub fn parse<T: FromOpts>(v: JsValue, what: &'static str) -> Result<T, HubError> {
    let map = object(v, what)?;
    T::from_opts(&Opts { map: &map, what })
}

fn object(v: JsValue, what: &'static str) -> Result<Map<String, Value>, HubError> {
    let text = v.as_string().ok_or_else(|| {
        HubError::invalid_input(alloc::format!("{what} options must be passed as JSON text"))
    })?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(HubError::invalid_input(alloc::format!(
            "invalid {what} options: expected a JSON object"
        ))),
    }
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
