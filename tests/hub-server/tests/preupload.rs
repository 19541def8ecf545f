//! preupload: the regular-vs-LFS decision clients make before every commit.

mod common;

use base64::Engine;
use common::{add, Server};
use serde_json::json;

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[test]
fn lfs_is_chosen_by_gitattributes_size_and_binary_samples() {
    let s = Server::start(&[]);
    let repo = s.create_model("pre", false);
    let head = s.head(&repo);
    let r = s
        .authed("POST", &format!("/api/models/{repo}/preupload/main"))
        .json(&json!({"files": [
            {"path": "config.json", "sample": b64(b"{}"), "size": 2},
            {"path": "model.safetensors", "sample": b64(b"abc"), "size": 3},
            {"path": "huge.txt", "sample": b64(b"text"), "size": 10 * 1024 * 1024 + 1},
            {"path": "blob.dat", "sample": b64(&[1, 0, 2]), "size": 3},
        ]}))
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    let modes: Vec<(String, String)> = r.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["uploadMode"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expect = [
        ("config.json", "regular"),
        ("model.safetensors", "lfs"),
        ("huge.txt", "lfs"),
        ("blob.dat", "lfs"),
    ];
    assert_eq!(modes, expect.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(r.json()["commitOid"], head);
    assert_eq!(r.json()["files"][0]["shouldIgnore"], false);
}

#[test]
fn existing_files_report_their_oid_and_a_js_gitattributes_override_is_used() {
    let s = Server::start(&[]);
    let repo = s.create_model("pre2", false);
    s.commit(&repo, "add", &[add("hello.txt", b"hello\n")]);
    let url = format!("/api/models/{repo}/preupload/main");
    let files = json!([{"path": "hello.txt", "sample": b64(b"hello\n"), "size": 6}]);
    let r = s
        .authed("POST", &url)
        .json(&json!({"files": files}))
        .send()
        .json();
    assert_eq!(r["files"][0]["uploadMode"], "regular");
    assert_eq!(
        r["files"][0]["oid"],
        "ce013625030ba8dba906f756967f9e9ca394464a"
    );
    let r = s
        .authed("POST", &url)
        .json(&json!({"files": files, "gitAttributes": "*.txt filter=lfs diff=lfs merge=lfs -text\n"}))
        .send()
        .json();
    assert_eq!(r["files"][0]["uploadMode"], "lfs");
    assert_eq!(
        r["files"][0]["oid"], "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
        "sha256 of the content for LFS"
    );
}

#[test]
fn preupload_needs_write_access_and_an_existing_repo() {
    let s = Server::start(&["--user", "bob"]);
    let repo = s.create_model("pre3", false);
    let body = json!({"files": []});
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    let url = format!("/api/models/{repo}/preupload/main");
    assert_eq!(
        s.req("POST", &url).token(bob).json(&body).send().status,
        403
    );
    let r = s
        .authed("POST", "/api/models/test-user/none/preupload/main")
        .json(&body)
        .send();
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
}

#[test]
fn should_ignore_follows_the_repo_gitignore_or_the_one_being_committed() {
    let s = Server::start(&[]);
    let repo = s.create_model("ignore", false);
    s.commit(
        &repo,
        "ignore",
        &[add(".gitignore", b"*.log\n/build/\n!keep.log\n")],
    );
    let url = format!("/api/models/{repo}/preupload/main");
    let file = |p: &str| json!({"path": p, "sample": b64(b"x"), "size": 1});
    let ask = |body: serde_json::Value| -> Vec<bool> {
        s.authed("POST", &url).json(&body).send().json()["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["shouldIgnore"].as_bool().unwrap())
            .collect()
    };
    let files = json!([
        file("a.log"),
        file("d/keep.log"),
        file("build/x.bin"),
        file("src/build/x.bin"),
        file("a.txt")
    ]);
    assert_eq!(
        ask(json!({"files": files})),
        [true, false, true, false, false]
    );
    // Python sends the .gitignore it is about to commit; that one wins.
    assert_eq!(
        ask(json!({"files": files, "gitIgnore": "*.txt\n"})),
        [false, false, false, false, true]
    );
}
