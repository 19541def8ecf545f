//! `GET /api/models`, `/api/datasets`, `/api/spaces` (docs/hub-protocol.md §3.7): a search
//! over every repo of a kind, a page at a time (`Link: rel="next"`), each item an entry with the
//! fields asked for. `listModels`, `listDatasets` and `listSpaces` in the JavaScript API.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_query_value;
use crate::http::json::{self, Value};
use crate::http::pagination::next_link;
use crate::http::{HttpRequest, HttpResponseHead};
use crate::ids::RepoType;
use crate::info::entry::{additional, check_kind, expand_query, read_entry, RepoEntry};
use crate::options::Endpoint;
use crate::text::{num, quoted};
use crate::{cat, options, HubConfig};

/// The orders the Hub sorts by (always descending).
const SORTS: &[&str] = &[
    "createdAt",
    "downloads",
    "id",
    "lastModified",
    "likes",
    "likes7d",
    "likes30d",
    "mainSize",
    "num_parameters",
    "trendingScore",
];

/// The Hub's largest page (as `@huggingface/hub` asks).
const MAX_PAGE: u64 = 500;

/// One page of a search and where the next one is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RepoPage {
    /// The repos of this page, in the order asked for.
    pub items: Vec<RepoEntry>,
    /// The next page's URL (from `Link: rel="next"`), to pass back as `next`.
    pub next: Option<String>,
}

options! {
    /// `listRepos` options: one page of `listModels` / `listDatasets` / `listSpaces`.
    pub struct ListReposOptions: Endpoint {
        /// `model`, `dataset` or `space`.
        pub kind: String = "type",
        /// A part of the repo's name.
        pub query: Option<String> = "query",
        /// The user or organization that owns the repos.
        pub owner: Option<String> = "owner",
        /// Models only: the pipeline tag (`text-generation`, …).
        pub task: Option<String> = "task",
        /// Tags every repo found carries (`license:mit`, `en`, `dataset:x`, …).
        pub tags: Option<Vec<String>> = "tags",
        /// The order, descending: `downloads`, `likes`, `lastModified`, `createdAt`, …
        pub sort: Option<String> = "sort",
        /// How many the caller wants in all: pages are no larger (500 at most).
        pub limit: Option<u64> = "limit",
        /// More fields to ask the Hub for, as in `repoInfo`.
        pub additional_fields: Option<Vec<String>> = "additionalFields",
        /// The previous page's `next`; absent for the first page.
        pub next: Option<String> = "next",
    }
}

fn param(q: &mut String, key: &str, value: &str) {
    q.push('&');
    q.push_str(key);
    q.push('=');
    q.push_str(&encode_query_value(value));
}

fn non_empty<'a>(v: &'a Option<String>, what: &str) -> Result<Option<&'a str>, HubError> {
    match v.as_deref() {
        Some("") => Err(HubError::invalid_input(cat!(what, " must not be empty"))),
        other => Ok(other),
    }
}

/// The first page's request, after checking every option.
pub fn build_list_repos(
    cfg: &HubConfig,
    kind: RepoType,
    o: &ListReposOptions,
    expand: &str,
) -> Result<HttpRequest, HubError> {
    let page = match o.limit {
        Some(0) => return Err(HubError::invalid_input("limit must be at least 1")),
        Some(n) => n.min(MAX_PAGE),
        None => MAX_PAGE,
    };
    let mut q = cat!("limit=", num(page).as_str());
    if let Some(owner) = non_empty(&o.owner, "search.owner")? {
        param(&mut q, "author", owner);
    }
    if let Some(task) = non_empty(&o.task, "search.task")? {
        if kind != RepoType::Model {
            return Err(HubError::invalid_input("search.task is for models only"));
        }
        param(&mut q, "pipeline_tag", task);
    }
    if let Some(text) = non_empty(&o.query, "search.query")? {
        param(&mut q, "search", text);
    }
    if let Some(sort) = o.sort.as_deref() {
        if !SORTS.contains(&sort) {
            return Err(HubError::invalid_input(cat!(
                "sort: the Hub does not sort by ",
                quoted(sort)
            )));
        }
        param(&mut q, "sort", sort);
    }
    for tag in o.tags.as_deref().unwrap_or(&[]) {
        if tag.is_empty() {
            return Err(HubError::invalid_input(
                "search.tags must not hold an empty tag",
            ));
        }
        param(&mut q, "filter", tag);
    }
    let url = cat!(
        cfg.endpoint(),
        "/api/",
        kind.api_segment(),
        "?",
        q.as_str(),
        "&",
        expand
    );
    Ok(crate::files::tree::page_request(cfg, url))
}

/// Parses one page of a search.
pub fn parse_repo_page(
    kind: RepoType,
    fields: &[String],
    head: &HttpResponseHead,
    body: &[u8],
) -> Result<RepoPage, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let items = json::parse(body)
        .as_ref()
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .map(|v| read_entry(kind, v, fields))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| {
            HubError::malformed(
                head,
                "expected a JSON array of repos with id and lastModified",
            )
        })?;
    Ok(RepoPage {
        items,
        next: next_link(head),
    })
}

/// `listRepos`: one page of a search over models, datasets or spaces.
pub struct ListRepos;

impl Call for ListRepos {
    const NAME: &'static str = "listRepos";
    type Options = ListReposOptions;
    type Output = RepoPage;
    fn start(o: ListReposOptions) -> Result<Started, HubError> {
        let kind = RepoType::parse(&o.kind)?;
        check_kind(kind)?;
        let cfg = o.base.config()?;
        let fields = additional(kind, o.additional_fields.as_deref().unwrap_or(&[]))?;
        // Every option is checked on every page, so a bad one fails before the first request.
        let first = build_list_repos(&cfg, kind, &o, &expand_query(kind, &fields))?;
        let req = match o.next {
            Some(url) => crate::files::tree::page_request(&cfg, url),
            None => first,
        };
        Ok(Started::with(req, move |head, body| {
            parse_repo_page(kind, &fields, head, body)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::parse;
    use crate::ErrorKind;

    fn first_url(opts: &str) -> Result<String, HubError> {
        let o: ListReposOptions = parse(opts, "listRepos")?;
        ListRepos::start(o).map(|s| s.request.url)
    }

    #[test]
    fn a_search_becomes_the_hubs_query() {
        let url = first_url(r#"{"hubUrl":"https://hub.example","type":"model","query":"bert base","owner":"google","task":"fill-mask","tags":["en","license:mit"],"sort":"downloads","limit":20,"additionalFields":["cardData"]}"#).unwrap();
        assert_eq!(
            url,
            "https://hub.example/api/models?limit=20&author=google&pipeline_tag=fill-mask&search=bert%20base&sort=downloads&filter=en&filter=license%3Amit&expand=pipeline_tag&expand=private&expand=gated&expand=downloads&expand=likes&expand=lastModified&expand=cardData"
        );
        let spaces = first_url(r#"{"type":"space","limit":10000}"#).unwrap();
        assert_eq!(
            spaces,
            "https://huggingface.co/api/spaces?limit=500&expand=sdk&expand=likes&expand=private&expand=lastModified"
        );
    }

    #[test]
    fn the_next_page_is_the_link_the_hub_gave() {
        let url = first_url(
            r#"{"type":"dataset","next":"https://huggingface.co/api/datasets?cursor=abc"}"#,
        )
        .unwrap();
        assert_eq!(url, "https://huggingface.co/api/datasets?cursor=abc");
    }

    #[test]
    fn bad_searches_fail_before_any_request() {
        for opts in [
            r#"{"type":"kernel"}"#,
            r#"{"type":"things"}"#,
            r#"{"type":"dataset","task":"fill-mask"}"#,
            r#"{"type":"model","sort":"stars"}"#,
            r#"{"type":"model","limit":0}"#,
            r#"{"type":"model","owner":""}"#,
            r#"{"type":"model","tags":["ok",""]}"#,
            r#"{"type":"model","tags":"en"}"#,
            r#"{"type":"space","additionalFields":["downloads"]}"#,
            r#"{"type":"model","next":"https://huggingface.co/api/models?cursor=x","sort":"stars"}"#,
        ] {
            assert_eq!(
                first_url(opts).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{opts}"
            );
        }
    }

    #[test]
    fn a_page_reads_its_items_and_the_next_link() {
        let head = HttpResponseHead {
            status: 200,
            url: "https://huggingface.co/api/models".into(),
            headers: [(
                "Link",
                "<https://huggingface.co/api/models?cursor=c2>; rel=\"next\"",
            )]
            .into_iter()
            .collect(),
        };
        let body = br#"[{"_id":"1","id":"a/x","likes":2,"downloads":9,"lastModified":"2024-01-01T00:00:00.000Z","pipeline_tag":"text-generation","private":false,"gated":false}]"#;
        let p = parse_repo_page(RepoType::Model, &[], &head, body).unwrap();
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].task.as_deref(), Some("text-generation"));
        assert_eq!(
            p.next.as_deref(),
            Some("https://huggingface.co/api/models?cursor=c2")
        );
        let bad = parse_repo_page(RepoType::Model, &[], &head, br#"{"id":"a/x"}"#).unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::MalformedResponse);
    }
}
