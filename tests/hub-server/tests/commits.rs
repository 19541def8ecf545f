//! NDJSON commits: operations, path rules, parentCommit, revisions, permissions, concurrency.

mod common;

use common::{add, delete_file, delete_folder, Server};
use serde_json::json;

/// Contents and their git blob ids, computed independently with `git hash-object`.
const FILES: &[(&str, &str, &[u8], &str)] = &[
    // (path in repo, URL-encoded path, content, git blob sha1)
    (
        "hello.txt",
        "hello.txt",
        b"hello\n",
        "ce013625030ba8dba906f756967f9e9ca394464a",
    ),
    (
        "dir with spaces/file name.txt",
        "dir%20with%20spaces/file%20name.txt",
        b"spaces in name\n",
        "06ad11e97c7677f6d6e88bfeb7e3e04cb2b56bdf",
    ),
    (
        "ünïcödé/✓.md",
        "%C3%BCn%C3%AFc%C3%B6d%C3%A9/%E2%9C%93.md",
        "unicode ✓\n".as_bytes(),
        "ee74c923ced0ce870b99da0bb4403ef058caa53f",
    ),
    (
        "odd/#hash?.txt",
        "odd/%23hash%3F.txt",
        b"hash # and ? marks\n",
        "bbac1ef78316454b5e89b03c1a6c8c54f5375145",
    ),
    (
        "empty.bin",
        "empty.bin",
        b"",
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
    ),
];

#[test]
fn committed_files_resolve_with_their_bytes_git_etag_and_commit() {
    let s = Server::start(&[]);
    let repo = s.create_model("files", false);
    let ops: Vec<_> = FILES.iter().map(|(p, _, c, _)| add(p, c)).collect();
    let r = s.commit(&repo, "add files", &ops);
    assert_eq!(r.status, 200, "{}", r.text());
    let b = r.json();
    let oid = b["commitOid"].as_str().unwrap().to_string();
    assert_eq!(oid.len(), 40);
    assert!(oid
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    assert_eq!(
        b,
        json!({"success": true, "commitOid": oid,
               "commitUrl": format!("{}/{repo}/commit/{oid}", s.url), "hookOutput": ""})
    );
    for (path, encoded, content, sha1) in FILES {
        let r = s
            .req("GET", &format!("/{repo}/resolve/main/{encoded}"))
            .send();
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.body, *content, "{path}");
        assert_eq!(
            r.header("etag"),
            Some(format!("\"{sha1}\"").as_str()),
            "{path}"
        );
        assert_eq!(r.header("x-repo-commit"), Some(oid.as_str()));
        assert_eq!(
            r.header("content-length"),
            Some(content.len().to_string().as_str())
        );
    }
}

#[test]
fn a_slash_encoded_inside_a_segment_is_a_path_separator() {
    let s = Server::start(&[]);
    let repo = s.create_model("slash", false);
    s.commit(&repo, "add", &[add("a/b.txt", b"x")]);
    let r = s
        .req("GET", &format!("/{repo}/resolve/main/a%2Fb.txt"))
        .send();
    assert_eq!((r.status, r.body.as_slice()), (200, b"x".as_slice()));
}

#[test]
fn utf8_encoded_content_is_accepted() {
    let s = Server::start(&[]);
    let repo = s.create_model("utf8", false);
    let op =
        json!({"key": "file", "value": {"path": "t.txt", "content": "héllo", "encoding": "utf-8"}});
    assert_eq!(s.commit(&repo, "utf8", &[op]).status, 200);
    let r = s.req("GET", &format!("/{repo}/resolve/main/t.txt")).send();
    assert_eq!(r.text(), "héllo");
}

#[test]
fn parent_commit_must_be_the_branch_head() {
    let s = Server::start(&[]);
    let repo = s.create_model("parent", false);
    let first = s.head(&repo);
    let r = s.commit_to(
        &repo,
        "main",
        &json!({"summary": "one", "parentCommit": &first[..7]}),
        &[add("a", b"1")],
    );
    assert_eq!(r.status, 200, "a 7-char prefix of the head is accepted");
    let r = s.commit_to(
        &repo,
        "main",
        &json!({"summary": "two", "parentCommit": first}),
        &[add("a", b"2")],
    );
    r.assert_error(
        412,
        None,
        "The branch was updated since you opened this page. Please refresh and try again.",
    );
    let r = s.commit_to(
        &repo,
        "main",
        &json!({"summary": "bad", "parentCommit": "xyz"}),
        &[],
    );
    assert_eq!(r.status, 400);
}

#[test]
fn unsafe_paths_are_422() {
    let s = Server::start(&[]);
    let repo = s.create_model("paths", false);
    for bad in [
        "",
        "/abs.txt",
        "a//b",
        "./a",
        "a/./b",
        "../up",
        "a/../b",
        "..\\x",
        ".git/config",
        "a/.git",
        "dir/",
    ] {
        let r = s.commit(&repo, "bad", &[add(bad, b"x")]);
        assert_eq!(r.status, 422, "{bad:?}: {}", r.text());
    }
    let r = s.commit(&repo, "bad", &[delete_file("../x")]);
    assert_eq!(r.status, 422);
}

#[test]
fn deleting_files_and_folders() {
    let s = Server::start(&[]);
    let repo = s.create_model("del", false);
    s.commit(
        &repo,
        "add",
        &[
            add("keep.txt", b"k"),
            add("d/a", b"a"),
            add("d/e/b", b"b"),
            add("dx", b"x"),
        ],
    );
    let r = s.commit(&repo, "rm", &[delete_file("missing.txt")]);
    r.assert_error(
        404,
        Some("EntryNotFound"),
        "A file with this name doesn't exist",
    );
    let r = s.commit(&repo, "rm", &[delete_folder("nope/")]);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-error-code"), Some("EntryNotFound"));

    assert_eq!(s.commit(&repo, "rm d", &[delete_folder("d/")]).status, 200);
    assert_eq!(
        s.commit(&repo, "rm keep", &[delete_file("keep.txt")])
            .status,
        200
    );
    let files: Vec<String> = s
        .authed("GET", &format!("/api/models/{repo}"))
        .send()
        .json()["siblings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rfilename"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, [".gitattributes", "dx"]);
}

#[test]
fn commits_go_to_branches_only() {
    let s = Server::start(&[]);
    let repo = s.create_model("revs", false);
    let head = s.head(&repo);
    let r = s.commit_to(&repo, "nope", &json!({"summary": "x"}), &[add("a", b"a")]);
    r.assert_error(404, Some("RevisionNotFound"), "Invalid rev id: nope");
    let r = s.commit_to(&repo, &head, &json!({"summary": "x"}), &[add("a", b"a")]);
    r.assert_error(
        404,
        Some("RevisionNotFound"),
        &format!("Invalid rev id: {head}"),
    );
}

#[test]
fn malformed_bodies_are_400() {
    let s = Server::start(&[]);
    let repo = s.create_model("bad", false);
    let url = format!("/api/models/{repo}/commit/main");
    let send = |body: &str| {
        s.authed("POST", &url)
            .body("application/x-ndjson", body.as_bytes())
            .send()
    };
    assert_eq!(send("").status, 400);
    assert_eq!(send("not json\n").status, 400);
    assert_eq!(
        send("{\"key\":\"header\",\"value\":{\"summary\":\"\"}}\n").status,
        400
    );
    assert_eq!(send("{\"key\":\"header\",\"value\":{}}\n").status, 400);
    assert_eq!(
        send(&format!("{}\n", add("a", b"a"))).status,
        400,
        "header must come first"
    );
    let lfs = json!({"key": "lfsFile", "value": {"path": "m.bin", "algo": "sha256", "oid": "xyz", "size": 1}});
    assert_eq!(
        s.commit(&repo, "lfs", &[lfs]).status,
        400,
        "an oid is 64 hex"
    );
}

#[test]
fn writing_needs_a_write_token_on_your_own_namespace() {
    let s = Server::start(&[
        "--user",
        "bob",
        "--token",
        "reader:hf_readonlytoken:read",
        "--token",
        "test-user:hf_testuserread:read",
    ]);
    let repo = s.create_model("perm", false);
    let url = format!("/api/models/{repo}/commit/main");
    let header = json!({"summary": "x"});
    let ops = [add("a", b"a")];
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    assert_eq!(
        s.req("POST", &url)
            .token(bob)
            .ndjson(&header, &ops)
            .send()
            .status,
        403
    );
    assert_eq!(
        s.req("POST", &url)
            .token("hf_testuserread")
            .ndjson(&header, &ops)
            .send()
            .status,
        403
    );
    assert_eq!(s.req("POST", &url).ndjson(&header, &ops).send().status, 401);
}

#[test]
fn concurrent_commits_to_one_branch_lose_nothing() {
    let s = Server::start(&[]);
    let repo = s.create_model("race", false);
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (s, repo) = (&s, &repo);
            scope.spawn(move || {
                for i in 0..5 {
                    let r = s.commit(repo, "race", &[add(&format!("t{t}/f{i}"), b"x")]);
                    assert_eq!(r.status, 200);
                }
            });
        }
    });
    let info = s
        .authed("GET", &format!("/api/models/{repo}"))
        .send()
        .json();
    assert_eq!(info["siblings"].as_array().unwrap().len(), 1 + 4 * 5);
}

#[test]
fn create_pr_opens_refs_pr_n() {
    let s = Server::start(&[]);
    let repo = s.create_model("pr", false);
    let r = s
        .authed(
            "POST",
            &format!("/api/models/{repo}/commit/main?create_pr=1"),
        )
        .ndjson(&json!({"summary": "pr"}), &[add("p.txt", b"p")])
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["pullRequestUrl"],
        format!("{}/{repo}/discussions/1", s.url)
    );
    let main = s.req("GET", &format!("/{repo}/resolve/main/p.txt")).send();
    assert_eq!(main.status, 404, "main is untouched");
    let pr = s
        .req("GET", &format!("/{repo}/resolve/refs%2Fpr%2F1/p.txt"))
        .send();
    assert_eq!(pr.body, b"p");
    let r = s.commit_to(
        &repo,
        "refs%2Fpr%2F1",
        &json!({"summary": "more"}),
        &[add("q.txt", b"q")],
    );
    assert_eq!(r.status, 200, "commits can go to an open PR");
}
