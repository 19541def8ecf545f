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
mod tests {
    use super::*;
    use crate::http::{Body, Headers};
    use crate::ids::repo::RepoType;

    const EP: &str = "https://huggingface.co";
    const COMMIT: &str = "c52ce5e45984b9378ef6247fe7a45ed72b096b24";
    const SHA1: &str = "a661b1a138dac6dc5590367402d100765010ffd6";
    const SHA256: &str = "a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2";

    fn start(path: &str) -> (FileMetadataProbe, HttpRequest) {
        let cfg = HubConfig::new(EP, Some("hf_tok")).unwrap();
        FileMetadataProbe::start(
            &cfg,
            FileMetadataParams {
                repo: RepoId::new(RepoType::Model, "u/m").unwrap(),
                revision: Revision::default(),
                path: RepoPath::new(path).unwrap(),
                raw: false,
            },
        )
    }

    fn head(status: u16, url: &str, h: &[(&str, &str)]) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: url.into(),
            headers: h.iter().copied().collect::<Headers>(),
        }
    }

    #[test]
    fn first_request_is_a_one_byte_range_get_with_auth() {
        let (_, req) = start("dir/my file.json");
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.url,
            "https://huggingface.co/u/m/resolve/main/dir/my%20file.json"
        );
        assert_eq!(req.headers.get("range"), Some("bytes=0-0"));
        assert_eq!(req.headers.get("authorization"), Some("Bearer hf_tok"));
    }

    #[test]
    fn a_regular_file_is_described_by_the_206_itself() {
        let (mut p, req) = start("tokenizer_config.json");
        let etag = alloc::format!("\"{SHA1}\"");
        let h = head(
            206,
            &req.url,
            &[
                ("ETag", &etag),
                ("X-Repo-Commit", COMMIT),
                ("Content-Range", "bytes 0-0/28"),
            ],
        );
        assert!(!p.needs_body(&h));
        let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(m.etag, SHA1);
        assert_eq!(m.size, 28);
        assert_eq!(m.commit_hash.as_deref(), Some(COMMIT));
        assert_eq!(m.url, req.url);
        assert!(m.xet.is_none());
    }

    #[test]
    fn a_server_that_ignores_range_still_gives_the_size_from_content_length() {
        let (mut p, req) = start("a.txt");
        let h = head(
            200,
            &req.url,
            &[
                ("ETag", "W/\"abc\""),
                ("X-Repo-Commit", COMMIT),
                ("Content-Length", "10"),
            ],
        );
        let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!((m.etag.as_str(), m.size), ("abc", 10));
    }

    #[test]
    fn a_visible_lfs_redirect_is_read_from_its_linked_headers() {
        let (mut p, req) = start("model.bin");
        let etag = alloc::format!("\"{SHA256}\"");
        let h = head(
            302,
            &req.url,
            &[
                ("Location", "https://cdn-lfs.hf.co/repos/x?sig=1"),
                ("X-Linked-Etag", &etag),
                ("X-Linked-Size", "536063208"),
                ("X-Repo-Commit", COMMIT),
            ],
        );
        let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(m.etag, SHA256);
        assert_eq!(m.size, 536063208);
    }

    #[test]
    fn a_followed_storage_redirect_falls_back_to_paths_info() {
        let (mut p, _) = start("model.bin");
        // The browser followed the 302: this 206 comes from the CDN, without X-Repo-Commit.
        let cdn = head(
            206,
            "https://cdn-lfs.hf.co/repos/x?sig=1",
            &[
                ("ETag", "\"s3-etag\""),
                ("Content-Range", "bytes 0-0/536063208"),
            ],
        );
        let ProbeStep::Send(req) = p.on_response(&cdn, b"").unwrap() else {
            panic!()
        };
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "https://huggingface.co/api/models/u/m/paths-info/main"
        );
        let Body::Text(b) = &req.body else { panic!() };
        assert!(b.contains("\"model.bin\""));
        let ok = head(200, &req.url, &[]);
        assert!(p.needs_body(&ok));
        let body = alloc::format!(
            r#"[{{"type":"file","oid":"9eb98c81","size":536063208,"path":"model.bin","lfs":{{"oid":"{SHA256}","size":536063208,"pointerSize":134}},"xetHash":"ffee"}}]"#
        );
        let ProbeStep::Found(m) = p.on_response(&ok, body.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(m.etag, SHA256);
        assert_eq!(m.size, 536063208);
        assert_eq!(m.commit_hash, None);
        assert_eq!(m.xet.unwrap().hash, "ffee");
    }

    #[test]
    fn paths_info_without_the_file_means_not_found() {
        let (mut p, _) = start("gone.bin");
        let cdn = head(206, "https://cdn/x", &[]);
        let ProbeStep::Send(req) = p.on_response(&cdn, b"").unwrap() else {
            panic!()
        };
        assert_eq!(
            p.on_response(&head(200, &req.url, &[]), b"[]").unwrap(),
            ProbeStep::NotFound
        );
    }

    #[test]
    fn entry_not_found_is_not_an_error_but_other_errors_are() {
        let (mut p, req) = start("missing.txt");
        let h = head(
            404,
            &req.url,
            &[("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", COMMIT)],
        );
        assert!(p.needs_body(&h));
        assert_eq!(p.on_response(&h, b"").unwrap(), ProbeStep::NotFound);
        let (mut p, req) = start("x.txt");
        let h = head(404, &req.url, &[("X-Error-Code", "RepoNotFound")]);
        assert_eq!(
            p.on_response(&h, b"").unwrap_err().kind(),
            ErrorKind::RepoNotFound
        );
        let (mut p, req) = start("x.txt");
        let h = head(404, &req.url, &[("X-Error-Code", "RevisionNotFound")]);
        assert_eq!(
            p.on_response(&h, b"").unwrap_err().kind(),
            ErrorKind::RevisionNotFound
        );
    }

    #[test]
    fn a_relative_rename_redirect_is_followed_with_the_token_but_not_forever() {
        let (mut p, req) = start("a.txt");
        let h = head(307, &req.url, &[("Location", "/new/m/resolve/main/a.txt")]);
        let ProbeStep::Send(next) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(next.url, "https://huggingface.co/new/m/resolve/main/a.txt");
        assert_eq!(next.headers.get("authorization"), Some("Bearer hf_tok"));
        assert_eq!(next.headers.get("range"), Some("bytes=0-0"));
        for _ in 0..4 {
            let h = head(307, &next.url, &[("Location", "/new/m/resolve/main/a.txt")]);
            assert!(matches!(
                p.on_response(&h, b"").unwrap(),
                ProbeStep::Send(_)
            ));
        }
        let h = head(307, &next.url, &[("Location", "/new/m/resolve/main/a.txt")]);
        assert_eq!(
            p.on_response(&h, b"").unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
        // A redirect without Location is malformed.
        let e = start("a.txt")
            .0
            .on_response(&head(302, &req.url, &[]), b"")
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedResponse);
    }

    #[test]
    fn a_cross_origin_redirect_without_linked_headers_uses_paths_info_without_leaking_the_token() {
        let (mut p, req) = start("a.bin");
        let h = head(
            302,
            &req.url,
            &[("Location", "https://cdn.example/a?sig=1")],
        );
        let ProbeStep::Send(next) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert!(next.url.contains("/paths-info/"));
    }

    #[test]
    fn xet_fileinfo_answers_are_read_from_body_and_link_header() {
        let (mut p, req) = start("big.safetensors");
        let h = head(200, &req.url, &[
            ("Content-Type", XET_FILEINFO),
            ("X-Repo-Commit", COMMIT),
            ("X-Xet-Hash", "abcd"),
            ("Link", "<https://huggingface.co/api/models/u/m/xet-read-token/c52c>; rel=\"xet-auth\", <https://cas/v1/reconstructions/abcd>; rel=\"xet-reconstruction-info\""),
        ]);
        assert!(p.needs_body(&h));
        let body = alloc::format!(
            r#"{{"hash":"abcd","etag":"\"{SHA256}\"","size":"42","refreshUrl":"https://huggingface.co/api/models/u/m/xet-read-token/c52c"}}"#
        );
        let ProbeStep::Found(m) = p.on_response(&h, body.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(m.etag, SHA256);
        assert_eq!(m.size, 42);
        let xet = m.xet.unwrap();
        assert_eq!(xet.hash, "abcd");
        assert_eq!(
            xet.refresh_url.as_deref(),
            Some("https://huggingface.co/api/models/u/m/xet-read-token/c52c")
        );
    }

    #[test]
    fn a_malformed_xet_link_header_is_ignored_not_a_panic() {
        let (mut p, req) = start("big.safetensors");
        for link in [
            "x>y<z; rel=\"xet-auth\"",
            "<unterminated; rel=\"xet-auth\"",
            ">; rel=xet-auth",
        ] {
            let h = head(
                206,
                &req.url,
                &[
                    ("X-Xet-Hash", "abcd"),
                    ("Link", link),
                    ("X-Repo-Commit", COMMIT),
                    ("ETag", "\"e\""),
                    ("Content-Range", "bytes 0-0/5"),
                ],
            );
            let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
                panic!()
            };
            assert_eq!(m.xet.unwrap().refresh_url, None, "{link}");
        }
    }

    #[test]
    fn helpers_parse_content_range_and_etags() {
        assert_eq!(content_range_total("bytes 0-0/1234"), Some(1234));
        assert_eq!(content_range_total("bytes */77"), Some(77));
        assert_eq!(content_range_total("bytes 0-0/*"), None);
        assert_eq!(normalize_etag("W/\"x\""), "x");
        assert_eq!(quoted_etag("x"), "\"x\"");
    }
}
