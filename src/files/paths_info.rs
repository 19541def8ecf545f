//! `POST /api/{type}s/{repo}/paths-info/{rev}`: metadata for chosen paths, missing ones omitted.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{to_json, Call, Flow, Started, Step};
use crate::error::HubError;
use crate::files::tree::{parse_entries, EntryType, TreeEntry};
use crate::files::FileOptions;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::{json, Body, HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;
use crate::options;
use crate::options::Target;
use alloc::boxed::Box;

/// The most paths one request carries; the Hub refuses much larger bodies (413), and the
/// reference clients batch by this size.
pub const BATCH_SIZE: usize = 500;

#[derive(Serialize)]
struct RequestBody<'a> {
    paths: Vec<&'a str>,
    expand: bool,
}

/// Builds one request per batch of [`BATCH_SIZE`] paths (JSON body, as the JS client sends).
/// An empty list is an `InvalidInput`: it would cost a request to learn nothing.
pub fn build_paths_info(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    paths: &[RepoPath],
    expand: bool,
) -> Result<Vec<HttpRequest>, HubError> {
    if paths.is_empty() {
        return Err(HubError::invalid_input("pathsInfo needs at least one path"));
    }
    let url = endpoints::paths_info(cfg, repo, revision);
    Ok(paths
        .chunks(BATCH_SIZE)
        .map(|chunk| {
            let body = RequestBody {
                paths: chunk.iter().map(RepoPath::as_str).collect(),
                expand,
            };
            let mut req = cfg.request(Method::Post, url.clone());
            req.headers.set("Content-Type", "application/json");
            req.headers.set("Accept", "application/json");
            req.body = Body::Text(json::to_string(&body).unwrap_or_default());
            req
        })
        .collect())
}

/// Parses a `paths-info` answer.
pub fn parse_paths_info(head: &HttpResponseHead, body: &[u8]) -> Result<Vec<TreeEntry>, HubError> {
    parse_entries(head, body)
}

options! {
    /// `pathsInfo` options.
    pub struct PathsInfoOptions: Target {
        /// The paths to describe.
        pub paths: Vec<String> = "paths",
        /// Ask for `lastCommit` and `securityFileStatus`.
        pub expand: bool = "expand",
    }
}

/// `pathsInfo`: the entries of the given paths (missing ones omitted), batch after batch.
pub struct PathsInfo;

impl Call for PathsInfo {
    const NAME: &'static str = "pathsInfo";
    type Options = PathsInfoOptions;
    type Output = Vec<TreeEntry>;
    fn start(o: PathsInfoOptions) -> Result<Started, HubError> {
        let paths = o
            .paths
            .iter()
            .map(|p| RepoPath::new(p))
            .collect::<Result<Vec<_>, _>>()?;
        Batches::start(&o.base, &paths, o.expand, None)
    }
}

/// `fileExists`: whether `path` is a file at the revision (a folder is not).
pub struct FileExists;

impl Call for FileExists {
    const NAME: &'static str = "fileExists";
    type Options = FileOptions;
    type Output = bool;
    fn start(o: FileOptions) -> Result<Started, HubError> {
        let path = RepoPath::new(&o.path)?;
        Batches::start(
            &o.base,
            core::slice::from_ref(&path),
            false,
            Some(path.clone()),
        )
    }
}

/// The batches still to send (last first) and the entries so far; with `exists`, the result is
/// whether that file is among them.
struct Batches {
    rest: Vec<HttpRequest>,
    all: Vec<TreeEntry>,
    exists: Option<RepoPath>,
}

impl Batches {
    fn start(
        t: &Target,
        paths: &[RepoPath],
        expand: bool,
        exists: Option<RepoPath>,
    ) -> Result<Started, HubError> {
        let mut rest = build_paths_info(&t.config()?, &t.repo(), &t.revision()?, paths, expand)?;
        rest.reverse();
        let request = rest
            .pop()
            .ok_or_else(|| HubError::invalid_input("no paths"))?;
        Ok(Started {
            flow: Box::new(Batches {
                rest,
                all: Vec::new(),
                exists,
            }),
            request,
        })
    }
}

impl Flow for Batches {
    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        self.all.extend(parse_paths_info(head, body)?);
        if let Some(next) = self.rest.pop() {
            return Ok(Step::Send(next));
        }
        match &self.exists {
            Some(path) => to_json(
                &self
                    .all
                    .iter()
                    .any(|e| e.path == path.as_str() && e.entry_type == EntryType::File),
            ),
            None => to_json(&self.all),
        }
        .map(Step::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::ids::repo::RepoType;

    fn repo() -> RepoId {
        RepoId::new(RepoType::Dataset, "u/d").unwrap()
    }

    #[test]
    fn builds_a_json_post_per_batch_of_500() {
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap();
        let paths: Vec<RepoPath> = (0..1001)
            .map(|i| RepoPath::new(&alloc::format!("f{i}.txt")).unwrap())
            .collect();
        let reqs = build_paths_info(
            &cfg,
            &repo(),
            &Revision::new("refs/pr/1").unwrap(),
            &paths,
            true,
        )
        .unwrap();
        assert_eq!(reqs.len(), 3);
        let r = &reqs[0];
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://huggingface.co/api/datasets/u/d/paths-info/refs%2Fpr%2F1"
        );
        assert_eq!(r.headers.get("content-type"), Some("application/json"));
        assert_eq!(r.headers.get("authorization"), Some("Bearer hf_t"));
        let Body::Text(body) = &r.body else {
            panic!("no body")
        };
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["paths"].as_array().unwrap().len(), 500);
        assert_eq!(v["expand"], true);
        let Body::Text(last) = &reqs[2].body else {
            panic!()
        };
        assert!(last.contains("\"f1000.txt\""));
    }

    #[test]
    fn an_empty_path_list_is_invalid_input() {
        let cfg = HubConfig::default();
        let e = build_paths_info(&cfg, &repo(), &Revision::default(), &[], false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn parses_entries_and_errors() {
        let ok = HttpResponseHead {
            status: 200,
            url: "u".into(),
            headers: Default::default(),
        };
        let v = parse_paths_info(
            &ok,
            br#"[{"type":"file","oid":"ab","size":3,"path":"a.txt"}]"#,
        )
        .unwrap();
        assert_eq!(v[0].path, "a.txt");
        assert_eq!(parse_paths_info(&ok, b"[]").unwrap().len(), 0);
        let nf = HttpResponseHead {
            status: 404,
            url: "https://huggingface.co/api/datasets/u/d/paths-info/main".into(),
            headers: [("X-Error-Code", "RepoNotFound")].into_iter().collect(),
        };
        assert_eq!(
            parse_paths_info(&nf, b"").unwrap_err().kind(),
            ErrorKind::RepoNotFound
        );
    }
}
