//! Every response parser of the core, fed what a broken or hostile server could send: arbitrary
//! bytes, arbitrary JSON, valid answers cut short, valid answers with one field of the wrong type
//! (or missing), under any status and error headers. The property is the same for all: no panic,
//! and the answer is `Ok` or a typed `HubError`; a 2xx answer that is not what was asked for is
//! `MalformedResponse` (an LFS object the Hub refused is its own `BadRequest`/`Http`).
//!
//! A counterexample becomes a fix in the parser and a named unit test beside it.
#![cfg(not(target_arch = "wasm32"))]

use hubwasm::commit::lfs_batch::{parse_lfs_batch, LfsObject, UploadAction};
use hubwasm::commit::lfs_transfer::{check_ok, parse_part_etag};
use hubwasm::commit::ndjson::parse_commit;
use hubwasm::commit::preupload::{parse_preupload, PreuploadFile};
use hubwasm::files::download::{Download, DownloadParams};
use hubwasm::files::metadata::{FileMetadataParams, FileMetadataProbe};
use hubwasm::files::paths_info::parse_paths_info;
use hubwasm::files::tree::parse_tree_page;
use hubwasm::http::json;
use hubwasm::{ErrorKind, Headers, HttpResponseHead, HubConfig, HubError, RepoId, RepoPath};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value as J};

const OID_A: &str = "a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2";
const OID_B: &str = "b1a614c8bd7f53b524c1923c590c8808a4752c284b05ab246294402d91793eec";
const OID_C: &str = "c521b557ad72abdb40cd5e1a06f33e5f8d251d15fe8fa4babc4c1d92bfe94016";
const COMMIT: &str = "c52ce5e45984b9378ef6247fe7a45ed72b096b24";

/// One valid answer per shape (the error body under a non-2xx status), each for what
/// `asked_preupload` and `asked_lfs` asked.
fn valid_answers() -> [(Parser, J); 6] {
    [
        (
            Parser::Tree,
            json!([
                {"type": "file", "oid": COMMIT, "size": 1234, "path": "dir/model.safetensors",
                 "lfs": {"oid": OID_A, "size": 1234, "pointerSize": 134},
                 "xetHash": "0123", "lastCommit": {"id": COMMIT, "title": "init", "date": "2023-05-15"},
                 "securityFileStatus": {"status": "safe"}},
                {"type": "directory", "oid": COMMIT, "size": 0, "path": "dir"}
            ]),
        ),
        (
            Parser::PathsInfo,
            json!([{"type": "file", "oid": COMMIT, "size": 3, "path": "a.txt"}]),
        ),
        (
            Parser::Preupload,
            json!({"files": [
                {"path": "a.txt", "uploadMode": "regular", "shouldIgnore": false},
                {"path": "w.bin", "uploadMode": "lfs", "shouldIgnore": false, "oid": COMMIT},
                {"path": "empty", "uploadMode": "lfs", "shouldIgnore": true}
            ]}),
        ),
        (
            Parser::LfsBatch,
            json!({"transfer": "basic", "objects": [
                {"oid": OID_A, "size": 100, "actions": {
                    "upload": {"href": "https://s3.test/a", "header": {"x-amz": "1"}},
                    "verify": {"href": "https://hub.test/verify", "header": {"authorization": "x"}}}},
                {"oid": OID_B, "size": 5},
                {"oid": OID_C, "size": 25, "actions": {"upload": {"href": "https://s3.test/done",
                    "header": {"chunk_size": "10", "1": "https://s3.test/1",
                               "2": "https://s3.test/2", "3": "https://s3.test/3"}}}}
            ]}),
        ),
        (
            Parser::Commit,
            json!({"commitOid": COMMIT, "commitUrl": "https://hub.test/u/m/commit/c52ce5e",
                   "pullRequestUrl": "https://hub.test/u/m/discussions/7", "hookOutput": ""}),
        ),
        (
            Parser::ErrorBody,
            json!({"error": "Repository not found", "errors": [{"message": "a"}],
                   "error_description": "why"}),
        ),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parser {
    Tree,
    PathsInfo,
    Preupload,
    LfsBatch,
    Commit,
    ErrorBody,
}

fn asked_preupload() -> Vec<PreuploadFile> {
    [("a.txt", 3), ("w.bin", 1 << 20), ("empty", 0)]
        .into_iter()
        .map(|(p, size)| PreuploadFile {
            path: RepoPath::new(p).unwrap(),
            size,
        })
        .collect()
}

fn asked_lfs() -> Vec<LfsObject> {
    [(OID_A, 100), (OID_B, 5), (OID_C, 25)]
        .into_iter()
        .map(|(oid, size)| LfsObject::new(oid, size).unwrap())
        .collect()
}

fn head(status: u16, url: &str, headers: &[(String, String)]) -> HttpResponseHead {
    HttpResponseHead {
        status,
        url: url.to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<Headers>(),
    }
}

/// A 2xx answer's error must say the answer was wrong; any other status gives some typed error
/// carrying that status. Every error has a message.
fn check_error(h: &HttpResponseHead, e: &HubError, refusals_too: bool) {
    assert!(!e.message().is_empty(), "an error without a message: {e:?}");
    if h.is_success() {
        let refused = refusals_too && matches!(e.kind(), ErrorKind::BadRequest | ErrorKind::Http);
        assert!(
            e.kind() == ErrorKind::MalformedResponse || refused,
            "a 2xx answer gave {:?}: {e:?}",
            e.kind()
        );
    } else {
        assert_eq!(e.status(), Some(h.status), "{e:?}");
    }
}

fn expect<T>(h: &HttpResponseHead, r: Result<T, HubError>) -> Option<T> {
    match r {
        Ok(v) => {
            assert!(h.is_success(), "status {} parsed as a success", h.status);
            Some(v)
        }
        Err(e) => {
            check_error(h, &e, false);
            None
        }
    }
}

/// Every response parser on one answer; what the `Ok`s promise is checked too.
fn every_parser(h: &HttpResponseHead, body: &[u8]) {
    let _ = json::parse(body);
    expect(h, parse_tree_page(h, body));
    expect(h, parse_paths_info(h, body));

    let asked = asked_preupload();
    if let Some(decisions) = expect(h, parse_preupload(h, body, &asked)) {
        for f in &asked {
            assert!(decisions.iter().any(|d| d.path == f.path.as_str()));
        }
    }

    let asked = asked_lfs();
    match parse_lfs_batch(h, body, &asked) {
        Ok(actions) => {
            assert!(h.is_success());
            assert_eq!(actions.len(), asked.len());
            for (a, want) in actions.iter().zip(&asked) {
                if let UploadAction::Multipart {
                    chunk_size, parts, ..
                } = a
                {
                    assert!(*chunk_size > 0);
                    assert_eq!(parts.len() as u64, want.size.div_ceil(*chunk_size));
                }
            }
        }
        Err(e) => check_error(h, &e, true),
    }

    if let Some(out) = expect(h, parse_commit(h, body)) {
        assert_eq!(out.commit_oid.len(), 40);
        assert!(out.commit_oid.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    if let Some(sha) = expect(h, hubwasm::refs::resolve::parse_revision_sha(h, body)) {
        assert_eq!(sha.len(), 40);
    }
    expect(h, hubwasm::account::whoami::parse_whoami(h, body));
    expect(h, hubwasm::account::whoami::check_whoami(h, body));
    expect(h, hubwasm::repos::create::parse_create_repo(h, body));
    expect(h, hubwasm::repos::private::parse_repo_private(h, body));
    let _ = hubwasm::repos::exists::parse_repo_exists(h, body);
    let _ = hubwasm::repos::delete::parse_delete_repo(h, body);
    let _ = parse_part_etag(h, body);
    let _ = check_ok(h, body);

    if !h.is_success() {
        let e = HubError::from_response(h, body);
        check_error(h, &e, false);
    }
}

/// The redirect-following state machines, on one answer to their first request (the answer's
/// URL is the request's, as a driver reports it).
fn state_machines(status: u16, headers: &[(String, String)], body: &[u8]) {
    let cfg = HubConfig::new("https://hub.test", Some("hf_t")).unwrap();
    let repo = RepoId::parse_designation("u/m").unwrap();
    let path = RepoPath::new("dir/a.bin").unwrap();
    let (mut d, req) = Download::start(
        &cfg,
        &DownloadParams {
            repo: repo.clone(),
            revision: Default::default(),
            path: path.clone(),
            raw: false,
            range: None,
        },
    );
    let _ = d.on_response(&head(status, &req.url, headers), body);
    let (mut probe, req) = FileMetadataProbe::start(
        &cfg,
        FileMetadataParams {
            repo,
            revision: Default::default(),
            path,
            raw: false,
        },
    );
    let h = head(status, &req.url, headers);
    let _ = probe.needs_body(&h);
    let _ = probe.on_response(&h, body);
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 206, 301, 302, 307, 400, 401, 403, 404, 409,
                                       412, 416, 422, 429, 500, 503]),
        1 => 0u16..1000,
    ]
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://hub.test/api/models/u/m/tree/main".to_string()),
        Just("https://hub.test/u/m/resolve/main/a.txt".to_string()),
        Just("https://hub.test/api/models/u/m/commit/main".to_string()),
        "\\PC{0,30}",
    ]
}

/// Header values as a server might send them, and nonsense.
fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "RepoNotFound",
            "EntryNotFound",
            "GatedRepo",
            "RevisionNotFound",
            "3",
            "-1",
            "99999999999999999999",
            "\"api\";r=0;t=55",
            "text/html",
            "application/json",
            "application/vnd.xet-fileinfo+json",
            "<https://hub.test/next?c=1>; rel=\"next\"",
            "bytes */10",
            "bytes 0-0/123",
            "W/\"abc\"",
            "file:/etc/passwd",
            "javascript:x",
            "//evil.test/x",
            "/elsewhere",
            "",
            " ",
        ])
        .prop_map(String::from),
        "\\PC{0,40}",
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec![
        "x-error-code",
        "x-error-message",
        "retry-after",
        "ratelimit",
        "x-request-id",
        "link",
        "etag",
        "x-linked-etag",
        "x-linked-size",
        "x-repo-commit",
        "x-xet-hash",
        "content-type",
        "content-range",
        "content-length",
        "location",
        "x-amz-foo",
    ])
    .prop_map(String::from);
    prop::collection::vec((name, header_value()), 0..5)
}

/// The keys the parsers read, so random objects often look almost right.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "type", "oid", "size", "path", "lfs", "pointerSize", "xetHash", "lastCommit", "id",
            "title", "date", "securityFileStatus", "files", "uploadMode", "shouldIgnore",
            "objects", "actions", "upload", "verify", "href", "header", "chunk_size", "1", "2",
            "error", "errors", "error_description", "code", "message", "commitOid", "commitUrl",
            "pullRequestUrl", "hookOutput", "sha", "name", "url", "private", "hash", "refreshUrl",
        ])
        .prop_map(String::from),
        1 => "\\PC{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<u64>().prop_map(J::from),
        any::<i64>().prop_map(J::from),
        (0u64..200).prop_map(J::from),
        any::<f64>().prop_map(J::from),
        prop::sample::select(vec![
            "file",
            "directory",
            "regular",
            "lfs",
            OID_A,
            OID_B,
            COMMIT,
            "a.txt",
            "w.bin",
            "https://hub.test/u/m/discussions/x",
            "10",
            "0",
            "",
        ])
        .prop_map(J::from),
        "\\PC{0,16}".prop_map(J::from),
    ]
}

fn json_value() -> impl Strategy<Value = J> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|members| J::Object(members.into_iter().collect())),
        ]
    })
}

/// What a field could wrongly be: the edges of each type first, then anything.
fn replacement() -> impl Strategy<Value = J> {
    prop_oneof![
        3 => prop::sample::select(vec![
            json!(0), json!("0"), json!(1), json!(-1), json!(u64::MAX),
            json!("18446744073709551616"), json!(""), json!(" "), json!("x"), json!(true),
            J::Null, json!([]), json!({}), json!(1.5), json!(1e300), json!([1]), json!({"a": 1}),
        ]),
        2 => json_value(),
    ]
}

/// Every node of `v`, as a JSON pointer (the root is `""`).
fn pointers(v: &J, at: String, out: &mut Vec<String>) {
    match v {
        J::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        J::Object(members) => {
            for (k, item) in members {
                let k = k.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// `v` with the node at `which` replaced by `by`, or removed (`by` = `None`).
fn mutate(v: &J, which: Index, by: Option<J>) -> J {
    let mut v = v.clone();
    let mut all = Vec::new();
    pointers(&v, String::new(), &mut all);
    let at = which.get(&all).clone();
    match by {
        Some(by) => *v.pointer_mut(&at).unwrap() = by,
        None => {
            let (parent, last) = at.rsplit_once('/').unwrap_or(("", ""));
            match v.pointer_mut(parent) {
                Some(J::Object(m)) if !at.is_empty() => {
                    m.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(J::Array(a)) if !at.is_empty() => {
                    a.remove(last.parse::<usize>().unwrap());
                }
                _ => v = J::Null,
            }
        }
    }
    v
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        // A counterexample is printed; it becomes a named unit test beside the parser, not a
        // file in the tree.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

#[test]
fn the_valid_answers_parse() {
    let ok = head(200, "https://hub.test/api/models/u/m/tree/main", &[]);
    for (parser, v) in valid_answers() {
        let body = serde_json::to_vec(&v).unwrap();
        match parser {
            Parser::Tree => assert_eq!(parse_tree_page(&ok, &body).unwrap().entries.len(), 2),
            Parser::PathsInfo => assert_eq!(parse_paths_info(&ok, &body).unwrap().len(), 1),
            Parser::Preupload => {
                parse_preupload(&ok, &body, &asked_preupload()).unwrap();
            }
            Parser::LfsBatch => {
                let actions = parse_lfs_batch(&ok, &body, &asked_lfs()).unwrap();
                assert!(matches!(actions[2], UploadAction::Multipart { .. }));
            }
            Parser::Commit => {
                parse_commit(&ok, &body).unwrap();
            }
            Parser::ErrorBody => {
                let e = HubError::from_response(&head(404, &ok.url, &[]), &body);
                assert_eq!(e.server_message(), Some("why"));
            }
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn arbitrary_bytes_are_answered(
        status in status(),
        url in url(),
        headers in headers(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            "\\PC{0,600}".prop_map(String::into_bytes),
        ],
    ) {
        every_parser(&head(status, &url, &headers), &body);
        state_machines(status, &headers, &body);
    }

    #[test]
    fn arbitrary_json_is_answered(
        status in status(),
        headers in headers(),
        v in json_value(),
    ) {
        let body = serde_json::to_vec(&v).unwrap();
        prop_assert!(json::parse(&body).is_some(), "valid JSON refused: {}", v);
        every_parser(&head(status, "https://hub.test/api/models/u/m/tree/main", &headers), &body);
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn a_valid_answer_cut_short_is_malformed(which in 0usize..6, cut in any::<Index>()) {
        let (_, v) = &valid_answers()[which];
        let body = serde_json::to_vec(v).unwrap();
        let body = &body[..cut.index(body.len())];
        let h = head(200, "https://hub.test/api/models/u/m/tree/main", &[]);
        every_parser(&h, body);
        let malformed = Some(ErrorKind::MalformedResponse);
        prop_assert_eq!(parse_tree_page(&h, body).err().map(|e| e.kind()), malformed);
        prop_assert_eq!(parse_paths_info(&h, body).err().map(|e| e.kind()), malformed);
        prop_assert_eq!(
            parse_preupload(&h, body, &asked_preupload()).err().map(|e| e.kind()),
            malformed
        );
        prop_assert_eq!(
            parse_lfs_batch(&h, body, &asked_lfs()).err().map(|e| e.kind()),
            malformed
        );
        prop_assert_eq!(parse_commit(&h, body).err().map(|e| e.kind()), malformed);
        let status = HubError::from_response(&head(500, &h.url, &[]), body).status();
        prop_assert_eq!(status, Some(500));
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// One node of every valid answer replaced (or removed): each case tries all six shapes.
    #[test]
    fn a_valid_answer_with_a_field_of_the_wrong_type_is_answered(
        at in any::<Index>(),
        by in prop::option::weighted(0.85, replacement()),
        status in prop_oneof![4 => Just(200u16), 1 => status()],
    ) {
        let h = head(status, "https://hub.test/api/models/u/m/tree/main", &[]);
        for (_, v) in valid_answers() {
            let body = serde_json::to_vec(&mutate(&v, at, by.clone())).unwrap();
            every_parser(&h, &body);
        }
    }
}
