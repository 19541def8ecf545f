//! The sans-IO core driven against the local Hub (`tests/hub-server`) with a small blocking HTTP
//! client: every request the core builds is sent as is, every response parsed by the core.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::sync::OnceLock;

use support::{agent, send};

use hubwasm::account::whoami::{build_whoami, parse_whoami};
use hubwasm::files::download::{ByteRange, Download, DownloadParams, DownloadStep};
use hubwasm::files::metadata::{FileMetadata, FileMetadataParams, FileMetadataProbe, ProbeStep};
use hubwasm::files::paths_info::{build_paths_info, parse_paths_info};
use hubwasm::files::tree::{
    build_list_tree, page_request, parse_tree_page, EntryType, ListTreeParams, TreeEntry,
};
use hubwasm::{ErrorKind, HubConfig, HubError, RepoId, RepoPath, RepoType, Revision};

struct Hub {
    url: String,
    token: String,
    _server: support::Hub,
    public_repo: String,
    private_repo: String,
}

const FILES: &[(&str, &[u8])] = &[
    ("README.md", b"# fixture\n"),
    ("config.json", b"{\"hidden_size\": 8}"),
    ("my file.txt", b"spaces are fine"),
    ("donn\u{e9}es/\u{e9}t\u{e9}.txt", b"unicode path"),
    ("odd#name?.txt", b"hash and question mark"),
    ("nested/deeper/leaf.bin", &[0, 1, 2, 3, 255, 254, 253]),
    ("nested/a.txt", b"a"),
];

fn hub() -> &'static Hub {
    static HUB: OnceLock<Hub> = OnceLock::new();
    HUB.get_or_init(|| {
        let server = support::start("--page-size 3");
        let (url, token) = (server.url.clone(), server.token.clone());
        let public_repo = seed(&url, &token, "core-public", false);
        let private_repo = seed(&url, &token, "core-private", true);
        Hub {
            url,
            token,
            _server: server,
            public_repo,
            private_repo,
        }
    })
}

/// Seeds a repo through the Hub API directly (not through the code under test).
fn seed(url: &str, token: &str, name: &str, private: bool) -> String {
    let auth = format!("Bearer {token}");
    agent()
        .post(&format!("{url}/api/repos/create"))
        .set("Authorization", &auth)
        .set("Content-Type", "application/json")
        .send_string(
            &serde_json::json!({"name": name, "type": "model", "private": private}).to_string(),
        )
        .expect("create repo");
    let mut ndjson =
        serde_json::json!({"key": "header", "value": {"summary": "seed"}}).to_string() + "\n";
    for (path, bytes) in FILES {
        ndjson += &(serde_json::json!({"key": "file", "value": {"path": path, "content": b64(bytes), "encoding": "base64"}}).to_string() + "\n");
    }
    agent()
        .post(&format!("{url}/api/models/test-user/{name}/commit/main"))
        .set("Authorization", &auth)
        .set("Content-Type", "application/x-ndjson")
        .send_string(&ndjson)
        .expect("commit");
    format!("test-user/{name}")
}

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn cfg(token: bool) -> HubConfig {
    let h = hub();
    HubConfig::new(&h.url, token.then_some(h.token.as_str())).unwrap()
}

fn repo(id: &str) -> RepoId {
    RepoId::new(RepoType::Model, id).unwrap()
}

fn list_all(
    cfg: &HubConfig,
    repo: RepoId,
    revision: &str,
) -> Result<(Vec<TreeEntry>, usize), HubError> {
    let params = ListTreeParams {
        repo,
        revision: Revision::new(revision).unwrap(),
        path: None,
        recursive: true,
        expand: false,
    };
    let mut req = build_list_tree(cfg, &params);
    let (mut all, mut pages) = (Vec::new(), 0);
    loop {
        let (head, body) = send(&req);
        let page = parse_tree_page(&head, &body)?;
        pages += 1;
        all.extend(page.entries);
        match page.next {
            Some(next) => req = page_request(cfg, next),
            None => return Ok((all, pages)),
        }
    }
}

fn metadata(
    cfg: &HubConfig,
    repo_id: &str,
    revision: &str,
    path: &str,
) -> Result<Option<FileMetadata>, HubError> {
    let params = FileMetadataParams {
        repo: repo(repo_id),
        revision: Revision::new(revision).unwrap(),
        path: RepoPath::new(path).unwrap(),
        raw: false,
    };
    let (mut probe, mut req) = FileMetadataProbe::start(cfg, params);
    loop {
        let (head, body) = send(&req);
        match probe.on_response(&head, &body)? {
            ProbeStep::Send(next) => req = next,
            ProbeStep::Found(m) => return Ok(Some(m)),
            ProbeStep::NotFound => return Ok(None),
        }
    }
}

fn download(
    cfg: &HubConfig,
    repo_id: &str,
    path: &str,
    range: Option<ByteRange>,
) -> Result<Option<Vec<u8>>, HubError> {
    let params = DownloadParams {
        repo: repo(repo_id),
        revision: Revision::default(),
        path: RepoPath::new(path).unwrap(),
        raw: false,
        range,
    };
    let (mut dl, mut req) = Download::start(cfg, &params);
    loop {
        let (head, body) = send(&req);
        match dl.on_response(&head, &body)? {
            DownloadStep::Body => return Ok(Some(body)),
            DownloadStep::Send(next) => req = next,
            DownloadStep::NotFound => return Ok(None),
        }
    }
}

fn git_blob_sha1(bytes: &[u8]) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.digest().to_string()
}

#[test]
fn whoami_names_the_seeded_user() {
    let (head, body) = send(&build_whoami(&cfg(true)).unwrap());
    assert_eq!(parse_whoami(&head, &body).unwrap().name, "test-user");
    let bad = HubConfig::new(&hub().url, Some("hf_not_a_real_token")).unwrap();
    let (head, body) = send(&build_whoami(&bad).unwrap());
    assert_eq!(
        parse_whoami(&head, &body).unwrap_err().kind(),
        ErrorKind::AuthRequired
    );
}

#[test]
fn listing_follows_every_page_and_finds_every_file() {
    let (entries, pages) = list_all(&cfg(false), repo(&hub().public_repo), "main").unwrap();
    assert!(
        pages > 2,
        "page size 3 must need several pages, got {pages}"
    );
    let files: Vec<&str> = entries
        .iter()
        .filter(|e| e.entry_type == EntryType::File)
        .map(|e| e.path.as_str())
        .collect();
    for (path, bytes) in FILES {
        assert!(files.contains(path), "{path} listed");
        let e = entries.iter().find(|e| e.path == *path).unwrap();
        assert_eq!(
            e.oid,
            git_blob_sha1(bytes),
            "{path} oid is the git blob sha1"
        );
        assert_eq!(e.size, bytes.len() as u64);
    }
    assert!(entries
        .iter()
        .any(|e| e.entry_type == EntryType::Directory && e.path == "nested/deeper"));
}

#[test]
fn paths_info_returns_existing_paths_and_omits_missing_ones() {
    let c = cfg(false);
    let paths: Vec<RepoPath> = ["config.json", "nested", "nope.txt"]
        .iter()
        .map(|p| RepoPath::new(p).unwrap())
        .collect();
    let reqs = build_paths_info(
        &c,
        &repo(&hub().public_repo),
        &Revision::default(),
        &paths,
        false,
    )
    .unwrap();
    let (head, body) = send(&reqs[0]);
    let entries = parse_paths_info(&head, &body).unwrap();
    let mut got: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    got.sort();
    assert_eq!(got, ["config.json", "nested"]);
}

#[test]
fn metadata_and_downloads_match_the_committed_bytes() {
    let c = cfg(false);
    for (path, bytes) in FILES {
        let m = metadata(&c, &hub().public_repo, "main", path)
            .unwrap()
            .expect("exists");
        assert_eq!(m.etag, git_blob_sha1(bytes), "{path}");
        assert_eq!(m.size, bytes.len() as u64);
        assert_eq!(m.commit_hash.as_deref().map(str::len), Some(40));
        assert_eq!(
            download(&c, &hub().public_repo, path, None)
                .unwrap()
                .as_deref(),
            Some(*bytes),
            "{path}"
        );
    }
    let slice = download(
        &c,
        &hub().public_repo,
        "config.json",
        Some(ByteRange::new(2, Some(8)).unwrap()),
    )
    .unwrap()
    .unwrap();
    assert_eq!(slice, &FILES[1].1[2..8]);
    let err = download(
        &c,
        &hub().public_repo,
        "nested/a.txt",
        Some(ByteRange::new(5, None).unwrap()),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RangeNotSatisfiable);
}

#[test]
fn metadata_at_a_commit_id_matches_metadata_at_the_branch() {
    let c = cfg(false);
    let at_main = metadata(&c, &hub().public_repo, "main", "config.json")
        .unwrap()
        .unwrap();
    let commit = at_main.commit_hash.clone().unwrap();
    let at_commit = metadata(&c, &hub().public_repo, &commit, "config.json")
        .unwrap()
        .unwrap();
    assert_eq!(at_commit.etag, at_main.etag);
    assert_eq!(at_commit.commit_hash.as_deref(), Some(commit.as_str()));
}

#[test]
fn missing_things_get_their_own_error_kinds() {
    let c = cfg(true);
    assert_eq!(
        list_all(&c, repo("test-user/no-such-repo"), "main")
            .unwrap_err()
            .kind(),
        ErrorKind::RepoNotFound
    );
    assert_eq!(
        list_all(&c, repo(&hub().public_repo), "no-such-branch")
            .unwrap_err()
            .kind(),
        ErrorKind::RevisionNotFound
    );
    assert_eq!(
        metadata(&c, &hub().public_repo, "main", "no/such/file.txt").unwrap(),
        None
    );
    assert_eq!(
        download(&c, &hub().public_repo, "no-such-file.txt", None).unwrap(),
        None
    );
    assert_eq!(
        metadata(&c, &hub().public_repo, "no-such-branch", "config.json")
            .unwrap_err()
            .kind(),
        ErrorKind::RevisionNotFound
    );
}

#[test]
fn a_private_repo_needs_the_token() {
    let anon = cfg(false);
    let err = list_all(&anon, repo(&hub().private_repo), "main").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RepoNotFound);
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        download(&anon, &hub().private_repo, "config.json", None)
            .unwrap_err()
            .kind(),
        ErrorKind::RepoNotFound
    );
    let owner = cfg(true);
    let files = list_all(&owner, repo(&hub().private_repo), "main")
        .unwrap()
        .0;
    // The seeded files plus the `.gitattributes` every new repo starts with.
    assert_eq!(
        files
            .iter()
            .filter(|e| e.entry_type == EntryType::File)
            .count(),
        FILES.len() + 1
    );
    assert_eq!(
        download(&owner, &hub().private_repo, "config.json", None)
            .unwrap()
            .as_deref(),
        Some(FILES[1].1)
    );
}
