//! Which commit a branch or tag points to now.

use alloc::string::String;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::{endpoints, json};
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::HubConfig;

/// `GET /api/{type}s/{id}/revision/{rev}?expand=sha`: the commit a branch or tag points to now,
/// in the smallest answer the Hub gives.
pub fn build_revision_sha(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &crate::ids::revision::Revision,
) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        crate::cat!(endpoints::revision_info(cfg, repo, revision), "?expand=sha"),
    );
    req.headers.set("Accept", "application/json");
    req
}

/// The commit id of the answer (40 hex, lower-cased).
pub fn parse_revision_sha(head: &HttpResponseHead, body: &[u8]) -> Result<String, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let sha = json::parse(body)
        .and_then(|v| json::text(&v, "sha"))
        .unwrap_or_default();
    if !crate::ids::revision::is_commit_id(&sha) {
        return Err(HubError::malformed(
            head,
            "the revision answer has no 40-hex sha",
        ));
    }
    Ok(sha.to_ascii_lowercase())
}

/// `revisionCommit`: the commit a branch or tag points to now.
pub struct RevisionCommit;

impl Call for RevisionCommit {
    const NAME: &'static str = "revisionCommit";
    type Options = Target;
    type Output = String;
    fn start(o: Target) -> Result<Started, HubError> {
        let req = build_revision_sha(&o.config()?, &o.repo(), &o.revision()?);
        Ok(Started::single(req, parse_revision_sha))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn head(status: u16, code: Option<&str>) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/models/u/m".into(),
            headers: code.map(|c| ("X-Error-Code", c)).into_iter().collect(),
        }
    }

    #[test]
    fn revision_sha_is_one_small_request_with_a_validated_answer() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let rev = crate::ids::revision::Revision::new("refs/pr/2").unwrap();
        let req = build_revision_sha(&cfg(), &repo, &rev);
        assert_eq!(
            req.url,
            "https://huggingface.co/api/datasets/u/d/revision/refs%2Fpr%2F2?expand=sha"
        );
        let sha = "C52CE5E45984B9378EF6247FE7A45ED72B096B24";
        let body = alloc::format!(r#"{{"_id":"x","id":"u/d","sha":"{sha}"}}"#);
        assert_eq!(
            parse_revision_sha(&head(200, None), body.as_bytes()).unwrap(),
            sha.to_ascii_lowercase()
        );
        assert_eq!(
            parse_revision_sha(&head(200, None), br#"{"sha":"main"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        assert_eq!(
            parse_revision_sha(&head(404, Some("RevisionNotFound")), b"")
                .unwrap_err()
                .kind(),
            ErrorKind::RevisionNotFound
        );
    }
}
