//! `POST /api/{type}s/{repo}/paths-info/{rev}`: metadata for chosen paths, missing ones omitted.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::config::HubConfig;
use crate::endpoints;
use crate::error::HubError;
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::path::RepoPath;
use crate::repo::RepoId;
use crate::revision::Revision;
use crate::tree::{parse_entries, TreeEntry};

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
            req.body = Body::Text(serde_json::to_string(&body).unwrap_or_else(|_| String::new()));
            req
        })
        .collect())
}

/// Parses a `paths-info` answer.
pub fn parse_paths_info(head: &HttpResponseHead, body: &[u8]) -> Result<Vec<TreeEntry>, HubError> {
    parse_entries(head, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::repo::RepoType;

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
