//! `GET /api/{type}s/{repo}[/revision/{rev}]?expand=…`: one repo's info (`modelInfo`,
//! `datasetInfo`, `spaceInfo` and `repoInfo` in the JavaScript API).

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_segment;
use crate::http::json;
use crate::http::{endpoints, HttpRequest, HttpResponseHead, Method};
use crate::ids::revision::Revision;
use crate::ids::RepoId;
use crate::info::entry::{additional, check_kind, expand_query, read_entry, RepoEntry};
use crate::options::Target;
use crate::{cat, options, HubConfig};

/// The request: the repo's default branch without a revision (as `huggingface_hub`), else the
/// revision as one encoded segment.
pub fn build_repo_info(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: Option<&Revision>,
    expand: &str,
) -> HttpRequest {
    let at = match revision {
        Some(r) => cat!("/revision/", encode_segment(r.as_str())),
        None => alloc::string::String::new(),
    };
    let url = cat!(endpoints::api_repo(cfg, repo), at.as_str(), "?", expand);
    let mut req = cfg.request(Method::Get, url);
    req.headers.set("Accept", "application/json");
    req
}

/// Reads the info answer into an entry with the additional fields asked for.
pub fn parse_repo_info(
    repo: &RepoId,
    fields: &[alloc::string::String],
    head: &HttpResponseHead,
    body: &[u8],
) -> Result<RepoEntry, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| read_entry(repo.repo_type(), &v, fields))
        .ok_or_else(|| {
            HubError::malformed(head, "expected a repo's info with its id and lastModified")
        })
}

options! {
    /// `repoInfo` options (`modelInfo`, `datasetInfo`, `spaceInfo` name the kind).
    pub struct RepoInfoOptions: Target {
        /// More fields to ask the Hub for (its `expand`), e.g. `cardData`, `tags`, `filePaths`.
        pub additional_fields: Option<alloc::vec::Vec<alloc::string::String>> = "additionalFields",
    }
}

/// `repoInfo`: a model's, dataset's or space's info at a revision.
pub struct RepoInfo;

impl Call for RepoInfo {
    const NAME: &'static str = "repoInfo";
    type Options = RepoInfoOptions;
    type Output = RepoEntry;
    fn start(o: RepoInfoOptions) -> Result<Started, HubError> {
        let repo = o.base.repo();
        check_kind(repo.repo_type())?;
        let fields = additional(
            repo.repo_type(),
            o.additional_fields.as_deref().unwrap_or(&[]),
        )?;
        let revision = match o.base.revision.as_deref() {
            None | Some("") => None,
            Some(r) => Some(Revision::new(r)?),
        };
        let expand = expand_query(repo.repo_type(), &fields);
        let req = build_repo_info(&o.base.config()?, &repo, revision.as_ref(), &expand);
        Ok(Started::with(req, move |head, body| {
            parse_repo_info(&repo, &fields, head, body)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn head(status: u16, code: Option<&'static str>) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/datasets/u/d".into(),
            headers: code.map(|c| ("X-Error-Code", c)).into_iter().collect(),
        }
    }

    #[test]
    fn the_request_names_the_revision_only_when_given() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let plain = build_repo_info(&cfg(), &repo, None, "expand=likes");
        assert_eq!(
            plain.url,
            "https://huggingface.co/api/datasets/u/d?expand=likes"
        );
        let rev = Revision::new("refs/pr/2").unwrap();
        let at = build_repo_info(&cfg(), &repo, Some(&rev), "expand=likes");
        assert_eq!(
            at.url,
            "https://huggingface.co/api/datasets/u/d/revision/refs%2Fpr%2F2?expand=likes"
        );
        assert_eq!(at.headers.get("authorization"), Some("Bearer hf_t"));
    }

    #[test]
    fn the_answer_is_an_entry_and_errors_keep_their_meaning() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let body = br#"{"_id":"1","id":"u/d","private":true,"gated":false,"downloads":5,"likes":1,"lastModified":"2024-01-01T00:00:00.000Z","description":"Words"}"#;
        let e = parse_repo_info(&repo, &["description".into()], &head(200, None), body).unwrap();
        assert_eq!(
            (e.name.as_str(), e.private, e.downloads),
            ("u/d", true, Some(5))
        );
        assert_eq!(
            json::to_string(&e.fields).unwrap(),
            r#"{"description":"Words"}"#
        );
        for (status, code, kind) in [
            (404, Some("RepoNotFound"), ErrorKind::RepoNotFound),
            (404, Some("RevisionNotFound"), ErrorKind::RevisionNotFound),
            (401, None, ErrorKind::RepoNotFound),
        ] {
            let err = parse_repo_info(&repo, &[], &head(status, code), b"{}").unwrap_err();
            assert_eq!(err.kind(), kind, "{status} {code:?}");
        }
        let bad = parse_repo_info(&repo, &[], &head(200, None), b"[]").unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::MalformedResponse);
    }
}
