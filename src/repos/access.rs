//! `GET /api/{type}s/{repo}/auth-check[/write]`: whether the caller may read (download) or
//! write a repo, asked before the work: an upload page refuses a read-only token before hashing
//! gigabytes, a download page tells a visitor to request access to a gated model.

use crate::call::{Call, Started};
use crate::error::{ErrorKind, HubError};
use crate::http::endpoints;
use crate::http::{HttpRequest, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::{cat, options, HubConfig};

/// `GET …/auth-check` (read: the files can be downloaded, so a gated repo needs granted access)
/// or `…/auth-check/write`.
pub fn build_auth_check(cfg: &HubConfig, repo: &RepoId, write: bool) -> HttpRequest {
    let what = if write {
        "/auth-check/write"
    } else {
        "/auth-check"
    };
    let mut req = cfg.request(Method::Get, cat!(endpoints::api_repo(cfg, repo), what));
    req.headers.set("Accept", "application/json");
    req
}

/// 2xx is access; otherwise the Hub's meaning: `RepoNotFound` (or private), `GatedRepo` (ask
/// for access), `AuthRequired` (no or bad token), `Forbidden` (a read-only token, writing).
pub use crate::call::parse_success as parse_auth_check;

options! {
    /// `authCheck` options.
    pub struct AuthCheckOptions: Target {
        /// Check write access instead of read access.
        pub write: bool = "write",
    }
}

/// `authCheck`: read (or write) access to a repo, or the error that says why not.
pub struct AuthCheck;

impl Call for AuthCheck {
    const NAME: &'static str = "authCheck";
    type Options = AuthCheckOptions;
    type Output = ();
    fn start(o: AuthCheckOptions) -> Result<Started, HubError> {
        // No one writes anonymously; the Hub's 401 would read as "repo not found" (a 401 on a
        // repo URL is that, for reads), so the answer is given here, without a request.
        if o.write && o.base.base.access_token.is_none() {
            return Err(HubError::new(
                ErrorKind::AuthRequired,
                "writing to a repo needs an access token with write access",
            ));
        }
        let req = build_auth_check(&o.base.config()?, &o.base.repo(), o.write);
        Ok(Started::single(req, parse_auth_check))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpResponseHead;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn head(status: u16, code: Option<&'static str>) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/models/u/m/auth-check".into(),
            headers: code.map(|c| ("X-Error-Code", c)).into_iter().collect(),
        }
    }

    #[test]
    fn read_and_write_checks_are_one_get_each() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        assert_eq!(
            build_auth_check(&cfg(), &repo, false).url,
            "https://huggingface.co/api/datasets/u/d/auth-check"
        );
        assert_eq!(
            build_auth_check(&cfg(), &repo, true).url,
            "https://huggingface.co/api/datasets/u/d/auth-check/write"
        );
    }

    #[test]
    fn refusals_keep_their_meaning_and_a_gated_repo_says_to_request_access() {
        assert!(parse_auth_check(&head(200, None), b"{}").is_ok());
        let gated = parse_auth_check(&head(403, Some("GatedRepo")), b"").unwrap_err();
        assert_eq!(gated.kind(), ErrorKind::GatedRepo);
        assert!(
            gated.message().contains("request access"),
            "{}",
            gated.message()
        );
        assert_eq!(
            parse_auth_check(&head(404, Some("RepoNotFound")), b"")
                .unwrap_err()
                .kind(),
            ErrorKind::RepoNotFound
        );
        assert_eq!(
            parse_auth_check(&head(403, None), b"").unwrap_err().kind(),
            ErrorKind::Forbidden
        );
        let bad_token = HttpResponseHead {
            headers: [(
                "X-Error-Message",
                "Invalid credentials in Authorization header",
            )]
            .into_iter()
            .collect(),
            ..head(401, None)
        };
        assert_eq!(
            parse_auth_check(&bad_token, b"").unwrap_err().kind(),
            ErrorKind::AuthRequired
        );
    }

    #[test]
    fn an_anonymous_write_check_is_answered_without_a_request() {
        let anonymous: AuthCheckOptions =
            crate::options::parse(r#"{"repo":"u/m","write":true}"#, "authCheck").unwrap();
        let e = AuthCheck::start(anonymous).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::AuthRequired);
        let reader: AuthCheckOptions =
            crate::options::parse(r#"{"repo":"u/m"}"#, "authCheck").unwrap();
        assert!(AuthCheck::start(reader).is_ok());
    }
}
