//! Likes (docs/hub-protocol.md §3.7): `POST`/`DELETE /api/{type}s/{repo}/like` to like or unlike
//! as the caller, and `GET …/likers` for who did, a page at a time.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{parse_success, Call, Started};
use crate::error::HubError;
use crate::http::json::{self, Value};
use crate::http::pagination::next_link;
use crate::http::{endpoints, HttpRequest, HttpResponseHead, Method};
use crate::ids::RepoId;
use crate::info::entry::check_kind;
use crate::options::Target;
use crate::text::num;
use crate::{cat, options, HubConfig};

/// Someone who liked a repo (`huggingface_hub`'s `User`, in camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RepoLiker {
    /// Their user name.
    pub username: String,
    /// Their full name, when they gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub fullname: Option<String>,
    /// Their avatar's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub avatar_url: Option<String>,
}

/// One page of likers and where the next one is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LikerPage {
    /// The likers of this page.
    pub likers: Vec<RepoLiker>,
    /// The next page's URL (from `Link: rel="next"`), to pass back as `next`.
    pub next: Option<String>,
}

/// `POST` (like) or `DELETE` (unlike) `…/like`. Either is idempotent on the Hub, so a retry
/// after a lost answer is harmless.
pub fn build_like(cfg: &HubConfig, repo: &RepoId, like: bool) -> HttpRequest {
    let method = if like { Method::Post } else { Method::Delete };
    cfg.request(method, cat!(endpoints::api_repo(cfg, repo), "/like"))
}

/// The first page of `…/likers`, `limit` a page when given.
pub fn build_list_likers(cfg: &HubConfig, repo: &RepoId, limit: Option<u32>) -> HttpRequest {
    let mut url = cat!(endpoints::api_repo(cfg, repo), "/likers");
    if let Some(n) = limit {
        url = cat!(url.as_str(), "?limit=", num(u64::from(n)).as_str());
    }
    crate::files::tree::page_request(cfg, url)
}

fn read_liker(v: &Value) -> Option<RepoLiker> {
    Some(RepoLiker {
        username: json::text(v, "user")?,
        fullname: json::opt_text(v, "fullname")?,
        avatar_url: json::opt_text(v, "avatarUrl")?,
    })
}

/// Parses one page of likers.
pub fn parse_liker_page(head: &HttpResponseHead, body: &[u8]) -> Result<LikerPage, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let likers = json::parse(body)
        .as_ref()
        .and_then(Value::as_array)
        .and_then(|items| items.iter().map(read_liker).collect::<Option<Vec<_>>>())
        .ok_or_else(|| HubError::malformed(head, "expected a JSON array of likers with user"))?;
    Ok(LikerPage {
        likers,
        next: next_link(head),
    })
}

/// No one likes anonymously: refused before a request (the Hub's 401 would read as "not found").
fn liker_config(o: &Target) -> Result<HubConfig, HubError> {
    let cfg = o.config()?;
    if !cfg.has_token() {
        return Err(HubError::new(
            crate::ErrorKind::AuthRequired,
            "liking a repo needs an access token",
        ));
    }
    check_kind(o.repo().repo_type())?;
    Ok(cfg)
}

/// `like`: the caller likes the repo.
pub struct Like;

impl Call for Like {
    const NAME: &'static str = "like";
    type Options = Target;
    type Output = ();
    fn start(o: Target) -> Result<Started, HubError> {
        Ok(Started::single(
            build_like(&liker_config(&o)?, &o.repo(), true),
            parse_success,
        ))
    }
}

/// `unlike`: the caller takes their like back.
pub struct Unlike;

impl Call for Unlike {
    const NAME: &'static str = "unlike";
    type Options = Target;
    type Output = ();
    fn start(o: Target) -> Result<Started, HubError> {
        Ok(Started::single(
            build_like(&liker_config(&o)?, &o.repo(), false),
            parse_success,
        ))
    }
}

options! {
    /// `listRepoLikers` options; one page per call.
    pub struct ListRepoLikersOptions: Target {
        /// Likers per page (the Hub's own size when absent).
        pub batch_size: Option<u32> = "batchSize",
        /// The previous page's `next`; absent for the first page.
        pub next: Option<String> = "next",
    }
}

/// `listRepoLikers`: one page of the users who liked a repo.
pub struct ListRepoLikers;

impl Call for ListRepoLikers {
    const NAME: &'static str = "listRepoLikers";
    type Options = ListRepoLikersOptions;
    type Output = LikerPage;
    fn start(o: ListRepoLikersOptions) -> Result<Started, HubError> {
        if o.batch_size == Some(0) {
            return Err(HubError::invalid_input("batchSize must be at least 1"));
        }
        check_kind(o.base.repo().repo_type())?;
        let cfg = o.base.config()?;
        let req = match o.next {
            Some(url) => crate::files::tree::page_request(&cfg, url),
            None => build_list_likers(&cfg, &o.base.repo(), o.batch_size),
        };
        Ok(Started::single(req, parse_liker_page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::parse;
    use crate::ErrorKind;

    fn start<C: Call>(opts: &str) -> Result<Started, HubError> {
        C::start(parse(opts, "test")?)
    }

    #[test]
    fn like_and_unlike_are_post_and_delete_on_the_repos_like() {
        let like = start::<Like>(r#"{"repo":"datasets/u/d","accessToken":"hf_t"}"#)
            .unwrap()
            .request;
        assert_eq!(
            (like.method, like.url.as_str()),
            (Method::Post, "https://huggingface.co/api/datasets/u/d/like")
        );
        let unlike = start::<Unlike>(r#"{"repo":"u/m","accessToken":"hf_t"}"#)
            .unwrap()
            .request;
        assert_eq!(
            (unlike.method, unlike.url.as_str()),
            (Method::Delete, "https://huggingface.co/api/models/u/m/like")
        );
        let anonymous = start::<Like>(r#"{"repo":"u/m"}"#).err().unwrap();
        assert_eq!(anonymous.kind(), ErrorKind::AuthRequired);
    }

    #[test]
    fn likers_are_read_a_page_at_a_time() {
        let first = start::<ListRepoLikers>(r#"{"repo":"spaces/u/s","batchSize":2}"#)
            .unwrap()
            .request;
        assert_eq!(
            first.url,
            "https://huggingface.co/api/spaces/u/s/likers?limit=2"
        );
        assert!(start::<ListRepoLikers>(r#"{"repo":"u/m","batchSize":0}"#).is_err());
        let head = HttpResponseHead {
            status: 200,
            url: first.url.clone(),
            headers: [(
                "Link",
                "<https://huggingface.co/api/spaces/u/s/likers?cursor=2>; rel=\"next\"",
            )]
            .into_iter()
            .collect(),
        };
        let page = parse_liker_page(&head, br#"[{"user":"ana","fullname":"Ana B","avatarUrl":"https://a/x.png","type":"user"},{"user":"bo","fullname":null}]"#).unwrap();
        assert_eq!(
            page.likers[0],
            RepoLiker {
                username: "ana".into(),
                fullname: Some("Ana B".into()),
                avatar_url: Some("https://a/x.png".into())
            }
        );
        assert_eq!(page.likers[1].fullname, None);
        assert_eq!(
            page.next.as_deref(),
            Some("https://huggingface.co/api/spaces/u/s/likers?cursor=2")
        );
        assert_eq!(
            parse_liker_page(&head, br#"[{"name":"x"}]"#)
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
    }
}
