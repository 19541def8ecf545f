//! Test helpers that bring a commit to any state with canned answers, so each state's tests
//! start where they need to.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::commit::lfs_transfer::UploadStep;
use crate::http::{Headers, HttpResponseHead};

pub const A: &str = "b1a614c8bd7f53b524c1923c590c8808a4752c284b05ab246294402d91793eec";
pub const B: &str = "c521b557ad72abdb40cd5e1a06f33e5f8d251d15fe8fa4babc4c1d92bfe94016";
const HASHES: [&str; 3] = [
    A,
    B,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
];

pub fn hub() -> String {
    String::from("https://huggingface.co")
}

pub fn ok() -> HttpResponseHead {
    status(200)
}

pub fn status(status: u16) -> HttpResponseHead {
    HttpResponseHead {
        status,
        url: String::from("https://huggingface.co/api/models/u/m/preupload/main"),
        headers: Headers::new(),
    }
}

/// `(kind, path, size)` → operations.
pub fn ops(list: &[(&str, &str, u64)]) -> Vec<Operation> {
    list.iter()
        .map(|&(kind, path, size)| {
            let path = RepoPath::new(path).unwrap();
            match kind {
                "add" => Operation::Add { path, size },
                "delete" => Operation::Delete(path),
                _ => Operation::DeleteFolder(path),
            }
        })
        .collect()
}

pub fn commit(operations: &[Operation]) -> Commit<Start> {
    let cfg = HubConfig::new(&hub(), Some("hf_t")).unwrap();
    Commit::new(
        &cfg,
        CommitParams {
            repo: RepoId::parse_designation("u/m").unwrap(),
            revision: Revision::default(),
            create_pr: false,
            header: CommitHeader::new("t", "", None).unwrap(),
            operations: operations.to_vec(),
        },
    )
    .unwrap()
}

/// A preupload answer: `(path, uploadMode, shouldIgnore)`.
pub fn decisions(list: &[(&str, &str, bool)]) -> Vec<u8> {
    let files: Vec<serde_json::Value> = list
        .iter()
        .map(|(p, m, i)| serde_json::json!({"path": p, "uploadMode": m, "shouldIgnore": i}))
        .collect();
    serde_json::to_vec(&serde_json::json!({ "files": files })).unwrap()
}

/// An LFS batch answer: `(oid, size, upload href)`; no href means stored already.
pub fn batch_answer(list: &[(&str, u64, Option<&str>)]) -> String {
    let objects: Vec<serde_json::Value> = list
        .iter()
        .map(|(oid, size, href)| match href {
            Some(h) => {
                serde_json::json!({"oid": oid, "size": size, "actions": {"upload": {"href": h}}})
            }
            None => serde_json::json!({"oid": oid, "size": size}),
        })
        .collect();
    serde_json::to_string(&serde_json::json!({ "objects": objects })).unwrap()
}

pub fn at_preupload(list: &[(&str, &str, u64)]) -> Commit<Preupload> {
    let c = commit(&ops(list));
    let n = c.files().count();
    c.preupload(&alloc::vec![Vec::new(); n], None).unwrap()
}

/// Preupload answered with `answers` (every batch of up to 100 at once).
fn preuploaded(list: &[(&str, &str, u64)], answers: &[(&str, &str, bool)]) -> Preuploaded {
    let mut c = at_preupload(list);
    for (k, chunk) in answers.chunks(100).enumerate() {
        c.on_response(k, &ok(), &decisions(chunk)).unwrap();
    }
    c.finish().unwrap()
}

/// Every added file goes through LFS.
pub fn at_hashes(list: &[(&str, &str, u64)]) -> Commit<Hashes> {
    let answers: Vec<(&str, &str, bool)> = list
        .iter()
        .filter(|(k, _, _)| *k == "add")
        .map(|(_, p, _)| (*p, "lfs", false))
        .collect();
    match preuploaded(list, &answers) {
        Preuploaded::Hash(h) => h,
        Preuploaded::Ready(_) => panic!("nothing to hash"),
    }
}

fn hashed(mut h: Commit<Hashes>) -> Commit<LfsBatch> {
    let n = h.wanted().count();
    for (k, oid) in HASHES.iter().take(n).enumerate() {
        h.set_sha256(k, oid).unwrap();
    }
    h.finish().unwrap()
}

pub fn at_lfs_batch(list: &[(&str, &str, u64)]) -> Commit<LfsBatch> {
    hashed(at_hashes(list))
}

/// Every file through LFS; `upload[k]`: whether the Hub lacks object `k` (a basic upload).
pub fn at_uploads(list: &[(&str, &str, u64)], upload: &[bool]) -> Commit<Uploads> {
    let mut l = at_lfs_batch(list);
    let answer: Vec<(&str, u64, Option<&str>)> = l
        .state
        .objects
        .iter()
        .zip(upload)
        .map(|(o, &up)| (o.oid.as_str(), o.size, up.then_some("https://s3/put")))
        .collect();
    let body = batch_answer(&answer);
    l.on_response(0, &ok(), body.as_bytes()).unwrap();
    l.finish().unwrap()
}

/// Preupload answered with `answers`; LFS files hashed `A`, `B`, … and stored already.
pub fn at_ready(list: &[(&str, &str, u64)], answers: &[(&str, &str, bool)]) -> Commit<Ready> {
    match preuploaded(list, answers) {
        Preuploaded::Ready(r) => r,
        Preuploaded::Hash(h) => {
            let mut l = hashed(h);
            let answer: Vec<(&str, u64, Option<&str>)> = l
                .state
                .objects
                .iter()
                .map(|o| (o.oid.as_str(), o.size, None))
                .collect();
            let body = batch_answer(&answer);
            l.on_response(0, &ok(), body.as_bytes()).unwrap();
            let mut u = l.finish().unwrap();
            let mut ups = u.take().unwrap();
            for up in &mut ups {
                assert_eq!(up.object.advance().unwrap(), UploadStep::Done);
            }
            u.finish(ups).unwrap()
        }
    }
}
