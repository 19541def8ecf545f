//! Downloading a file's content: the request, and what to do with each response head.
//!
//! Redirects are handled here rather than left to the transport so that the token never follows
//! a redirect to another origin (storage hosts get signed URLs and need no token).

use crate::cat;
use crate::text::num;
use alloc::string::String;

use crate::call::{Call, Flow, Started, Step};
use crate::error::{ErrorKind, HubError};
use crate::files::FileOptions;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::url::resolve_location;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;
use alloc::boxed::Box;

const MAX_REDIRECTS: u8 = 10;

/// A byte range `[start, end)`; `end: None` means to the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    start: u64,
    end: Option<u64>,
}

impl ByteRange {
    /// Validates `start < end` (an empty range cannot be asked for over HTTP).
    pub fn new(start: u64, end: Option<u64>) -> Result<ByteRange, HubError> {
        if let Some(e) = end {
            if e <= start {
                return Err(HubError::invalid_input(cat!(
                    "invalid range [",
                    num(start),
                    ", ",
                    num(e),
                    "): the end must be greater than the start"
                )));
            }
        }
        Ok(ByteRange { start, end })
    }

    /// The `Range` header value (HTTP ranges are inclusive).
    pub fn header_value(&self) -> String {
        match self.end {
            Some(e) => cat!("bytes=", num(self.start), "-", num(e - 1)),
            None => cat!("bytes=", num(self.start), "-"),
        }
    }
}

/// What to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadParams {
    /// The repo.
    pub repo: RepoId,
    /// The revision.
    pub revision: Revision,
    /// The file.
    pub path: RepoPath,
    /// The raw git blob (LFS pointer) instead of the content.
    pub raw: bool,
    /// Only these bytes.
    pub range: Option<ByteRange>,
}

/// What the shell does with a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadStep {
    /// This response's body is the content: stream it to the caller.
    Body,
    /// Send this request instead (a redirect, token attached only on the Hub's origin).
    Send(HttpRequest),
    /// The file does not exist.
    NotFound,
}

/// The download state machine.
#[derive(Debug, Clone)]
pub struct Download {
    cfg: HubConfig,
    range: Option<ByteRange>,
    redirects: u8,
}

impl Download {
    /// The state machine and the first request.
    pub fn start(cfg: &HubConfig, p: &DownloadParams) -> (Download, HttpRequest) {
        let url = if p.raw {
            endpoints::raw(cfg, &p.repo, &p.revision, &p.path)
        } else {
            endpoints::resolve(cfg, &p.repo, &p.revision, &p.path)
        };
        let d = Download {
            cfg: cfg.clone(),
            range: p.range,
            redirects: 0,
        };
        let req = d.request(url);
        (d, req)
    }

    fn request(&self, url: String) -> HttpRequest {
        let mut req = self.cfg.request(Method::Get, url);
        if let Some(r) = &self.range {
            req.headers.set("Range", &r.header_value());
        }
        req
    }

    /// Decides what a response means. `body` is only read for errors (pass what was read, or
    /// nothing).
    pub fn on_response(
        &mut self,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<DownloadStep, HubError> {
        if head.is_redirect() {
            let location = head
                .headers
                .get("location")
                .and_then(|l| resolve_location(&head.url, l))
                .ok_or_else(|| HubError::malformed(head, "redirect without a usable Location"))?;
            self.redirects += 1;
            if self.redirects > MAX_REDIRECTS {
                return Err(HubError::malformed(head, "too many redirects"));
            }
            return Ok(DownloadStep::Send(self.request(location)));
        }
        if head.is_success() {
            if self.range.is_some() && head.status != 206 {
                return Err(HubError::malformed(
                    head,
                    "asked for a byte range but the server sent the whole file",
                ));
            }
            return Ok(DownloadStep::Body);
        }
        let err = HubError::from_response(head, body);
        if err.kind() == ErrorKind::EntryNotFound {
            return Ok(DownloadStep::NotFound);
        }
        Err(err)
    }
}

/// `downloadFile`: the answer whose body is the file, handed over unread so it streams, or
/// `null` when the file does not exist.
pub struct DownloadFile;

/// What `downloadFile` resolves to in JavaScript.
pub struct ResponseOrNull;

crate::wire_alias!(ResponseOrNull = "Response | null");

impl Call for DownloadFile {
    const NAME: &'static str = "downloadFile";
    type Options = FileOptions;
    type Output = ResponseOrNull;
    fn start(o: FileOptions) -> Result<Started, HubError> {
        let (cfg, p) = o.params()?;
        let (flow, request) = Download::start(&cfg, &p);
        Ok(Started {
            flow: Box::new(flow),
            request,
        })
    }
}

impl Flow for Download {
    fn needs_body(&self, head: &HttpResponseHead) -> bool {
        !(head.is_success() || head.is_redirect())
    }

    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        Ok(match Download::on_response(self, head, body)? {
            DownloadStep::Body => Step::Body,
            DownloadStep::NotFound => Step::Done(String::from("null")),
            DownloadStep::Send(next) => Step::Send(next),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Headers;
    use crate::ids::repo::RepoType;

    fn params(range: Option<ByteRange>) -> DownloadParams {
        DownloadParams {
            repo: RepoId::new(RepoType::Dataset, "u/d").unwrap(),
            revision: Revision::new("v1").unwrap(),
            path: RepoPath::new("data/train 1.csv").unwrap(),
            raw: false,
            range,
        }
    }

    fn cfg() -> HubConfig {
        HubConfig::new("http://127.0.0.1:7000", Some("hf_t")).unwrap()
    }

    fn head(status: u16, url: &str, h: &[(&str, &str)]) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: url.into(),
            headers: h.iter().copied().collect::<Headers>(),
        }
    }

    #[test]
    fn the_first_request_is_the_resolve_url_with_token_and_range() {
        let (_, req) =
            Download::start(&cfg(), &params(Some(ByteRange::new(10, Some(20)).unwrap())));
        assert_eq!(
            req.url,
            "http://127.0.0.1:7000/datasets/u/d/resolve/v1/data/train%201.csv"
        );
        assert_eq!(req.headers.get("authorization"), Some("Bearer hf_t"));
        assert_eq!(req.headers.get("range"), Some("bytes=10-19"));
        let mut p = params(None);
        p.raw = true;
        let (_, req) = Download::start(&cfg(), &p);
        assert!(req.url.contains("/raw/v1/"));
        assert_eq!(req.headers.get("range"), None);
    }

    #[test]
    fn a_storage_redirect_drops_the_token_and_keeps_the_range() {
        let (mut d, req) = Download::start(&cfg(), &params(Some(ByteRange::new(5, None).unwrap())));
        let h = head(
            302,
            &req.url,
            &[("Location", "http://127.0.0.1:7001/lfs/abc?sig=x")],
        );
        let DownloadStep::Send(next) = d.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(next.url, "http://127.0.0.1:7001/lfs/abc?sig=x");
        assert_eq!(next.headers.get("authorization"), None);
        assert_eq!(next.headers.get("range"), Some("bytes=5-"));
        assert_eq!(
            d.on_response(&head(206, &next.url, &[]), b"").unwrap(),
            DownloadStep::Body
        );
    }

    #[test]
    fn a_same_origin_redirect_keeps_the_token() {
        let (mut d, req) = Download::start(&cfg(), &params(None));
        let h = head(
            307,
            &req.url,
            &[("Location", "/datasets/u/renamed/resolve/v1/x")],
        );
        let DownloadStep::Send(next) = d.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(next.headers.get("authorization"), Some("Bearer hf_t"));
    }

    #[test]
    fn a_redirect_to_another_scheme_is_handed_over_whole_and_without_the_token() {
        for location in [
            "file:/etc/passwd",
            "javascript:alert(1)",
            "data:,x",
            "ftp://x/y",
        ] {
            let (mut d, req) = Download::start(&cfg(), &params(None));
            let h = head(302, &req.url, &[("Location", location)]);
            let DownloadStep::Send(next) = d.on_response(&h, b"").unwrap() else {
                panic!("{location}")
            };
            assert_eq!(next.url, location);
            assert_eq!(next.headers.get("authorization"), None, "{location}");
        }
    }

    #[test]
    fn missing_files_errors_and_redirect_loops() {
        let (mut d, req) = Download::start(&cfg(), &params(None));
        let nf = head(404, &req.url, &[("X-Error-Code", "EntryNotFound")]);
        assert_eq!(d.on_response(&nf, b"").unwrap(), DownloadStep::NotFound);
        let gated = head(403, &req.url, &[("X-Error-Code", "GatedRepo")]);
        assert_eq!(
            d.on_response(&gated, b"").unwrap_err().kind(),
            ErrorKind::GatedRepo
        );
        let lp = head(302, &req.url, &[("Location", "/loop")]);
        for _ in 0..10 {
            assert!(matches!(
                d.on_response(&lp, b"").unwrap(),
                DownloadStep::Send(_)
            ));
        }
        assert_eq!(
            d.on_response(&lp, b"").unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
    }

    #[test]
    fn a_range_answered_with_200_is_refused_rather_than_mistaken_for_the_slice() {
        let (mut d, req) =
            Download::start(&cfg(), &params(Some(ByteRange::new(0, Some(1)).unwrap())));
        assert_eq!(
            d.on_response(&head(200, &req.url, &[]), b"")
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
    }

    #[test]
    fn empty_or_inverted_ranges_are_invalid_input() {
        assert_eq!(
            ByteRange::new(5, Some(5)).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            ByteRange::new(6, Some(5)).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(ByteRange::new(0, None).unwrap().header_value(), "bytes=0-");
    }
}
