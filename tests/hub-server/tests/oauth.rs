//! The OAuth provider: discovery, the consent page and automatic consent, codes with PKCE (single
//! use, bound to client and redirect URI), tokens whose scopes decide what they may do, expiry,
//! and userinfo.

mod common;

use base64::Engine;
use common::Server;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-verifier-of-at-least-forty-three-characters-0123456789";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn admin(s: &Server, body: Value) {
    let r = s.req("POST", "/__admin/oauth").json(&body).send();
    assert_eq!(r.status, 200, "{}", r.text());
}

fn enc(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// `GET /oauth/authorize` for the default app; returns the response (a 303 or a page).
fn authorize(s: &Server, redirect: &str, scope: &str, challenge: Option<&str>) -> common::Resp {
    let mut q = format!(
        "/oauth/authorize?client_id=hubwasm-local&response_type=code&redirect_uri={}&scope={}&state={}",
        enc(redirect),
        enc(scope),
        enc("{\"nonce\":\"n1\"}")
    );
    if let Some(c) = challenge {
        q.push_str(&format!("&code_challenge={c}&code_challenge_method=S256"));
    }
    s.req("GET", &q).send()
}

/// The query parameters of a 303's Location.
fn location_params(r: &common::Resp) -> Vec<(String, String)> {
    assert_eq!(r.status, 303, "{}", r.text());
    let loc = r.header("location").expect("location");
    let query = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
}

fn exchange(s: &Server, code: &str, redirect: &str, verifier: &str) -> common::Resp {
    let body = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={verifier}",
        enc(redirect)
    );
    s.req("POST", "/oauth/token")
        .body("application/x-www-form-urlencoded", body.as_bytes())
        .send()
}

#[test]
fn discovery_names_the_endpoints() {
    let s = Server::start(&[]);
    let d = s
        .req("GET", "/.well-known/openid-configuration")
        .send()
        .json();
    assert_eq!(d["issuer"], json!(s.url));
    for (k, path) in [
        ("authorization_endpoint", "/oauth/authorize"),
        ("token_endpoint", "/oauth/token"),
        ("userinfo_endpoint", "/oauth/userinfo"),
    ] {
        assert_eq!(d[k], json!(format!("{}{path}", s.url)));
    }
    assert_eq!(d["code_challenge_methods_supported"], json!(["S256"]));
}

#[test]
fn the_consent_page_lists_the_users_and_its_answer_comes_back_with_a_code() {
    let s = Server::start(&["--user", "other-user"]);
    let redirect = "http://127.0.0.1:5173/callback";
    let page = authorize(&s, redirect, "openid profile", Some(&challenge(VERIFIER)));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("Sign in as test-user") && html.contains("Sign in as other-user"),
        "{html}"
    );
    // The page's form, as a browser posts it.
    let form = format!(
        "client_id=hubwasm-local&response_type=code&redirect_uri={}&scope=openid+profile&state=s&code_challenge={}&code_challenge_method=S256&decision=allow&user=other-user",
        enc(redirect),
        challenge(VERIFIER)
    );
    let r = s
        .req("POST", "/oauth/authorize")
        .body("application/x-www-form-urlencoded", form.as_bytes())
        .send();
    let p = location_params(&r);
    assert!(
        r.header("location")
            .unwrap()
            .starts_with(&format!("{redirect}?code=")),
        "code first"
    );
    assert_eq!(param(&p, "state"), Some("s"));
    let t = exchange(&s, param(&p, "code").unwrap(), redirect, VERIFIER).json();
    let who = s
        .req("GET", "/oauth/userinfo")
        .token(t["access_token"].as_str().unwrap())
        .send()
        .json();
    assert_eq!(who["preferred_username"], json!("other-user"));
    let picture = who["picture"]
        .as_str()
        .unwrap()
        .strip_prefix(&s.url)
        .unwrap()
        .to_string();
    let avatar = s.req("GET", &picture).send();
    assert_eq!(
        (avatar.status, avatar.header("content-type")),
        (200, Some("image/svg+xml"))
    );
    // Cancel: access_denied with the state, no code.
    let deny = form.replace("decision=allow", "decision=deny");
    let r = s
        .req("POST", "/oauth/authorize")
        .body("application/x-www-form-urlencoded", deny.as_bytes())
        .send();
    let p = location_params(&r);
    assert_eq!(
        (param(&p, "error"), param(&p, "state"), param(&p, "code")),
        (Some("access_denied"), Some("s"), None)
    );
}

#[test]
fn a_code_with_pkce_gives_a_token_once_and_its_scopes_decide_writes() {
    let s = Server::start(&[]);
    admin(&s, json!({"autoApprove": "test-user"}));
    let redirect = "http://localhost:41000/";
    // Read-only scopes: the token reads, and cannot create a repo (403).
    let p = location_params(&authorize(
        &s,
        redirect,
        "openid profile read-repos",
        Some(&challenge(VERIFIER)),
    ));
    let code = param(&p, "code").unwrap().to_string();
    assert_eq!(
        exchange(
            &s,
            &code,
            redirect,
            "wrong-verifier-wrong-verifier-wrong-verifier-0"
        )
        .status,
        400
    );
    let r = exchange(&s, &code, redirect, VERIFIER);
    assert_eq!(r.status, 200, "{}", r.text());
    let t = r.json();
    let token = t["access_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("hf_oauth_"));
    assert_eq!(
        (
            t["token_type"].clone(),
            t["expires_in"].clone(),
            t["scope"].clone()
        ),
        (
            json!("bearer"),
            json!(28800),
            json!("openid profile read-repos")
        )
    );
    assert_eq!(
        s.req("GET", "/api/whoami-v2").token(&token).send().json()["name"],
        json!("test-user")
    );
    let create = |tok: &str, name: &str| {
        s.req("POST", "/api/repos/create")
            .token(tok)
            .json(&json!({"name": name}))
            .send()
            .status
    };
    assert_eq!(create(&token, "oauth-read"), 403);
    // The code is single-use: a second exchange fails and revokes the first token.
    let again = exchange(&s, &code, redirect, VERIFIER);
    assert_eq!(
        (again.status, again.json()["error"].clone()),
        (400, json!("invalid_grant"))
    );
    assert_eq!(
        s.req("GET", "/api/whoami-v2").token(&token).send().status,
        401
    );
    // write-repos writes into existing repos; creating one needs manage-repos too.
    let token_for = |scope: &str| {
        let p = location_params(&authorize(&s, redirect, scope, Some(&challenge(VERIFIER))));
        let t = exchange(&s, param(&p, "code").unwrap(), redirect, VERIFIER).json();
        t["access_token"].as_str().unwrap().to_string()
    };
    let writer = token_for("openid write-repos");
    assert_eq!(create(&writer, "oauth-write"), 403);
    let repo = s.create_model("oauth-target", true);
    let op =
        json!({"key": "file", "value": {"path": "a.txt", "content": "aGk=", "encoding": "base64"}});
    let commit = s
        .req("POST", &format!("/api/models/{repo}/commit/main"))
        .token(&writer)
        .ndjson(&json!({"summary": "from an app"}), &[op])
        .send();
    assert_eq!(commit.status, 200, "{}", commit.text());
    assert_eq!(
        create(
            &token_for("openid write-repos manage-repos"),
            "oauth-manage"
        ),
        200
    );
    // A private repo is read with read-repos (or a write scope), not with profile alone.
    let info = |tok: &str| {
        s.req("GET", &format!("/api/models/{repo}"))
            .token(tok)
            .send()
            .status
    };
    assert_eq!(info(&token_for("openid profile")), 404);
    assert_eq!(info(&token_for("openid read-repos")), 200);
}

#[test]
fn bad_requests_are_refused_where_the_hub_refuses_them() {
    let s = Server::start(&[]);
    admin(&s, json!({"autoApprove": "test-user"}));
    let c = challenge(VERIFIER);
    // An unknown redirect URI or client: a 400 page, never a redirect.
    assert_eq!(
        authorize(&s, "http://evil.example/cb", "openid", Some(&c)).status,
        400
    );
    assert_eq!(
        authorize(&s, "http://127.0.0.1:9/elsewhere", "openid", Some(&c)).status,
        400
    );
    let unknown = s
        .req(
            "GET",
            "/oauth/authorize?client_id=nope&redirect_uri=http%3A%2F%2F127.0.0.1%2F",
        )
        .send();
    assert_eq!(unknown.status, 400);
    // No PKCE from a public client, an unknown scope: back to the app with the error.
    let p = location_params(&authorize(&s, "http://127.0.0.1:9/", "openid", None));
    assert_eq!(param(&p, "error"), Some("invalid_request"));
    let p = location_params(&authorize(
        &s,
        "http://127.0.0.1:9/",
        "openid admin",
        Some(&c),
    ));
    assert_eq!(param(&p, "error"), Some("invalid_scope"));
    // The exchange must name the same redirect URI.
    let p = location_params(&authorize(&s, "http://127.0.0.1:9/", "openid", Some(&c)));
    let r = exchange(
        &s,
        param(&p, "code").unwrap(),
        "http://127.0.0.1:10/",
        VERIFIER,
    );
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("invalid_grant"))
    );
    // Automatic denial.
    admin(&s, json!({"deny": true}));
    let p = location_params(&authorize(&s, "http://127.0.0.1:9/", "openid", Some(&c)));
    assert_eq!(param(&p, "error"), Some("access_denied"));
}

#[test]
fn an_expired_token_is_refused() {
    let s = Server::start(&[]);
    admin(
        &s,
        json!({"autoApprove": "test-user", "tokenLifetimeSecs": 3}),
    );
    let p = location_params(&authorize(
        &s,
        "http://127.0.0.1/",
        "openid profile",
        Some(&challenge(VERIFIER)),
    ));
    let t = exchange(
        &s,
        param(&p, "code").unwrap(),
        "http://127.0.0.1/",
        VERIFIER,
    )
    .json();
    let token = t["access_token"].as_str().unwrap();
    assert_eq!(t["expires_in"], json!(3));
    assert_eq!(
        s.req("GET", "/oauth/userinfo").token(token).send().status,
        200
    );
    std::thread::sleep(std::time::Duration::from_millis(3100));
    assert_eq!(
        s.req("GET", "/oauth/userinfo").token(token).send().status,
        401
    );
    assert_eq!(
        s.req("GET", "/api/whoami-v2").token(token).send().status,
        401
    );
}
