//! Sending one LFS object to storage once the batch said how (docs/hub-protocol.md §4.4): a single
//! PUT, or numbered part PUTs then a completion POST; then a verify POST when the Hub asks for
//! one. Storage URLs are signed: nothing here carries the Hub token to another origin.
//!
//! [`ObjectUpload`] is the state machine a driver runs for each object: `advance()` gives the
//! transfers of the current stage (they may all be in flight at once), every answer goes to
//! `on_response(i, …)`, then `advance()` again, until `Done`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

use crate::commit::lfs_batch::{LfsObject, UploadAction, Verify, LFS_JSON};
use crate::error::HubError;
use crate::http::{json, Body, HttpRequest, HttpResponseHead, Method};
use crate::HubConfig;

/// Byte range `[start, end)` of 1-based part `n`.
pub fn part_range(size: u64, chunk_size: u64, n: u32) -> (u64, u64) {
    let start = (n as u64 - 1) * chunk_size;
    (start.min(size), (start + chunk_size).min(size))
}

/// The PUT of a whole object or of one part. The body (a `Blob` slice) is attached by the shell;
/// no Hub token: the URL is self-authorising.
pub fn build_put(href: &str, headers: &[(String, String)]) -> HttpRequest {
    let mut req = HttpRequest::new(Method::Put, href.to_string());
    for (k, v) in headers {
        // Defence in depth: a server must not be able to make us send credentials to storage.
        if !k.eq_ignore_ascii_case("authorization") {
            req.headers.set(k, v);
        }
    }
    req
}

/// The ETag of a part PUT answer; required for completion.
pub fn parse_part_etag(head: &HttpResponseHead, body: &[u8]) -> Result<String, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    head.headers
        .get("etag")
        .filter(|e| !e.trim().is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            HubError::malformed(
                head,
                "a part upload answered without an ETag (if the storage host is cross-origin, it must expose ETag via CORS)",
            )
        })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WirePart<'a> {
    part_number: u32,
    etag: &'a str,
}

#[derive(Serialize)]
struct WireCompletion<'a> {
    oid: &'a str,
    parts: Vec<WirePart<'a>>,
}

/// The completion POST listing every part's ETag (as returned, quotes included). No Hub token.
pub fn build_completion(href: &str, oid: &str, etags: &[String]) -> HttpRequest {
    let body = WireCompletion {
        oid,
        parts: etags
            .iter()
            .enumerate()
            .map(|(i, e)| WirePart {
                part_number: i as u32 + 1,
                etag: e,
            })
            .collect(),
    };
    let mut req = HttpRequest::new(Method::Post, href.to_string());
    req.headers.set("Accept", LFS_JSON);
    req.headers.set("Content-Type", LFS_JSON);
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    req
}

/// The verify POST (`{oid, size}`), with the Hub token only if `href` is on the Hub's origin.
pub fn build_verify(cfg: &HubConfig, verify: &Verify, obj: &LfsObject) -> HttpRequest {
    let mut req = cfg.request(Method::Post, verify.href.clone());
    for (k, v) in &verify.headers {
        if !k.eq_ignore_ascii_case("authorization") {
            req.headers.set(k, v);
        }
    }
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(obj).unwrap_or_default());
    req
}

/// Any 2xx means done, for PUTs, completion and verify alike.
pub fn check_ok(head: &HttpResponseHead, body: &[u8]) -> Result<(), HubError> {
    if head.is_success() {
        Ok(())
    } else {
        Err(HubError::from_response(head, body))
    }
}

/// One request of an upload, and which bytes of the content are its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The request.
    pub request: HttpRequest,
    /// Bytes `[start, end)` of the content to send as the body (read anew on every attempt);
    /// `None` when the request carries its own body.
    pub content: Option<(u64, u64)>,
}

/// What an upload does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadStep {
    /// Send these (all at once if you like) and feed each answer to
    /// [`ObjectUpload::on_response`] with its index; then advance again.
    Send(Vec<Transfer>),
    /// The object is stored (and verified when the Hub asked for it).
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Put,
    Parts,
    Complete,
    Verify,
    Done,
}

/// Uploading one object as its batch action says: start → (put | parts → completion) →
/// verify (when asked) → done. An object the Hub already has is done at once: that is how an
/// interrupted commit resumes.
#[derive(Debug, Clone)]
pub struct ObjectUpload {
    cfg: HubConfig,
    obj: LfsObject,
    action: UploadAction,
    stage: Stage,
    etags: Vec<Option<String>>,
    answered: Vec<bool>,
}

impl ObjectUpload {
    /// The upload of `obj` following `action` (from the batch answer).
    pub fn new(cfg: &HubConfig, obj: LfsObject, action: UploadAction) -> Self {
        ObjectUpload {
            cfg: cfg.clone(),
            obj,
            action,
            stage: Stage::Start,
            etags: Vec::new(),
            answered: Vec::new(),
        }
    }

    /// The object.
    pub fn object(&self) -> &LfsObject {
        &self.obj
    }

    /// Whether the object is stored.
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    fn verify(&self) -> Option<&Verify> {
        match &self.action {
            UploadAction::Basic { verify, .. } | UploadAction::Multipart { verify, .. } => {
                verify.as_ref()
            }
            UploadAction::AlreadyStored => None,
        }
    }

    fn after_upload(&self) -> Stage {
        if self.verify().is_some() {
            Stage::Verify
        } else {
            Stage::Done
        }
    }

    /// Moves to the next stage and gives its transfers. Every transfer of the stage before must
    /// have been answered.
    pub fn advance(&mut self) -> Result<UploadStep, HubError> {
        if self.answered.iter().any(|a| !a) {
            return Err(HubError::invalid_input(
                "an upload moved on before every transfer of its stage was answered",
            ));
        }
        self.stage = match (self.stage, &self.action) {
            (Stage::Start, UploadAction::AlreadyStored) => Stage::Done,
            (Stage::Start, UploadAction::Basic { .. }) => Stage::Put,
            (Stage::Start, UploadAction::Multipart { .. }) => Stage::Parts,
            (Stage::Parts, _) => Stage::Complete,
            (Stage::Put | Stage::Complete, _) => self.after_upload(),
            (Stage::Verify | Stage::Done, _) => Stage::Done,
        };
        let size = self.obj.size;
        let transfers = match (self.stage, &self.action) {
            (Stage::Put, UploadAction::Basic { href, headers, .. }) => alloc::vec![Transfer {
                request: build_put(href, headers),
                content: Some((0, size)),
            }],
            (
                Stage::Parts,
                UploadAction::Multipart {
                    chunk_size, parts, ..
                },
            ) => {
                self.etags = alloc::vec![None; parts.len()];
                parts
                    .iter()
                    .zip(1u32..)
                    .map(|(href, n)| Transfer {
                        request: build_put(href, &[]),
                        content: Some(part_range(size, *chunk_size, n)),
                    })
                    .collect()
            }
            (
                Stage::Complete,
                UploadAction::Multipart {
                    completion_href, ..
                },
            ) => {
                let etags = core::mem::take(&mut self.etags)
                    .into_iter()
                    .collect::<Option<Vec<String>>>()
                    .ok_or_else(|| HubError::invalid_input("a part has no ETag"))?;
                alloc::vec![Transfer {
                    request: build_completion(completion_href, &self.obj.oid, &etags),
                    content: None,
                }]
            }
            (Stage::Verify, _) => match self.verify() {
                Some(v) => alloc::vec![Transfer {
                    request: build_verify(&self.cfg, v, &self.obj),
                    content: None,
                }],
                None => Vec::new(),
            },
            _ => {
                self.stage = Stage::Done;
                self.answered.clear();
                return Ok(UploadStep::Done);
            }
        };
        self.answered = alloc::vec![false; transfers.len()];
        Ok(UploadStep::Send(transfers))
    }

    /// Takes the answer to transfer `i` of the current stage. An error (retryable or not) leaves
    /// the transfer unanswered, so a driver may send it again.
    pub fn on_response(
        &mut self,
        i: usize,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<(), HubError> {
        if self.answered.get(i).is_none() {
            return Err(HubError::invalid_input(
                "an answer to no transfer of this stage",
            ));
        }
        if self.stage == Stage::Parts {
            let etag = parse_part_etag(head, body)?;
            self.etags[i] = Some(etag);
        } else {
            check_ok(head, body)?;
        }
        self.answered[i] = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::http::Headers;

    const B: &str = "c521b557ad72abdb40cd5e1a06f33e5f8d251d15fe8fa4babc4c1d92bfe94016";

    fn obj() -> LfsObject {
        LfsObject::new(B, 1024).unwrap()
    }

    #[test]
    fn parts_cover_the_file_exactly() {
        assert_eq!(part_range(11, 5, 1), (0, 5));
        assert_eq!(part_range(11, 5, 3), (10, 11));
        assert_eq!(part_range(10, 5, 2), (5, 10));
    }

    #[test]
    fn storage_requests_never_carry_credentials() {
        let put = build_put(
            "https://s3/p1?sig",
            &[
                ("Authorization".into(), "Bearer leak".into()),
                ("X-A".into(), "1".into()),
            ],
        );
        assert_eq!(put.method, Method::Put);
        assert_eq!(put.headers.get("authorization"), None);
        assert_eq!(put.headers.get("x-a"), Some("1"));
        let c = build_completion("https://s3/c", B, &["\"e1\"".into(), "\"e2\"".into()]);
        assert_eq!(c.headers.get("authorization"), None);
        let Body::Text(b) = &c.body else { panic!() };
        assert_eq!(
            b,
            &alloc::format!(
                r#"{{"oid":"{B}","parts":[{{"partNumber":1,"etag":"\"e1\""}},{{"partNumber":2,"etag":"\"e2\""}}]}}"#
            )
        );
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap();
        let v = build_verify(
            &cfg,
            &Verify {
                href: "https://huggingface.co/v".into(),
                headers: alloc::vec![],
            },
            &obj(),
        );
        assert_eq!(v.headers.get("authorization"), Some("Bearer hf_t"));
        let v = build_verify(
            &cfg,
            &Verify {
                href: "https://other/v".into(),
                headers: alloc::vec![],
            },
            &obj(),
        );
        assert_eq!(v.headers.get("authorization"), None);
    }

    #[test]
    fn part_etags_are_required() {
        let h = HttpResponseHead {
            status: 200,
            url: "https://s3/p1".into(),
            headers: [("ETag", "\"abc\"")].into_iter().collect::<Headers>(),
        };
        assert_eq!(parse_part_etag(&h, b"").unwrap(), "\"abc\"");
        let none = HttpResponseHead {
            headers: Headers::new(),
            ..h
        };
        assert_eq!(
            parse_part_etag(&none, b"").unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
        assert_eq!(
            LfsObject::new("xyz", 1).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    fn head(status: u16, etag: Option<&str>) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://s3/x".into(),
            headers: etag.map(|e| ("ETag", e)).into_iter().collect::<Headers>(),
        }
    }

    fn verify() -> Option<Verify> {
        Some(Verify {
            href: "https://huggingface.co/verify".into(),
            headers: alloc::vec![],
        })
    }

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    #[test]
    fn an_object_the_hub_has_is_done_at_once() {
        let mut up = ObjectUpload::new(&cfg(), obj(), UploadAction::AlreadyStored);
        assert_eq!(up.advance().unwrap(), UploadStep::Done);
        assert!(up.is_done());
    }

    #[test]
    fn a_basic_upload_is_one_put_of_everything_then_the_verify() {
        let action = UploadAction::Basic {
            href: "https://s3/put?sig".into(),
            headers: alloc::vec![("X-Amz-Acl".into(), "private".into())],
            verify: verify(),
        };
        let mut up = ObjectUpload::new(&cfg(), obj(), action);
        let UploadStep::Send(put) = up.advance().unwrap() else {
            panic!()
        };
        assert_eq!(put.len(), 1);
        assert_eq!(put[0].content, Some((0, 1024)));
        assert_eq!(put[0].request.method, Method::Put);
        assert_eq!(put[0].request.headers.get("authorization"), None);
        up.on_response(0, &head(200, None), b"").unwrap();
        let UploadStep::Send(v) = up.advance().unwrap() else {
            panic!()
        };
        assert_eq!(v[0].content, None);
        assert_eq!(
            v[0].request.headers.get("authorization"),
            Some("Bearer hf_t")
        );
        up.on_response(0, &head(200, None), b"").unwrap();
        assert_eq!(up.advance().unwrap(), UploadStep::Done);
    }

    #[test]
    fn a_multipart_upload_sends_every_part_then_their_etags_in_order() {
        let action = UploadAction::Multipart {
            completion_href: "https://s3/complete".into(),
            chunk_size: 400,
            parts: alloc::vec![
                "https://s3/1".into(),
                "https://s3/2".into(),
                "https://s3/3".into()
            ],
            verify: None,
        };
        let mut up = ObjectUpload::new(&cfg(), obj(), action);
        let UploadStep::Send(parts) = up.advance().unwrap() else {
            panic!()
        };
        let ranges: alloc::vec::Vec<_> = parts.iter().map(|t| t.content).collect();
        assert_eq!(
            ranges,
            [Some((0, 400)), Some((400, 800)), Some((800, 1024))]
        );
        // Answered out of order; a part without an ETag stays unanswered.
        up.on_response(2, &head(200, Some("\"c\"")), b"").unwrap();
        assert_eq!(
            up.on_response(0, &head(200, None), b"").unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
        up.on_response(1, &head(200, Some("\"b\"")), b"").unwrap();
        assert_eq!(
            up.advance().unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "part 1 is not answered yet"
        );
        up.on_response(0, &head(200, Some("\"a\"")), b"").unwrap();
        let UploadStep::Send(done) = up.advance().unwrap() else {
            panic!()
        };
        let Body::Text(b) = &done[0].request.body else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(v["parts"][0]["etag"], "\"a\"");
        assert_eq!(v["parts"][2]["partNumber"], 3);
        assert_eq!(
            up.on_response(7, &head(200, None), b"").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        let failed = up.on_response(0, &head(503, None), b"").unwrap_err();
        assert!(failed.is_retryable(), "the completion may be sent again");
        up.on_response(0, &head(200, None), b"").unwrap();
        assert_eq!(up.advance().unwrap(), UploadStep::Done);
    }
}
