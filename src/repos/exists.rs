//! Whether a repo exists: the cheapest question whose answer says so.

use crate::call::{Call, Started};
use crate::error::{ErrorKind, HubError};
use crate::http::endpoints;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::{RepoId, Revision};
use crate::options::Target;
use crate::HubConfig;

/// `GET /api/{type}s/{id}?expand=sha` (or `…/revision/{rev}?expand=sha` when asked about a
/// revision): the cheapest question whose answer says "exists".
pub fn build_repo_exists(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: Option<&Revision>,
) -> HttpRequest {
    let base = match revision {
        Some(rev) => endpoints::revision_info(cfg, repo, rev),
        None => endpoints::api_repo(cfg, repo),
    };
    let mut req = cfg.request(Method::Get, crate::cat!(base, "?expand=sha"));
    req.headers.set("Accept", "application/json");
    req
}

/// Exists: 2xx, or gated (it exists, we just may not read it). Missing: `RepoNotFound`, or at a
/// revision `RevisionNotFound`.
pub fn parse_repo_exists(head: &HttpResponseHead, body: &[u8]) -> Result<bool, HubError> {
    if head.is_success() {
        return Ok(true);
    }
    let err = HubError::from_response(head, body);
    match err.kind() {
        ErrorKind::RepoNotFound | ErrorKind::RevisionNotFound => Ok(false),
        ErrorKind::GatedRepo => Ok(true),
        _ => Err(err),
    }
}

/// `repoExists`: whether a repo exists, gated repos included.
pub struct RepoExists;

impl Call for RepoExists {
    const NAME: &'static str = "repoExists";
    type Options = Target;
    type Output = bool;
    fn start(o: Target) -> Result<Started, HubError> {
        // Asked about a revision only when one is given: `main` is what every repo has.
        let rev = match o.revision.as_deref() {
            None | Some("") => None,
            Some(_) => Some(o.revision()?),
        };
        let req = build_repo_exists(&o.config()?, &o.repo(), rev.as_ref());
        Ok(Started::single(req, parse_repo_exists))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_repo_exists_when_readable_or_gated() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        assert_eq!(
            build_repo_exists(&cfg(), &repo, None).url,
            "https://huggingface.co/api/models/u/m?expand=sha"
        );
        assert!(parse_repo_exists(&head(200, None), b"{}").unwrap());
        assert!(!parse_repo_exists(&head(404, Some("RepoNotFound")), b"").unwrap());
        assert!(
            !parse_repo_exists(&head(401, None), b"").unwrap(),
            "anonymous 401 on a repo URL means not found"
        );
        assert!(parse_repo_exists(&head(401, Some("GatedRepo")), b"").unwrap());
        assert_eq!(
            parse_repo_exists(&head(500, None), b"").unwrap_err().kind(),
            ErrorKind::Http
        );
    }

    #[test]
    fn at_a_revision_an_unknown_revision_is_false() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let rev = Revision::new("v1/rc").unwrap();
        assert_eq!(
            build_repo_exists(&cfg(), &repo, Some(&rev)).url,
            "https://huggingface.co/api/datasets/u/d/revision/v1%2Frc?expand=sha"
        );
        assert!(!parse_repo_exists(&head(404, Some("RevisionNotFound")), b"").unwrap());
    }
}
