//! Creating, deleting and probing repositories.

use alloc::string::String;
use serde::{Deserialize, Serialize};

use crate::config::HubConfig;
use crate::endpoints;
use crate::error::{ErrorKind, HubError};
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::json;
use crate::repo::{RepoId, RepoType};

/// Options of a new repo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateRepoParams {
    /// Private repos are visible to their owner (and org) only.
    pub private: bool,
    /// The Space SDK (`gradio`, `streamlit`, `docker`, `static`); required for Spaces.
    pub sdk: Option<String>,
    /// A license id for the README metadata.
    pub license: Option<String>,
}

#[derive(Serialize)]
struct WireCreate<'a> {
    name: &'a str,
    organization: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    private: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sdk: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
}

/// `POST /api/repos/create`. A Space without an SDK is an `InvalidInput`.
pub fn build_create_repo(
    cfg: &HubConfig,
    repo: &RepoId,
    p: &CreateRepoParams,
) -> Result<HttpRequest, HubError> {
    if repo.repo_type() == RepoType::Space && p.sdk.is_none() {
        return Err(HubError::invalid_input(
            "creating a Space needs an sdk: \"gradio\", \"streamlit\", \"docker\" or \"static\"",
        ));
    }
    let body = WireCreate {
        name: repo.name(),
        organization: repo.namespace(),
        kind: repo.repo_type().as_str(),
        private: p.private,
        sdk: p.sdk.as_deref(),
        license: p.license.as_deref(),
    };
    let mut req = cfg.request(Method::Post, endpoints::create_repo(cfg));
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(serde_json::to_string(&body).unwrap_or_default());
    Ok(req)
}

/// The new repo's URL (the answer's other fields are passed through by shells that want them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoUrl {
    /// The web URL of the repo.
    pub url: String,
}

/// Parses the create answer. "Already exists" is a `Conflict` whose message names the repo.
pub fn parse_create_repo(head: &HttpResponseHead, body: &[u8]) -> Result<RepoUrl, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| json::text(&v, "url"))
        .map(|url| RepoUrl { url })
        .ok_or_else(|| HubError::malformed(head, "unexpected create-repo answer: no url"))
}

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
    req.body = Body::Text(serde_json::to_string(&body).unwrap_or_default());
    req
}

/// Any 2xx is a deleted repo.
pub fn parse_delete_repo(head: &HttpResponseHead, body: &[u8]) -> Result<(), HubError> {
    if head.is_success() {
        Ok(())
    } else {
        Err(HubError::from_response(head, body))
    }
}

/// `GET /api/{type}s/{id}?expand=sha`: the cheapest question whose answer says "exists".
pub fn build_repo_exists(cfg: &HubConfig, repo: &RepoId) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        alloc::format!("{}?expand=sha", endpoints::api_repo(cfg, repo)),
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

/// `GET /api/{type}s/{id}/revision/{rev}?expand=sha`: the commit a branch or tag points to now,
/// in the smallest answer the Hub gives.
pub fn build_revision_sha(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &crate::revision::Revision,
) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        alloc::format!(
            "{}?expand=sha",
            endpoints::revision_info(cfg, repo, revision)
        ),
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
    if !crate::revision::is_commit_id(&sha) {
        return Err(HubError::malformed(
            head,
            "the revision answer has no 40-hex sha",
        ));
    }
    Ok(sha.to_ascii_lowercase())
}

/// `GET /api/{type}s/{id}?expand=private`: whether a repo is private (to keep its files out of a
/// shared cache when asked to).
pub fn build_repo_private(cfg: &HubConfig, repo: &RepoId) -> HttpRequest {
    let mut req = cfg.request(
        Method::Get,
        alloc::format!("{}?expand=private", endpoints::api_repo(cfg, repo)),
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
    fn create_sends_name_organization_type_and_visibility() {
        let repo = RepoId::parse_designation("datasets/acme/data").unwrap();
        let req = build_create_repo(
            &cfg(),
            &repo,
            &CreateRepoParams {
                private: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(req.url, "https://huggingface.co/api/repos/create");
        let Body::Text(b) = &req.body else { panic!() };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"name": "data", "organization": "acme", "type": "dataset", "private": true})
        );
        let space = RepoId::parse_designation("spaces/u/s").unwrap();
        assert_eq!(
            build_create_repo(&cfg(), &space, &Default::default())
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        let with_sdk = CreateRepoParams {
            sdk: Some("static".into()),
            ..Default::default()
        };
        assert!(build_create_repo(&cfg(), &space, &with_sdk).is_ok());
    }

    #[test]
    fn create_answers() {
        let ok = parse_create_repo(
            &head(200, None),
            br#"{"url":"https://huggingface.co/u/m","name":"u/m","id":"67cae57bc3f95553ede73be7"}"#,
        )
        .unwrap();
        assert_eq!(ok.url, "https://huggingface.co/u/m");
        let exists = parse_create_repo(&head(409, None), br#"{"error":"You already created this model repo","url":"https://huggingface.co/u/m"}"#).unwrap_err();
        assert_eq!(exists.kind(), ErrorKind::Conflict);
        assert!(exists.message().contains("already created"));
    }

    #[test]
    fn revision_sha_is_one_small_request_with_a_validated_answer() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let rev = crate::revision::Revision::new("refs/pr/2").unwrap();
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

    #[test]
    fn delete_and_exists() {
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
