//! `--data DIR`: state and blobs survive a restart, including a hard kill.

mod common;

use common::{add, lfs_file, noise, remove_dir, sha256_hex, temp_dir, Server};
use serde_json::json;

#[test]
fn repos_commits_files_and_the_token_survive_a_restart() {
    let dir = temp_dir("persist");
    let d = dir.to_str().unwrap();
    let (token, head) = {
        let s = Server::start(&["--data", d]);
        let repo = s.create_model("kept", true);
        s.commit(
            &repo,
            "add",
            &[add("big.dat", &vec![7u8; 300_000]), add("x/y.txt", b"y")],
        );
        let head = s.head(&repo);
        let token = s.token.clone();
        // Killed (SIGKILL), so nothing relies on a clean exit.
        s.kill();
        (token, head)
    };
    assert!(dir.join("state.json").is_file());
    assert!(dir.join("blobs").read_dir().unwrap().count() >= 3);

    let s = Server::start(&["--data", d]);
    assert_eq!(s.token, token, "the seeded token is reused");
    assert_eq!(s.head("test-user/kept"), head);
    let r = s
        .authed("GET", "/test-user/kept/resolve/main/big.dat")
        .send();
    assert_eq!(r.body, vec![7u8; 300_000]);
    let r = s
        .authed("GET", "/test-user/kept/resolve/main/big.dat")
        .header("Range", "bytes=299990-")
        .send();
    assert_eq!((r.status, r.body.len()), (206, 10));
    assert_eq!(
        s.authed("GET", "/test-user/kept/resolve/main/x/y.txt")
            .send()
            .body,
        b"y"
    );
    assert_eq!(
        s.req("GET", "/api/models/test-user/kept").send().status,
        401,
        "still private"
    );
    assert!(s.terminate());
    remove_dir(&dir);
}

#[test]
fn refs_prs_discussions_lfs_objects_settings_and_signed_urls_survive_a_restart() {
    let dir = temp_dir("persist-all");
    let d = dir.to_str().unwrap();
    // Storage URLs name their port: keep it so URLs handed out before the restart still work.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port().to_string()
    };
    let flags = [
        "--data",
        d,
        "--storage-port",
        &port,
        "--user",
        "bob",
        "--multipart-threshold",
        "100",
        "--chunk-size",
        "60",
    ];
    let committed = noise(5000, 51);
    let pending = noise(120, 52);
    let (location, part2_url, part1_etag, repo_head) = {
        let s = Server::start(&flags);
        let repo = s.create_model("kept", false);
        s.upload_lfs(&repo, &committed);
        s.commit(&repo, "lfs", &[lfs_file("w.bin", &committed)]);
        s.authed("POST", &format!("/api/models/{repo}/branch/dev"))
            .json(&json!({}))
            .send();
        s.authed("POST", &format!("/api/models/{repo}/tag/main"))
            .json(&json!({"tag": "v1"}))
            .send();
        s.authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=1"),
        )
        .ndjson(&json!({"summary": "pr"}), &[add("p", b"p")])
        .send();
        s.authed("POST", &format!("/api/models/{repo}/discussions"))
            .json(&json!({"title": "hello"}))
            .send();
        s.authed("PUT", &format!("/api/models/{repo}/settings"))
            .json(&json!({"gated": "manual"}))
            .send();
        s.req("POST", "/__admin/grant")
            .json(&json!({"repo": repo, "user": "bob"}))
            .send();
        s.create_model("moved", false);
        s.authed("POST", "/api/repos/move")
            .json(&json!({"fromRepo": "test-user/moved", "toRepo": "test-user/renamed", "type": "model"}))
            .send();
        // A multipart upload left half done: part 1 of 2 is in.
        let upload =
            s.lfs_batch(&repo, &[&pending]).json()["objects"][0]["actions"]["upload"].clone();
        let r = s
            .req_url("PUT", upload["header"]["00001"].as_str().unwrap())
            .body("application/octet-stream", &pending[..60])
            .send();
        let etag = r.header("etag").unwrap().to_string();
        let location = s
            .authed("GET", &format!("/{repo}/resolve/main/w.bin"))
            .send()
            .header("location")
            .unwrap()
            .to_string();
        let head = s.head(&repo);
        let part2 = (
            upload["header"]["00002"].as_str().unwrap().to_string(),
            upload["href"].as_str().unwrap().to_string(),
        );
        s.kill();
        (location, part2, etag, head)
    };

    let s = Server::start(&flags);
    let repo = "test-user/kept";
    assert_eq!(s.head(repo), repo_head);
    let refs = s
        .authed("GET", &format!("/api/models/{repo}/refs?include_prs=1"))
        .send()
        .json();
    assert_eq!(refs["branches"].as_array().unwrap().len(), 2);
    assert_eq!(refs["tags"][0]["name"], "v1");
    assert_eq!(refs["pullRequests"][0]["ref"], "refs/pr/1");
    let list = s
        .req("GET", &format!("/api/models/{repo}/discussions"))
        .send()
        .json();
    assert_eq!(list["count"], 2);
    let info = s.req("GET", &format!("/api/models/{repo}")).send().json();
    assert_eq!(info["gated"], "manual");
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    let r = s
        .req("GET", &format!("/{repo}/raw/main/w.bin"))
        .token(bob)
        .send();
    assert_eq!(r.status, 200, "bob's grant is kept");
    let r = s.req("GET", "/api/models/test-user/moved").send();
    assert_eq!(r.header("location"), Some("/api/models/test-user/renamed"));

    // The object, and a storage URL handed out before the restart, still work.
    let r = s.req_url("GET", &location).send();
    assert_eq!((r.status, r.body), (200, committed.clone()));
    assert!(s.lfs_batch(repo, &[&committed]).json()["objects"][0]
        .get("actions")
        .is_none());
    // The half-done multipart upload can be finished.
    let (part2, complete) = part2_url;
    let r = s
        .req_url("PUT", &part2)
        .body("application/octet-stream", &pending[60..])
        .send();
    let parts = json!([{"partNumber": 1, "etag": part1_etag},
                       {"partNumber": 2, "etag": r.header("etag").unwrap()}]);
    let r = s
        .req_url("POST", &complete)
        .json(&json!({"oid": sha256_hex(&pending), "parts": parts}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(s.terminate());
    remove_dir(&dir);
}
