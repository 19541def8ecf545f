//! Reading a repo's files: the tree listing, `paths-info`, a file's metadata as a browser can
//! see it, and the download itself.

use crate::http::json::Value;

use crate::error::HubError;
use crate::options::{offset, Field, Opts, Target};
use crate::{options, HubConfig, RepoPath};
use download::{ByteRange, DownloadParams};

pub mod download;
pub mod metadata;
pub mod paths_info;
pub mod target;
pub mod tree;

/// `range` on the wire: `[start]` or `[start, end)` in bytes (the TypeScript layer turns the
/// public inclusive `[start, end]` into this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range(pub Option<ByteRange>);

impl Field for Range {
    #[cfg(test)]
    const TS: &'static str = "[number] | [number, number]";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        let Some(list) = o.list(key)? else {
            return Ok(Range(None));
        };
        if list.iter().any(|n| !matches!(n, Value::Number(_))) {
            return Err(o.bad(key, "an array of numbers"));
        }
        let range = match list {
            [start] => ByteRange::new(offset(start, "start")?, None)?,
            [start, end] => ByteRange::new(offset(start, "start")?, Some(offset(end, "end")?))?,
            _ => {
                return Err(HubError::invalid_input(
                    "invalid range: expected [start] or [start, end]",
                ))
            }
        };
        Ok(Range(Some(range)))
    }
}

options! {
    /// Options naming one file.
    pub struct FileOptions: Target {
        /// The file's path in the repo.
        pub path: alloc::string::String = "path",
        /// The raw git blob (the LFS pointer) instead of the content.
        pub raw: bool = "raw",
        /// Only these bytes.
        pub range: Range = "range",
    }
}

impl FileOptions {
    /// The endpoint and what to fetch, validated.
    pub fn params(&self) -> Result<(HubConfig, DownloadParams), HubError> {
        Ok((
            self.base.config()?,
            DownloadParams {
                repo: self.base.repo(),
                revision: self.base.revision()?,
                path: RepoPath::new(&self.path)?,
                raw: self.raw,
                range: self.range.0,
            },
        ))
    }
}
