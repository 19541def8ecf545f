//! Tokens, private repos and the 401/404 distinctions clients map to exceptions
//! (docs/hub-protocol.md §1.8).

mod common;

use common::{add, Server};
use serde_json::json;

#[test]
fn a_private_repo_is_hidden_401_anonymous_404_to_others_visible_to_its_owner() {
    let s = Server::start(&["--user", "bob"]);
    let repo = s.create_model("secret", true);
    s.commit(&repo, "add", &[add("a.txt", b"a")]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    for path in [
        format!("/api/models/{repo}"),
        format!("/api/models/{repo}/tree/main"),
        format!("/api/models/{repo}/refs"),
        format!("/{repo}/resolve/main/a.txt"),
    ] {
        let anon = s.req("GET", &path).send();
        anon.assert_error(401, Some("RepoNotFound"), "Invalid username or password.");
        let other = s.req("GET", &path).token(&bob).send();
        other.assert_error(404, Some("RepoNotFound"), "Repository not found");
        assert_eq!(s.authed("GET", &path).send().status, 200, "{path}");
    }
    assert_eq!(
        s.authed("GET", &format!("/api/models/{repo}"))
            .send()
            .json()["private"],
        true
    );
}

#[test]
fn a_missing_repo_looks_exactly_like_a_private_one() {
    let s = Server::start(&[]);
    let r = s.req("GET", "/api/models/test-user/nope").send();
    r.assert_error(401, Some("RepoNotFound"), "Invalid username or password.");
    let r = s.authed("GET", "/test-user/nope/resolve/main/x").send();
    r.assert_error(404, Some("RepoNotFound"), "Repository not found");
}

#[test]
fn org_members_read_private_org_repos() {
    let s = Server::start(&["--user", "bob", "--org", "acme:test-user,bob"]);
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "p", "organization": "acme", "private": true}))
        .send();
    assert_eq!(r.status, 200);
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    assert_eq!(
        s.req("GET", "/api/models/acme/p").token(bob).send().status,
        200
    );
}

#[test]
fn an_unknown_token_is_401_everywhere_without_an_error_code() {
    let s = Server::start(&[]);
    let repo = s.create_model("pub", false);
    for path in [
        "/api/whoami-v2".to_string(),
        format!("/api/models/{repo}"),
        format!("/{repo}/resolve/main/.gitattributes"),
        "/no/such/route".into(),
    ] {
        let r = s.req("GET", &path).token("hf_notarealtoken").send();
        r.assert_error(401, None, "Invalid credentials in Authorization header");
    }
    let r = s
        .req("GET", "/api/whoami-v2")
        .header("authorization", "Basic Zm9vOmJhcg==")
        .send();
    assert_eq!(r.status, 401);
}

#[test]
fn whoami_describes_the_user_their_orgs_and_the_token() {
    let s = Server::start(&["--org", "acme:test-user"]);
    let r = s.authed("GET", "/api/whoami-v2").send();
    assert_eq!(r.status, 200);
    let me = r.json();
    assert_eq!(me["type"], "user");
    assert_eq!(me["name"], "test-user");
    assert_eq!(me["fullname"], "Test User");
    assert_eq!(me["email"], "test-user@localhost");
    assert_eq!(me["emailVerified"], true);
    assert_eq!(me["isPro"], false);
    assert_eq!(me["id"].as_str().unwrap().len(), 24);
    assert_eq!(me["orgs"][0]["type"], "org");
    assert_eq!(me["orgs"][0]["name"], "acme");
    assert_eq!(me["orgs"][0]["roleInOrg"], "admin");
    assert_eq!(me["auth"]["type"], "access_token");
    assert_eq!(me["auth"]["accessToken"]["role"], "write");
    assert!(me["auth"]["accessToken"]["displayName"].is_string());

    let anon = s.req("GET", "/api/whoami-v2").send();
    anon.assert_error(401, None, "Invalid username or password.");
}

#[test]
fn the_authorization_header_name_is_case_insensitive() {
    let s = Server::start(&[]);
    let r = s
        .req("GET", "/api/whoami-v2")
        .header("AUTHORIZATION", &format!("Bearer {}", s.token))
        .send();
    assert_eq!(r.status, 200);
}
