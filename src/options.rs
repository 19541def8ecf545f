//! The options object of a call, as the JavaScript API passes it (JSON text), read into typed
//! fields with `InvalidInput` for anything of the wrong shape.
//!
//! Options are read field by field from one JSON value rather than through a derived
//! deserialiser per options type: the derived ones cost the wasm more than this whole module.
//! An options type is declared once with [`options!`](crate::options!), which gives the struct,
//! its reader and (in tests) its TypeScript type, so a key is written in one place only.

use crate::http::json::{self, Value};
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::HubError;
use crate::http::config::{HubConfig, DEFAULT_ENDPOINT};
use crate::ids::{RepoId, RepoPath, RepoType, Revision};

/// One call's options object, parsed.
pub struct Opts<'a> {
    map: &'a [(String, Value)],
    what: &'static str,
}

impl<'a> Opts<'a> {
    /// The error for a field of the wrong shape, naming the call, the field and what it takes.
    pub fn bad(&self, key: &str, expected: &str) -> HubError {
        HubError::invalid_input(crate::cat!(
            "invalid ",
            self.what,
            " options: `",
            key,
            "` must be ",
            expected
        ))
    }

    /// The field, `None` when absent or `null` (as `JSON.stringify` drops `undefined`).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
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

    /// An optional array.
    pub fn list(&self, key: &str) -> Result<Option<&'a [Value]>, HubError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_array()
                .map(Some)
                .ok_or_else(|| self.bad(key, "an array")),
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

    /// An element of an array field read as an object, for lists of objects.
    pub fn element(&self, key: &str, v: &'a Value) -> Result<Opts<'a>, HubError> {
        match v {
            Value::Object(map) => Ok(Opts {
                map,
                what: self.what,
            }),
            _ => Err(self.bad(key, "an array of objects")),
        }
    }
}

/// An options type read from [`Opts`].
pub trait FromOpts: Sized {
    /// Reads the fields.
    fn from_opts(o: &Opts) -> Result<Self, HubError>;
    /// The TypeScript name of the options object.
    #[cfg(test)]
    const NAME: &'static str;
    /// Its TypeScript type (`Base & { key: type; … }`), for the generated wire types.
    #[cfg(test)]
    fn ts() -> String;
    /// Pushes `(name, type)` of this options object and of the ones it builds on, bases first.
    #[cfg(test)]
    fn visit(out: &mut Vec<(&'static str, String)>) {
        out.push((Self::NAME, Self::ts()));
    }
}

/// One field of an options type: how it is read, and its TypeScript type.
pub trait Field: Sized {
    /// The TypeScript type.
    #[cfg(test)]
    const TS: &'static str;
    /// Whether the key may be left out.
    #[cfg(test)]
    const OPTIONAL: bool;
    /// Reads `key` from `o`.
    fn read(o: &Opts, key: &str) -> Result<Self, HubError>;
}

impl Field for String {
    #[cfg(test)]
    const TS: &'static str = "string";
    #[cfg(test)]
    const OPTIONAL: bool = false;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        o.required(key).map(String::from)
    }
}

impl Field for Option<String> {
    #[cfg(test)]
    const TS: &'static str = "string";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        Ok(o.str(key)?.map(String::from))
    }
}

impl Field for bool {
    #[cfg(test)]
    const TS: &'static str = "boolean";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        o.flag(key)
    }
}

impl Field for Option<u64> {
    #[cfg(test)]
    const TS: &'static str = "number";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        o.int(key)
    }
}

impl Field for Option<u32> {
    #[cfg(test)]
    const TS: &'static str = "number";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        match o.int(key)? {
            None => Ok(None),
            Some(n) => u32::try_from(n)
                .map(Some)
                .map_err(|_| o.bad(key, "a non-negative 32-bit integer")),
        }
    }
}

impl Field for Vec<String> {
    #[cfg(test)]
    const TS: &'static str = "string[]";
    #[cfg(test)]
    const OPTIONAL: bool = false;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        o.list(key)?
            .ok_or_else(|| o.bad(key, "an array of strings"))?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .ok_or_else(|| o.bad(key, "an array of strings"))
            })
            .collect()
    }
}

impl Field for Option<Vec<String>> {
    #[cfg(test)]
    const TS: &'static str = "string[]";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        match o.get(key) {
            None => Ok(None),
            Some(_) => <Vec<String> as Field>::read(o, key).map(Some),
        }
    }
}

/// Declares an options type once: the struct, its [`FromOpts`] reader and (in tests) its
/// TypeScript type. Each field names its JSON key; `struct X: Base { … }` embeds `Base`'s
/// fields (read from the same object) as the field `base`.
#[macro_export]
macro_rules! options {
    ($(#[$m:meta])* pub struct $name:ident $(: $base:ty)? {
        $($(#[$fm:meta])* pub $field:ident: $ty:ty = $key:literal),* $(,)?
    }) => {
        $(#[$m])*
        pub struct $name {
            $(
                /// The options every call of this kind shares.
                pub base: $base,
            )?
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl $crate::options::FromOpts for $name {
            // Never inlined: an options type shared by several calls is read by one copy.
            #[inline(never)]
            fn from_opts(o: &$crate::options::Opts) -> Result<Self, $crate::error::HubError> {
                Ok($name {
                    $(base: <$base as $crate::options::FromOpts>::from_opts(o)?,)?
                    $($field: <$ty as $crate::options::Field>::read(o, $key)?,)*
                })
            }
            #[cfg(test)]
            const NAME: &'static str = stringify!($name);
            #[cfg(test)]
            fn visit(out: &mut alloc::vec::Vec<(&'static str, alloc::string::String)>) {
                $(<$base as $crate::options::FromOpts>::visit(out);)?
                out.push((Self::NAME, Self::ts()));
            }
            #[cfg(test)]
            fn ts() -> alloc::string::String {
                let mut s = alloc::string::String::new();
                $(
                    s.push_str(<$base as $crate::options::FromOpts>::NAME);
                    s.push_str(" & ");
                )?
                s.push('{');
                $(
                    s.push_str("\n\t");
                    s.push_str($key);
                    if <$ty as $crate::options::Field>::OPTIONAL {
                        s.push('?');
                    }
                    s.push_str(": ");
                    s.push_str(<$ty as $crate::options::Field>::TS);
                    s.push(';');
                )*
                s.push_str("\n}");
                s
            }
        }
    };
}

/// `repo`: `"ns/name"`, `"datasets/ns/name"` or `{ type, name }`, as `@huggingface/hub` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Designation(pub RepoId);

impl Field for Designation {
    #[cfg(test)]
    const TS: &'static str = "string | { type?: string; name: string }";
    #[cfg(test)]
    const OPTIONAL: bool = false;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        match o.get(key) {
            Some(Value::String(s)) => RepoId::parse_designation(s).map(Designation),
            Some(Value::Object(_)) => {
                let r = o.object(key)?.ok_or_else(|| o.bad(key, "a repo"))?;
                let t = match r.str("type")? {
                    Some(k) => RepoType::parse(k)?,
                    None => RepoType::Model,
                };
                RepoId::new(t, r.required("name")?).map(Designation)
            }
            _ => Err(o.bad(key, "a string or { type, name }")),
        }
    }
}

options! {
    /// Where the Hub is and who calls: what every call takes.
    pub struct Endpoint {
        /// Defaults to the public Hub.
        pub hub_url: Option<String> = "hubUrl",
        /// Sent to the Hub's origin only.
        pub access_token: Option<String> = "accessToken",
    }
}

impl Endpoint {
    /// The validated endpoint and token.
    pub fn config(&self) -> Result<HubConfig, HubError> {
        HubConfig::new(
            self.hub_url.as_deref().unwrap_or(DEFAULT_ENDPOINT),
            self.access_token.as_deref(),
        )
    }
}

options! {
    /// A repo at a revision: what every repo call takes.
    pub struct Target: Endpoint {
        /// The repo.
        pub repo: Designation = "repo",
        /// Branch, tag, `refs/pr/N` or commit id; `main` when absent or empty.
        pub revision: Option<String> = "revision",
    }
}

impl Target {
    /// The validated endpoint and token.
    pub fn config(&self) -> Result<HubConfig, HubError> {
        self.base.config()
    }
    /// The repo.
    pub fn repo(&self) -> RepoId {
        self.repo.0.clone()
    }
    /// The validated revision.
    pub fn revision(&self) -> Result<Revision, HubError> {
        match self.revision.as_deref() {
            None | Some("") => Ok(Revision::default()),
            Some(r) => Revision::new(r),
        }
    }
}

/// Validates a folder path, trimming one trailing `/`; empty means the repo's root.
pub fn folder_path(p: Option<&str>) -> Result<Option<RepoPath>, HubError> {
    match p.map(|s| s.strip_suffix('/').unwrap_or(s)) {
        None | Some("") => Ok(None),
        Some(s) => RepoPath::new(s).map(Some),
    }
}

/// Parses options passed as JSON text; anything but a JSON object is the caller's
/// `InvalidInput`, named after the call (`what`).
pub fn parse<T: FromOpts>(text: &str, what: &'static str) -> Result<T, HubError> {
    read(text, what, T::from_opts)
}

/// Parses options passed as JSON text and reads them with `f`.
pub fn read<T>(
    text: &str,
    what: &'static str,
    f: impl FnOnce(&Opts) -> Result<T, HubError>,
) -> Result<T, HubError> {
    match json::parse(text.as_bytes()) {
        Some(Value::Object(map)) => f(&Opts { map: &map, what }),
        _ => Err(HubError::invalid_input(crate::cat!(
            "invalid ",
            what,
            " options: expected a JSON object"
        ))),
    }
}

/// A JS number that must be a non-negative integer byte offset (at most 2^53 - 1, the largest
/// integer a JS number holds exactly).
pub fn offset(n: &Value, what: &str) -> Result<u64, HubError> {
    match n.as_u64() {
        Some(n) if n <= 9_007_199_254_740_991 => Ok(n),
        _ => Err(HubError::invalid_input(crate::cat!(
            "invalid range ",
            what,
            ": expected a non-negative integer number of bytes"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn target(json: &str) -> Result<Target, HubError> {
        parse(json, "test")
    }

    #[test]
    fn a_repo_is_a_designation_string_or_a_type_and_name() {
        let t = target(r#"{"repo":"datasets/u/d","revision":"v1"}"#).unwrap();
        assert_eq!(t.repo().id(), "u/d");
        assert_eq!(t.repo().repo_type(), RepoType::Dataset);
        assert_eq!(t.revision().unwrap().as_str(), "v1");
        let t = target(r#"{"repo":{"type":"space","name":"u/s"}}"#).unwrap();
        assert_eq!(t.repo().repo_type(), RepoType::Space);
        assert_eq!(t.revision().unwrap().as_str(), "main");
        let t = target(r#"{"repo":{"name":"u/m"},"revision":""}"#).unwrap();
        assert_eq!(t.repo().repo_type(), RepoType::Model);
        assert_eq!(t.revision().unwrap().as_str(), "main");
    }

    #[test]
    fn a_field_of_the_wrong_shape_names_the_call_the_field_and_what_it_takes() {
        for (json, key) in [
            (r#"{"repo":1}"#, "`repo`"),
            (r#"{}"#, "`repo`"),
            (r#"{"repo":"u/m","revision":3}"#, "`revision`"),
            (r#"{"repo":"u/m","hubUrl":true}"#, "`hubUrl`"),
            (r#"{"repo":"u/m","accessToken":[]}"#, "`accessToken`"),
        ] {
            let e = target(json).err().unwrap();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{json}");
            assert!(e.message().starts_with("invalid test options"), "{e}");
            assert!(e.message().contains(key), "{json}: {e}");
        }
        for text in ["[]", "1", "not json", "null"] {
            assert_eq!(target(text).err().unwrap().kind(), ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn null_is_absent_as_undefined_is() {
        let t = target(r#"{"repo":"u/m","revision":null,"hubUrl":null}"#).unwrap();
        assert_eq!(t.revision().unwrap().as_str(), "main");
        assert_eq!(t.config().unwrap().endpoint(), DEFAULT_ENDPOINT);
    }

    #[test]
    fn the_declared_typescript_type_lists_every_key_once() {
        assert_eq!(
            Target::ts(),
            "Endpoint & {\n\trepo: string | { type?: string; name: string };\n\trevision?: string;\n}"
        );
    }

    #[test]
    fn offsets_are_whole_non_negative_safe_integers() {
        let n = |s: &str| json::parse(s.as_bytes()).unwrap();
        assert_eq!(offset(&n("0"), "start").unwrap(), 0);
        assert_eq!(
            offset(&n("9007199254740991"), "end").unwrap(),
            (1 << 53) - 1
        );
        for bad in ["-1", "0.5", "1e3", "9007199254740992", "\"1\"", "null"] {
            assert_eq!(
                offset(&n(bad), "start").unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
        assert!(folder_path(Some("a/")).unwrap().is_some());
        assert!(folder_path(Some("/")).unwrap().is_none());
        assert!(folder_path(Some("../a")).is_err());
    }
}
