//! `commit`: drives the core's commit state machine (`crate::commit::flow`) through the
//! caller's `fetch` — reading contents, hashing, running requests a few at a time, retrying
//! idempotent steps, reporting progress, and stopping at once on abort.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use super::bounded::bounded;
use super::failure::Failure;
use super::retrying::{Payload, Sender};
use super::sleep::check_abort;
use super::transport::Transport;
use crate::call::to_json;
use crate::commit::base64;
use crate::commit::flow::{
    Commit, CommitParams, Hashes, Line, Operation, Preuploaded, Ready, SAMPLE_SIZE,
};
use crate::commit::ndjson::CommitResult;
use crate::commit::operations::{CommitHeader, OperationKind};
use crate::commit::options::CommitOptions;
use crate::error::HubError;
use crate::http::retry::Idempotency;
use crate::options;
use crate::{HubConfig, RepoPath};
use body::Body;
use content::Content;
use progress::Progress;

mod body;
pub mod content;
mod hasher;
mod progress;
mod upload;

/// Parts of one multipart file in flight by default. Every part URL is distinct, so in browsers
/// each part waits for its own CORS preflight; six hide that wait better than four
/// (bench/README.md).
const PARTS_AT_ONCE: usize = 6;
/// Preupload batches in flight at once.
const PREUPLOADS_AT_ONCE: usize = 4;
/// Files hashed, and files uploaded, at once by default.
const FILES_AT_ONCE: usize = 4;

/// Creates a commit. `contents[i]` is the content of `operations[i]` for additions.
#[wasm_bindgen(js_name = commit)]
pub async fn commit(
    opts: String,
    contents: Array,
    fetch: Function,
    signal: JsValue,
    on_progress: JsValue,
    hasher: JsValue,
) -> Result<JsValue, JsValue> {
    let o: CommitOptions =
        options::parse(&opts, "commit").map_err(|e| Failure::from(e).into_js())?;
    let progress = Progress::new(on_progress);
    let t = Transport::new(fetch, signal.clone());
    run(o, contents, &t, &signal, &progress, hasher)
        .await
        .map_err(Failure::into_js)
}

/// Checks a commit's options without sending anything, so the TypeScript layer can reject bad
/// input before it even reads remote (URL) contents.
#[wasm_bindgen(js_name = checkCommit)]
pub fn check_commit(opts: String) -> Result<(), JsValue> {
    options::parse::<CommitOptions>(&opts, "commit")
        .and_then(|o| check(&o))
        .map(|_| ())
        .map_err(|e| Failure::from(e).into_js())
}

/// Everything the caller could get wrong, checked before the first request.
fn check(o: &CommitOptions) -> Result<(HubConfig, CommitHeader, Vec<RepoPath>), HubError> {
    let cfg = o.base.config()?;
    o.base.revision()?;
    Ok((cfg, o.header()?, o.paths()?))
}

async fn run(
    o: CommitOptions,
    contents: Array,
    t: &Transport,
    signal: &JsValue,
    progress: &Progress,
    hasher: JsValue,
) -> Result<JsValue, Failure> {
    let (cfg, header, paths) = check(&o)?;
    let mut adds = Vec::new();
    let mut operations = Vec::with_capacity(paths.len());
    for (i, (op, path)) in o.operations.0.iter().zip(paths).enumerate() {
        let mut size = 0;
        if op.kind == OperationKind::Add {
            let content = Content::new(contents.get(i as u32), path.as_str())?;
            size = content.size();
            adds.push(content);
        }
        operations.push(Operation::new(&op.kind, path, size));
    }
    let commit = Commit::new(
        &cfg,
        CommitParams {
            repo: o.base.repo(),
            revision: o.base.revision()?,
            create_pr: o.is_pull_request,
            header,
            operations,
        },
    )?;
    let sender = Sender {
        t,
        policy: &o.retry.0,
        signal,
    };

    // 1. Preupload: the Hub decides regular vs LFS for every added file.
    progress.phase("preuploading");
    let mut samples = Vec::with_capacity(adds.len());
    for f in commit.files() {
        samples.push(
            adds[f.index]
                .read(0, f.size.min(SAMPLE_SIZE as u64))
                .await?,
        );
    }
    let git_attributes = match commit.git_attributes() {
        Some(f) => {
            Some(String::from_utf8_lossy(&adds[f.index].read(0, f.size).await?).into_owned())
        }
        None => None,
    };
    let pre = RefCell::new(commit.preupload(&samples, git_attributes.as_deref())?);
    drop(samples);
    // Batches go out a few at a time: each is a small request, so latency dominates.
    let n = pre.borrow().requests().len();
    bounded(PREUPLOADS_AT_ONCE, n, &|k| {
        let (pre, sender) = (&pre, &sender);
        Box::pin(async move {
            let req = pre.borrow().requests()[k].clone();
            sender
                .send(&req, Idempotency::Idempotent, Payload::Core, &mut |h, b| {
                    pre.borrow_mut().on_response(k, h, b)
                })
                .await
        })
    })
    .await?;
    let ready = match pre.into_inner().finish()? {
        Preuploaded::Ready(r) => r,
        Preuploaded::Hash(h) => {
            let hasher: Function = hasher
                .dyn_into()
                .map_err(|_| HubError::invalid_input("commit needs a hasher function"))?;
            let c = Driver {
                adds: &adds,
                sender: &sender,
                signal,
                progress,
                o: &o,
            };
            c.store_lfs_files(h, &hasher).await?
        }
    };

    // 4. The commit itself, its body built from pieces.
    progress.phase("committing");
    check_abort(signal)?;
    let body = commit_body(&ready, &adds).await?;
    let req = ready.request();
    let mut out = None;
    sender
        .send(
            &req,
            Idempotency::Commit,
            Payload::Js(&body),
            &mut |h, b| {
                out = Some(ready.on_response(h, b)?);
                Ok(())
            },
        )
        .await?;
    let out = out.ok_or_else(|| HubError::invalid_input("no commit answer"))?;
    for f in ready.committed() {
        progress.file(f.path.as_str(), "committed", f.size, f.size);
    }
    Ok(JsValue::from_str(&to_json(&CommitResult::from(out))?))
}

/// What the LFS steps share.
struct Driver<'a> {
    adds: &'a [Content],
    sender: &'a Sender<'a>,
    signal: &'a JsValue,
    progress: &'a Progress,
    o: &'a CommitOptions,
}

impl Driver<'_> {
    /// 2. Hash the LFS files, 3. ask the LFS batch and upload what the Hub lacks.
    async fn store_lfs_files(
        &self,
        h: Commit<Hashes>,
        hasher: &Function,
    ) -> Result<Commit<Ready>, Failure> {
        let (adds, progress, signal) = (self.adds, self.progress, self.signal);
        self.progress.phase("hashing");
        let wanted: Vec<(usize, String, u64)> = h
            .wanted()
            .map(|f| (f.index, String::from(f.path.as_str()), f.size))
            .collect();
        let h = RefCell::new(h);
        let at_once = self
            .o
            .hash_concurrency
            .map_or(FILES_AT_ONCE, |n| n as usize);
        bounded(at_once, wanted.len(), &|k| {
            let ((index, path, total), h) = (&wanted[k], &h);
            Box::pin(async move {
                progress.file(path, "hashing", 0, *total);
                let oid =
                    hasher::external_hash(hasher, &adds[*index], path, *total, progress, signal)
                        .await?;
                h.borrow_mut().set_sha256(k, &oid)?;
                progress.file(path, "hashing", *total, *total);
                Ok(())
            })
        })
        .await?;

        self.progress.phase("uploadingLargeFiles");
        let mut batch = h.into_inner().finish()?;
        for k in 0..batch.requests().len() {
            let req = batch.requests()[k].clone();
            self.sender
                .send(
                    &req,
                    Idempotency::Idempotent,
                    Payload::Core,
                    &mut |hd, b| batch.on_response(k, hd, b),
                )
                .await?;
        }
        let mut uploads = batch.finish()?;
        let running: Vec<_> = uploads
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(RefCell::new)
            .collect();
        let runner = upload::Runner {
            sender: self.sender,
            progress,
            part_concurrency: self
                .o
                .part_concurrency
                .map_or(PARTS_AT_ONCE, |n| n as usize),
        };
        let at_once = self
            .o
            .file_concurrency
            .map_or(FILES_AT_ONCE, |n| n as usize);
        let wanted = &wanted;
        bounded(at_once, running.len(), &|k| {
            let (runner, up) = (&runner, &running[k]);
            Box::pin(async move {
                let (path, content) = {
                    let index = up.borrow().index;
                    (wanted_path(wanted, index), &adds[index])
                };
                runner.run(path, content, up).await
            })
        })
        .await?;
        Ok(uploads.finish(running.into_iter().map(RefCell::into_inner).collect())?)
    }
}

/// The path of added file `index` among the hashed ones.
fn wanted_path(wanted: &[(usize, String, u64)], index: usize) -> &str {
    wanted
        .iter()
        .find(|(i, _, _)| *i == index)
        .map_or("", |(_, p, _)| p.as_str())
}

async fn commit_body(ready: &Commit<Ready>, adds: &[Content]) -> Result<JsValue, Failure> {
    let mut body = Body::default();
    for line in ready.lines() {
        match line {
            Line::Text(text) => body.line(&text)?,
            Line::Inline {
                index,
                mut prefix,
                suffix,
            } => {
                let content = &adds[index];
                let bytes = content.read(0, content.size()).await?;
                base64::encode_into(&mut prefix, &bytes);
                prefix.push_str(&suffix);
                body.line(&prefix)?;
            }
        }
    }
    body.finish()
}
