//! Repo lifecycle: create (namespaces, types, 409), info, refs, delete.

mod common;

use common::Server;
use serde_json::json;

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn create_returns_url_name_and_id_and_starts_with_an_initial_commit() {
    let s = Server::start(&[]);
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "m1", "organization": null}))
        .send();
    assert_eq!(r.status, 200);
    let b = r.json();
    assert_eq!(b["url"], format!("{}/test-user/m1", s.url));
    assert_eq!(b["name"], "test-user/m1");
    assert!(is_hex(b["id"].as_str().unwrap(), 24));

    let info = s.authed("GET", "/api/models/test-user/m1").send().json();
    assert_eq!(info["id"], "test-user/m1");
    assert_eq!(info["_id"], b["id"]);
    assert_eq!(info["author"], "test-user");
    assert_eq!(info["private"], false);
    assert_eq!(info["siblings"], json!([{"rfilename": ".gitattributes"}]));
    assert!(is_hex(info["sha"].as_str().unwrap(), 40));

    let ga = s
        .req("GET", "/test-user/m1/resolve/main/.gitattributes")
        .send()
        .text();
    for pat in [
        "*.bin",
        "*.safetensors",
        "*.h5",
        "*.onnx",
        "*.pt",
        "*.pth",
        "*.ckpt",
        "*.gguf",
        "*.zip",
    ] {
        assert!(
            ga.contains(&format!("{pat} filter=lfs diff=lfs merge=lfs -text\n")),
            "{pat}"
        );
    }
}

#[test]
fn creating_an_existing_repo_is_409_with_its_url() {
    let s = Server::start(&[]);
    s.create_model("dup", false);
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "dup"}))
        .send();
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"error": "You already created this model repo", "url": format!("{}/test-user/dup", s.url)})
    );
}

#[test]
fn types_map_to_url_prefixes_and_spaces_need_an_sdk() {
    let s = Server::start(&[]);
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "d", "type": "dataset"}))
        .send();
    assert_eq!(r.json()["url"], format!("{}/datasets/test-user/d", s.url));
    assert_eq!(
        s.authed("GET", "/api/datasets/test-user/d").send().status,
        200
    );
    assert_eq!(
        s.authed("GET", "/api/models/test-user/d").send().status,
        404
    );

    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "sp", "type": "space"}))
        .send();
    assert_eq!(r.status, 400);
    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "sp", "type": "space", "sdk": "gradio"}))
        .send();
    assert_eq!(r.json()["url"], format!("{}/spaces/test-user/sp", s.url));
    assert_eq!(
        s.authed("GET", "/api/spaces/test-user/sp").send().json()["sdk"],
        "gradio"
    );

    let r = s
        .authed("POST", "/api/repos/create")
        .json(&json!({"name": "x", "type": "bucket"}))
        .send();
    assert_eq!(r.status, 400);
}

#[test]
fn repos_go_to_the_caller_or_an_org_they_belong_to() {
    let s = Server::start(&["--org", "acme:test-user", "--org", "other:someone"]);
    let create = |org: &str| {
        s.authed("POST", "/api/repos/create")
            .json(&json!({"name": "m", "organization": org}))
            .send()
            .status
    };
    assert_eq!(create("acme"), 200);
    assert_eq!(create("other"), 403);
    assert_eq!(create("someone"), 403);
}

#[test]
fn invalid_repo_names_are_400_and_anonymous_creation_is_401() {
    let s = Server::start(&[]);
    for bad in ["-a", "a--b", "a..b", "x.git", "has space", ""] {
        let r = s
            .authed("POST", "/api/repos/create")
            .json(&json!({"name": bad}))
            .send();
        assert_eq!(r.status, 400, "{bad:?}");
    }
    let r = s
        .authed("POST", "/api/repos/create")
        .body("application/json", b"{")
        .send();
    assert_eq!(r.status, 400);
    let r = s
        .req("POST", "/api/repos/create")
        .json(&json!({"name": "m"}))
        .send();
    assert_eq!(r.status, 401);
}

#[test]
fn delete_answers_ok_and_the_repo_is_gone() {
    let s = Server::start(&[]);
    s.create_model("gone", false);
    let body = json!({"name": "gone", "organization": "test-user", "type": "model"});
    let r = s.authed("DELETE", "/api/repos/delete").json(&body).send();
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    let r = s.authed("GET", "/api/models/test-user/gone").send();
    r.assert_error(404, Some("RepoNotFound"), "Repository not found");
    let r = s.authed("DELETE", "/api/repos/delete").json(&body).send();
    r.assert_error(404, Some("RepoNotFound"), "Repository not found");
}

#[test]
fn refs_list_branches_with_their_target() {
    let s = Server::start(&[]);
    let repo = s.create_model("refs", false);
    let head = s.head(&repo);
    let r = s
        .authed("GET", &format!("/api/models/{repo}/refs"))
        .send()
        .json();
    assert_eq!(
        r,
        json!({"branches": [{"name": "main", "ref": "refs/heads/main", "targetCommit": head}],
               "tags": [], "converts": []})
    );
}

#[test]
fn info_at_a_revision_reports_that_commit() {
    let s = Server::start(&[]);
    let repo = s.create_model("rev", false);
    let first = s.head(&repo);
    s.commit(&repo, "add", &[common::add("a.txt", b"a")]);
    let at_first = s
        .authed("GET", &format!("/api/models/{repo}/revision/{first}"))
        .send()
        .json();
    assert_eq!(at_first["sha"], first);
    assert_eq!(at_first["siblings"].as_array().unwrap().len(), 1);
    let r = s
        .authed("GET", &format!("/api/models/{repo}/revision/nope"))
        .send();
    r.assert_error(404, Some("RevisionNotFound"), "Invalid rev id: nope");
}
