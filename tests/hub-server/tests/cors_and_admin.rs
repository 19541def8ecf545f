//! Browser support (CORS, preflight), request ids, and the `/__admin/requests` log.

mod common;

use std::collections::HashSet;

use common::Server;
use serde_json::json;

const EXPOSED: &str = "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,Content-Length,X-Linked-Size,X-Linked-Etag,X-Xet-Hash,RateLimit,RateLimit-Policy,Retry-After";

#[test]
fn preflight_on_any_path_is_204_and_echoes_origin_and_headers() {
    let s = Server::start(&[]);
    for path in ["/api/models/a/b/commit/main", "/anything/at/all"] {
        let r = s
            .req("OPTIONS", path)
            .header("Origin", "http://localhost:5173")
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type,range",
            )
            .send();
        assert_eq!(r.status, 204);
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("http://localhost:5173")
        );
        assert_eq!(
            r.header("access-control-allow-methods"),
            Some("GET,HEAD,POST,PUT,DELETE,OPTIONS")
        );
        assert_eq!(
            r.header("access-control-allow-headers"),
            Some("authorization,content-type,range")
        );
        assert_eq!(r.header("access-control-max-age"), Some("86400"));
        assert_eq!(r.header("vary"), Some("Origin"));
    }
}

#[test]
fn responses_to_browsers_expose_the_hub_headers_even_on_errors() {
    let s = Server::start(&[]);
    let repo = s.create_model("c", false);
    for path in [
        format!("/{repo}/resolve/main/.gitattributes"),
        format!("/{repo}/resolve/main/missing"),
    ] {
        let r = s
            .req("GET", &path)
            .header("Origin", "https://example.org")
            .send();
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("https://example.org")
        );
        assert_eq!(r.header("access-control-expose-headers"), Some(EXPOSED));
        assert_eq!(r.header("vary"), Some("Origin"));
    }
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
        .send();
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn every_response_has_a_unique_request_id() {
    let s = Server::start(&[]);
    let ids: HashSet<String> = (0..5)
        .map(|i| {
            let path = if i % 2 == 0 {
                "/api/whoami-v2"
            } else {
                "/nowhere"
            };
            s.req("GET", path)
                .send()
                .header("x-request-id")
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 5);
}

#[test]
fn the_admin_log_records_requests_and_can_be_cleared() {
    let s = Server::start(&[]);
    s.create_model("logged", false);
    s.req(
        "GET",
        "/test-user/logged/resolve/main/.gitattributes?download=true",
    )
    .header("Range", "bytes=0-3")
    .send();
    s.req("GET", "/__admin/requests").send();
    let log = s.admin_requests();
    assert_eq!(
        log,
        vec![
            json!({"origin": "hub", "method": "POST", "path": "/api/repos/create", "query": null, "status": 200, "auth": true, "range": null}),
            json!({"origin": "hub", "method": "GET", "path": "/test-user/logged/resolve/main/.gitattributes", "query": "download=true", "status": 206, "auth": false, "range": "bytes=0-3"}),
        ]
    );
    assert_eq!(s.req("DELETE", "/__admin/requests").send().status, 200);
    assert!(s.admin_requests().is_empty());
}
