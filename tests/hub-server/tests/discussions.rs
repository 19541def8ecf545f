//! Discussions and pull requests (docs/hub-protocol.md §6): PRs opened by `create_pr=1` commits are
//! listed with discussions; create, comment, rename, close/reopen and merge (fast-forward or
//! merge commit).

mod common;

use common::{add, Server};
use serde_json::{json, Value};

fn open_pr(s: &Server, repo: &str, summary: &str, ops: &[Value]) -> Value {
    let r = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=1"),
        )
        .ndjson(
            &json!({"summary": summary, "description": "please merge"}),
            ops,
        )
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn details(s: &Server, repo: &str, num: u64) -> Value {
    let r = s
        .req(
            "GET",
            &format!("/api/models/{repo}/discussions/{num}?diff=1"),
        )
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn act(s: &Server, repo: &str, num: u64, action: &str, body: Value) -> common::Resp {
    s.authed(
        "POST",
        &format!("/api/models/{repo}/discussions/{num}/{action}"),
    )
    .json(&body)
    .send()
}

#[test]
fn a_pr_opened_by_a_commit_is_listed_with_its_url_and_events() {
    let s = Server::start(&[]);
    let repo = s.create_model("prs", false);
    let c = open_pr(&s, &repo, "Add a", &[add("a.txt", b"a")]);
    assert_eq!(
        c["pullRequestUrl"],
        format!("{}/{repo}/discussions/1", s.url)
    );
    let list = s
        .req("GET", &format!("/api/models/{repo}/discussions"))
        .send()
        .json();
    assert_eq!(
        (list["count"].clone(), list["start"].clone()),
        (json!(1), json!(0))
    );
    let d = &list["discussions"][0];
    assert_eq!(d["num"], 1);
    assert_eq!(d["title"], "Add a");
    assert_eq!(d["status"], "open");
    assert_eq!(d["isPullRequest"], true);
    assert_eq!(d["author"]["name"], "test-user");
    assert_eq!(d["repo"], json!({"name": repo, "type": "model"}));
    assert!(d["createdAt"].as_str().unwrap().ends_with('Z'));

    let full = details(&s, &repo, 1);
    assert_eq!(full["changes"]["base"], "refs/heads/main");
    assert_eq!(full["filesWithConflicts"], json!([]));
    let kinds: Vec<&str> = full["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["comment", "commit"]);
    assert_eq!(full["events"][0]["data"]["latest"]["raw"], "please merge");
    assert_eq!(full["events"][1]["data"]["oid"], c["commitOid"]);
    assert_eq!(full["events"][1]["data"]["subject"], "Add a");

    // Committing to refs/pr/1 adds to the PR.
    let r = s.commit_to(
        &repo,
        "refs%2Fpr%2F1",
        &json!({"summary": "more"}),
        &[add("b", b"b")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(details(&s, &repo, 1)["events"].as_array().unwrap().len(), 3);
}

#[test]
fn discussions_are_created_commented_renamed_and_closed() {
    let s = Server::start(&[]);
    let repo = s.create_model("talk", false);
    let r = s
        .authed("POST", &format!("/api/models/{repo}/discussions"))
        .json(&json!({"title": "Question", "description": "Why?", "pullRequest": false}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["num"], 1);

    let c = act(&s, &repo, 1, "comment", json!({"comment": "Because."}));
    assert_eq!(c.status, 200);
    let m = c.json()["newMessage"].clone();
    assert_eq!(m["type"], "comment");
    assert_eq!(m["data"]["latest"]["raw"], "Because.");
    assert_eq!(m["data"]["edited"], false);
    assert_eq!(m["data"]["hidden"], false);

    let t = act(&s, &repo, 1, "title", json!({"title": "Answered"})).json();
    assert_eq!(
        t["newTitle"]["data"],
        json!({"from": "Question", "to": "Answered"})
    );

    let st = act(
        &s,
        &repo,
        1,
        "status",
        json!({"status": "closed", "comment": "done"}),
    );
    assert_eq!(st.json()["newStatus"]["data"]["status"], "closed");
    let d = details(&s, &repo, 1);
    assert_eq!(d["status"], "closed");
    assert_eq!(d["title"], "Answered");
    assert!(d.get("changes").is_none(), "not a PR");
    assert_eq!(
        act(&s, &repo, 1, "status", json!({"status": "merged"})).status,
        400
    );
    assert_eq!(
        act(&s, &repo, 1, "comment", json!({"comment": " "})).status,
        400
    );
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}/discussions/9"))
            .send()
            .status,
        404
    );
}

#[test]
fn listings_filter_by_type_status_and_author_and_page_by_index() {
    let s = Server::start(&["--user", "bob"]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let repo = s.create_model("many", false);
    open_pr(&s, &repo, "pr", &[add("a", b"a")]);
    for i in 0..55 {
        s.req("POST", &format!("/api/models/{repo}/discussions"))
            .token(&bob)
            .json(&json!({"title": format!("d{i}")}))
            .send();
    }
    let get = |q: &str| {
        s.req("GET", &format!("/api/models/{repo}/discussions{q}"))
            .send()
            .json()
    };
    let first = get("");
    assert_eq!(first["count"], 56);
    assert_eq!(first["discussions"].as_array().unwrap().len(), 50);
    assert_eq!(first["discussions"][0]["num"], 56, "newest first");
    let second = get("?p=1");
    assert_eq!(second["start"], 50);
    assert_eq!(second["discussions"].as_array().unwrap().len(), 6);
    assert_eq!(get("?type=pull_request")["count"], 1);
    assert_eq!(get("?type=discussion")["count"], 55);
    assert_eq!(get("?author=bob")["count"], 55);
    assert_eq!(get("?status=closed")["count"], 0);
    assert_eq!(get("?status=open")["count"], 56);
}

#[test]
fn a_pr_that_main_has_not_moved_past_fast_forwards() {
    let s = Server::start(&[]);
    let repo = s.create_model("ff", false);
    let c = open_pr(&s, &repo, "Add a", &[add("a.txt", b"a")]);
    let r = act(&s, &repo, 1, "merge", json!({"comment": "thanks"}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.head(&repo), c["commitOid"].as_str().unwrap());
    let d = details(&s, &repo, 1);
    assert_eq!(d["status"], "merged");
    assert_eq!(d["changes"]["mergeCommitId"], c["commitOid"]);
    assert_eq!(
        act(&s, &repo, 1, "merge", json!({})).status,
        400,
        "already merged"
    );
}

#[test]
fn a_pr_behind_main_merges_with_a_merge_commit_or_reports_conflicts() {
    let s = Server::start(&[]);
    let repo = s.create_model("mc", false);
    s.commit(&repo, "base", &[add("shared.txt", b"0")]);
    open_pr(&s, &repo, "PR one", &[add("pr.txt", b"p")]);
    open_pr(&s, &repo, "PR two", &[add("shared.txt", b"pr")]);
    s.commit(
        &repo,
        "main moves",
        &[add("main.txt", b"m"), add("shared.txt", b"main")],
    );
    let before = s.head(&repo);

    let r = act(&s, &repo, 2, "merge", json!({}));
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("shared.txt"));

    let r = s
        .authed("POST", &format!("/api/models/{repo}/discussions/1/merge"))
        .send();
    assert_eq!(r.status, 200, "no body is fine: {}", r.text());
    let head = s.head(&repo);
    assert_ne!(head, before);
    for (path, content) in [("pr.txt", "p"), ("main.txt", "m"), ("shared.txt", "main")] {
        let f = s.req("GET", &format!("/{repo}/resolve/main/{path}")).send();
        assert_eq!(f.text(), content, "{path}");
    }
    // The merge commit has both histories behind it.
    let commits = s
        .req("GET", &format!("/api/models/{repo}/commits/main"))
        .send()
        .json();
    let titles: Vec<&str> = commits
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles[0], "Merge pull request #1: PR one");
    assert!(titles.contains(&"PR one") && titles.contains(&"main moves"));
    assert!(!titles.contains(&"PR two"));
}

#[test]
fn prs_created_as_discussions_start_as_drafts() {
    let s = Server::start(&["--user", "bob"]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let repo = s.create_model("draft", false);
    let r = s
        .req("POST", &format!("/api/models/{repo}/discussions"))
        .token(&bob)
        .json(&json!({"title": "WIP", "description": "", "pullRequest": true}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "draft");
    let refs = s
        .req("GET", &format!("/api/models/{repo}/refs?include_prs=1"))
        .send()
        .json();
    assert_eq!(refs["pullRequests"][0]["ref"], "refs/pr/1");
    // bob pushes to his PR, opens it; only owners merge.
    let r = s
        .req("POST", &format!("/api/models/{repo}/commit/refs%2Fpr%2F1"))
        .token(&bob)
        .ndjson(&json!({"summary": "work"}), &[add("w", b"w")])
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(act(&s, &repo, 1, "merge", json!({})).status, 400, "a draft");
    let r = s
        .req("POST", &format!("/api/models/{repo}/discussions/1/status"))
        .token(&bob)
        .json(&json!({"status": "open"}))
        .send();
    assert_eq!(r.status, 200);
    let r = s
        .req("POST", &format!("/api/models/{repo}/discussions/1/merge"))
        .token(&bob)
        .send();
    assert_eq!(r.status, 403, "not bob's repo");
    assert_eq!(act(&s, &repo, 1, "merge", json!({})).status, 200);
    assert_eq!(
        s.req("GET", &format!("/{repo}/resolve/main/w")).send().body,
        b"w"
    );
}

#[test]
fn discussions_need_a_write_token() {
    let s = Server::start(&["--token", "reader:hf_reader:read"]);
    let repo = s.create_model("rw", false);
    let path = format!("/api/models/{repo}/discussions");
    let body = json!({"title": "t"});
    assert_eq!(s.req("POST", &path).json(&body).send().status, 401);
    let r = s.req("POST", &path).token("hf_reader").json(&body).send();
    assert_eq!(r.status, 403);
}
