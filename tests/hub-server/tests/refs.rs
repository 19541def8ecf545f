//! Branches, tags, the refs listing and the commit history (docs/hub-protocol.md §3.4, §3.5, §5.5,
//! §5.6), with the Hub's messages.

mod common;

use common::{add, Server};
use serde_json::{json, Value};

fn refs(s: &Server, repo: &str, query: &str) -> Value {
    s.req("GET", &format!("/api/models/{repo}/refs{query}"))
        .send()
        .json()
}

fn branch(s: &Server, repo: &str, name: &str, body: &Value) -> common::Resp {
    s.authed("POST", &format!("/api/models/{repo}/branch/{name}"))
        .json(body)
        .send()
}

#[test]
fn a_branch_starts_at_main_by_default_and_is_listed_in_refs() {
    let s = Server::start(&[]);
    let repo = s.create_model("br", false);
    s.commit(&repo, "one", &[add("a.txt", b"1")]);
    let head = s.head(&repo);
    let r = branch(&s, &repo, "dev", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let b = refs(&s, &repo, "");
    assert_eq!(
        b["branches"],
        json!([
            {"name": "dev", "ref": "refs/heads/dev", "targetCommit": head},
            {"name": "main", "ref": "refs/heads/main", "targetCommit": head},
        ])
    );
    // Commits to the branch leave main alone.
    let r = s.commit_to(
        &repo,
        "dev",
        &json!({"summary": "on dev"}),
        &[add("b.txt", b"2")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(s.head(&repo), head);
    let f = s.req("GET", &format!("/{repo}/resolve/dev/b.txt")).send();
    assert_eq!(f.body, b"2");
}

#[test]
fn branch_errors_use_the_hub_messages() {
    let s = Server::start(&[]);
    let repo = s.create_model("brerr", false);
    branch(&s, &repo, "dev", &json!({}));
    branch(&s, &repo, "dev", &json!({})).assert_error(
        409,
        None,
        "Reference refs/heads/dev already exists",
    );
    branch(&s, &repo, "refs%2Fpr%2F5", &json!({})).assert_error(
        400,
        None,
        "Invalid reference for a branch",
    );
    branch(&s, &repo, "bad%20name", &json!({})).assert_error(
        400,
        None,
        "Invalid reference for a branch",
    );
    branch(&s, &repo, "x", &json!({"startingPoint": "nope"})).assert_error(
        404,
        Some("RevisionNotFound"),
        "Invalid rev id: nope",
    );
}

#[test]
fn starting_points_overwrite_and_empty_branches() {
    let s = Server::start(&[]);
    let repo = s.create_model("start", false);
    let first = s.head(&repo);
    s.commit(&repo, "two", &[add("a.txt", b"1")]);
    let second = s.head(&repo);
    // From a commit id, and a name with a slash (one %2F-encoded segment).
    assert_eq!(
        branch(&s, &repo, "feature%2Fold", &json!({"startingPoint": first})).status,
        200
    );
    let listed = refs(&s, &repo, "")["branches"].clone();
    assert!(listed.as_array().unwrap().contains(
        &json!({"name": "feature/old", "ref": "refs/heads/feature/old", "targetCommit": first})
    ));
    // overwrite moves an existing branch.
    let r = branch(
        &s,
        &repo,
        "feature%2Fold",
        &json!({"startingPoint": "main", "overwrite": true}),
    );
    assert_eq!(r.status, 200);
    let info = s
        .req("GET", &format!("/api/models/{repo}/revision/feature%2Fold"))
        .send()
        .json();
    assert_eq!(info["sha"], second);
    // An empty branch has no files and a history of one commit.
    assert_eq!(
        branch(&s, &repo, "empty", &json!({"emptyBranch": true})).status,
        200
    );
    let tree = s
        .req("GET", &format!("/api/models/{repo}/tree/empty"))
        .send()
        .json();
    assert_eq!(tree, json!([]));
    let commits = s
        .req("GET", &format!("/api/models/{repo}/commits/empty"))
        .send();
    assert_eq!(commits.header("x-total-count"), Some("1"));
}

#[test]
fn deleting_branches_refuses_main_and_unknown_names() {
    let s = Server::start(&[]);
    let repo = s.create_model("del", false);
    branch(&s, &repo, "dev", &json!({}));
    let del = |name: &str| {
        s.authed("DELETE", &format!("/api/models/{repo}/branch/{name}"))
            .send()
    };
    del("main").assert_error(403, None, "Cannot delete refs/heads/main");
    del("nope").assert_error(404, Some("RevisionNotFound"), "Invalid rev id: nope");
    assert_eq!(del("dev").status, 200);
    assert_eq!(refs(&s, &repo, "")["branches"].as_array().unwrap().len(), 1);
    let r = s
        .req("GET", &format!("/{repo}/resolve/dev/.gitattributes"))
        .send();
    assert_eq!(r.header("x-error-code"), Some("RevisionNotFound"));
}

#[test]
fn tags_point_at_a_revision_and_resolve_like_branches() {
    let s = Server::start(&[]);
    let repo = s.create_model("tags", false);
    s.commit(&repo, "one", &[add("a.txt", b"v1")]);
    let v1 = s.head(&repo);
    let tag = |rev: &str, body: Value| {
        s.authed("POST", &format!("/api/models/{repo}/tag/{rev}"))
            .json(&body)
            .send()
    };
    let r = tag("main", json!({"tag": "v1", "message": "first"}));
    assert_eq!(r.status, 200, "{}", r.text());
    s.commit(&repo, "two", &[add("a.txt", b"v2")]);
    assert_eq!(
        refs(&s, &repo, "")["tags"],
        json!([{"name": "v1", "ref": "refs/tags/v1", "targetCommit": v1}])
    );
    let r = s.req("GET", &format!("/{repo}/resolve/v1/a.txt")).send();
    assert_eq!(r.body, b"v1");
    tag("main", json!({"tag": "v1"})).assert_error(
        409,
        None,
        "Reference refs/tags/v1 already exists",
    );
    tag("nope", json!({"tag": "v2"})).assert_error(
        404,
        Some("RevisionNotFound"),
        "Invalid rev id: nope",
    );
    assert_eq!(tag("main", json!({"tag": "bad tag"})).status, 400);
    // A tag of a commit id.
    assert_eq!(tag(&v1, json!({"tag": "by-id"})).status, 200);

    let del = |name: &str| {
        s.authed("DELETE", &format!("/api/models/{repo}/tag/{name}"))
            .send()
    };
    assert_eq!(del("v1").status, 200);
    del("v1").assert_error(404, Some("RevisionNotFound"), "Invalid rev id: v1");
    del("main").assert_error(404, Some("RevisionNotFound"), "Invalid rev id: main");
}

#[test]
fn refs_include_pull_requests_on_request() {
    let s = Server::start(&[]);
    let repo = s.create_model("prs", false);
    let r = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=1"),
        )
        .ndjson(&json!({"summary": "pr"}), &[add("p.txt", b"p")])
        .send();
    let pr_head = r.json()["commitOid"].as_str().unwrap().to_string();
    assert!(refs(&s, &repo, "").get("pullRequests").is_none());
    assert_eq!(
        refs(&s, &repo, "?include_prs=1")["pullRequests"],
        json!([{"name": "1", "ref": "refs/pr/1", "targetCommit": pr_head}])
    );
}

#[test]
fn changing_refs_needs_write_access() {
    let s = Server::start(&["--token", "reader:hf_reader:read"]);
    let repo = s.create_model("rights", false);
    let path = format!("/api/models/{repo}/branch/dev");
    assert_eq!(s.req("POST", &path).json(&json!({})).send().status, 401);
    let r = s
        .req("POST", &path)
        .token("hf_reader")
        .json(&json!({}))
        .send();
    assert_eq!(r.status, 403);
    let r = s
        .req("POST", &format!("/api/models/{repo}/tag/main"))
        .token("hf_reader")
        .json(&json!({"tag": "v1"}))
        .send();
    assert_eq!(r.status, 403);
}

fn commit_ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn commits_are_listed_newest_first_with_authors_and_a_total() {
    let s = Server::start(&[]);
    let repo = s.create_model("hist", false);
    let initial = s.head(&repo);
    let r = s.commit_to(
        &repo,
        "main",
        &json!({"summary": "Add <a>", "description": "details & more"}),
        &[add("a", b"1")],
    );
    let second = r.json()["commitOid"].as_str().unwrap().to_string();
    let r = s
        .req("GET", &format!("/api/models/{repo}/commits/main"))
        .send();
    assert_eq!(r.header("x-total-count"), Some("2"));
    assert!(r.header("link").is_none());
    let list = r.json();
    assert_eq!(commit_ids(&list), [second.clone(), initial.clone()]);
    let c = &list[0];
    assert_eq!(c["title"], "Add <a>");
    assert_eq!(c["message"], "details & more");
    assert_eq!(c["authors"][0]["user"], "test-user");
    assert!(c["authors"][0]["avatar"]
        .as_str()
        .unwrap()
        .starts_with("http"));
    assert!(c["date"].as_str().unwrap().ends_with('Z'));
    assert!(c.get("formatted").is_none());
    assert_eq!(list[1]["title"], "initial commit");

    let f = s
        .req(
            "GET",
            &format!("/api/models/{repo}/commits/main?expand[]=formatted"),
        )
        .send()
        .json();
    assert_eq!(
        f[0]["formatted"],
        json!({"title": "Add &lt;a&gt;", "message": "<p>details &amp; more</p>\n"})
    );
    // History as of an older revision.
    let old = s
        .req("GET", &format!("/api/models/{repo}/commits/{initial}"))
        .send()
        .json();
    assert_eq!(commit_ids(&old), [initial]);
    let r = s
        .req("GET", &format!("/api/models/{repo}/commits/nope"))
        .send();
    assert_eq!(r.header("x-error-code"), Some("RevisionNotFound"));
}

#[test]
fn commit_pages_follow_link_headers() {
    let s = Server::start(&[]);
    let repo = s.create_model("pages", false);
    for i in 0..4 {
        s.commit(
            &repo,
            &format!("c{i}"),
            &[add("f", format!("{i}").as_bytes())],
        );
    }
    let mut url = format!("{}/api/models/{repo}/commits/main?limit=2", s.url);
    let mut titles = Vec::new();
    let mut pages = 0;
    loop {
        let r = s.req_url("GET", &url).send();
        assert_eq!(r.header("x-total-count"), Some("5"));
        pages += 1;
        for c in r.json().as_array().unwrap() {
            titles.push(c["title"].as_str().unwrap().to_string());
        }
        match r.header("link") {
            Some(l) => {
                assert!(l.ends_with(">; rel=\"next\""), "{l}");
                url = l[1..l.find('>').unwrap()].to_string();
                assert!(url.contains("limit=2"), "the query is kept: {url}");
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(titles, ["c3", "c2", "c1", "c0", "initial commit"]);
}
