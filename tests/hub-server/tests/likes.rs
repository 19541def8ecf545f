//! Likes: `POST`/`DELETE …/like`, `GET …/likers`, `GET /api/users/{user}/likes`, the `likes`
//! counter, private repos, pagination, moves and persistence.

mod common;

use common::{remove_dir, temp_dir, Server};
use serde_json::{json, Value};

const READ_TOKEN: &str = "hf_readonlyreadonlyreadonly0000000";

fn start(extra: &[&str]) -> Server {
    let mut args = vec![
        "--user",
        "bob",
        "--user",
        "carol",
        "--token",
        "reader:hf_readonlyreadonlyreadonly0000000:read",
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

fn token<'a>(s: &'a Server, user: &str) -> &'a str {
    s.line["tokens"][user].as_str().unwrap()
}

fn like(s: &Server, token: Option<&str>, method: &str, path: &str) -> common::Resp {
    let r = s.req(method, &format!("{path}/like"));
    match token {
        Some(t) => r.token(t).send(),
        None => r.send(),
    }
}

fn users(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["user"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn liking_is_idempotent_counted_and_listed_both_ways() {
    let s = start(&[]);
    let repo = s.create_model("liked", false);
    let api = format!("/api/models/{repo}");
    let (bob, carol) = (token(&s, "bob"), token(&s, "carol"));
    for _ in 0..2 {
        let r = like(&s, Some(bob), "POST", &api);
        assert_eq!((r.status, r.json()), (200, json!({"success": true})));
    }
    assert_eq!(like(&s, Some(carol), "POST", &api).status, 200);
    assert_eq!(s.req("GET", &api).send().json()["likes"], 2);

    let r = s.req("GET", &format!("{api}/likers")).send();
    assert_eq!(r.status, 200, "public: no token needed");
    let likers = r.json();
    assert_eq!(users(&likers), ["carol", "bob"], "newest first");
    assert_eq!(likers[1]["fullname"], "Bob");
    let avatar = likers[1]["avatarUrl"].as_str().unwrap();
    assert!(
        avatar.starts_with(&s.url) && avatar.ends_with(".svg"),
        "{avatar}"
    );
    assert_eq!(likers[1].as_object().unwrap().len(), 3);

    let r = s.req("GET", "/api/users/bob/likes").send();
    assert_eq!(r.status, 200);
    let mine = r.json();
    assert_eq!(mine[0]["repo"], json!({"name": repo, "type": "model"}));
    assert!(mine[0]["createdAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(mine.as_array().unwrap().len(), 1);

    for _ in 0..2 {
        assert_eq!(
            like(&s, Some(bob), "DELETE", &api).status,
            200,
            "unlike twice"
        );
    }
    assert_eq!(s.req("GET", &api).send().json()["likes"], 1);
    assert_eq!(
        s.req("GET", "/api/users/bob/likes").send().json(),
        json!([])
    );
    assert_eq!(
        users(&s.req("GET", &format!("{api}/likers")).send().json()),
        ["carol"]
    );
}

#[test]
fn like_routes_need_a_write_token_and_a_readable_repo() {
    let s = start(&[]);
    let public = s.create_model("pub", false);
    let private = s.create_model("priv", true);
    let (pub_api, priv_api) = (
        format!("/api/models/{public}"),
        format!("/api/models/{private}"),
    );
    let bob = token(&s, "bob");
    for method in ["POST", "DELETE"] {
        let r = like(&s, None, method, &pub_api);
        assert_eq!(
            (r.status, r.header("x-error-code")),
            (401, None),
            "anonymous {method}"
        );
        assert_eq!(like(&s, Some(READ_TOKEN), method, &pub_api).status, 403);
        let r = like(&s, Some(bob), method, &priv_api);
        assert_eq!(
            (r.status, r.header("x-error-code")),
            (404, Some("RepoNotFound"))
        );
        let r = like(&s, Some(bob), method, "/api/models/test-user/missing");
        assert_eq!(
            (r.status, r.header("x-error-code")),
            (404, Some("RepoNotFound"))
        );
        let r = like(&s, Some(bob), method, "/api/datasets/test-user/pub");
        assert_eq!(r.status, 404, "the type is part of the repo");
    }
    // Likers of a private repo: RepoNotFound to who cannot read it.
    let r = s.req("GET", &format!("{priv_api}/likers")).send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (401, Some("RepoNotFound"))
    );
    let r = s
        .req("GET", &format!("{priv_api}/likers"))
        .token(bob)
        .send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (404, Some("RepoNotFound"))
    );

    // The owner may like their private repo; it counts, but their like list leaves it out.
    assert_eq!(like(&s, Some(&s.token), "POST", &priv_api).status, 200);
    assert_eq!(like(&s, Some(&s.token), "POST", &pub_api).status, 200);
    assert_eq!(s.authed("GET", &priv_api).send().json()["likes"], 1);
    let r = s.authed("GET", &format!("{priv_api}/likers")).send();
    assert_eq!(users(&r.json()), ["test-user"]);
    let r = s.authed("GET", "/api/users/test-user/likes").send().json();
    assert_eq!(r.as_array().unwrap().len(), 1);
    assert_eq!(r[0]["repo"]["name"], public.as_str());

    let r = s.req("GET", "/api/users/nobody/likes").send();
    assert_eq!(r.status, 404);
    // Disabled repos refuse likes like everything else.
    s.req("POST", "/__admin/disable")
        .json(&json!({"repo": public}))
        .send();
    assert_eq!(like(&s, Some(bob), "POST", &pub_api).status, 403);
}

#[test]
fn datasets_and_spaces_have_likes_too_and_lists_paginate() {
    let s = start(&[]);
    for (name, kind) in [("d", "dataset"), ("sp", "space")] {
        let r = s
            .authed("POST", "/api/repos/create")
            .json(&json!({"name": name, "type": kind, "sdk": "static"}))
            .send();
        assert_eq!(r.status, 200, "{}", r.text());
    }
    s.create_model("m", false);
    let bob = token(&s, "bob");
    for api in [
        "/api/models/test-user/m",
        "/api/datasets/test-user/d",
        "/api/spaces/test-user/sp",
    ] {
        assert_eq!(like(&s, Some(bob), "POST", api).status, 200, "{api}");
        assert_eq!(like(&s, Some(&s.token), "POST", api).status, 200);
        assert_eq!(s.req("GET", api).send().json()["likes"], 2, "{api}");
    }
    let all = s.req("GET", "/api/users/bob/likes").send().json();
    let kinds: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["repo"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["space", "dataset", "model"], "newest first");

    // `limit` is the page size; `Link` leads to the rest.
    let mut url = format!("{}/api/users/bob/likes?limit=2", s.url);
    let mut pages = Vec::new();
    loop {
        let r = s.req_url("GET", &url).send();
        pages.push(r.json().as_array().unwrap().len());
        match r.header("link") {
            Some(l) => url = l[1..l.find('>').unwrap()].to_string(),
            None => break,
        }
    }
    assert_eq!(pages, [2, 1]);
    let r = s
        .req("GET", "/api/spaces/test-user/sp/likers?limit=1")
        .send();
    assert_eq!(users(&r.json()), ["test-user"]);
    let next = r.header("link").unwrap();
    assert!(
        next.contains("cursor=") && next.ends_with("rel=\"next\""),
        "{next}"
    );
}

#[test]
fn likes_follow_moves_and_survive_a_restart() {
    let dir = temp_dir("likes");
    let d = dir.to_str().unwrap();
    {
        let s = start(&["--data", d]);
        let repo = s.create_model("old", false);
        let bob = token(&s, "bob");
        like(&s, Some(bob), "POST", &format!("/api/models/{repo}"));
        s.req("POST", "/__admin/stats")
            .json(&json!({"repo": repo, "likes": 10, "downloads": 3}))
            .send();
        let r = s
            .authed("POST", "/api/repos/move")
            .json(&json!({"fromRepo": repo, "toRepo": "test-user/new", "type": "model"}))
            .send();
        assert_eq!(r.status, 200);
        let r = s.req("GET", "/api/models/test-user/old/likers").send();
        assert_eq!(r.status, 307, "GETs of the old name are redirected");
        s.kill();
    }
    let s = start(&["--data", d]);
    let v = s.req("GET", "/api/models/test-user/new").send().json();
    assert_eq!(
        (v["likes"].clone(), v["downloads"].clone()),
        (json!(11), json!(3))
    );
    let likes = s.req("GET", "/api/users/bob/likes").send().json();
    assert_eq!(likes[0]["repo"]["name"], "test-user/new");
    assert!(s.terminate());
    remove_dir(&dir);
}
