//! The git LFS batch API as the Hub serves it (docs/hub-protocol.md §4.3–4.4): which objects to
//! upload and how (`basic`: one PUT; `multipart`: numbered part PUTs and a completion POST).
//! Storage URLs are signed: part PUTs and the completion carry no Hub token.

use crate::cat;
use crate::http::json::{self, Value};
use crate::text::{num, quoted};
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::error::{ErrorKind, HubError};
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;

/// Objects per batch request (the reference client's chunk).
pub const BATCH_SIZE: usize = 256;
pub(crate) const LFS_JSON: &str = "application/vnd.git-lfs+json";

/// An object to upload: its sha256 and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LfsObject {
    /// Lower-case hex sha256.
    pub oid: String,
    /// Size in bytes.
    pub size: u64,
}

impl LfsObject {
    /// Validates the oid (64 hex) so a bad hash never reaches the server.
    pub fn new(oid: &str, size: u64) -> Result<LfsObject, HubError> {
        if oid.len() != 64 || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HubError::invalid_input(cat!(
                "invalid LFS oid ",
                quoted(oid),
                ": expected 64 hex characters (sha256)"
            )));
        }
        Ok(LfsObject {
            oid: oid.to_ascii_lowercase(),
            size,
        })
    }
}

/// What to do for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadAction {
    /// The server has it already: nothing to send (this is how uploads resume).
    AlreadyStored,
    /// One PUT of the whole content to `href`.
    Basic {
        /// Signed upload URL.
        href: String,
        /// Extra headers the server asked for (never the Hub token).
        headers: Vec<(String, String)>,
        /// Where to confirm the upload, if the server wants it.
        verify: Option<Verify>,
    },
    /// PUT each part to its URL, then POST the part ETags to `completion_href`.
    Multipart {
        /// Signed completion URL.
        completion_href: String,
        /// Bytes per part (the last part may be shorter).
        chunk_size: u64,
        /// Part URLs, part 1 first.
        parts: Vec<String>,
        /// Where to confirm the upload, if the server wants it.
        verify: Option<Verify>,
    },
}

/// A verify action: POST `{oid, size}` with the Hub token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verify {
    /// The URL.
    pub href: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

#[derive(Serialize)]
struct WireRef<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct WireBatch<'a> {
    operation: &'static str,
    transfers: [&'static str; 2],
    objects: &'a [LfsObject],
    hash_algo: &'static str,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    reference: Option<WireRef<'a>>,
}

/// One batch request per [`BATCH_SIZE`] objects, offering `basic` and `multipart`. `revision` is
/// sent unencoded; it is omitted when the commit opens a pull request (the ref does not exist).
pub fn build_lfs_batch(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: Option<&Revision>,
    objects: &[LfsObject],
) -> Vec<HttpRequest> {
    let url = endpoints::lfs_batch(cfg, repo);
    objects
        .chunks(BATCH_SIZE)
        .map(|chunk| {
            let body = WireBatch {
                operation: "upload",
                transfers: ["basic", "multipart"],
                objects: chunk,
                hash_algo: "sha256",
                reference: revision.map(|r| WireRef { name: r.as_str() }),
            };
            let mut req = cfg.request(Method::Post, url.clone());
            req.headers.set("Accept", LFS_JSON);
            req.headers.set("Content-Type", LFS_JSON);
            req.body = Body::Text(json::to_string(&body).unwrap_or_default());
            req
        })
        .collect()
}

// The answer is read from one JSON value rather than derived deserialisers: the wasm carries
// one JSON value reader for all its small answers instead of one decoder per type.

struct WireAction {
    href: String,
    /// In key order, as the JSON object's map keeps them.
    header: Vec<(String, HeaderValue)>,
}

/// A header value in an LFS action: a string or a whole number (as its text), or anything
/// else (ignored).
enum HeaderValue {
    Text(String),
    Other,
}

impl HeaderValue {
    fn text(&self) -> Option<String> {
        match self {
            HeaderValue::Text(s) => Some(s.clone()),
            HeaderValue::Other => None,
        }
    }
}

struct WireError {
    code: u64,
    message: String,
}

struct WireObject {
    oid: String,
    size: u64,
    actions: Option<Vec<(String, WireAction)>>,
    error: Option<WireError>,
}

/// `v` unless it is `null` (an absent field reads as `null` too).
fn present(v: &Value) -> Option<&Value> {
    (!v.is_null()).then_some(v)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(String::from)
}

/// `{ href, header? }`; `None` when the shape is wrong.
fn read_action(v: &Value) -> Option<WireAction> {
    let header = match present(&v["header"]) {
        None => Vec::new(),
        Some(h) => h
            .as_object()?
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::String(s) => HeaderValue::Text(s.clone()),
                    Value::Number(n) if v.as_u64().is_some() => HeaderValue::Text(n.clone()),
                    _ => HeaderValue::Other,
                };
                (k.clone(), value)
            })
            .collect(),
    };
    Some(WireAction {
        href: text(&v["href"])?,
        header,
    })
}

/// `{ oid, size, actions?, error? }`; `None` when the shape is wrong.
fn read_object(v: &Value) -> Option<WireObject> {
    let actions = match present(&v["actions"]) {
        None => None,
        Some(a) => Some(
            a.as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), read_action(v)?)))
                .collect::<Option<_>>()?,
        ),
    };
    let error = match present(&v["error"]) {
        None => None,
        Some(e) => Some(WireError {
            code: e["code"].as_u64()?,
            message: text(&e["message"])?,
        }),
    };
    Some(WireObject {
        oid: text(&v["oid"])?,
        size: v["size"].as_u64()?,
        actions,
        error,
    })
}

/// `{ objects: [...] }`; `None` when the shape is wrong.
fn read_batch(body: &[u8]) -> Option<Vec<WireObject>> {
    let v = json::parse(body)?;
    v["objects"].as_array()?.iter().map(read_object).collect()
}

/// The value under `key` in a list of pairs.
fn lookup<'a, T>(pairs: &'a [(String, T)], key: &str) -> Option<&'a T> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn header_pairs(h: &[(String, HeaderValue)]) -> Vec<(String, String)> {
    h.iter()
        .filter_map(|(k, v)| Some((k.clone(), v.text()?)))
        .collect()
}

/// Parses a batch answer into one action per asked object, in the order asked. A per-object
/// error fails the whole upload with the server's code and message.
pub fn parse_lfs_batch(
    head: &HttpResponseHead,
    body: &[u8],
    asked: &[LfsObject],
) -> Result<Vec<UploadAction>, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let objects = read_batch(body).ok_or_else(|| {
        HubError::malformed(head, "unexpected LFS batch answer: not { objects: [...] }")
    })?;
    asked
        .iter()
        .map(|want| {
            let obj = objects
                .iter()
                .find(|o| o.oid.eq_ignore_ascii_case(&want.oid))
                .ok_or_else(|| {
                    HubError::malformed(head, cat!("LFS batch did not answer for ", want.oid))
                })?;
            if let Some(e) = &obj.error {
                let kind = if e.code == 422 || e.code == 400 {
                    ErrorKind::BadRequest
                } else {
                    ErrorKind::Http
                };
                return Err(HubError::new(
                    kind,
                    cat!(
                        "the Hub refused LFS object ",
                        want.oid,
                        " (",
                        num(e.code),
                        "): ",
                        e.message
                    ),
                )
                .with_url(head.url.clone()));
            }
            if obj.size != want.size {
                return Err(HubError::malformed(
                    head,
                    cat!(
                        "LFS batch answered size ",
                        num(obj.size),
                        " for ",
                        want.oid,
                        ", expected ",
                        num(want.size)
                    ),
                ));
            }
            action_for(head, want, obj)
        })
        .collect()
}

fn action_for(
    head: &HttpResponseHead,
    want: &LfsObject,
    obj: &WireObject,
) -> Result<UploadAction, HubError> {
    let Some(actions) = &obj.actions else {
        return Ok(UploadAction::AlreadyStored);
    };
    let verify = lookup(actions, "verify").map(|v| Verify {
        href: v.href.clone(),
        headers: header_pairs(&v.header),
    });
    let Some(upload) = lookup(actions, "upload") else {
        return Ok(UploadAction::AlreadyStored);
    };
    let Some(chunk) = lookup(&upload.header, "chunk_size") else {
        return Ok(UploadAction::Basic {
            href: upload.href.clone(),
            headers: header_pairs(&upload.header),
            verify,
        });
    };
    let chunk_size = chunk
        .text()
        .and_then(|c| c.trim().parse::<u64>().ok())
        .filter(|&c| c > 0)
        .ok_or_else(|| HubError::malformed(head, cat!("invalid chunk_size for ", want.oid)))?;
    let numbered: Vec<(u64, &String)> = upload
        .header
        .iter()
        .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|(k, v)| match v {
            HeaderValue::Text(url) => Some((k.parse::<u64>().ok()?, url)),
            _ => None,
        })
        .collect();
    let expected = want.size.div_ceil(chunk_size);
    // Part n goes in slot n - 1: the server must name 1..=expected, each once (in any order).
    let mut parts: Vec<Option<String>> = Vec::new();
    if numbered.len() as u64 == expected {
        parts.resize(numbered.len(), None);
        for (n, url) in &numbered {
            match n.checked_sub(1).and_then(|i| parts.get_mut(i as usize)) {
                Some(slot @ None) => *slot = Some((*url).clone()),
                _ => break,
            }
        }
    }
    let Some(parts) = parts
        .into_iter()
        .collect::<Option<Vec<String>>>()
        .filter(|p| p.len() as u64 == expected)
    else {
        return Err(HubError::malformed(
            head,
            cat!(
                "multipart upload of ",
                want.oid,
                " (",
                num(want.size),
                " bytes, chunk ",
                num(chunk_size),
                ") needs ",
                num(expected),
                " parts, the server gave ",
                num(numbered.len() as u64)
            ),
        ));
    };
    Ok(UploadAction::Multipart {
        completion_href: upload.href.clone(),
        chunk_size,
        parts,
        verify,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::repo::RepoType;

    const A: &str = "b1a614c8bd7f53b524c1923c590c8808a4752c284b05ab246294402d91793eec";
    const B: &str = "c521b557ad72abdb40cd5e1a06f33e5f8d251d15fe8fa4babc4c1d92bfe94016";
    const C: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn ok() -> HttpResponseHead {
        HttpResponseHead {
            status: 200,
            url: "https://huggingface.co/u/m.git/info/lfs/objects/batch".into(),
            headers: Default::default(),
        }
    }

    fn objs() -> Vec<LfsObject> {
        alloc::vec![
            LfsObject::new(A, 1024).unwrap(),
            LfsObject::new(B, 11534336).unwrap(),
            LfsObject::new(C, 7).unwrap(),
        ]
    }

    #[test]
    fn the_batch_request_offers_basic_and_multipart_with_the_unencoded_ref() {
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap();
        let repo = RepoId::new(RepoType::Dataset, "u/d").unwrap();
        let reqs = build_lfs_batch(
            &cfg,
            &repo,
            Some(&Revision::new("refs/pr/3").unwrap()),
            &objs(),
        );
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(
            r.url,
            "https://huggingface.co/datasets/u/d.git/info/lfs/objects/batch"
        );
        assert_eq!(
            r.headers.get("accept"),
            Some("application/vnd.git-lfs+json")
        );
        assert_eq!(r.headers.get("authorization"), Some("Bearer hf_t"));
        let Body::Text(b) = &r.body else { panic!() };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(v["operation"], "upload");
        assert_eq!(v["transfers"], serde_json::json!(["basic", "multipart"]));
        assert_eq!(v["hash_algo"], "sha256");
        assert_eq!(v["ref"]["name"], "refs/pr/3");
        assert_eq!(v["objects"][1]["size"], 11534336);
        let no_ref = build_lfs_batch(&cfg, &repo, None, &objs());
        let Body::Text(b) = &no_ref[0].body else {
            panic!()
        };
        assert!(!b.contains("\"ref\""));
    }

    #[test]
    fn answers_become_basic_multipart_or_already_stored_in_the_order_asked() {
        let body = alloc::format!(
            r#"{{"transfer":"multipart","objects":[
          {{"oid":"{C}","size":7}},
          {{"oid":"{B}","size":11534336,"authenticated":true,"actions":{{
             "upload":{{"href":"https://s3/complete?sig","header":{{"chunk_size":"5242880","00003":"https://s3/p3","00001":"https://s3/p1","00002":"https://s3/p2"}}}},
             "verify":{{"href":"https://huggingface.co/verify","header":{{"X-Extra":"1"}}}}}}}},
          {{"oid":"{A}","size":1024,"actions":{{"upload":{{"href":"https://s3/put?sig","header":{{"X-Amz":"a"}}}}}}}}]}}"#
        );
        let actions = parse_lfs_batch(&ok(), body.as_bytes(), &objs()).unwrap();
        match &actions[0] {
            UploadAction::Basic {
                href,
                headers,
                verify,
            } => {
                assert_eq!(href, "https://s3/put?sig");
                assert_eq!(headers, &[("X-Amz".to_string(), "a".to_string())]);
                assert!(verify.is_none());
            }
            other => panic!("{other:?}"),
        }
        match &actions[1] {
            UploadAction::Multipart {
                completion_href,
                chunk_size,
                parts,
                verify,
            } => {
                assert_eq!(completion_href, "https://s3/complete?sig");
                assert_eq!(*chunk_size, 5242880);
                assert_eq!(parts, &["https://s3/p1", "https://s3/p2", "https://s3/p3"]);
                assert_eq!(
                    verify.as_ref().unwrap().href,
                    "https://huggingface.co/verify"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(actions[2], UploadAction::AlreadyStored);
    }

    #[test]
    fn per_object_errors_wrong_part_counts_and_missing_objects_fail() {
        let err = alloc::format!(
            r#"{{"objects":[{{"oid":"{A}","size":1024,"error":{{"code":422,"message":"bad oid"}}}}]}}"#
        );
        let e = parse_lfs_batch(&ok(), err.as_bytes(), &objs()[..1]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadRequest);
        assert!(e.message().contains("bad oid"));
        let wrong = alloc::format!(
            r#"{{"objects":[{{"oid":"{B}","size":11534336,"actions":{{"upload":{{"href":"h","header":{{"chunk_size":"5242880","00001":"p1","00002":"p2"}}}}}}}}]}}"#
        );
        assert_eq!(
            parse_lfs_batch(&ok(), wrong.as_bytes(), &objs()[1..2])
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        assert_eq!(
            parse_lfs_batch(&ok(), br#"{"objects":[]}"#, &objs()[..1])
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        let forbidden = HttpResponseHead {
            status: 403,
            ..ok()
        };
        assert_eq!(
            parse_lfs_batch(
                &forbidden,
                br#"{"message":"Authorization error."}"#,
                &objs()
            )
            .unwrap_err()
            .kind(),
            ErrorKind::Forbidden
        );
    }
}
