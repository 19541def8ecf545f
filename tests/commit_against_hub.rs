//! The commit state machine (`hubwasm::commit::flow`) driven against the local Hub, one request
//! at a time, with the core's own hashing and base64: what the wasm shell does with `fetch`,
//! done here with a blocking client, so the whole write path is proven natively.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::cell::RefCell;
use std::sync::OnceLock;

use hubwasm::commit::base64::encode_into;
use hubwasm::commit::flow::{Commit, CommitParams, Line, Operation, Preuploaded, SAMPLE_SIZE};
use hubwasm::commit::lfs_transfer::UploadStep;
use hubwasm::commit::ndjson::CommitOutput;
use hubwasm::commit::operations::CommitHeader;
use hubwasm::files::download::{Download, DownloadParams, DownloadStep};
use hubwasm::hashing::sha256_hex;
use hubwasm::repos::create::{build_create_repo, parse_create_repo, CreateRepoParams};
use hubwasm::{
    ErrorKind, HttpRequest, HttpResponseHead, HubConfig, HubError, RepoId, RepoPath, Revision,
};

/// Objects of 1 MiB or more upload in parts of 256 KiB.
const PART: usize = 256 * 1024;

fn hub() -> &'static support::Hub {
    static HUB: OnceLock<support::Hub> = OnceLock::new();
    HUB.get_or_init(|| support::start("--multipart-threshold 1048576 --chunk-size 262144"))
}

fn cfg() -> HubConfig {
    HubConfig::new(&hub().url, Some(&hub().token)).unwrap()
}

thread_local! {
    /// Every request this test (its own thread) sent, as `METHOD url`.
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn send(req: &HttpRequest, body: Option<&[u8]>) -> (HttpResponseHead, Vec<u8>) {
    LOG.with(|l| {
        l.borrow_mut()
            .push(format!("{} {}", req.method.as_str(), req.url))
    });
    support::send_with(req, body)
}

fn new_repo(name: &str) -> RepoId {
    let repo = RepoId::parse_designation(&format!("test-user/{name}")).unwrap();
    let req = build_create_repo(&cfg(), &repo, &CreateRepoParams::default()).unwrap();
    let (head, body) = send(&req, None);
    parse_create_repo(&head, &body).unwrap();
    repo
}

/// What a test commits: each operation, with the content of additions.
enum Op<'a> {
    Add(&'a str, Vec<u8>),
    Delete(&'a str),
    DeleteFolder(&'a str),
}

/// Runs a whole commit through the state machine; returns the answer and the requests sent.
fn commit(
    repo: &RepoId,
    ops: Vec<Op>,
    create_pr: bool,
    parent: Option<&str>,
) -> (Result<CommitOutput, HubError>, Vec<String>) {
    LOG.with(|l| l.borrow_mut().clear());
    let out = run(repo, ops, create_pr, parent);
    (out, LOG.with(|l| l.borrow().clone()))
}

fn run(
    repo: &RepoId,
    ops: Vec<Op>,
    create_pr: bool,
    parent: Option<&str>,
) -> Result<CommitOutput, HubError> {
    let mut contents = Vec::new();
    let operations = ops
        .into_iter()
        .map(|op| match op {
            Op::Add(p, bytes) => {
                let size = bytes.len() as u64;
                contents.push(bytes);
                Operation::Add {
                    path: RepoPath::new(p).unwrap(),
                    size,
                }
            }
            Op::Delete(p) => Operation::Delete(RepoPath::new(p).unwrap()),
            Op::DeleteFolder(p) => Operation::DeleteFolder(RepoPath::new(p).unwrap()),
        })
        .collect();
    let c = Commit::new(
        &cfg(),
        CommitParams {
            repo: repo.clone(),
            revision: Revision::default(),
            create_pr,
            header: CommitHeader::new("a commit", "from the native driver", parent)?,
            operations,
        },
    )?;

    // Preupload.
    let samples: Vec<Vec<u8>> = c
        .files()
        .map(|f| contents[f.index][..(f.size as usize).min(SAMPLE_SIZE)].to_vec())
        .collect();
    let git_attributes = c
        .git_attributes()
        .map(|f| String::from_utf8_lossy(&contents[f.index]).into_owned());
    let mut pre = c.preupload(&samples, git_attributes.as_deref())?;
    for k in 0..pre.requests().len() {
        let (head, body) = send(&pre.requests()[k].clone(), None);
        pre.on_response(k, &head, &body)?;
    }
    let ready = match pre.finish()? {
        Preuploaded::Ready(r) => r,
        Preuploaded::Hash(mut h) => {
            // Hashes.
            let wanted: Vec<usize> = h.wanted().map(|f| f.index).collect();
            for (k, index) in wanted.into_iter().enumerate() {
                h.set_sha256(k, &sha256_hex(&contents[index]))?;
            }
            // LFS batch.
            let mut batch = h.finish()?;
            for k in 0..batch.requests().len() {
                let (head, body) = send(&batch.requests()[k].clone(), None);
                batch.on_response(k, &head, &body)?;
            }
            // Uploads.
            let mut uploads = batch.finish()?;
            let mut all = uploads.take().unwrap();
            for up in &mut all {
                let content = &contents[up.index];
                while let UploadStep::Send(transfers) = up.object.advance()? {
                    for (i, t) in transfers.iter().enumerate() {
                        let body = t.content.map(|(s, e)| &content[s as usize..e as usize]);
                        let (head, bytes) = send(&t.request, body);
                        up.object.on_response(i, &head, &bytes)?;
                    }
                }
            }
            uploads.finish(all)?
        }
    };

    // The commit.
    let mut body = String::new();
    for line in ready.lines() {
        match line {
            Line::Text(t) => body.push_str(&t),
            Line::Inline {
                index,
                prefix,
                suffix,
            } => {
                body.push_str(&prefix);
                encode_into(&mut body, &contents[index]);
                body.push_str(&suffix);
            }
        }
    }
    let (head, answer) = send(&ready.request(), Some(body.as_bytes()));
    ready.on_response(&head, &answer)
}

/// A file's bytes at a revision, through the core's download state machine.
fn download(repo: &RepoId, revision: &str, path: &str) -> Option<Vec<u8>> {
    let (mut d, mut req) = Download::start(
        &cfg(),
        &DownloadParams {
            repo: repo.clone(),
            revision: Revision::new(revision).unwrap(),
            path: RepoPath::new(path).unwrap(),
            raw: false,
            range: None,
        },
    );
    loop {
        let (head, body) = support::send(&req);
        match d.on_response(&head, &body).unwrap() {
            DownloadStep::Body => return Some(body),
            DownloadStep::NotFound => return None,
            DownloadStep::Send(next) => req = next,
        }
    }
}

/// `n` bytes that the Hub treats as binary (they hold a zero byte), distinct per `seed`.
fn binary(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1] ^ seed)
        .chain([0])
        .take(n)
        .collect()
}

fn count(log: &[String], prefix: &str, contains: &str) -> usize {
    log.iter()
        .filter(|l| l.starts_with(prefix) && l.contains(contains))
        .count()
}

#[test]
fn a_commit_of_inline_basic_and_multipart_files_lands_and_reads_back() {
    let repo = new_repo("flow-mixed");
    let large = binary(5 * PART + 1000, 1); // six parts
    let small = binary(4000, 2);
    let (out, log) = commit(
        &repo,
        vec![
            Op::Add("README.md", b"# hello\n".to_vec()),
            Op::Add("weights/large.bin", large.clone()),
            Op::Add("small.bin", small.clone()),
        ],
        false,
        None,
    );
    let out = out.unwrap();
    assert_eq!(out.commit_oid.len(), 40);
    assert_eq!(count(&log, "POST", "/preupload/"), 1);
    assert_eq!(count(&log, "POST", "/info/lfs/objects/batch"), 1);
    assert_eq!(
        count(&log, "PUT", ""),
        6 + 1,
        "six parts and one basic upload: {log:#?}"
    );
    assert_eq!(count(&log, "POST", "/commit/"), 1);
    assert_eq!(download(&repo, "main", "README.md").unwrap(), b"# hello\n");
    assert_eq!(download(&repo, "main", "weights/large.bin").unwrap(), large);
    assert_eq!(
        download(&repo, &out.commit_oid, "small.bin").unwrap(),
        small
    );
}

#[test]
fn objects_the_hub_already_has_are_not_uploaded_again() {
    let repo = new_repo("flow-resume");
    let large = binary(2 * PART, 3);
    let (first, log) = commit(&repo, vec![Op::Add("a.bin", large.clone())], false, None);
    first.unwrap();
    assert!(count(&log, "PUT", "") > 0);
    let (second, log) = commit(
        &repo,
        vec![Op::Add("copy/a.bin", large.clone())],
        false,
        None,
    );
    second.unwrap();
    assert_eq!(count(&log, "PUT", ""), 0, "{log:#?}");
    assert_eq!(download(&repo, "main", "copy/a.bin").unwrap(), large);
}

#[test]
fn deletions_and_a_pull_request_commit_what_they_say() {
    let repo = new_repo("flow-pr");
    commit(
        &repo,
        vec![
            Op::Add("keep.txt", b"keep".to_vec()),
            Op::Add("old.txt", b"old".to_vec()),
            Op::Add("logs/a.txt", b"a".to_vec()),
        ],
        false,
        None,
    )
    .0
    .unwrap();
    let (pr, _) = commit(
        &repo,
        vec![
            Op::Delete("old.txt"),
            Op::DeleteFolder("logs"),
            Op::Add("new.bin", binary(3000, 4)),
        ],
        true,
        None,
    );
    let pr = pr.unwrap();
    let rev = pr.pr_revision().expect("a pull request");
    assert!(download(&repo, &rev, "old.txt").is_none());
    assert!(download(&repo, &rev, "logs/a.txt").is_none());
    assert_eq!(download(&repo, &rev, "keep.txt").unwrap(), b"keep");
    assert!(download(&repo, &rev, "new.bin").is_some());
    assert!(
        download(&repo, "main", "old.txt").is_some(),
        "main is untouched"
    );
}

#[test]
fn a_commit_based_on_a_moved_branch_is_refused() {
    let repo = new_repo("flow-parent");
    let first = commit(&repo, vec![Op::Add("a.txt", b"1".to_vec())], false, None)
        .0
        .unwrap();
    commit(&repo, vec![Op::Add("a.txt", b"2".to_vec())], false, None)
        .0
        .unwrap();
    let (stale, log) = commit(
        &repo,
        vec![Op::Add("a.txt", b"3".to_vec())],
        false,
        Some(&first.commit_oid),
    );
    assert_eq!(stale.unwrap_err().kind(), ErrorKind::PreconditionFailed);
    assert_eq!(count(&log, "POST", "/commit/"), 1);
    assert_eq!(download(&repo, "main", "a.txt").unwrap(), b"2");
}

#[test]
fn a_gitattributes_committed_alongside_decides_what_goes_through_lfs() {
    let repo = new_repo("flow-attributes");
    let (out, log) = commit(
        &repo,
        vec![
            Op::Add(
                ".gitattributes",
                b"*.txt filter=lfs diff=lfs merge=lfs -text\n".to_vec(),
            ),
            Op::Add("notes.txt", b"plain text, but LFS by the new rule".to_vec()),
        ],
        false,
        None,
    );
    out.unwrap();
    assert_eq!(
        count(&log, "POST", "/info/lfs/objects/batch"),
        1,
        "{log:#?}"
    );
    assert_eq!(
        download(&repo, "main", "notes.txt").unwrap(),
        b"plain text, but LFS by the new rule"
    );
}

#[test]
fn bad_input_fails_before_any_request() {
    let repo = RepoId::parse_designation("test-user/never-created").unwrap();
    let (dup, log) = commit(
        &repo,
        vec![Op::Add("a", b"1".to_vec()), Op::Delete("a")],
        false,
        None,
    );
    assert_eq!(dup.unwrap_err().kind(), ErrorKind::InvalidInput);
    let (parent, log2) = commit(&repo, vec![Op::Delete("a")], false, Some("not-hex"));
    assert_eq!(parent.unwrap_err().kind(), ErrorKind::InvalidInput);
    assert!(log.is_empty() && log2.is_empty());
}
