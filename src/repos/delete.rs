//! `DELETE /api/repos/delete`: a repo and everything in it.

use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::{endpoints, json};
use crate::http::{Body, HttpRequest, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::HubConfig;

#[derive(Serialize)]
struct WireDelete<'a> {
    name: &'a str,
    organization: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `DELETE /api/repos/delete`.
pub fn build_delete_repo(cfg: &HubConfig, repo: &RepoId) -> HttpRequest {
    let body = WireDelete {
        name: repo.name(),
        organization: repo.namespace(),
        kind: repo.repo_type().as_str(),
    };
    let mut req = cfg.request(Method::Delete, endpoints::delete_repo(cfg));
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    req
}

/// Any 2xx is a deleted repo.
pub use crate::call::parse_success as parse_delete_repo;

/// `deleteRepo`: deletes a repo and everything in it.
pub struct DeleteRepo;

impl Call for DeleteRepo {
    const NAME: &'static str = "deleteRepo";
    type Options = Target;
    type Output = ();
    fn start(o: Target) -> Result<Started, HubError> {
        let req = build_delete_repo(&o.config()?, &o.repo());
        Ok(Started::single(req, parse_delete_repo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpResponseHead;
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
    fn delete_sends_the_repo_in_the_body() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        let req = build_delete_repo(&cfg(), &repo);
        assert_eq!(req.method, Method::Delete);
        let Body::Text(b) = &req.body else { panic!() };
        assert_eq!(b, r#"{"name":"m","organization":"u","type":"model"}"#);
        assert!(parse_delete_repo(&head(200, None), b"OK").is_ok());
        assert_eq!(
            parse_delete_repo(&head(404, Some("RepoNotFound")), b"")
                .unwrap_err()
                .kind(),
            ErrorKind::RepoNotFound
        );
    }
}
