//! Moving repos (the old id answers relative 307s) and the repo listings with search,
//! filters, sorting, field selection and `Link` pagination.

mod common;

use common::{add, Server};
use serde_json::{json, Value};

fn move_repo(s: &Server, from: &str, to: &str) -> common::Resp {
    s.authed("POST", "/api/repos/move")
        .json(&json!({"fromRepo": from, "toRepo": to, "type": "model"}))
        .send()
}

#[test]
fn a_moved_repo_redirects_gets_from_its_old_id_with_relative_307s() {
    let s = Server::start(&["--org", "acme:test-user"]);
    let repo = s.create_model("old", false);
    s.commit(&repo, "add", &[add("dir/a.txt", b"a")]);
    let r = move_repo(&s, &repo, "acme/new");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["url"], format!("{}/acme/new", s.url));
    for (method, from, to) in [
        (
            "GET",
            "/test-user/old/resolve/main/dir/a.txt",
            "/acme/new/resolve/main/dir/a.txt",
        ),
        (
            "HEAD",
            "/test-user/old/resolve/main/dir/a.txt?download=true",
            "/acme/new/resolve/main/dir/a.txt?download=true",
        ),
        ("GET", "/api/models/test-user/old", "/acme/new"),
        (
            "GET",
            "/api/models/test-user/old/tree/main/dir?recursive=1",
            "/api/models/acme/new/tree/main/dir?recursive=1",
        ),
    ] {
        let r = s.authed(method, from).send();
        assert_eq!(r.status, 307, "{method} {from}");
        let expected = if to == "/acme/new" {
            "/api/models/acme/new"
        } else {
            to
        };
        assert_eq!(r.header("location"), Some(expected), "relative");
        let followed = s.authed(method, expected).send();
        assert_eq!(followed.status, 200, "{expected}");
    }
    // Writes to the old id are not redirected.
    let r = s.commit(&repo, "x", &[add("b", b"b")]);
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
}

#[test]
fn moves_refuse_taken_names_follow_chains_and_free_the_old_name() {
    let s = Server::start(&[]);
    let a = s.create_model("a", false);
    let b = s.create_model("b", false);
    assert_eq!(move_repo(&s, &a, &b).status, 409);
    assert_eq!(move_repo(&s, "test-user/nope", "test-user/z").status, 404);
    assert_eq!(move_repo(&s, &a, "bad id").status, 400);
    assert_eq!(move_repo(&s, &a, "test-user/c").status, 200);
    assert_eq!(move_repo(&s, "test-user/c", "test-user/d").status, 200);
    // a → c → d: the first name leads straight to the last.
    let r = s.authed("GET", "/api/models/test-user/a").send();
    assert_eq!(r.header("location"), Some("/api/models/test-user/d"));
    // Creating a repo under an old name ends its redirect.
    s.create_model("a", false);
    assert_eq!(
        s.authed("GET", "/api/models/test-user/a").send().status,
        200
    );
}

#[test]
fn moving_into_a_namespace_needs_write_access_there() {
    let s = Server::start(&["--user", "bob"]);
    let repo = s.create_model("mine", false);
    assert_eq!(move_repo(&s, &repo, "bob/mine").status, 403);
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Three public models and a private one, created in this order, plus a dataset.
fn catalogue() -> Server {
    let s = Server::start(&["--user", "bob"]);
    for name in ["zeta-model", "alpha-model", "beta-data-model"] {
        s.create_model(name, false);
    }
    s.create_model("hidden", true);
    s.authed("POST", "/api/repos/create")
        .json(&json!({"name": "set", "type": "dataset"}))
        .send();
    // alpha was modified last.
    s.commit("test-user/alpha-model", "touch", &[add("a", b"a")]);
    s
}

#[test]
fn listings_show_readable_repos_of_the_type_and_search_by_id() {
    let s = catalogue();
    let anon = s.req("GET", "/api/models").send().json();
    assert_eq!(
        ids(&anon),
        [
            "test-user/alpha-model",
            "test-user/beta-data-model",
            "test-user/zeta-model"
        ]
    );
    let mine = s.authed("GET", "/api/models").send().json();
    assert!(ids(&mine).contains(&"test-user/hidden".to_string()));
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    let theirs = s.req("GET", "/api/models").token(bob).send().json();
    assert!(!ids(&theirs).contains(&"test-user/hidden".to_string()));

    let r = s.req("GET", "/api/models?search=DATA").send().json();
    assert_eq!(ids(&r), ["test-user/beta-data-model"]);
    let r = s.req("GET", "/api/models?author=bob").send().json();
    assert_eq!(r, json!([]));
    let r = s.req("GET", "/api/datasets").send().json();
    assert_eq!(ids(&r), ["test-user/set"]);
    let r = s
        .req("GET", "/api/models?filter=text-classification")
        .send()
        .json();
    assert_eq!(r, json!([]), "no README, so no such tag");
}

#[test]
fn listings_sort_descending_by_default_and_honour_direction() {
    let s = catalogue();
    let r = s.req("GET", "/api/models?sort=lastModified").send().json();
    assert_eq!(ids(&r)[0], "test-user/alpha-model");
    let r = s
        .req("GET", "/api/models?sort=createdAt&direction=-1")
        .send()
        .json();
    assert_eq!(
        ids(&r),
        [
            "test-user/beta-data-model",
            "test-user/alpha-model",
            "test-user/zeta-model"
        ]
    );
    let r = s
        .req("GET", "/api/models?sort=createdAt&direction=1")
        .send()
        .json();
    assert_eq!(ids(&r)[0], "test-user/zeta-model");
    for sort in ["likes", "downloads", "trendingScore"] {
        let r = s.req("GET", &format!("/api/models?sort={sort}")).send();
        assert_eq!(r.status, 200, "{sort}");
    }
    assert_eq!(s.req("GET", "/api/models?sort=stars").send().status, 400);
}

#[test]
fn listing_items_are_short_unless_full_or_expanded() {
    let s = catalogue();
    let r = s.req("GET", "/api/models?search=zeta").send().json();
    let item = r[0].as_object().unwrap();
    assert!(item.contains_key("_id") && item.contains_key("createdAt"));
    assert!(!item.contains_key("siblings") && !item.contains_key("sha"));
    let r = s
        .req("GET", "/api/models?search=zeta&full=true")
        .send()
        .json();
    assert_eq!(r[0]["siblings"], json!([{"rfilename": ".gitattributes"}]));
    assert_eq!(r[0]["sha"].as_str().unwrap().len(), 40);
    let r = s
        .req("GET", "/api/models?search=zeta&expand=sha&expand=private")
        .send()
        .json();
    let keys: Vec<&String> = r[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["_id", "id", "sha", "private"]);
}

#[test]
fn listings_page_with_link_headers() {
    let s = catalogue();
    let mut url = format!("{}/api/models?limit=2&sort=createdAt", s.url);
    let mut seen = Vec::new();
    loop {
        let r = s.req_url("GET", &url).send();
        seen.extend(ids(&r.json()));
        match r.header("link") {
            Some(l) => url = l[1..l.find('>').unwrap()].to_string(),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "test-user/beta-data-model",
            "test-user/alpha-model",
            "test-user/zeta-model"
        ]
    );
}

#[test]
fn deleting_a_moved_repo_ends_the_redirects_to_it() {
    let s = Server::start(&[]);
    let repo = s.create_model("first", false);
    move_repo(&s, &repo, "test-user/second");
    s.authed("DELETE", "/api/repos/delete")
        .json(&json!({"name": "second", "organization": "test-user"}))
        .send();
    let r = s.authed("GET", "/api/models/test-user/first").send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (404, Some("RepoNotFound"))
    );
}
