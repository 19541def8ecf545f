//! resolve/raw: headers, byte ranges, HEAD, revisions in every accepted spelling, 404s.

mod common;

use common::{add, Server};
use serde_json::json;

/// 1024 bytes: 0..=255 four times; git blob id from `git hash-object`.
fn bytes() -> Vec<u8> {
    (0..4).flat_map(|_| 0u8..=255).collect()
}
const BYTES_SHA1: &str = "c8b49c8cd518e58491924bfc364ff26e01a85009";

fn setup() -> (Server, String, String) {
    let s = Server::start(&[]);
    let repo = s.create_model("dl", false);
    let r = s.commit(
        &repo,
        "add",
        &[
            add("data.bin", &bytes()),
            add("notes.md", b"# hi\n"),
            add("cfg.json", b"{}"),
        ],
    );
    let oid = r.json()["commitOid"].as_str().unwrap().to_string();
    (s, repo, oid)
}

#[test]
fn a_full_get_has_hub_metadata_headers() {
    let (s, repo, oid) = setup();
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/data.bin"))
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.body, bytes());
    assert_eq!(r.header("etag"), Some(format!("\"{BYTES_SHA1}\"").as_str()));
    assert_eq!(r.header("x-repo-commit"), Some(oid.as_str()));
    assert_eq!(r.header("content-length"), Some("1024"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(r.header("content-disposition"), None);
    let md = s
        .req("GET", &format!("/{repo}/resolve/main/notes.md"))
        .send();
    assert_eq!(md.header("content-type"), Some("text/plain; charset=utf-8"));
    let js = s
        .req(
            "GET",
            &format!("/{repo}/resolve/main/cfg.json?download=true"),
        )
        .send();
    assert_eq!(js.header("content-type"), Some("application/json"));
    assert_eq!(
        js.header("content-disposition"),
        Some("attachment; filename*=UTF-8''cfg.json; filename=\"cfg.json\"")
    );
}

#[test]
fn head_has_the_same_headers_and_no_body() {
    let (s, repo, oid) = setup();
    let r = s
        .req("HEAD", &format!("/{repo}/resolve/main/data.bin"))
        .send();
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some("1024"));
    assert_eq!(r.header("etag"), Some(format!("\"{BYTES_SHA1}\"").as_str()));
    assert_eq!(r.header("x-repo-commit"), Some(oid.as_str()));
}

#[test]
fn single_ranges_are_206_with_content_range() {
    let (s, repo, _) = setup();
    let path = format!("/{repo}/resolve/main/data.bin");
    let all = bytes();
    for (range, a, b) in [
        ("bytes=0-0", 0, 0),
        ("bytes=10-19", 10, 19),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=1020-5000", 1020, 1023),
    ] {
        let r = s.req("GET", &path).header("Range", range).send();
        assert_eq!(r.status, 206, "{range}");
        assert_eq!(
            r.header("content-range"),
            Some(format!("bytes {a}-{b}/1024").as_str())
        );
        assert_eq!(r.body, all[a..=b], "{range}");
        assert_eq!(
            r.header("content-length"),
            Some((b - a + 1).to_string().as_str())
        );
    }
}

#[test]
fn unsatisfiable_ranges_are_416_and_multi_ranges_get_the_whole_file() {
    let (s, repo, _) = setup();
    let path = format!("/{repo}/resolve/main/data.bin");
    for range in ["bytes=1024-", "bytes=5000-6000", "bytes=-0"] {
        let r = s.req("GET", &path).header("Range", range).send();
        assert_eq!(r.status, 416, "{range}");
        assert_eq!(r.header("content-range"), Some("bytes */1024"));
    }
    let r = s.req("GET", &path).header("Range", "bytes=0-1,4-5").send();
    assert_eq!((r.status, r.body.len()), (200, 1024));
}

#[test]
fn raw_serves_regular_files_like_resolve() {
    let (s, repo, _) = setup();
    let r = s.req("GET", &format!("/{repo}/raw/main/data.bin")).send();
    assert_eq!(r.body, bytes());
    assert_eq!(r.header("etag"), Some(format!("\"{BYTES_SHA1}\"").as_str()));
}

#[test]
fn a_missing_file_is_entry_not_found_with_the_commit() {
    let (s, repo, oid) = setup();
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/nope.bin"))
        .send();
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-error-code"), Some("EntryNotFound"));
    assert_eq!(r.header("x-repo-commit"), Some(oid.as_str()));
    let r = s
        .req("HEAD", &format!("/{repo}/resolve/main/nope.bin"))
        .send();
    assert_eq!(r.header("x-repo-commit"), Some(oid.as_str()));
}

#[test]
fn an_unknown_revision_is_revision_not_found() {
    let (s, repo, _) = setup();
    let r = s.req("GET", &format!("/{repo}/resolve/v9/data.bin")).send();
    r.assert_error(404, Some("RevisionNotFound"), "Invalid rev id: v9");
}

#[test]
fn revisions_resolve_by_commit_id_branch_and_pr_ref() {
    let (s, repo, oid) = setup();
    let get = |rev: &str| {
        s.req("GET", &format!("/{repo}/resolve/{rev}/cfg.json"))
            .send()
    };
    assert_eq!(get(&oid).header("x-repo-commit"), Some(oid.as_str()));
    assert_eq!(get("main").status, 200);

    let r = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=true"),
        )
        .ndjson(&json!({"summary": "pr"}), &[add("cfg.json", b"{\"pr\":1}")])
        .send();
    let pr_oid = r.json()["commitOid"].as_str().unwrap().to_string();
    for rev in ["refs%2Fpr%2F1", "refs/pr/1"] {
        let r = get(rev);
        assert_eq!(r.body, b"{\"pr\":1}", "{rev}");
        assert_eq!(r.header("x-repo-commit"), Some(pr_oid.as_str()));
    }
    let r = get("refs%252Fpr%252F1");
    r.assert_error(
        404,
        Some("RevisionNotFound"),
        "Invalid rev id: refs%2Fpr%2F1",
    );
    let tree = s
        .req("GET", &format!("/api/models/{repo}/tree/refs%252Fpr%252F1"))
        .send();
    assert_eq!(tree.header("x-error-code"), Some("RevisionNotFound"));
}

#[test]
fn dataset_and_space_files_live_under_their_prefix() {
    let s = Server::start(&[]);
    s.authed("POST", "/api/repos/create")
        .json(&json!({"name": "ds", "type": "dataset"}))
        .send();
    let r = s
        .authed("POST", "/api/datasets/test-user/ds/commit/main")
        .ndjson(&json!({"summary": "add"}), &[add("train.csv", b"a,b\n")])
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["commitUrl"]
            .as_str()
            .unwrap()
            .split("/commit/")
            .next()
            .unwrap(),
        format!("{}/datasets/test-user/ds", s.url)
    );
    assert_eq!(
        s.req("GET", "/datasets/test-user/ds/resolve/main/train.csv")
            .send()
            .body,
        b"a,b\n"
    );
    let r = s.req("GET", "/test-user/ds/resolve/main/train.csv").send();
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
}
