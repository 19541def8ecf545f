//! tree (order, sub-paths, expand, Link pagination) and paths-info (JSON and form bodies).

mod common;

use common::{add, Server};
use serde_json::{json, Value};

fn paths(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect()
}

fn setup(args: &[&str]) -> (Server, String) {
    let s = Server::start(args);
    let repo = s.create_model("tree", false);
    let r = s.commit(
        &repo,
        "add",
        &[
            add("a.txt", b"hello\n"),
            add("d/b.txt", b"hello\n"),
            add("d/e/c.txt", b"c"),
            add("d-x.txt", b"dx"),
            add("z/y z.txt", b"z"),
        ],
    );
    assert_eq!(r.status, 200);
    (s, repo)
}

#[test]
fn a_folder_lists_its_files_and_folders_in_path_order() {
    let (s, repo) = setup(&[]);
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send();
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(paths(&v), [".gitattributes", "a.txt", "d", "d-x.txt", "z"]);
    assert_eq!(
        v[1],
        json!({"type": "file", "oid": "ce013625030ba8dba906f756967f9e9ca394464a", "size": 6, "path": "a.txt"})
    );
    assert_eq!(v[2]["type"], "directory");
    assert_eq!(v[2]["size"], 0);
    assert!(r.header("link").is_none());
}

#[test]
fn recursive_listing_is_depth_first_with_folders_before_their_contents() {
    let (s, repo) = setup(&[]);
    let v = s
        .req(
            "GET",
            &format!("/api/models/{repo}/tree/main?recursive=true"),
        )
        .send()
        .json();
    assert_eq!(
        paths(&v),
        [
            ".gitattributes",
            "a.txt",
            "d",
            "d/b.txt",
            "d/e",
            "d/e/c.txt",
            "d-x.txt",
            "z",
            "z/y z.txt"
        ]
    );
    let v1 = s
        .req("GET", &format!("/api/models/{repo}/tree/main?recursive=1"))
        .send()
        .json();
    assert_eq!(v, v1);
}

#[test]
fn folder_ids_are_git_tree_ids() {
    let s = Server::start(&[]);
    let repo = s.create_model("gittree", false);
    s.commit(&repo, "add", &[add("d/b.txt", b"hello\n")]);
    let v = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send()
        .json();
    // `git rev-parse HEAD:d` for a folder holding b.txt = "hello\n".
    assert_eq!(
        v[1],
        json!({"type": "directory", "oid": "dd5a3627ad3d4a1eaa9b180972bab37891a5e101", "size": 0, "path": "d"})
    );
}

#[test]
fn a_sub_path_may_use_raw_or_encoded_slashes() {
    let (s, repo) = setup(&[]);
    let raw = s
        .req("GET", &format!("/api/models/{repo}/tree/main/d/e"))
        .send()
        .json();
    let enc = s
        .req("GET", &format!("/api/models/{repo}/tree/main/d%2Fe"))
        .send()
        .json();
    assert_eq!(raw, enc);
    assert_eq!(paths(&raw), ["d/e/c.txt"]);
    let z = s
        .req("GET", &format!("/api/models/{repo}/tree/main/z"))
        .send()
        .json();
    assert_eq!(paths(&z), ["z/y z.txt"]);
}

#[test]
fn missing_folders_and_files_are_entry_not_found() {
    let (s, repo) = setup(&[]);
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main/nope"))
        .send();
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-error-code"), Some("EntryNotFound"));
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main/a.txt"))
        .send();
    r.assert_error(404, Some("EntryNotFound"), "a.txt is not a folder");
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/nope"))
        .send();
    r.assert_error(404, Some("RevisionNotFound"), "Invalid rev id: nope");
}

#[test]
fn pages_follow_absolute_link_headers_that_keep_the_query() {
    let (s, repo) = setup(&["--page-size", "2"]);
    let full = s
        .req(
            "GET",
            &format!("/api/models/{repo}/tree/main?recursive=true&expand=false"),
        )
        .send();
    let mut url = Some(format!(
        "{}/api/models/{repo}/tree/main?recursive=true&expand=false",
        s.url
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(u) = url.take() {
        let r = s.req("GET", u.strip_prefix(&s.url).unwrap()).send();
        assert_eq!(r.status, 200);
        let page = paths(&r.json());
        assert!(page.len() <= 2);
        seen.extend(page);
        pages += 1;
        if let Some(link) = r.header("link") {
            let next = link
                .strip_prefix('<')
                .unwrap()
                .split_once(">; rel=\"next\"")
                .unwrap()
                .0;
            assert!(
                next.starts_with(&format!(
                    "{}/api/models/{repo}/tree/main?recursive=true&expand=false&cursor=",
                    s.url
                )),
                "{next}"
            );
            url = Some(next.to_string());
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 9);
    assert!(full.header("link").is_some());
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted, seen, "no entry is repeated across pages");
}

#[test]
fn limit_caps_the_page_size() {
    let (s, repo) = setup(&[]);
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main?limit=3"))
        .send();
    assert_eq!(r.json().as_array().unwrap().len(), 3);
    assert!(r.header("link").unwrap().contains("limit=3&cursor="));
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}/tree/main?limit=0"))
            .send()
            .status,
        400
    );
    assert_eq!(
        s.req(
            "GET",
            &format!("/api/models/{repo}/tree/main?recursive=maybe")
        )
        .send()
        .status,
        400
    );
    assert_eq!(
        s.req("GET", &format!("/api/models/{repo}/tree/main?cursor=!!"))
            .send()
            .status,
        400
    );
}

#[test]
fn expand_adds_the_last_commit_and_security_status() {
    let (s, repo) = setup(&[]);
    let first = s.head(&repo);
    let second = s.commit(&repo, "touch d", &[add("d/new.txt", b"n")]).json()["commitOid"].clone();
    let v = s
        .req("GET", &format!("/api/models/{repo}/tree/main?expand=true"))
        .send()
        .json();
    let by_path = |p: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == p)
            .unwrap()
            .clone()
    };
    let a = by_path("a.txt");
    assert_eq!(a["lastCommit"]["id"], first);
    assert_eq!(a["lastCommit"]["title"], "add");
    assert!(a["lastCommit"]["date"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        a["securityFileStatus"],
        json!({"status": "safe", "avScan": {"virusFound": false, "virusNames": null},
               "pickleImportScan": null})
    );
    assert_eq!(by_path("d")["lastCommit"]["id"], second);
    assert_eq!(by_path("z")["lastCommit"]["id"], first);
}

#[test]
fn expand_pages_are_at_most_50() {
    let s = Server::start(&[]);
    let repo = s.create_model("many", false);
    let ops: Vec<_> = (0..60).map(|i| add(&format!("f{i:02}"), b"x")).collect();
    s.commit(&repo, "many", &ops);
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main?expand=true"))
        .send();
    assert_eq!(r.json().as_array().unwrap().len(), 50);
    assert!(r.header("link").is_some());
    let r = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send();
    assert_eq!(r.json().as_array().unwrap().len(), 61);
}

#[test]
fn paths_info_accepts_json_and_omits_missing_paths() {
    let (s, repo) = setup(&[]);
    let r = s
        .req("POST", &format!("/api/models/{repo}/paths-info/main"))
        .json(&json!({"paths": ["a.txt", "missing", "d", "z/y z.txt"], "expand": false}))
        .send();
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(paths(&v), ["a.txt", "d", "z/y z.txt"]);
    assert_eq!(
        v[0],
        json!({"type": "file", "oid": "ce013625030ba8dba906f756967f9e9ca394464a", "size": 6, "path": "a.txt"})
    );
    assert_eq!(v[1]["type"], "directory");
}

#[test]
fn paths_info_accepts_python_form_bodies() {
    let (s, repo) = setup(&[]);
    let r = s
        .req("POST", &format!("/api/models/{repo}/paths-info/main"))
        .body(
            "application/x-www-form-urlencoded",
            b"paths=a.txt&paths=z%2Fy+z.txt&paths%5B%5D=d-x.txt&expand=true",
        )
        .send();
    let v = r.json();
    assert_eq!(paths(&v), ["a.txt", "z/y z.txt", "d-x.txt"]);
    assert!(v[0]["lastCommit"]["id"].is_string());
}

#[test]
fn paths_info_refuses_more_than_1000_paths() {
    let (s, repo) = setup(&[]);
    let many: Vec<String> = (0..1001).map(|i| format!("p{i}")).collect();
    let r = s
        .req("POST", &format!("/api/models/{repo}/paths-info/main"))
        .json(&json!({"paths": many}))
        .send();
    assert_eq!(r.status, 413);
    let r = s
        .req("POST", &format!("/api/models/{repo}/paths-info/main"))
        .body("application/json", b"{\"paths\": 3}")
        .send();
    assert_eq!(r.status, 400);
}
