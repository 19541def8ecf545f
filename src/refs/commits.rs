//! `GET /api/{type}s/{repo}/commits/{rev}`: a revision's history, newest first, a page at a time
//! (`Link: rel="next"`), and its length (`X-Total-Count`).

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_segment;
use crate::http::json::{self, Value};
use crate::http::pagination::next_link;
use crate::http::{endpoints, HttpRequest, HttpResponseHead, Method};
use crate::ids::revision::Revision;
use crate::ids::RepoId;
use crate::options::Target;
use crate::{cat, options, HubConfig};

/// Who wrote a commit (`@huggingface/hub`'s shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CommitAuthor {
    /// The Hub user name (or what git recorded, for a commit pushed by someone unknown).
    pub username: String,
    /// Their avatar's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub avatar_url: Option<String>,
}

/// One commit of a history; `date` is ISO-8601 here (a `Date` in the JavaScript API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommitInfo {
    /// The commit id.
    pub oid: String,
    /// Its first line.
    pub title: String,
    /// The rest of its message.
    pub message: String,
    /// Its authors.
    pub authors: Vec<CommitAuthor>,
    /// When it was made.
    pub date: String,
}

/// One page of a history and where the next one is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommitPage {
    /// The commits of this page, newest first.
    pub commits: Vec<CommitInfo>,
    /// The next page's URL (from `Link: rel="next"`), to pass back as `next`.
    pub next: Option<String>,
}

/// The first page: `…/commits/{rev}?limit={limit}`.
pub fn build_list_commits(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    limit: u32,
) -> HttpRequest {
    let url = cat!(
        endpoints::api_repo(cfg, repo),
        "/commits/",
        encode_segment(revision.as_str()),
        "?limit=",
        limit_text(limit).as_str()
    );
    let mut req = cfg.request(Method::Get, url);
    req.headers.set("Accept", "application/json");
    req
}

fn limit_text(n: u32) -> String {
    let mut s = String::new();
    json::push_u64(&mut s, u64::from(n));
    s
}

fn read_commit(v: &Value) -> Option<CommitInfo> {
    let authors = match json::field(v, "authors") {
        None => Vec::new(),
        Some(a) => a
            .as_array()?
            .iter()
            .map(|a| {
                Some(CommitAuthor {
                    username: json::text(a, "user")?,
                    avatar_url: json::opt_text(a, "avatar")?,
                })
            })
            .collect::<Option<_>>()?,
    };
    Some(CommitInfo {
        oid: json::text(v, "id")?,
        title: json::opt_text(v, "title")?.unwrap_or_default(),
        message: json::opt_text(v, "message")?.unwrap_or_default(),
        authors,
        date: json::text(v, "date")?,
    })
}

/// Parses one page of commits.
pub fn parse_commit_page(head: &HttpResponseHead, body: &[u8]) -> Result<CommitPage, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let commits = json::parse(body)
        .as_ref()
        .and_then(Value::as_array)
        .and_then(|items| items.iter().map(read_commit).collect::<Option<Vec<_>>>())
        .ok_or_else(|| {
            HubError::malformed(head, "expected a JSON array of commits with id and date")
        })?;
    Ok(CommitPage {
        commits,
        next: next_link(head),
    })
}

/// The number of commits from the `X-Total-Count` header (the body is a page of one).
pub fn parse_commit_count(head: &HttpResponseHead, body: &[u8]) -> Result<u64, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    head.headers
        .get("x-total-count")
        .and_then(|t| Value::Number(String::from(t.trim())).as_u64())
        .ok_or_else(|| HubError::malformed(head, "the commits answer has no X-Total-Count"))
}

options! {
    /// `listCommits` options (as `@huggingface/hub`); one page per call.
    pub struct ListCommitsOptions: Target {
        /// Commits per page (100 when absent; the Hub caps it).
        pub batch_size: Option<u32> = "batchSize",
        /// The previous page's `next`; absent for the first page.
        pub next: Option<String> = "next",
    }
}

/// `listCommits`: one page of a revision's history.
pub struct ListCommits;

impl Call for ListCommits {
    const NAME: &'static str = "listCommits";
    type Options = ListCommitsOptions;
    type Output = CommitPage;
    fn start(o: ListCommitsOptions) -> Result<Started, HubError> {
        let cfg = o.base.config()?;
        let limit = o.batch_size.unwrap_or(100);
        if limit == 0 {
            return Err(HubError::invalid_input("batchSize must be at least 1"));
        }
        let req = match o.next {
            Some(url) => crate::files::tree::page_request(&cfg, url),
            None => build_list_commits(&cfg, &o.base.repo(), &o.base.revision()?, limit),
        };
        Ok(Started::single(req, parse_commit_page))
    }
}

/// `countCommits`: how many commits a revision's history has.
pub struct CountCommits;

impl Call for CountCommits {
    const NAME: &'static str = "countCommits";
    type Options = Target;
    type Output = u64;
    fn start(o: Target) -> Result<Started, HubError> {
        let req = build_list_commits(&o.config()?, &o.repo(), &o.revision()?, 1);
        Ok(Started::single(req, parse_commit_count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn head(status: u16, headers: &[(&'static str, &'static str)]) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/models/u/m/commits/main".into(),
            headers: headers.iter().copied().collect(),
        }
    }

    #[test]
    fn the_first_page_names_the_revision_and_the_page_size() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        let r = build_list_commits(&cfg(), &repo, &Revision::new("refs/pr/1").unwrap(), 100);
        assert_eq!(
            r.url,
            "https://huggingface.co/api/models/u/m/commits/refs%2Fpr%2F1?limit=100"
        );
        assert_eq!(r.headers.get("authorization"), Some("Bearer hf_t"));
    }

    #[test]
    fn a_page_reads_commits_and_the_next_link() {
        let body = br#"[{"id":"abc","title":"Add x","message":"why\n","authors":[{"user":"ana","avatar":"https://a/x.png"},{"user":"bo"}],"date":"2024-01-02T03:04:05.000Z","formatted":{"title":"<p>"}},
            {"id":"def","title":"initial commit","message":"","authors":[],"date":"2024-01-01T00:00:00.000Z"}]"#;
        let h = head(
            200,
            &[(
                "Link",
                "<https://huggingface.co/api/models/u/m/commits/main?p=1&limit=2>; rel=\"next\"",
            )],
        );
        let p = parse_commit_page(&h, body).unwrap();
        assert_eq!(p.commits.len(), 2);
        assert_eq!(
            p.commits[0].authors[0],
            CommitAuthor {
                username: "ana".into(),
                avatar_url: Some("https://a/x.png".into())
            }
        );
        assert_eq!(p.commits[0].authors[1].avatar_url, None);
        assert_eq!(p.commits[1].date, "2024-01-01T00:00:00.000Z");
        assert_eq!(
            p.next.as_deref(),
            Some("https://huggingface.co/api/models/u/m/commits/main?p=1&limit=2")
        );
        assert_eq!(
            parse_commit_page(&head(200, &[]), b"[]").unwrap().next,
            None
        );
    }

    #[test]
    fn wrong_shapes_are_malformed_and_errors_keep_their_meaning() {
        for body in [
            &br#"{"id":"x"}"#[..],
            br#"[{"title":"no id"}]"#,
            br#"[{"id":"x","date":"d","authors":"ana"}]"#,
        ] {
            assert_eq!(
                parse_commit_page(&head(200, &[]), body).unwrap_err().kind(),
                ErrorKind::MalformedResponse
            );
        }
        let e = parse_commit_page(&head(404, &[("X-Error-Code", "RevisionNotFound")]), b"")
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::RevisionNotFound);
    }

    #[test]
    fn the_count_is_the_total_header() {
        assert_eq!(
            parse_commit_count(&head(200, &[("X-Total-Count", "42")]), b"[]").unwrap(),
            42
        );
        for bad in [
            &[][..],
            &[("X-Total-Count", "many")],
            &[("X-Total-Count", "-1")],
        ] {
            assert_eq!(
                parse_commit_count(&head(200, bad), b"[]")
                    .unwrap_err()
                    .kind(),
                ErrorKind::MalformedResponse
            );
        }
    }
}
