//! Whether a repo exists: the cheapest question whose answer says so.

use crate::call::{Call, Started};
use crate::error::{ErrorKind, HubError};
use crate::http::endpoints;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::HubConfig;

/// `GET /api/{type}s/{id}?expand=sha`: the cheapest question whose answer says "exists".
pub fn build_repo_exists(cfg: &HubConfig, repo: &RepoId) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        crate::cat!(endpoints::api_repo(cfg, repo), "?expand=sha"),
    );
    req.headers.set("Accept", "application/json");
    req
}

/// Exists: 2xx, or gated (it exists, we just may not read it). Missing: `RepoNotFound`.
pub fn parse_repo_exists(head: &HttpResponseHead, body: &[u8]) -> Result<bool, HubError> {
    if head.is_success() {
        return Ok(true);
    }
    let err = HubError::from_response(head, body);
    match err.kind() {
        ErrorKind::RepoNotFound => Ok(false),
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
        let req = build_repo_exists(&o.config()?, &o.repo());
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
            build_repo_exists(&cfg(), &repo).url,
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
}
