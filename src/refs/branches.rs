//! `POST` / `DELETE /api/{type}s/{repo}/branch/{branch}`: creating and deleting branches.

use alloc::string::String;
use serde::Serialize;

use crate::call::{parse_success, Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_segment;
use crate::http::{endpoints, json, Body, HttpRequest, Method};
use crate::ids::RepoId;
use crate::options::Target;
use crate::{cat, options, HubConfig};

use super::short_ref_name;

/// `{ep}/api/{type}s/{id}/branch/{branch}`
fn branch_url(cfg: &HubConfig, repo: &RepoId, branch: &str) -> String {
    cat!(
        endpoints::api_repo(cfg, repo),
        "/branch/",
        encode_segment(branch)
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireBranch<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    starting_point: Option<&'a str>,
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    empty_branch: bool,
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    overwrite: bool,
}

/// What a new branch starts from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewBranch {
    /// The revision it starts at (`main` when absent).
    pub revision: Option<String>,
    /// A branch with no history instead.
    pub empty: bool,
    /// Move the branch if it exists (else the Hub answers 409).
    pub overwrite: bool,
}

/// `POST …/branch/{branch}` with `{startingPoint?, emptyBranch?, overwrite?}`.
pub fn build_create_branch(
    cfg: &HubConfig,
    repo: &RepoId,
    branch: &str,
    p: &NewBranch,
) -> Result<HttpRequest, HubError> {
    let branch = short_ref_name(branch, "branch")?;
    if let Some(r) = p.revision.as_deref() {
        crate::ids::revision::validate_revision(r)?;
        if p.empty {
            return Err(HubError::invalid_input(
                "an empty branch has no starting revision: pass `empty` or `revision`, not both",
            ));
        }
    }
    let body = WireBranch {
        starting_point: p.revision.as_deref(),
        empty_branch: p.empty,
        overwrite: p.overwrite,
    };
    let mut req = cfg.request(Method::Post, branch_url(cfg, repo, &branch));
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    Ok(req)
}

/// `DELETE …/branch/{branch}`.
pub fn build_delete_branch(
    cfg: &HubConfig,
    repo: &RepoId,
    branch: &str,
) -> Result<HttpRequest, HubError> {
    let branch = short_ref_name(branch, "branch")?;
    Ok(cfg.request(Method::Delete, branch_url(cfg, repo, &branch)))
}

options! {
    /// `createBranch` options (as `@huggingface/hub`); `revision` is where the branch starts
    /// (a branch, tag or commit; `main` when absent).
    pub struct CreateBranchOptions: Target {
        /// The new branch's name.
        pub branch: String = "branch",
        /// A branch with no history.
        pub empty: bool = "empty",
        /// Move the branch if it exists.
        pub overwrite: bool = "overwrite",
    }
}

/// `createBranch`.
pub struct CreateBranch;

impl Call for CreateBranch {
    const NAME: &'static str = "createBranch";
    type Options = CreateBranchOptions;
    type Output = ();
    fn start(o: CreateBranchOptions) -> Result<Started, HubError> {
        let p = NewBranch {
            revision: o.base.revision.clone().filter(|r| !r.is_empty()),
            empty: o.empty,
            overwrite: o.overwrite,
        };
        let req = build_create_branch(&o.base.config()?, &o.base.repo(), &o.branch, &p)?;
        Ok(Started::single(req, parse_success))
    }
}

options! {
    /// `deleteBranch` options.
    pub struct DeleteBranchOptions: Target {
        /// The branch to delete.
        pub branch: String = "branch",
    }
}

/// `deleteBranch`.
pub struct DeleteBranch;

impl Call for DeleteBranch {
    const NAME: &'static str = "deleteBranch";
    type Options = DeleteBranchOptions;
    type Output = ();
    fn start(o: DeleteBranchOptions) -> Result<Started, HubError> {
        let req = build_delete_branch(&o.base.config()?, &o.base.repo(), &o.branch)?;
        Ok(Started::single(req, parse_success))
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

    fn text(r: &HttpRequest) -> &str {
        let Body::Text(b) = &r.body else {
            panic!("no text body")
        };
        b
    }

    #[test]
    fn a_branch_is_posted_with_only_what_was_asked() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        let r = build_create_branch(&cfg(), &repo, "feature/x", &NewBranch::default()).unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://huggingface.co/api/models/u/m/branch/feature%2Fx"
        );
        assert_eq!(text(&r), "{}");
        let p = NewBranch {
            revision: Some("v1.0".into()),
            overwrite: true,
            ..Default::default()
        };
        let r = build_create_branch(&cfg(), &repo, "b", &p).unwrap();
        assert_eq!(text(&r), r#"{"startingPoint":"v1.0","overwrite":true}"#);
        let p = NewBranch {
            empty: true,
            ..Default::default()
        };
        assert_eq!(
            text(&build_create_branch(&cfg(), &repo, "b", &p).unwrap()),
            r#"{"emptyBranch":true}"#
        );
    }

    #[test]
    fn bad_names_and_contradictions_fail_before_any_request() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        for name in ["", "refs/heads/x", "a..b", "x y", "x/"] {
            let e = build_create_branch(&cfg(), &repo, name, &NewBranch::default()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{name:?}");
            assert_eq!(
                build_delete_branch(&cfg(), &repo, name).unwrap_err().kind(),
                ErrorKind::InvalidInput
            );
        }
        let p = NewBranch {
            revision: Some("main".into()),
            empty: true,
            ..Default::default()
        };
        assert_eq!(
            build_create_branch(&cfg(), &repo, "b", &p)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        let p = NewBranch {
            revision: Some("a..b".into()),
            ..Default::default()
        };
        assert_eq!(
            build_create_branch(&cfg(), &repo, "b", &p)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn delete_is_a_delete_of_the_branch_url() {
        let repo = RepoId::parse_designation("spaces/u/s").unwrap();
        let r = build_delete_branch(&cfg(), &repo, "dev").unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (
                Method::Delete,
                "https://huggingface.co/api/spaces/u/s/branch/dev"
            )
        );
        let conflict = HttpResponseHead {
            status: 409,
            url: "u".into(),
            headers: Default::default(),
        };
        assert_eq!(
            parse_success(&conflict, b"{\"error\":\"exists\"}")
                .unwrap_err()
                .kind(),
            ErrorKind::Conflict
        );
    }
}
