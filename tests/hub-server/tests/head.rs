//! `HEAD` is answered wherever `GET` is, on both origins: same status and headers, no body.

mod common;

use common::{add, lfs_file, noise, Server};

#[test]
fn head_mirrors_get_without_a_body() {
    let s = Server::start(&["--faults"]);
    let repo = s.create_model("h", false);
    let content = noise(700, 71);
    s.upload_lfs(&repo, &content);
    s.commit(
        &repo,
        "add",
        &[add("a.txt", b"a"), lfs_file("w.bin", &content)],
    );
    let pr = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=1"),
        )
        .ndjson(&serde_json::json!({"summary": "pr"}), &[add("b", b"b")])
        .send();
    assert_eq!(pr.status, 200);
    let location = s
        .req("GET", &format!("/{repo}/resolve/main/w.bin"))
        .send()
        .header("location")
        .unwrap()
        .to_string();
    let paths = [
        "/api/whoami-v2".to_string(),
        "/api/models".to_string(),
        format!("/api/models/{repo}"),
        format!("/api/models/{repo}/revision/main"),
        format!("/api/models/{repo}/refs"),
        format!("/api/models/{repo}/tree/main"),
        format!("/api/models/{repo}/commits/main"),
        format!("/api/models/{repo}/discussions"),
        format!("/api/models/{repo}/discussions/1"),
        format!("/{repo}/resolve/main/a.txt"),
        format!("/{repo}/resolve/main/w.bin"),
        format!("/{repo}/raw/main/w.bin"),
        format!("/{repo}/resolve/main/missing"),
        "/__admin/requests".to_string(),
        "/__admin/faults".to_string(),
    ];
    for path in paths {
        let get = s.authed("GET", &path).send();
        let head = s.authed("HEAD", &path).send();
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}");
        for h in [
            "content-type",
            "etag",
            "x-repo-commit",
            "x-error-code",
            "x-total-count",
        ] {
            assert_eq!(head.header(h), get.header(h), "{h} of {path}");
        }
        if get.status == 200 && path != "/__admin/requests" {
            assert_eq!(
                head.header("content-length"),
                Some(get.body.len().to_string().as_str()),
                "{path}"
            );
        }
    }
    let get = s.req_url("GET", &location).send();
    let head = s.req_url("HEAD", &location).send();
    assert_eq!((head.status, head.body.len()), (200, 0));
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-length"), Some("700"));
}
