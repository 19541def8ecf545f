//! The commit state machine (`crate::commit::flow`) for the TypeScript driver (`js/src/commit-
//! driver.ts`), which reads contents, hashes, sends, retries and reports progress. Every export
//! takes the commit's id and returns JSON text (`{"error": …}` on failure, after which the
//! commit is gone); the order of calls is the state machine's:
//!
//! `commitStart` → `commitPreupload` → `commitAnswer` per request → `commitNext` →
//! (`commitSetSha256` per file → `commitNext` → `commitAnswer` per LFS batch → `commitNext` →
//! `uploadAdvance` / `uploadAnswer` per upload → `commitNext`) → `commitBody` →
//! `commitAnswer` with the commit's answer → `commitEnd`.

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

use super::envelope::{self, error, head, outcome, wrap};
use super::slab::Slab;
use crate::call::to_json;
use crate::commit::flow::{
    AddedFile, Commit, CommitParams, Hashes, LfsBatch, Line, Operation, Preupload, Preuploaded,
    Ready, Start, Upload, Uploads,
};
use crate::commit::lfs_transfer::UploadStep;
use crate::commit::ndjson::CommitResult;
use crate::commit::options::CommitOptions;
use crate::error::HubError;
use crate::http::json::{push_string, push_u64};
use crate::http::HttpRequest;
use crate::options;

enum State {
    Start(Commit<Start>),
    Preupload(Commit<Preupload>),
    Hashes(Commit<Hashes>),
    Lfs(Commit<LfsBatch>),
    Uploads(Commit<Uploads>, Vec<Upload>),
    Ready(Commit<Ready>),
}

static COMMITS: Slab<State> = Slab::new();

fn misuse() -> HubError {
    HubError::invalid_input("the commit was driven out of order")
}

/// Runs `f` on the commit `id`, taking its state out and putting back what `f` returns; an
/// error ends the commit.
fn step(id: u32, f: impl FnOnce(State) -> Result<(State, String), HubError>) -> String {
    let Some(state) = COMMITS.take(id) else {
        return error(&misuse());
    };
    match f(state) {
        Ok((next, out)) => {
            COMMITS.put(id, next);
            out
        }
        Err(e) => error(&e),
    }
}

fn push_file(out: &mut String, f: &AddedFile<'_>) {
    out.push_str("{\"index\":");
    push_u64(out, f.index as u64);
    out.push_str(",\"path\":");
    push_string(out, f.path.as_str());
    out.push_str(",\"size\":");
    push_u64(out, f.size);
    out.push('}');
}

fn push_files<'a>(out: &mut String, files: impl Iterator<Item = AddedFile<'a>>) {
    out.push('[');
    for (i, f) in files.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_file(out, &f);
    }
    out.push(']');
}

fn push_requests(out: &mut String, reqs: &[HttpRequest]) {
    out.push('[');
    for (i, r) in reqs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        envelope::push_request(out, r);
    }
    out.push(']');
}

/// Starts a commit: `sizes[i]` is the byte size of `operations[i]`'s content (ignored for
/// deletions). `{"id", "files": [{index, path, size}], "gitAttributes": index | null}`.
#[wasm_bindgen(js_name = commitStart)]
pub fn commit_start(opts: &str, sizes: &[f64]) -> String {
    let started = options::parse::<CommitOptions>(opts, "commit").and_then(|o| {
        let paths = o.paths()?;
        let mut operations = Vec::with_capacity(paths.len());
        for (i, (op, path)) in o.operations.0.iter().zip(paths).enumerate() {
            let size = match sizes.get(i) {
                Some(&s)
                    if (0.0..=9_007_199_254_740_991.0).contains(&s) && (s as u64) as f64 == s =>
                {
                    s as u64
                }
                _ => {
                    return Err(HubError::invalid_input(
                        "every content needs a size in bytes",
                    ))
                }
            };
            operations.push(Operation::new(&op.kind, path, size));
        }
        Commit::new(
            &o.base.config()?,
            CommitParams {
                repo: o.base.repo(),
                revision: o.base.revision()?,
                create_pr: o.is_pull_request,
                header: o.header()?,
                operations,
            },
        )
    });
    match started {
        Ok(c) => {
            let mut out = String::from(",\"files\":");
            push_files(&mut out, c.files());
            out.push_str(",\"gitAttributes\":");
            match c.git_attributes() {
                Some(f) => push_u64(&mut out, f.index as u64),
                None => out.push_str("null"),
            }
            out.push('}');
            let id = COMMITS.insert(State::Start(c));
            let mut head = String::from("{\"id\":");
            push_u64(&mut head, id.into());
            head + &out
        }
        Err(e) => error(&e),
    }
}

/// Preupload: `samples` holds each added file's first bytes one after another (`lengths[i]`
/// bytes for file `i`), `git_attributes` the text of the file `commitStart` named.
/// `{"requests": [request…]}`.
#[wasm_bindgen(js_name = commitPreupload)]
pub fn commit_preupload(
    id: u32,
    samples: &[u8],
    lengths: &[u32],
    git_attributes: Option<String>,
) -> String {
    step(id, |s| {
        let State::Start(c) = s else {
            return Err(misuse());
        };
        let mut at = 0usize;
        let mut split = Vec::with_capacity(lengths.len());
        for &n in lengths {
            let end = at
                .checked_add(n as usize)
                .filter(|&e| e <= samples.len())
                .ok_or_else(misuse)?;
            split.push(samples[at..end].to_vec());
            at = end;
        }
        let c = c.preupload(&split, git_attributes.as_deref())?;
        let mut out = String::from("{\"requests\":");
        push_requests(&mut out, c.requests());
        out.push('}');
        Ok((State::Preupload(c), out))
    })
}

/// The answer to request `k` of the current step (preupload, LFS batch), or to the commit
/// itself: `{}`, `{"done": result}` for the commit, or `{"error"}` (the commit stays where it
/// was when the error is retryable; the driver decides).
#[wasm_bindgen(js_name = commitAnswer)]
pub fn commit_answer(id: u32, k: u32, answer_head: &str, body: &[u8]) -> String {
    let h = match head(answer_head) {
        Ok(h) => h,
        Err(e) => return error(&e),
    };
    let out = COMMITS.with(id, |s| match s {
        State::Preupload(c) => c
            .on_response(k as usize, &h, body)
            .map(|()| String::from("{}")),
        State::Lfs(c) => c
            .on_response(k as usize, &h, body)
            .map(|()| String::from("{}")),
        State::Ready(c) => c
            .on_response(&h, body)
            .and_then(|out| to_json(&CommitResult::from(out)))
            .map(|json| wrap("done", &json)),
        _ => Err(misuse()),
    });
    match out {
        Some(Ok(s)) => s,
        Some(Err(e)) => error(&e),
        None => error(&misuse()),
    }
}

/// Moves on once every request of the current step is answered: after preupload,
/// `{"hash": [file…]}` or `{"ready": true}`; after hashing, `{"requests": [LFS batch…]}`; after
/// the batch, `{"uploads": [file…]}` (upload `u` is the `u`-th); after the uploads,
/// `{"ready": true}`.
#[wasm_bindgen(js_name = commitNext)]
pub fn commit_next(id: u32) -> String {
    step(id, |s| match s {
        State::Preupload(c) => Ok(match c.finish()? {
            Preuploaded::Ready(r) => (State::Ready(r), String::from("{\"ready\":true}")),
            Preuploaded::Hash(h) => {
                let mut out = String::from("{\"hash\":");
                push_files(&mut out, h.wanted());
                out.push('}');
                (State::Hashes(h), out)
            }
        }),
        State::Hashes(h) => {
            let l = h.finish()?;
            let mut out = String::from("{\"requests\":");
            push_requests(&mut out, l.requests());
            out.push('}');
            Ok((State::Lfs(l), out))
        }
        State::Lfs(l) => {
            let mut u = l.finish()?;
            let uploads = u.take().unwrap_or_default();
            let mut out = String::from("{\"uploads\":");
            push_files(&mut out, uploads.iter().map(|up| u.file(up.index)));
            out.push('}');
            Ok((State::Uploads(u, uploads), out))
        }
        State::Uploads(u, uploads) => Ok((
            State::Ready(u.finish(uploads)?),
            String::from("{\"ready\":true}"),
        )),
        _ => Err(misuse()),
    })
}

/// The SHA-256 of the `k`-th file to hash: `{}` or `{"error"}`.
#[wasm_bindgen(js_name = commitSetSha256)]
pub fn commit_set_sha256(id: u32, k: u32, oid: &str) -> String {
    match COMMITS.with(id, |s| match s {
        State::Hashes(h) => h.set_sha256(k as usize, oid),
        _ => Err(misuse()),
    }) {
        Some(r) => outcome(r),
        None => error(&misuse()),
    }
}

/// The next stage of upload `u`: `{"send": [{"request", "content": [start, end] | null}…]}`
/// or `{"done": true}`.
#[wasm_bindgen(js_name = uploadAdvance)]
pub fn upload_advance(id: u32, u: u32) -> String {
    let r = COMMITS.with(id, |s| match s {
        State::Uploads(_, uploads) => {
            let up = uploads.get_mut(u as usize).ok_or_else(misuse)?;
            Ok(match up.object.advance()? {
                UploadStep::Done => String::from("{\"done\":true}"),
                UploadStep::Send(transfers) => {
                    let mut out = String::from("{\"send\":[");
                    for (i, t) in transfers.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str("{\"request\":");
                        envelope::push_request(&mut out, &t.request);
                        out.push_str(",\"content\":");
                        match t.content {
                            Some((start, end)) => {
                                out.push('[');
                                push_u64(&mut out, start);
                                out.push(',');
                                push_u64(&mut out, end);
                                out.push(']');
                            }
                            None => out.push_str("null"),
                        }
                        out.push('}');
                    }
                    out.push_str("]}");
                    out
                }
            })
        }
        _ => Err(misuse()),
    });
    match r {
        Some(Ok(s)) => s,
        Some(Err(e)) => error(&e),
        None => error(&misuse()),
    }
}

/// The answer to transfer `i` of upload `u`'s current stage: `{}` or `{"error"}`.
#[wasm_bindgen(js_name = uploadAnswer)]
pub fn upload_answer(id: u32, u: u32, i: u32, answer_head: &str, body: &[u8]) -> String {
    let h = match head(answer_head) {
        Ok(h) => h,
        Err(e) => return error(&e),
    };
    match COMMITS.with(id, |s| match s {
        State::Uploads(_, uploads) => uploads
            .get_mut(u as usize)
            .ok_or_else(misuse)?
            .object
            .on_response(i as usize, &h, body),
        _ => Err(misuse()),
    }) {
        Some(r) => outcome(r),
        None => error(&misuse()),
    }
}

/// The commit request and its NDJSON body's lines: `{"request", "lines": [{"text"} |
/// {"index", "prefix", "suffix"}…], "committed": [file…]}`. An inline file's line is its
/// prefix, the base64 of its whole content, and its suffix.
#[wasm_bindgen(js_name = commitBody)]
pub fn commit_body(id: u32) -> String {
    let r = COMMITS.with(id, |s| match s {
        State::Ready(c) => {
            let mut out = String::from("{\"request\":");
            envelope::push_request(&mut out, &c.request());
            out.push_str(",\"lines\":[");
            for (i, line) in c.lines().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match line {
                    Line::Text(t) => {
                        out.push_str("{\"text\":");
                        push_string(&mut out, &t);
                    }
                    Line::Inline {
                        index,
                        prefix,
                        suffix,
                    } => {
                        out.push_str("{\"index\":");
                        push_u64(&mut out, index as u64);
                        out.push_str(",\"prefix\":");
                        push_string(&mut out, &prefix);
                        out.push_str(",\"suffix\":");
                        push_string(&mut out, &suffix);
                    }
                }
                out.push('}');
            }
            out.push_str("],\"committed\":");
            push_files(&mut out, c.committed());
            out.push('}');
            Ok(out)
        }
        _ => Err(misuse()),
    });
    match r {
        Some(Ok(s)) => s,
        Some(Err(e)) => error(&e),
        None => error(&misuse()),
    }
}

/// Forgets the commit.
#[wasm_bindgen(js_name = commitEnd)]
pub fn commit_end(id: u32) {
    COMMITS.take(id);
}

/// Standard base64 of `bytes`: an inline file's content in the commit body.
#[wasm_bindgen]
pub fn base64(bytes: &[u8]) -> String {
    crate::commit::base64::encode(bytes)
}
