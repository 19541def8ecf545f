//! File metadata as a browser can see it (docs/hub-protocol.md §2.2, §2.4).
//!
//! A browser's `fetch` follows the `resolve` redirect of LFS files invisibly, so the headers of
//! the 302 (`X-Linked-Etag`, `X-Linked-Size`) are lost. The probe therefore asks for one byte
//! (`Range: bytes=0-0`) and reads what it can: where the Hub itself answered (regular files, or
//! a visible redirect in runtimes that allow `redirect: "manual"`) that is everything; when the
//! answer came from a storage host, it falls back to `paths-info`, which is plain JSON.

use alloc::string::{String, ToString};
use serde::Serialize;

use crate::call::{to_json, Call, Flow, Started, Step};
use crate::error::{ErrorKind, HubError};
use crate::files::paths_info::{build_paths_info, parse_paths_info};
use crate::files::tree::EntryType;
use crate::files::FileOptions;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::json;
use crate::http::url::resolve_location;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;
use alloc::boxed::Box;

/// The media type with which the Hub describes xet-backed files without redirecting.
pub const XET_FILEINFO: &str = "application/vnd.xet-fileinfo+json";

const MAX_REDIRECTS: u8 = 5;

/// Which file to describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMetadataParams {
    /// The repo.
    pub repo: RepoId,
    /// The revision.
    pub revision: Revision,
    /// The file.
    pub path: RepoPath,
    /// Describe the raw git blob (the pointer, for LFS files) instead of the content.
    pub raw: bool,
}

/// Xet details of a file.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XetInfo {
    /// The xet file id.
    pub hash: String,
    /// Where to refresh the read token, when the Hub said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub refresh_url: Option<String>,
}

/// What a download of the file will deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileMetadata {
    /// The normalised etag (no quotes, no `W/`): git blob sha1 for regular files, sha256 for LFS.
    pub etag: String,
    /// Content size in bytes.
    pub size: u64,
    /// The commit the revision resolved to, when the Hub said (`X-Repo-Commit`).
    pub commit_hash: Option<String>,
    /// The URL to download from (the `resolve` URL, after any same-origin rename redirect).
    pub url: String,
    /// Xet details, for xet-backed files.
    pub xet: Option<XetInfo>,
}

/// What the shell does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeStep {
    /// Send this request and feed the response back.
    Send(HttpRequest),
    /// The file exists; here is what it is.
    Found(FileMetadata),
    /// The file does not exist at that revision.
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Probe,
    PathsInfo,
}

/// The metadata state machine: `start`, then `on_response` until it yields `Found`/`NotFound`.
#[derive(Debug, Clone)]
pub struct FileMetadataProbe {
    cfg: HubConfig,
    params: FileMetadataParams,
    url: String,
    redirects: u8,
    phase: Phase,
}

impl FileMetadataProbe {
    /// The probe and its first request.
    pub fn start(cfg: &HubConfig, params: FileMetadataParams) -> (Self, HttpRequest) {
        let url = if params.raw {
            endpoints::raw(cfg, &params.repo, &params.revision, &params.path)
        } else {
            endpoints::resolve(cfg, &params.repo, &params.revision, &params.path)
        };
        let probe = FileMetadataProbe {
            cfg: cfg.clone(),
            params,
            url: url.clone(),
            redirects: 0,
            phase: Phase::Probe,
        };
        let req = probe.probe_request(url);
        (probe, req)
    }

    fn probe_request(&self, url: String) -> HttpRequest {
        let mut req = self.cfg.request(Method::Get, url);
        req.headers.set("Range", "bytes=0-0");
        req.headers
            .set("Accept", &crate::cat!(XET_FILEINFO, ", */*"));
        req
    }

    /// Whether `on_response` needs the body of this response. When it does not (a successful
    /// probe), the shell should cancel the body instead of reading it: a server that ignored
    /// `Range` would otherwise send the whole file.
    pub fn needs_body(&self, head: &HttpResponseHead) -> bool {
        self.phase == Phase::PathsInfo
            || !(head.is_success() || head.is_redirect())
            || head
                .headers
                .get("content-type")
                .is_some_and(|ct| ct.starts_with(XET_FILEINFO))
    }

    /// Feeds a response in; `body` may be empty when [`Self::needs_body`] said so.
    pub fn on_response(
        &mut self,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<ProbeStep, HubError> {
        match self.phase {
            Phase::Probe => self.on_probe(head, body),
            Phase::PathsInfo => self.on_paths_info(head, body),
        }
    }

    fn on_probe(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<ProbeStep, HubError> {
        if head.is_redirect() {
            return self.on_redirect(head);
        }
        if !head.is_success() {
            let err = HubError::from_response(head, body);
            return match err.kind() {
                ErrorKind::EntryNotFound => Ok(ProbeStep::NotFound),
                _ => Err(err),
            };
        }
        let h = &head.headers;
        let is_xet_info = h
            .get("content-type")
            .is_some_and(|ct| ct.starts_with(XET_FILEINFO));
        let mut xet = h.get("x-xet-hash").map(|hash| XetInfo {
            hash: hash.to_string(),
            refresh_url: xet_refresh_url(head),
        });
        let mut etag = h
            .get("x-linked-etag")
            .or_else(|| h.get("etag"))
            .map(normalize_etag);
        let mut size = h
            .get("x-linked-size")
            .and_then(|s| s.trim().parse::<u64>().ok());
        if is_xet_info {
            if let Some(info) = json::parse(body) {
                if let Some(hash) = json::text(&info, "hash") {
                    xet = Some(XetInfo {
                        hash,
                        refresh_url: json::text(&info, "refreshUrl")
                            .or_else(|| xet_refresh_url(head)),
                    });
                }
                etag = json::text(&info, "etag")
                    .as_deref()
                    .map(normalize_etag)
                    .or(etag);
                // The JS client reads `size` as a string; accept a number too.
                size = match info.get("size") {
                    Some(json::Value::String(s)) => s.trim().parse().ok(),
                    Some(n) => n.as_u64(),
                    None => None,
                }
                .or(size);
            }
        }
        if size.is_none() && !is_xet_info {
            size = h
                .get("content-range")
                .and_then(content_range_total)
                .or_else(|| {
                    (head.status == 200)
                        .then(|| h.get("content-length")?.trim().parse().ok())
                        .flatten()
                });
        }
        let commit_hash = h.get("x-repo-commit").map(str::to_string);
        match (commit_hash, etag, size) {
            // Only a response from the Hub itself carries X-Repo-Commit; a storage host's ETag is
            // not the file's etag.
            (Some(commit), Some(etag), Some(size)) => Ok(ProbeStep::Found(FileMetadata {
                etag,
                size,
                commit_hash: Some(commit),
                url: self.url.clone(),
                xet,
            })),
            _ => Ok(self.fall_back()),
        }
    }

    fn on_redirect(&mut self, head: &HttpResponseHead) -> Result<ProbeStep, HubError> {
        let h = &head.headers;
        let location = h
            .get("location")
            .and_then(|l| resolve_location(&head.url, l))
            .ok_or_else(|| HubError::malformed(head, "redirect without a usable Location"))?;
        if let (Some(etag), Some(size), Some(commit)) = (
            h.get("x-linked-etag"),
            h.get("x-linked-size")
                .and_then(|s| s.trim().parse::<u64>().ok()),
            h.get("x-repo-commit"),
        ) {
            return Ok(ProbeStep::Found(FileMetadata {
                etag: normalize_etag(etag),
                size,
                commit_hash: Some(commit.to_string()),
                url: self.url.clone(),
                xet: h.get("x-xet-hash").map(|hash| XetInfo {
                    hash: hash.to_string(),
                    refresh_url: xet_refresh_url(head),
                }),
            }));
        }
        if !self.cfg.is_hub_url(&location) {
            // A storage redirect without the linked headers: ask paths-info instead.
            return Ok(self.fall_back());
        }
        // A same-origin redirect: a renamed repo or a canonical id. Follow it.
        self.redirects += 1;
        if self.redirects > MAX_REDIRECTS {
            return Err(HubError::malformed(head, "too many redirects"));
        }
        self.url = location.clone();
        Ok(ProbeStep::Send(self.probe_request(location)))
    }

    fn fall_back(&mut self) -> ProbeStep {
        self.phase = Phase::PathsInfo;
        let p = &self.params;
        let reqs = build_paths_info(
            &self.cfg,
            &p.repo,
            &p.revision,
            core::slice::from_ref(&p.path),
            false,
        );
        // One path always gives exactly one request.
        match reqs {
            Ok(mut v) if v.len() == 1 => ProbeStep::Send(v.remove(0)),
            _ => ProbeStep::NotFound,
        }
    }

    fn on_paths_info(
        &mut self,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<ProbeStep, HubError> {
        let entries = parse_paths_info(head, body)?;
        let Some(e) = entries
            .into_iter()
            .find(|e| e.path == self.params.path.as_str() && e.entry_type == EntryType::File)
        else {
            return Ok(ProbeStep::NotFound);
        };
        let (etag, size) = match (&e.lfs, self.params.raw) {
            (Some(lfs), false) => (lfs.oid.clone(), lfs.size),
            (Some(lfs), true) => (e.oid.clone(), lfs.pointer_size),
            (None, _) => (e.oid.clone(), e.size),
        };
        Ok(ProbeStep::Found(FileMetadata {
            etag,
            size,
            commit_hash: None,
            url: self.url.clone(),
            xet: e.xet_hash.map(|hash| XetInfo {
                hash,
                refresh_url: None,
            }),
        }))
    }
}

fn xet_refresh_url(head: &HttpResponseHead) -> Option<String> {
    for link in head.headers.get_all("link") {
        for part in link.split(',') {
            let part = part.trim();
            if crate::text::contains(part, "rel=\"xet-auth\"")
                || crate::text::contains(part, "rel=xet-auth")
            {
                // Never slice blindly: a malformed header must not panic the wasm.
                let start = part.find('<')? + 1;
                let end = start + part.get(start..)?.find('>')?;
                return resolve_location(&head.url, part.get(start..end)?);
            }
        }
    }
    head.headers
        .get("x-xet-refresh-route")
        .and_then(|r| resolve_location(&head.url, r))
}

/// Strips a weak marker and quotes: `W/"abc"` → `abc`.
pub fn normalize_etag(etag: &str) -> String {
    let e = etag.trim();
    let e = e.strip_prefix("W/").unwrap_or(e);
    e.trim_matches('"').to_string()
}

/// The total of `Content-Range: bytes 0-0/1234` (`*` means unknown).
pub fn content_range_total(value: &str) -> Option<u64> {
    let (_, total) = value.rsplit_once('/')?;
    total.trim().parse().ok()
}

/// The etag a caller of `@huggingface/hub`'s `fileDownloadInfo` sees: quoted, as in the header.
pub fn quoted_etag(etag: &str) -> String {
    let mut s = String::with_capacity(etag.len() + 2);
    s.push('"');
    s.push_str(etag);
    s.push('"');
    s
}

/// What `fileDownloadInfo` resolves to: the metadata with the etag quoted, as in the `ETag`
/// header (and as `@huggingface/hub` returns it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DownloadInfo {
    /// Content size in bytes.
    pub size: u64,
    /// Quoted: git blob sha1 for regular files, sha256 for LFS files.
    pub etag: String,
    /// Xet details, for xet-backed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub xet: Option<XetInfo>,
    /// The URL to fetch.
    pub url: String,
    /// The commit the revision resolved to, when the Hub said.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub commit_hash: Option<String>,
}

/// `fileDownloadInfo`: a file's size, etag, xet details and commit, or `null` when it does not
/// exist.
pub struct FileDownloadInfo;

impl Call for FileDownloadInfo {
    const NAME: &'static str = "fileDownloadInfo";
    type Options = FileOptions;
    type Output = Option<DownloadInfo>;
    fn start(o: FileOptions) -> Result<Started, HubError> {
        let (cfg, p) = o.params()?;
        let (probe, request) = FileMetadataProbe::start(
            &cfg,
            FileMetadataParams {
                repo: p.repo,
                revision: p.revision,
                path: p.path,
                raw: p.raw,
            },
        );
        Ok(Started {
            flow: Box::new(probe),
            request,
        })
    }
}

impl Flow for FileMetadataProbe {
    fn needs_body(&self, head: &HttpResponseHead) -> bool {
        FileMetadataProbe::needs_body(self, head)
    }

    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        Ok(match FileMetadataProbe::on_response(self, head, body)? {
            ProbeStep::Send(next) => Step::Send(next),
            ProbeStep::NotFound => Step::Done(String::from("null")),
            ProbeStep::Found(m) => Step::Done(to_json(&DownloadInfo {
                size: m.size,
                etag: quoted_etag(&m.etag),
                xet: m.xet,
                url: m.url,
                commit_hash: m.commit_hash,
            })?),
        })
    }
}

#[cfg(test)]
mod tests;
