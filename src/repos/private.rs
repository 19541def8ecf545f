//! Whether a repo is private.

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::{endpoints, json};
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::HubConfig;

/// `GET /api/{type}s/{id}?expand=private`: whether a repo is private (to keep its files out of a
/// shared cache when asked to).
pub fn build_repo_private(cfg: &HubConfig, repo: &RepoId) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        crate::cat!(endpoints::api_repo(cfg, repo), "?expand=private"),
    );
    req.headers.set("Accept", "application/json");
    req
}

/// The `private` flag; an answer without it is malformed (a public repo says `false`).
pub fn parse_repo_private(head: &HttpResponseHead, body: &[u8]) -> Result<bool, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let v = json::parse(body)
        .ok_or_else(|| HubError::malformed(head, "unexpected repo info: not JSON"))?;
    json::field(&v, "private")
        .and_then(|p| p.as_bool())
        .ok_or_else(|| {
            HubError::malformed(head, "the repo info does not say whether it is private")
        })
}

/// `repoIsPrivate`: whether a repo is private (the cache keeps private files out of shared
/// stores when asked to).
pub struct RepoIsPrivate;

impl Call for RepoIsPrivate {
    const NAME: &'static str = "repoIsPrivate";
    type Options = Target;
    type Output = bool;
    fn start(o: Target) -> Result<Started, HubError> {
        let req = build_repo_private(&o.config()?, &o.repo());
        Ok(Started::single(req, parse_repo_private))
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
    fn privacy_is_one_small_request() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        assert_eq!(
            build_repo_private(&cfg(), &repo).url,
            "https://huggingface.co/api/models/u/m?expand=private"
        );
        assert!(parse_repo_private(
            &head(200, None),
            br#"{"_id":"1","id":"u/m","private":true}"#
        )
        .unwrap());
        assert!(!parse_repo_private(&head(200, None), br#"{"private":false}"#).unwrap());
        assert_eq!(
            parse_repo_private(&head(200, None), b"{}")
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        assert_eq!(
            parse_repo_private(&head(401, None), b"")
                .unwrap_err()
                .kind(),
            ErrorKind::RepoNotFound
        );
    }
}
