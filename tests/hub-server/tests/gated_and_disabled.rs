//! Gated repos (content needs ownership, membership or a grant; 401/403 with `GatedRepo`),
//! disabled repos (403 `Access to this resource is disabled.` for everyone), and settings.

mod common;

use common::{add, lfs_file, noise, sha256_hex, Server};
use serde_json::json;

const ANON_GATED: &str = "Access to model test-user/gated is restricted. You must have access to it and be authenticated to access it. Please log in.";

fn gate(s: &Server, repo: &str, mode: serde_json::Value) -> common::Resp {
    s.authed("PUT", &format!("/api/models/{repo}/settings"))
        .json(&json!({"gated": mode}))
        .send()
}

#[test]
fn gated_content_needs_a_login_and_a_grant_but_metadata_does_not() {
    let s = Server::start(&["--user", "bob"]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let repo = s.create_model("gated", false);
    s.commit(&repo, "add", &[add("a.txt", b"secret")]);
    let r = gate(&s, &repo, json!("manual"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"private": false, "gated": "manual"}));

    let info = s.req("GET", &format!("/api/models/{repo}")).send();
    assert_eq!(info.status, 200, "metadata stays public");
    assert_eq!(info.json()["gated"], "manual");
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}/tree/main"))
            .send()
            .status,
        200
    );

    let file = format!("/{repo}/resolve/main/a.txt");
    s.req("GET", &file)
        .send()
        .assert_error(401, Some("GatedRepo"), ANON_GATED);
    let r = s.req("HEAD", &file).token(&bob).send();
    assert_eq!(r.status, 403);
    assert_eq!(r.header("x-error-code"), Some("GatedRepo"));
    let msg = r.header("x-error-message").unwrap();
    assert!(
        msg.starts_with("Access to model test-user/gated is restricted and you are not in the authorized list. Visit http://127.0.0.1:"),
        "{msg}"
    );
    assert_eq!(
        s.authed("GET", &file).send().body,
        b"secret",
        "the owner passes"
    );

    // The owner grants access through the API (or a test through the admin endpoint).
    let r = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/user-access-request/grant"),
        )
        .json(&json!({"user": "bob"}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.req("GET", &file).token(&bob).send().body, b"secret");

    // Ungating opens the content to everyone.
    assert_eq!(gate(&s, &repo, json!(false)).json()["gated"], false);
    assert_eq!(s.req("GET", &file).send().status, 200);
}

#[test]
fn org_members_and_admin_grants_pass_the_gate() {
    let s = Server::start(&[
        "--user",
        "bob",
        "--user",
        "carol",
        "--org",
        "acme:test-user,bob",
    ]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let carol = s.line["tokens"]["carol"].as_str().unwrap().to_string();
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "m", "organization": "acme"}))
        .send();
    assert_eq!(r.status, 200);
    s.commit("acme/m", "add", &[add("a.txt", b"x")]);
    assert_eq!(gate(&s, "acme/m", json!("auto")).status, 200);
    let file = "/acme/m/resolve/main/a.txt";
    assert_eq!(s.req("GET", file).token(&bob).send().status, 200, "member");
    assert_eq!(s.req("GET", file).token(&carol).send().status, 403);
    let r = s
        .req("POST", "/__admin/grant")
        .json(&json!({"repo": "acme/m", "type": "model", "user": "carol"}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(s.req("GET", file).token(&carol).send().status, 200);
    let r = s
        .req("POST", "/__admin/grant")
        .json(&json!({"repo": "acme/m", "user": "nobody"}))
        .send();
    assert_eq!(r.status, 404);
}

#[test]
fn the_gate_also_guards_lfs_downloads() {
    let s = Server::start(&["--user", "bob"]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let repo = s.create_model("gated", false);
    let content = noise(100, 41);
    s.upload_lfs(&repo, &content);
    s.commit(&repo, "add", &[lfs_file("w.bin", &content)]);
    gate(&s, &repo, json!("auto"));
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/w.bin"))
        .token(&bob)
        .send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (403, Some("GatedRepo"))
    );
    let r = s
        .req("POST", &format!("/{repo}.git/info/lfs/objects/batch"))
        .body(
            "application/vnd.git-lfs+json",
            json!({"operation": "download",
                   "objects": [{"oid": sha256_hex(&content), "size": 100}]})
            .to_string()
            .as_bytes(),
        )
        .send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (401, Some("GatedRepo"))
    );
}

#[test]
fn a_disabled_repo_is_403_for_everyone() {
    let s = Server::start(&[]);
    let repo = s.create_model("off", false);
    let r = s
        .req("POST", "/__admin/disable")
        .json(&json!({"repo": repo, "type": "model"}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    for path in [
        format!("/api/models/{repo}"),
        format!("/{repo}/resolve/main/.gitattributes"),
        format!("/api/models/{repo}/tree/main"),
    ] {
        for authed in [false, true] {
            let req = s.req("GET", &path);
            let req = if authed { req.token(&s.token) } else { req };
            req.send()
                .assert_error(403, None, "Access to this resource is disabled.");
        }
    }
    let r = s.commit(&repo, "no", &[add("a", b"a")]);
    assert_eq!(r.status, 403);
    // Listed, and flagged, where listings show it.
    let list = s.req("GET", "/api/models?full=true").send().json();
    assert_eq!(list[0]["disabled"], true);
    s.req("POST", "/__admin/disable")
        .json(&json!({"repo": repo, "disabled": false}))
        .send();
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}")).send().status,
        200
    );
}

#[test]
fn settings_change_visibility_and_refuse_nonsense() {
    let s = Server::start(&["--token", "reader:hf_reader:read"]);
    let repo = s.create_model("vis", false);
    let put = |body: serde_json::Value| {
        s.authed("PUT", &format!("/api/models/{repo}/settings"))
            .json(&body)
            .send()
    };
    assert_eq!(put(json!({"private": true})).status, 200);
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}")).send().status,
        401
    );
    assert_eq!(put(json!({"visibility": "public"})).status, 200);
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}")).send().status,
        200
    );
    assert_eq!(put(json!({"visibility": "secret"})).status, 400);
    assert_eq!(put(json!({"gated": "sometimes"})).status, 400);
    assert_eq!(put(json!({"gated": true})).status, 400);
    assert_eq!(put(json!({})).status, 400);
    let r = s
        .req("PUT", &format!("/api/models/{repo}/settings"))
        .token("hf_reader")
        .json(&json!({"private": true}))
        .send();
    assert_eq!(r.status, 403, "read tokens cannot write");
}

#[test]
fn every_response_of_both_origins_has_a_request_id() {
    let s = Server::start(&[]);
    for url in [
        format!("{}/api/whoami-v2", s.url),
        format!("{}/nowhere", s.storage_url),
        format!("{}/objects/{}", s.storage_url, "a".repeat(64)),
    ] {
        let r = s.req_url("GET", &url).send();
        assert!(r.header("x-request-id").is_some(), "{url}");
    }
}

#[test]
fn auth_check_reports_read_and_write_access() {
    let s = Server::start(&["--user", "bob", "--token", "reader:hf_reader:read"]);
    let bob = s.line["tokens"]["bob"].as_str().unwrap().to_string();
    let repo = s.create_model("gated", false);
    let read = format!("/api/models/{repo}/auth-check");
    let write = format!("{read}/write");
    assert_eq!(s.authed("GET", &read).send().status, 200);
    assert_eq!(s.authed("GET", &write).send().status, 200);
    assert_eq!(s.req("GET", &read).token(&bob).send().status, 200);
    assert_eq!(s.req("GET", &write).token(&bob).send().status, 403);
    assert_eq!(s.req("GET", &write).token("hf_reader").send().status, 403);
    gate(&s, &repo, json!("auto"));
    let r = s.req("GET", &read).token(&bob).send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (403, Some("GatedRepo"))
    );
    let r = s
        .req("GET", "/api/models/test-user/missing/auth-check")
        .send();
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
}
