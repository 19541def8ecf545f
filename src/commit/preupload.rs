//! `POST /api/{type}s/{repo}/preupload/{rev}`: the Hub decides, per file, whether it goes inline
//! in the commit (`regular`) or through LFS, whether it is ignored, and tells the current oid of
//! paths that already exist (so unchanged files can be skipped).

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::commit::base64;
use crate::error::HubError;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::json;
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;

/// Files per preupload request (the JS client's batch size).
pub const BATCH_SIZE: usize = 100;
/// How many leading bytes of each file the Hub looks at to sniff binary content.
pub const SAMPLE_SIZE: usize = 512;

/// One file to ask about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreuploadFile {
    /// Where it goes.
    pub path: RepoPath,
    /// Its size.
    pub size: u64,
}

/// How the Hub wants a file sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadMode {
    /// Inline, base64, in the commit body.
    Regular,
    /// Through LFS storage, referenced by sha256 in the commit.
    Lfs,
}

/// The Hub's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreuploadDecision {
    /// The path asked about.
    pub path: String,
    /// How to send it.
    pub upload_mode: UploadMode,
    /// Whether the repo's `.gitignore` excludes it (then it is neither uploaded nor committed).
    #[serde(default)]
    pub should_ignore: bool,
    /// The current oid at that path, when it exists (sha1 for regular, sha256 for LFS).
    #[serde(default)]
    pub oid: Option<String>,
}

/// One request per [`BATCH_SIZE`] files; `samples[i]` is the first bytes of `files[i]` (at
/// most [`SAMPLE_SIZE`]; longer samples are cut). `git_attributes` is the `.gitattributes` text
/// being committed alongside, if any, so the Hub decides with it.
pub fn build_preupload(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    files: &[PreuploadFile],
    samples: &[Vec<u8>],
    create_pr: bool,
    git_attributes: Option<&str>,
) -> Vec<HttpRequest> {
    let url = endpoints::preupload(cfg, repo, revision, create_pr);
    files
        .chunks(BATCH_SIZE)
        .zip(samples.chunks(BATCH_SIZE))
        .map(|(chunk, samples)| {
            let mut req = cfg.request(Method::Post, url.clone());
            req.headers.set("Content-Type", "application/json");
            req.body = Body::Text(request_body(chunk, samples, git_attributes));
            req
        })
        .collect()
}

/// `{"files":[{"path","sample","size"}…],"gitAttributes"?}`, written by hand: base64 needs no
/// escaping, and scanning a thousand samples for it through `serde_json` (built for size) took
/// longer than the rest of the request.
fn request_body(
    files: &[PreuploadFile],
    samples: &[Vec<u8>],
    git_attributes: Option<&str>,
) -> String {
    let mut out = String::with_capacity(files.len() * (SAMPLE_SIZE * 4 / 3 + 96) + 32);
    out.push_str("{\"files\":[");
    for (k, (f, sample)) in files.iter().zip(samples).enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str("{\"path\":");
        json::push_string(&mut out, f.path.as_str());
        out.push_str(",\"sample\":\"");
        base64::encode_into(&mut out, &sample[..sample.len().min(SAMPLE_SIZE)]);
        out.push_str("\",\"size\":");
        json::push_u64(&mut out, f.size);
        out.push('}');
    }
    out.push(']');
    if let Some(ga) = git_attributes {
        out.push_str(",\"gitAttributes\":");
        json::push_string(&mut out, ga);
    }
    out.push('}');
    out
}

/// Parses one preupload answer. Empty files are forced to `regular` whatever the Hub says:
/// storage refuses empty LFS objects (as the reference client does).
pub fn parse_preupload(
    head: &HttpResponseHead,
    body: &[u8],
    asked: &[PreuploadFile],
) -> Result<Vec<PreuploadDecision>, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let mut files = read_decisions(body).ok_or_else(|| {
        HubError::malformed(head, "unexpected preupload answer: not { files: [...] }")
    })?;
    for d in &mut files {
        match asked.iter().find(|f| f.path.as_str() == d.path) {
            Some(f) if f.size == 0 => d.upload_mode = UploadMode::Regular,
            Some(_) => {}
            None => {
                return Err(HubError::malformed(
                    head,
                    crate::cat!(
                        "preupload answered for ",
                        crate::text::quoted(&d.path),
                        ", which was not asked about"
                    ),
                ))
            }
        }
    }
    if let Some(missing) = asked
        .iter()
        .find(|f| !files.iter().any(|d| d.path == f.path.as_str()))
    {
        return Err(HubError::malformed(
            head,
            crate::cat!(
                "preupload did not answer for ",
                crate::text::quoted(missing.path.as_str())
            ),
        ));
    }
    Ok(files)
}

/// `{ files: [{ path, uploadMode, shouldIgnore?, oid? }] }`; `None` when the shape is wrong.
fn read_decisions(body: &[u8]) -> Option<Vec<PreuploadDecision>> {
    let v = json::parse(body)?;
    v.get("files")?
        .as_array()?
        .iter()
        .map(|f| {
            Some(PreuploadDecision {
                path: json::text(f, "path")?,
                upload_mode: match f.get("uploadMode")?.as_str()? {
                    "regular" => UploadMode::Regular,
                    "lfs" => UploadMode::Lfs,
                    _ => return None,
                },
                should_ignore: json::flag(f, "shouldIgnore")?,
                oid: json::opt_text(f, "oid")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::ids::repo::RepoType;

    fn file(path: &str, size: u64) -> PreuploadFile {
        PreuploadFile {
            path: RepoPath::new(path).unwrap(),
            size,
        }
    }

    fn ok() -> HttpResponseHead {
        HttpResponseHead {
            status: 200,
            url: "u".into(),
            headers: Default::default(),
        }
    }

    #[test]
    fn batches_files_with_base64_samples_capped_at_512_bytes() {
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap();
        let repo = RepoId::new(RepoType::Model, "u/m").unwrap();
        let files: Vec<PreuploadFile> =
            (0..150).map(|i| file(&alloc::format!("f{i}"), 3)).collect();
        let mut samples = alloc::vec![b"abc".to_vec(); 150];
        samples[0] = alloc::vec![7u8; 2000];
        let reqs = build_preupload(
            &cfg,
            &repo,
            &Revision::default(),
            &files,
            &samples,
            true,
            Some("*.bin filter=lfs"),
        );
        assert_eq!(reqs.len(), 2);
        assert_eq!(
            reqs[0].url,
            "https://huggingface.co/api/models/u/m/preupload/main?create_pr=1"
        );
        assert_eq!(reqs[0].headers.get("authorization"), Some("Bearer hf_t"));
        let Body::Text(b) = &reqs[0].body else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(v["files"].as_array().unwrap().len(), 100);
        assert_eq!(
            v["files"][0]["sample"].as_str().unwrap().len(),
            684,
            "512 bytes of base64"
        );
        assert_eq!(v["files"][1]["sample"], "YWJj");
        assert_eq!(v["files"][1]["size"], 3);
        assert_eq!(v["gitAttributes"], "*.bin filter=lfs");
    }

    #[test]
    fn the_request_body_is_json_whatever_the_path_and_size() {
        let cfg = HubConfig::new("https://huggingface.co", None).unwrap();
        let repo = RepoId::new(RepoType::Model, "u/m").unwrap();
        let files = [file("quote\"back\\slash ü 😀.txt", u64::MAX), file("0", 0)];
        let samples = [alloc::vec![], alloc::vec![0, 255, 10]];
        let reqs = build_preupload(
            &cfg,
            &repo,
            &Revision::default(),
            &files,
            &samples,
            false,
            None,
        );
        let Body::Text(b) = &reqs[0].body else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(v["files"][0]["path"], "quote\"back\\slash ü 😀.txt");
        assert_eq!(v["files"][0]["size"], u64::MAX);
        assert_eq!(v["files"][0]["sample"], "");
        assert_eq!(v["files"][1]["size"], 0);
        assert_eq!(v["files"][1]["sample"], "AP8K");
        assert!(v.get("gitAttributes").is_none());
    }

    #[test]
    fn parses_decisions_and_forces_empty_files_to_regular() {
        let asked = [file("app.py", 152), file("empty.bin", 0), file("w.bin", 9)];
        let body = br#"{"files":[
            {"path":"app.py","uploadMode":"regular","shouldIgnore":false,"oid":"1a42034850e2f5213e1a89a887747b667dc9d125"},
            {"path":"empty.bin","uploadMode":"lfs","shouldIgnore":false},
            {"path":"w.bin","uploadMode":"lfs","shouldIgnore":true}],
          "commitOid":"c52ce5e45984b9378ef6247fe7a45ed72b096b24"}"#;
        let d = parse_preupload(&ok(), body, &asked).unwrap();
        assert_eq!(d[0].upload_mode, UploadMode::Regular);
        assert_eq!(
            d[0].oid.as_deref(),
            Some("1a42034850e2f5213e1a89a887747b667dc9d125")
        );
        assert_eq!(d[1].upload_mode, UploadMode::Regular);
        assert!(d[2].should_ignore);
    }

    #[test]
    fn unknown_modes_and_missing_answers_are_malformed() {
        let asked = [file("a", 1)];
        for body in [
            r#"{"files":[{"path":"a","uploadMode":"xet"}]}"#,
            r#"{"files":[]}"#,
            r#"{"files":[{"path":"b","uploadMode":"lfs"},{"path":"a","uploadMode":"lfs"}]}"#,
            "nope",
        ] {
            assert_eq!(
                parse_preupload(&ok(), body.as_bytes(), &asked)
                    .unwrap_err()
                    .kind(),
                ErrorKind::MalformedResponse,
                "{body}"
            );
        }
    }
}
