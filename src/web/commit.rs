//! `commit`: preupload → hash → LFS batch → uploads → one NDJSON commit, driven through the
//! caller's `fetch`, with progress, retries of idempotent steps, and abort at any point.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use alloc::boxed::Box;
use core::cell::RefCell;

use js_sys::{Array, Function, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::bounded::bounded;
use super::content::Content;
use super::errors::is_abort;
use super::failure::Failure;
use super::options::{self, FromOpts, Opts, Target};
use super::progress::Progress;
use super::retrying::{Payload, Sender};
use super::sleep::check_abort;
use super::transport::Transport;
use super::upload::Uploader;
use crate::commit::base64;
use crate::commit::lfs_batch::{build_lfs_batch, parse_lfs_batch, LfsObject, UploadAction};
use crate::commit::ndjson::{
    build_commit, deleted_file_line, deleted_folder_line, file_line_parts, header_line,
    lfs_file_line, parse_commit, validate_operations, CommitHeader, OperationKind,
};
use crate::commit::preupload::{
    build_preupload, parse_preupload, PreuploadFile, UploadMode, SAMPLE_SIZE,
};
use crate::error::{ErrorKind, HubError};
use crate::http::retry::{Idempotency, RetryPolicy};
use crate::ids::path::RepoPath;

struct WireOp {
    kind: String,
    path: String,
}

#[derive(Default)]
struct RetryOptions {
    max_retries: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
}

struct CommitOptions {
    target: Target,
    title: String,
    description: String,
    parent_commit: Option<String>,
    is_pull_request: bool,
    operations: Vec<WireOp>,
    retry: Option<RetryOptions>,
    file_concurrency: Option<usize>,
    part_concurrency: Option<usize>,
    hash_concurrency: Option<usize>,
}

impl FromOpts for CommitOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        let operations = o
            .array("operations")?
            .iter()
            .map(|op| {
                let op = match op {
                    serde_json::Value::Object(map) => Opts::nested(o, map),
                    _ => return Err(HubError::invalid_input("every operation must be an object")),
                };
                Ok(WireOp {
                    kind: String::from(op.required("kind")?),
                    path: String::from(op.required("path")?),
                })
            })
            .collect::<Result<_, _>>()?;
        let retry = match o.object("retry")? {
            None => None,
            Some(r) => Some(RetryOptions {
                max_retries: r.count("maxRetries")?,
                base_delay_ms: r.int("baseDelayMs")?,
                max_delay_ms: r.int("maxDelayMs")?,
            }),
        };
        let concurrency = |key| Ok::<_, HubError>(o.count(key)?.map(|n| n as usize));
        Ok(CommitOptions {
            target: Target::from_opts(o)?,
            title: String::from(o.required("title")?),
            description: o.string("description")?.unwrap_or_default(),
            parent_commit: o.string("parentCommit")?,
            is_pull_request: o.flag("isPullRequest")?,
            operations,
            retry,
            file_concurrency: concurrency("fileConcurrency")?,
            part_concurrency: concurrency("partConcurrency")?,
            hash_concurrency: concurrency("hashConcurrency")?,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommitRef {
    oid: String,
    url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommitResult {
    commit: CommitRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull_request_url: Option<String>,
    hook_output: String,
}

/// A file to add, with what we learn about it along the way.
struct Add {
    index: usize,
    path: RepoPath,
    content: Content,
    mode: UploadMode,
    ignored: bool,
    sha256: Option<String>,
}

/// Inline content is folded into a `Blob` every this many bytes so the JS heap never holds the
/// whole commit body as strings.
const FOLD_BYTES: usize = 16 * 1024 * 1024;
/// Size of the strings the commit body's lines are joined into.
const PIECE_BYTES: usize = 1024 * 1024;
/// Parts of one multipart file in flight by default. Every part URL is distinct, so in browsers
/// each part waits for its own CORS preflight; six hide that wait better than four
/// (bench/README.md).
const PARTS_AT_ONCE: usize = 6;
/// Preupload batches in flight at once.
const PREUPLOADS_AT_ONCE: usize = 4;

/// Creates a commit. `contents[i]` is the content of `operations[i]` for additions.
#[wasm_bindgen(js_name = commit)]
pub async fn commit(
    opts: JsValue,
    contents: Array,
    fetch: Function,
    signal: JsValue,
    on_progress: JsValue,
    hasher: JsValue,
) -> Result<JsValue, JsValue> {
    let o: CommitOptions =
        options::parse(opts, "commit").map_err(|e| Failure::from(e).into_js())?;
    let progress = Progress::new(on_progress);
    run(
        o,
        contents,
        Transport::new(fetch, signal.clone()),
        &signal,
        &progress,
        hasher,
    )
    .await
    .map_err(Failure::into_js)
}

/// The validated parts of a commit's options.
struct Checked<'a> {
    cfg: crate::http::config::HubConfig,
    repo: crate::ids::repo::RepoId,
    revision: crate::ids::revision::Revision,
    header: CommitHeader,
    kinds: Vec<(OperationKind, &'a str)>,
    paths: Vec<RepoPath>,
}

fn check(o: &CommitOptions) -> Result<Checked<'_>, HubError> {
    let cfg = o.target.config()?;
    let repo = o.target.repo()?;
    let revision = o.target.revision()?;
    let header = CommitHeader::new(&o.title, &o.description, o.parent_commit.as_deref())?;
    let kinds = o
        .operations
        .iter()
        .map(|op| match op.kind.as_str() {
            "add" => Ok((OperationKind::Add, op.path.as_str())),
            "delete" => Ok((OperationKind::Delete, op.path.as_str())),
            "deleteFolder" => Ok((OperationKind::DeleteFolder, op.path.as_str())),
            other => Err(HubError::invalid_input(format!(
                "unknown operation {other:?}"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let paths = validate_operations(&kinds)?;
    Ok(Checked {
        cfg,
        repo,
        revision,
        header,
        kinds,
        paths,
    })
}

/// Checks a commit's options without sending anything, so the TypeScript layer can reject bad
/// input before it even reads remote (URL) contents.
#[wasm_bindgen(js_name = checkCommit)]
pub fn check_commit(opts: JsValue) -> Result<(), JsValue> {
    let o: CommitOptions =
        options::parse(opts, "commit").map_err(|e| Failure::from(e).into_js())?;
    check(&o)
        .map(|_| ())
        .map_err(|e| Failure::from(e).into_js())
}

async fn run(
    o: CommitOptions,
    contents: Array,
    t: Transport,
    signal: &JsValue,
    progress: &Progress,
    hasher: JsValue,
) -> Result<JsValue, Failure> {
    // Everything the caller could get wrong is checked before the first request.
    let Checked {
        cfg,
        repo,
        revision,
        header,
        kinds,
        paths,
    } = check(&o)?;
    let mut adds = Vec::new();
    for (i, ((kind, _), path)) in kinds.iter().zip(&paths).enumerate() {
        if *kind == OperationKind::Add {
            let content = Content::new(contents.get(i as u32), path.as_str())?;
            adds.push(Add {
                index: i,
                path: path.clone(),
                content,
                mode: UploadMode::Regular,
                ignored: false,
                sha256: None,
            });
        }
    }
    let policy = retry_policy(o.retry.as_ref());
    let create_pr = o.is_pull_request;

    // 1. Preupload: the Hub decides regular vs LFS for every added file.
    progress.phase("preuploading");
    let mut asked = Vec::with_capacity(adds.len());
    for a in &adds {
        let n = a.content.size().min(SAMPLE_SIZE as u64);
        asked.push(PreuploadFile {
            path: a.path.clone(),
            size: a.content.size(),
            sample: a.content.read(0, n).await?,
        });
    }
    let git_attributes = match adds.iter().find(|a| a.path.as_str() == ".gitattributes") {
        Some(a) => {
            Some(String::from_utf8_lossy(&a.content.read(0, a.content.size()).await?).into_owned())
        }
        None => None,
    };
    let reqs = build_preupload(
        &cfg,
        &repo,
        &revision,
        &asked,
        create_pr,
        git_attributes.as_deref(),
    );
    let sender = Sender {
        t: &t,
        policy: &policy,
        signal,
    };
    // Batches go out a few at a time: each is a small request, so latency dominates.
    let batches: Vec<_> = reqs
        .iter()
        .zip(asked.chunks(crate::commit::preupload::BATCH_SIZE))
        .collect();
    let decided = RefCell::new(Vec::new());
    bounded(PREUPLOADS_AT_ONCE, batches.len(), &|k| {
        let ((req, batch), sender, decided) = (batches[k], &sender, &decided);
        Box::pin(async move {
            sender
                .send(req, Idempotency::Idempotent, Payload::Core, &mut |h, b| {
                    decided
                        .borrow_mut()
                        .push((k, parse_preupload(h, b, batch)?));
                    Ok(())
                })
                .await
        })
    })
    .await?;
    // Batch k asked about adds[k * BATCH_SIZE..]; its answers usually come in the same order.
    for (k, answers) in decided.into_inner() {
        let start = k * crate::commit::preupload::BATCH_SIZE;
        let end = (start + crate::commit::preupload::BATCH_SIZE).min(adds.len());
        let batch = &mut adds[start..end];
        for (j, d) in answers.into_iter().enumerate() {
            let same = batch.get(j).is_some_and(|a| a.path.as_str() == d.path);
            let found = if same {
                Some(j)
            } else {
                batch.iter().position(|a| a.path.as_str() == d.path)
            };
            if let Some(a) = found.map(|j| &mut batch[j]) {
                a.mode = d.upload_mode;
                a.ignored = d.should_ignore;
            }
        }
    }
    if !kinds.iter().any(|(k, _)| *k != OperationKind::Add) && adds.iter().all(|a| a.ignored) {
        return Err(HubError::invalid_input(
            "nothing to commit: the repo's .gitignore excludes every file",
        )
        .into());
    }

    // 2. Hash LFS files (bounded memory: the hasher streams each file).
    let lfs: Vec<usize> = (0..adds.len())
        .filter(|&i| adds[i].mode == UploadMode::Lfs && !adds[i].ignored)
        .collect();
    if !lfs.is_empty() {
        progress.phase("hashing");
        let hasher: Function = hasher
            .clone()
            .dyn_into()
            .map_err(|_| HubError::invalid_input("commit needs a hasher function"))?;
        let oids = RefCell::new(alloc::vec![String::new(); lfs.len()]);
        bounded(o.hash_concurrency.unwrap_or(4), lfs.len(), &|k| {
            let (a, hasher, oids) = (&adds[lfs[k]], &hasher, &oids);
            Box::pin(async move {
                let path = a.path.as_str();
                let total = a.content.size();
                progress.file(path, "hashing", 0, total);
                let oid = external_hash(hasher, &a.content, path, total, progress, signal).await?;
                progress.file(path, "hashing", total, total);
                oids.borrow_mut()[k] = oid;
                Ok(())
            })
        })
        .await?;
        for (&i, oid) in lfs.iter().zip(oids.into_inner()) {
            adds[i].sha256 = Some(oid);
        }

        // 3. LFS batch, then the uploads the server still needs.
        progress.phase("uploadingLargeFiles");
        let objects: Vec<LfsObject> = lfs
            .iter()
            .map(|&i| {
                LfsObject::new(
                    adds[i].sha256.as_deref().unwrap_or_default(),
                    adds[i].content.size(),
                )
            })
            .collect::<Result<_, _>>()?;
        let lfs_ref = (!create_pr).then_some(&revision);
        let mut actions: Vec<UploadAction> = Vec::with_capacity(objects.len());
        for (req, batch) in build_lfs_batch(&cfg, &repo, lfs_ref, &objects)
            .iter()
            .zip(objects.chunks(crate::commit::lfs_batch::BATCH_SIZE))
        {
            sender
                .send(req, Idempotency::Idempotent, Payload::Core, &mut |h, b| {
                    actions.extend(parse_lfs_batch(h, b, batch)?);
                    Ok(())
                })
                .await?;
        }
        let uploader = Uploader {
            cfg: &cfg,
            sender: &sender,
            progress,
            part_concurrency: o.part_concurrency.unwrap_or(PARTS_AT_ONCE),
        };
        let (objects, actions) = (&objects, &actions);
        bounded(o.file_concurrency.unwrap_or(4), lfs.len(), &|k| {
            let (uploader, a) = (&uploader, &adds[lfs[k]]);
            Box::pin(async move {
                uploader
                    .upload(a.path.as_str(), &a.content, &objects[k], &actions[k])
                    .await
            })
        })
        .await?;
    }

    // 4. The commit itself, body built from pieces.
    progress.phase("committing");
    check_abort(signal)?;
    let body = commit_body(&header, &kinds, &paths, &adds).await?;
    let req = build_commit(&cfg, &repo, &revision, create_pr);
    let mut out = None;
    sender
        .send(
            &req,
            Idempotency::Commit,
            Payload::Js(&body),
            &mut |h, b| {
                out = Some(parse_commit(h, b)?);
                Ok(())
            },
        )
        .await?;
    let out = out.ok_or_else(|| HubError::invalid_input("no commit answer"))?;
    for a in adds.iter().filter(|a| !a.ignored) {
        progress.file(
            a.path.as_str(),
            "committed",
            a.content.size(),
            a.content.size(),
        );
    }
    let result = CommitResult {
        commit: CommitRef {
            oid: out.commit_oid,
            url: out.commit_url,
        },
        pull_request_url: out.pull_request_url,
        hook_output: out.hook_output,
    };
    serde_json::to_string(&result)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| HubError::new(ErrorKind::MalformedResponse, e.to_string()).into())
}

fn retry_policy(r: Option<&RetryOptions>) -> RetryPolicy {
    let d = RetryPolicy::default();
    match r {
        None => d,
        Some(r) => RetryPolicy {
            max_retries: r.max_retries.unwrap_or(d.max_retries),
            base_delay_ms: r.base_delay_ms.unwrap_or(d.base_delay_ms),
            max_delay_ms: r.max_delay_ms.unwrap_or(d.max_delay_ms),
            ..d
        },
    }
}

/// The hash, computed by the TypeScript layer's hasher (wasm on a stream, a Web Worker pool,
/// `node:crypto`): `hasher(content, onBytes)`.
async fn external_hash(
    f: &Function,
    content: &Content,
    path: &str,
    total: u64,
    progress: &Progress,
    signal: &JsValue,
) -> Result<String, Failure> {
    let path_owned = path.to_string();
    let progress = progress.clone();
    // Owned by JS from here on: a hasher that reports late (a Web Worker finishing after an
    // abort) must find a live function, not a dropped closure.
    let report = Closure::<dyn Fn(f64)>::new(move |done: f64| {
        progress.file(&path_owned, "hashing", done as u64, total);
    })
    .into_js_value();
    let p = f
        .apply(
            &JsValue::UNDEFINED,
            &js_sys::Array::of4(content.js(), &report, signal, &JsValue::from_str(path)),
        )
        .map_err(|e| {
            Failure::Hub(
                HubError::new(ErrorKind::Storage, "the hasher failed"),
                Some(e),
            )
        })?;
    let p: Promise = p
        .dyn_into()
        .map_err(|_| HubError::invalid_input("the hasher must return a Promise"))?;
    // An abort ends the wait at once, whether or not the hasher itself listens to the signal.
    let p = Promise::race(&js_sys::Array::of2(&p, &super::sleep::aborted(signal)));
    let v = JsFuture::from(p).await.map_err(|e| {
        if is_abort(&e) {
            Failure::Aborted(e)
        } else {
            Failure::Hub(
                HubError::new(ErrorKind::Storage, format!("hashing {path} failed")),
                Some(e),
            )
        }
    })?;
    check_abort(signal)?;
    let oid = v.as_string().unwrap_or_default().to_ascii_lowercase();
    LfsObject::new(&oid, total)?;
    Ok(oid)
}

async fn commit_body(
    header: &CommitHeader,
    kinds: &[(OperationKind, &str)],
    paths: &[RepoPath],
    adds: &[Add],
) -> Result<JsValue, Failure> {
    let mut body = Body::default();
    body.line(&header_line(header))?;
    // `adds` are in operation order.
    let mut next_add = adds.iter().peekable();
    for (i, ((kind, _), path)) in kinds.iter().zip(paths).enumerate() {
        match kind {
            OperationKind::Delete => body.line(&deleted_file_line(path))?,
            OperationKind::DeleteFolder => body.line(&deleted_folder_line(path))?,
            OperationKind::Add => {
                let Some(a) = next_add.next_if(|a| a.index == i) else {
                    continue;
                };
                if a.ignored {
                    continue;
                }
                match (a.mode, &a.sha256) {
                    (UploadMode::Lfs, Some(oid)) => {
                        body.line(&lfs_file_line(path, oid, a.content.size()))?
                    }
                    _ => {
                        let (prefix, suffix) = file_line_parts(path);
                        let bytes = a.content.read(0, a.content.size()).await?;
                        let mut line = prefix;
                        base64::encode_into(&mut line, &bytes);
                        line.push_str(&suffix);
                        body.line(&line)?;
                    }
                }
            }
        }
    }
    body.finish()
}

/// The NDJSON commit body as a `Blob` built from pieces: lines are joined into strings of about
/// `PIECE_BYTES` (Node sends each part of a body as its own write, so a thousand one-line parts
/// are slow), and every `FOLD_BYTES` the pieces are folded into a `Blob`, so the body never sits
/// in wasm memory whole.
#[derive(Default)]
struct Body {
    parts: Vec<JsValue>,
    piece: String,
    pending: usize,
    folded: Option<JsValue>,
}

impl Body {
    fn line(&mut self, line: &str) -> Result<(), Failure> {
        self.pending += line.len();
        if line.len() >= PIECE_BYTES {
            // A large inline file: its own part, without a second copy in wasm memory.
            self.flush_piece();
            self.parts.push(bytes_of(line));
        } else {
            self.piece.push_str(line);
            if self.piece.len() >= PIECE_BYTES {
                self.flush_piece();
            }
        }
        if self.pending >= FOLD_BYTES {
            self.folded = Some(self.fold()?);
            self.pending = 0;
        }
        Ok(())
    }

    fn flush_piece(&mut self) {
        if !self.piece.is_empty() {
            self.parts.push(bytes_of(&self.piece));
            self.piece = String::new();
        }
    }

    fn fold(&mut self) -> Result<JsValue, Failure> {
        self.flush_piece();
        let all = Array::new();
        if let Some(p) = self.folded.take() {
            all.push(&p);
        }
        for v in self.parts.drain(..) {
            all.push(&v);
        }
        blob_of(&all)
    }

    fn finish(mut self) -> Result<JsValue, Failure> {
        self.fold()
    }
}

/// Text as UTF-8 bytes in a JS array: a Blob takes them as they are, where a JS string would be
/// decoded from UTF-8 here and encoded again by the Blob.
fn bytes_of(text: &str) -> JsValue {
    js_sys::Uint8Array::from(text.as_bytes()).into()
}

/// `new Blob(parts)`, typed as NDJSON.
fn blob_of(parts: &Array) -> Result<JsValue, Failure> {
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("application/x-ndjson");
    web_sys::Blob::new_with_blob_sequence_and_options(parts, &bag)
        .map(Into::into)
        .map_err(|e| {
            Failure::Hub(
                HubError::new(ErrorKind::Storage, "cannot build the commit body"),
                Some(e),
            )
        })
}
