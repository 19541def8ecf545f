//! `POST /api/{type}s/{repo}/tag/{revision}` and `DELETE …/tag/{tag}`: creating and deleting
//! tags.

use alloc::string::String;
use serde::Serialize;

use crate::call::{parse_success, Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_segment;
use crate::http::{endpoints, json, Body, HttpRequest, Method};
use crate::ids::revision::Revision;
use crate::ids::RepoId;
use crate::options::Target;
use crate::{cat, options, HubConfig};

use super::short_ref_name;

#[derive(Serialize)]
struct WireTag<'a> {
    tag: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

/// `POST …/tag/{revision}` with `{tag, message?}`: tags `revision` (the URL names what is
/// tagged, the body the tag).
pub fn build_create_tag(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    tag: &str,
    message: Option<&str>,
) -> Result<HttpRequest, HubError> {
    let tag = short_ref_name(tag, "tag")?;
    let body = WireTag { tag: &tag, message };
    let url = cat!(
        endpoints::api_repo(cfg, repo),
        "/tag/",
        encode_segment(revision.as_str())
    );
    let mut req = cfg.request(Method::Post, url);
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    Ok(req)
}

/// `DELETE …/tag/{tag}`.
pub fn build_delete_tag(
    cfg: &HubConfig,
    repo: &RepoId,
    tag: &str,
) -> Result<HttpRequest, HubError> {
    let tag = short_ref_name(tag, "tag")?;
    let url = cat!(
        endpoints::api_repo(cfg, repo),
        "/tag/",
        encode_segment(&tag)
    );
    Ok(cfg.request(Method::Delete, url))
}

options! {
    /// `createTag` options (`huggingface_hub`'s `create_tag`); `revision` is what is tagged
    /// (`main` when absent).
    pub struct CreateTagOptions: Target {
        /// The tag's name.
        pub tag: String = "tag",
        /// An annotation stored with the tag.
        pub tag_message: Option<String> = "tagMessage",
    }
}

/// `createTag`.
pub struct CreateTag;

impl Call for CreateTag {
    const NAME: &'static str = "createTag";
    type Options = CreateTagOptions;
    type Output = ();
    fn start(o: CreateTagOptions) -> Result<Started, HubError> {
        let req = build_create_tag(
            &o.base.config()?,
            &o.base.repo(),
            &o.base.revision()?,
            &o.tag,
            o.tag_message.as_deref(),
        )?;
        Ok(Started::single(req, parse_success))
    }
}

options! {
    /// `deleteTag` options.
    pub struct DeleteTagOptions: Target {
        /// The tag to delete.
        pub tag: String = "tag",
    }
}

/// `deleteTag`.
pub struct DeleteTag;

impl Call for DeleteTag {
    const NAME: &'static str = "deleteTag";
    type Options = DeleteTagOptions;
    type Output = ();
    fn start(o: DeleteTagOptions) -> Result<Started, HubError> {
        let req = build_delete_tag(&o.base.config()?, &o.base.repo(), &o.tag)?;
        Ok(Started::single(req, parse_success))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    #[test]
    fn the_url_names_the_revision_and_the_body_the_tag() {
        let repo = RepoId::parse_designation("datasets/u/d").unwrap();
        let rev = Revision::new("refs/pr/3").unwrap();
        let r = build_create_tag(&cfg(), &repo, &rev, "v1.0", Some("first \"release\"")).unwrap();
        assert_eq!(
            r.url,
            "https://huggingface.co/api/datasets/u/d/tag/refs%2Fpr%2F3"
        );
        let Body::Text(b) = &r.body else { panic!() };
        assert_eq!(b, r#"{"tag":"v1.0","message":"first \"release\""}"#);
        let r = build_create_tag(&cfg(), &repo, &Revision::default(), "v2", None).unwrap();
        let Body::Text(b) = &r.body else { panic!() };
        assert_eq!(
            (r.url.as_str(), b.as_str()),
            (
                "https://huggingface.co/api/datasets/u/d/tag/main",
                r#"{"tag":"v2"}"#
            )
        );
    }

    #[test]
    fn tag_names_are_checked_before_any_request() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        for name in ["", "refs/tags/v1", "v1..2", "v 1", "v1.lock"] {
            let e = build_create_tag(&cfg(), &repo, &Revision::default(), name, None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{name:?}");
            assert_eq!(
                build_delete_tag(&cfg(), &repo, name).unwrap_err().kind(),
                ErrorKind::InvalidInput
            );
        }
        let r = build_delete_tag(&cfg(), &repo, "v1/rc").unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (
                Method::Delete,
                "https://huggingface.co/api/models/u/m/tag/v1%2Frc"
            )
        );
    }
}
