//! `GET /api/{type}s/{repo}/refs`: a repo's branches, tags, converts and (asked for) PR refs.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::json::{self, Value};
use crate::http::{endpoints, HttpRequest, HttpResponseHead, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::{cat, options, HubConfig};

/// One git ref, as the Hub lists it (and `huggingface_hub`'s `GitRefInfo`, in camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GitRef {
    /// The short name: `main`, `v1.0`, `parquet`, `1` for `refs/pr/1`.
    pub name: String,
    /// The full ref: `refs/heads/main`, `refs/tags/v1.0`, `refs/convert/parquet`, `refs/pr/1`.
    #[serde(rename = "ref")]
    pub full: String,
    /// The commit it points to.
    pub target_commit: String,
}

/// Every ref of a repo, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GitRefs {
    /// Branches (`refs/heads/…`).
    pub branches: Vec<GitRef>,
    /// Tags (`refs/tags/…`).
    pub tags: Vec<GitRef>,
    /// Refs the Hub made (`refs/convert/parquet`, …).
    pub converts: Vec<GitRef>,
    /// Pull-request refs (`refs/pr/N`): present only when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub pull_requests: Option<Vec<GitRef>>,
}

/// `GET …/refs[?include_prs=1]`.
pub fn build_list_refs(cfg: &HubConfig, repo: &RepoId, include_prs: bool) -> HttpRequest {
    let q = if include_prs { "?include_prs=1" } else { "" };
    let mut req = cfg.request(
        Method::Get,
        cat!(endpoints::api_repo(cfg, repo), "/refs", q),
    );
    req.headers.set("Accept", "application/json");
    req
}

fn read_refs(v: Option<&Value>) -> Option<Vec<GitRef>> {
    let Some(v) = v else { return Some(Vec::new()) };
    if *v == Value::Null {
        return Some(Vec::new());
    }
    v.as_array()?
        .iter()
        .map(|r| {
            Some(GitRef {
                name: json::text(r, "name")?,
                full: json::text(r, "ref")?,
                target_commit: json::text(r, "targetCommit")?,
            })
        })
        .collect()
}

/// Parses the refs; a kind the answer leaves out is empty (older Hubs send no `converts`), and
/// `pullRequests` is there when the answer has it (it has when asked for).
pub fn parse_list_refs(head: &HttpResponseHead, body: &[u8]) -> Result<GitRefs, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let v = json::parse(body)
        .ok_or_else(|| HubError::malformed(head, "the refs answer is not JSON"))?;
    let bad = || HubError::malformed(head, "the refs answer has no branches/tags lists of refs");
    let pull_requests = match v.get("pullRequests") {
        None => None,
        prs => Some(read_refs(prs).ok_or_else(bad)?),
    };
    Ok(GitRefs {
        branches: read_refs(Some(v.get("branches").ok_or_else(bad)?)).ok_or_else(bad)?,
        tags: read_refs(v.get("tags")).ok_or_else(bad)?,
        converts: read_refs(v.get("converts")).ok_or_else(bad)?,
        pull_requests,
    })
}

options! {
    /// `listRepoRefs` options.
    pub struct ListRepoRefsOptions: Target {
        /// List `refs/pr/N` too.
        pub include_pull_requests: bool = "includePullRequests",
    }
}

/// `listRepoRefs`: a repo's branches, tags, converts and PR refs.
pub struct ListRepoRefs;

impl Call for ListRepoRefs {
    const NAME: &'static str = "listRepoRefs";
    type Options = ListRepoRefsOptions;
    type Output = GitRefs;
    fn start(o: ListRepoRefsOptions) -> Result<Started, HubError> {
        let req = build_list_refs(&o.base.config()?, &o.base.repo(), o.include_pull_requests);
        Ok(Started::single(req, parse_list_refs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn ok() -> HttpResponseHead {
        HttpResponseHead {
            status: 200,
            url: "https://huggingface.co/api/models/u/m/refs".into(),
            headers: Default::default(),
        }
    }

    #[test]
    fn refs_are_one_get_with_prs_only_when_asked() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        assert_eq!(
            build_list_refs(&cfg(), &repo, false).url,
            "https://huggingface.co/api/datasets/u/d/refs"
        );
        assert_eq!(
            build_list_refs(&cfg(), &repo, true).url,
            "https://huggingface.co/api/datasets/u/d/refs?include_prs=1"
        );
    }

    #[test]
    fn every_kind_is_read_and_a_missing_kind_is_empty() {
        let body = br#"{"branches":[{"name":"main","ref":"refs/heads/main","targetCommit":"aa"}],
            "tags":[{"name":"v1","ref":"refs/tags/v1","targetCommit":"bb"}],
            "pullRequests":[{"name":"1","ref":"refs/pr/1","targetCommit":"cc"}]}"#;
        let r = parse_list_refs(&ok(), body).unwrap();
        assert_eq!(r.branches[0].full, "refs/heads/main");
        assert_eq!(r.tags[0].target_commit, "bb");
        assert!(r.converts.is_empty());
        assert_eq!(r.pull_requests.unwrap()[0].name, "1");
        let no_prs =
            br#"{"branches":[{"name":"main","ref":"refs/heads/main","targetCommit":"aa"}]}"#;
        assert_eq!(parse_list_refs(&ok(), no_prs).unwrap().pull_requests, None);
        let json = json::to_string(&parse_list_refs(&ok(), no_prs).unwrap()).unwrap();
        assert!(
            json.contains(r#""ref":"refs/heads/main","targetCommit":"aa""#),
            "{json}"
        );
        assert!(!json.contains("pullRequests"));
    }

    #[test]
    fn a_wrong_shape_is_malformed_and_an_error_keeps_its_meaning() {
        for body in [
            &b"[]"[..],
            br#"{"tags":[]}"#,
            br#"{"branches":[{"name":"x"}]}"#,
            b"<html>",
        ] {
            assert_eq!(
                parse_list_refs(&ok(), body).unwrap_err().kind(),
                ErrorKind::MalformedResponse
            );
        }
        let head = HttpResponseHead {
            status: 404,
            url: "u".into(),
            headers: [("X-Error-Code", "RepoNotFound")].into_iter().collect(),
        };
        assert_eq!(
            parse_list_refs(&head, b"").unwrap_err().kind(),
            ErrorKind::RepoNotFound
        );
    }
}
