//! Fault injection (`--faults`): rules by method and path on either origin that answer a
//! status N times (429 with `Retry-After` and `RateLimit`), add latency, cut the connection
//! mid-body, end the body short of its `Content-Length`, send it slowly or corrupt it; scripted
//! through `/__admin/faults`.

mod common;

use std::time::{Duration, Instant};

use common::{lfs_file, noise, Server};
use serde_json::{json, Value};

fn add_rules(s: &Server, rules: Value) -> Vec<u64> {
    let r = s.req("POST", "/__admin/faults").json(&rules).send();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

/// A repo with an LFS file; returns the signed storage URL of its content.
fn lfs_setup(s: &Server) -> (String, Vec<u8>, String) {
    let repo = s.create_model("f", false);
    let content = noise(4000, 31);
    s.upload_lfs(&repo, &content);
    s.commit(&repo, "add", &[lfs_file("w.bin", &content)]);
    let location = s
        .req("GET", &format!("/{repo}/resolve/main/w.bin"))
        .send()
        .header("location")
        .unwrap()
        .to_string();
    (repo, content, location)
}

#[test]
fn without_the_flag_there_is_no_fault_api() {
    let s = Server::start(&[]);
    let r = s
        .req("POST", "/__admin/faults")
        .json(&json!({"path": "/**", "status": 500}))
        .send();
    r.assert_error(
        404,
        None,
        "Fault injection is disabled: start the server with --faults",
    );
}

#[test]
fn rules_are_added_listed_and_removed() {
    let s = Server::start(&["--faults"]);
    assert_eq!(
        add_rules(
            &s,
            json!({"method": "GET", "path": "/api/**", "status": 500})
        ),
        [1]
    );
    assert_eq!(
        add_rules(
            &s,
            json!([{"pathRegex": "^/objects/", "origin": "storage", "latencyMs": 10},
                   {"path": "/x", "corrupt": true, "times": 3}])
        ),
        [2, 3]
    );
    let list = s.req("GET", "/__admin/faults").send().json();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["method"], "GET");
    assert_eq!(list[0]["status"], 500);
    assert_eq!(list[1]["pathRegex"], "^/objects/");
    assert_eq!(list[2]["remaining"], 3);
    assert_eq!(list[2]["corrupt"], json!({"offset": 0, "length": 1}));
    assert_eq!(s.req("DELETE", "/__admin/faults/2").send().status, 200);
    assert_eq!(s.req("DELETE", "/__admin/faults/2").send().status, 404);
    let r = s.req("DELETE", "/__admin/faults").send().json();
    assert_eq!(r, json!({"cleared": 2}));
    assert_eq!(s.req("GET", "/__admin/faults").send().json(), json!([]));
    // Invalid rules are refused whole.
    for bad in [
        json!({"path": "/x"}),
        json!({"pathRegex": "(", "status": 500}),
        json!({"path": "/x", "pathRegex": "x", "status": 500}),
        json!({"path": "/x", "status": 500, "origin": "cdn"}),
        json!({"path": "/x", "status": 99}),
        json!({"path": "/x", "status": 500, "bogus": 1}),
    ] {
        let r = s.req("POST", "/__admin/faults").json(&bad).send();
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[test]
fn a_status_rule_answers_n_times_then_lets_requests_through() {
    let s = Server::start(&["--faults"]);
    add_rules(
        &s,
        json!({"method": "GET", "path": "/api/whoami-v2", "times": 2, "status": 503, "retryAfter": 2}),
    );
    for _ in 0..2 {
        let r = s.authed("GET", "/api/whoami-v2").send();
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("2"));
        // The body is never read, so the connection is not offered for reuse.
        assert_eq!(r.header("connection"), Some("close"));
        assert!(r.header("x-request-id").is_some());
        assert_eq!(r.json()["error"], "Injected fault: 503");
    }
    assert_eq!(s.authed("GET", "/api/whoami-v2").send().status, 200);
    // Other methods and paths were never affected.
    let list = s.req("GET", "/__admin/faults").send().json();
    assert_eq!(
        (list[0]["hits"].clone(), list[0]["remaining"].clone()),
        (json!(2), json!(0))
    );
    let log = s.admin_requests();
    let statuses: Vec<u64> = log.iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [503, 503, 200], "faults are in the request log");
}

#[test]
fn rate_limits_carry_retry_after_and_ratelimit_headers_for_their_bucket() {
    let s = Server::start(&["--faults"]);
    let repo = s.create_model("rl", false);
    add_rules(
        &s,
        json!([{"path": "/api/models/*/*/tree/**", "status": 429, "retryAfter": 7, "times": 1},
               {"path": "/*/*/resolve/**", "status": 429, "retryAfter": 3, "times": 1}]),
    );
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(r.header("ratelimit"), Some("\"api\";r=0;t=7"));
    assert_eq!(
        r.header("ratelimit-policy"),
        Some("\"fixed window\";\"api\";q=1000;w=300")
    );
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
        .send();
    assert_eq!(r.status, 429);
    assert_eq!(r.header("ratelimit"), Some("\"resolvers\";r=0;t=3"));
    assert_eq!(
        s.req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
            .send()
            .status,
        200
    );
}

#[test]
fn latency_delays_matching_requests_only() {
    let s = Server::start(&["--faults"]);
    add_rules(
        &s,
        json!({"method": "GET", "path": "/api/whoami-v2", "latencyMs": 400}),
    );
    let t = Instant::now();
    assert_eq!(s.authed("GET", "/api/whoami-v2").send().status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
    let t = Instant::now();
    s.req("GET", "/api/models").send();
    assert!(t.elapsed() < Duration::from_millis(400));
}

#[test]
fn a_cut_connection_delivers_k_bytes_then_breaks_off() {
    let s = Server::start(&["--faults"]);
    let (_, content, location) = lfs_setup(&s);
    add_rules(
        &s,
        json!({"method": "GET", "path": "/objects/*", "origin": "storage",
               "cutAfterBytes": 1000, "times": 1}),
    );
    let r = s.req_url("GET", &location).send_lossy();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("4000"));
    assert!(r.body_error.is_some(), "the body breaks off");
    assert_eq!(r.body, &content[..1000]);
    // A client resumes with a Range request, which now goes through.
    let rest = s
        .req_url("GET", &location)
        .header("Range", "bytes=1000-")
        .send();
    assert_eq!((rest.status, rest.body.as_slice()), (206, &content[1000..]));
}

#[test]
fn a_short_body_ends_before_its_content_length() {
    let s = Server::start(&["--faults"]);
    let (_, content, location) = lfs_setup(&s);
    add_rules(
        &s,
        json!({"method": "GET", "path": "/objects/*", "origin": "storage",
               "truncateAfterBytes": 1500, "times": 1}),
    );
    let r = s.req_url("GET", &location).send_lossy();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-length"),
        Some("4000"),
        "the whole length is announced"
    );
    assert!(r.body_error.is_some(), "the connection closes before it");
    assert_eq!(r.body, &content[..1500]);
    let list = s.req("GET", "/__admin/faults").send().json();
    assert_eq!(list[0]["truncateAfterBytes"], 1500);
    assert_eq!(
        s.req_url("GET", &location).send().body,
        content,
        "once only"
    );
}

#[test]
fn a_slow_body_waits_before_each_piece() {
    let s = Server::start(&["--faults"]);
    let (_, content, location) = lfs_setup(&s);
    // 4000 bytes are one piece of at most 16 KiB: one wait.
    add_rules(
        &s,
        json!({"path": "/objects/*", "bodyDelayMs": 300, "times": 1}),
    );
    let t = Instant::now();
    let r = s.req_url("GET", &location).send();
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    assert_eq!((r.status, r.body), (200, content));
}

#[test]
fn corruption_flips_the_bytes_of_a_window() {
    let s = Server::start(&["--faults"]);
    let (_, content, location) = lfs_setup(&s);
    add_rules(
        &s,
        json!({"path": "/objects/*", "corrupt": {"offset": 10, "length": 3}, "times": 1}),
    );
    let r = s.req_url("GET", &location).send();
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), content.len(), "same length");
    let differ: Vec<usize> = (0..content.len())
        .filter(|&i| r.body[i] != content[i])
        .collect();
    assert_eq!(differ, [10, 11, 12]);
    assert_eq!(r.body[10], !content[10]);
    assert_eq!(
        s.req_url("GET", &location).send().body,
        content,
        "once only"
    );
}

#[test]
fn rules_can_target_one_origin_and_match_paths_by_regex() {
    let s = Server::start(&["--faults"]);
    let (repo, _, location) = lfs_setup(&s);
    add_rules(
        &s,
        json!({"pathRegex": "^/objects/[0-9a-f]{64}$", "origin": "storage", "status": 500}),
    );
    assert_eq!(s.req_url("GET", &location).send().status, 500);
    // The Hub origin's resolve is untouched.
    let r = s.req("GET", &format!("/{repo}/resolve/main/w.bin")).send();
    assert_eq!(r.status, 302);
    // Preflights never match a `*` method.
    let pre = s
        .req_url("OPTIONS", &location)
        .header("Origin", "http://x")
        .send();
    assert_eq!(pre.status, 204);
}

#[test]
fn faults_apply_to_uploads_too() {
    let s = Server::start(&["--faults"]);
    let repo = s.create_model("up", false);
    add_rules(
        &s,
        json!({"method": "PUT", "path": "/upload/*", "status": 500, "times": 1}),
    );
    let content = noise(100, 32);
    let href = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let put = || {
        s.req_url("PUT", &href)
            .body("application/octet-stream", &content)
            .send()
    };
    assert_eq!(put().status, 500);
    assert_eq!(put().status, 200, "a retry succeeds");
}
