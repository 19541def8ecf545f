//! The calls exported to JavaScript. Every Hub call but `commit` goes through one async export,
//! `call(op, …)`: a synchronous step validates the options into the first request and a
//! [`Flow`] (so bad input fails before `fetch` is ever called), then one loop sends requests and
//! feeds the answers back until the flow has its result. One async state machine in the wasm
//! instead of one per call.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::failure::Failure;
use super::options::{
    self, AccountOptions, FileOptions, FromOpts, ListFilesOptions, Opts, PathsInfoOptions,
};
use super::transport::{discard_body, Transport};
use crate::account::whoami::{build_whoami, check_whoami};
use crate::error::HubError;
use crate::files::download::{ByteRange, Download, DownloadParams, DownloadStep};
use crate::files::metadata::{
    quoted_etag, FileMetadataParams, FileMetadataProbe, ProbeStep, XetInfo,
};
use crate::files::paths_info::{build_paths_info, parse_paths_info};
use crate::files::tree::{
    build_list_tree, page_request, parse_tree_page, EntryType, ListTreeParams, TreeEntry,
};
use crate::http::{HttpRequest, HttpResponseHead};
use crate::ids::path::RepoPath;
use crate::repos::{
    build_create_repo, build_delete_repo, build_repo_exists, build_repo_private,
    build_revision_sha, parse_create_repo, parse_delete_repo, parse_repo_exists,
    parse_repo_private, parse_revision_sha, CreateRepoParams,
};

/// Results cross as JSON text, parsed by the TypeScript layer.
fn json<T: Serialize>(v: &T) -> Result<JsValue, HubError> {
    serde_json::to_string(v)
        .map(|s| JsValue::from_str(&s))
        .map_err(|_| HubError::invalid_input("cannot convert the result to JSON"))
}

/// The Hub calls behind [`call`].
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum Op {
    /// One page of a tree listing (JSON `{ entries, next }`).
    ListFilesPage,
    /// `paths-info` for the given paths, batched by 500, missing paths omitted (JSON).
    PathsInfo,
    /// Whether a file exists at the revision (`boolean`).
    FileExists,
    /// Size, etag, xet details and commit of a file (JSON), or `null`.
    FileDownloadInfo,
    /// The `Response` whose body is the file (unread, so it streams in JavaScript), or `null`.
    DownloadFile,
    /// The token's owner, as the Hub sent it (JSON).
    WhoAmI,
    /// Creates a repo (JSON `{ url }`); `Conflict` when it exists.
    CreateRepo,
    /// Deletes a repo (`undefined`).
    DeleteRepo,
    /// Whether a repo exists, gated repos included (`boolean`).
    RepoExists,
    /// The commit a revision points to now (`string`).
    RevisionCommit,
    /// Whether a repo is private (`boolean`).
    RepoIsPrivate,
}

/// What is left to do after the first request.
enum Flow {
    /// One request; the function turns its answer into the result.
    One(fn(&HttpResponseHead, &[u8]) -> Result<JsValue, HubError>),
    /// `paths-info` batches still to send (last first) and the entries so far; with `exists`,
    /// the result is whether that file is among them.
    Paths {
        rest: Vec<HttpRequest>,
        all: Vec<TreeEntry>,
        exists: Option<RepoPath>,
    },
    /// The file-metadata probe.
    Probe(FileMetadataProbe),
    /// A download.
    Download(Download),
}

/// What the loop does with the answer.
enum Next {
    Send(HttpRequest),
    Done(JsValue),
    /// The result is this response itself.
    Body,
}

impl Flow {
    /// Whether the answer's body must be read; when not, it is cancelled (a server that ignored
    /// `Range` would send the whole file) or, for a download, handed over.
    fn needs_body(&self, head: &HttpResponseHead) -> bool {
        match self {
            Flow::Probe(p) => p.needs_body(head),
            Flow::Download(_) => !(head.is_success() || head.is_redirect()),
            _ => true,
        }
    }

    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Next, HubError> {
        Ok(match self {
            Flow::One(finish) => Next::Done(finish(head, body)?),
            Flow::Paths { rest, all, exists } => {
                all.extend(parse_paths_info(head, body)?);
                match (rest.pop(), exists) {
                    (Some(next), _) => Next::Send(next),
                    (None, Some(path)) => {
                        Next::Done(JsValue::from_bool(all.iter().any(|e| {
                            e.path == path.as_str() && e.entry_type == EntryType::File
                        })))
                    }
                    (None, None) => Next::Done(json(all)?),
                }
            }
            Flow::Probe(probe) => match probe.on_response(head, body)? {
                ProbeStep::Send(next) => Next::Send(next),
                ProbeStep::NotFound => Next::Done(JsValue::NULL),
                ProbeStep::Found(m) => Next::Done(json(&DownloadInfoOut {
                    size: m.size,
                    etag: quoted_etag(&m.etag),
                    xet: m.xet,
                    url: m.url,
                    commit_hash: m.commit_hash,
                })?),
            },
            Flow::Download(dl) => match dl.on_response(head, body)? {
                DownloadStep::Body => Next::Body,
                DownloadStep::NotFound => Next::Done(JsValue::NULL),
                DownloadStep::Send(next) => Next::Send(next),
            },
        })
    }
}

/// Runs one Hub call: `opts` is its options as JSON text, `next` the page URL for
/// [`Op::ListFilesPage`] (absent for the first page).
#[wasm_bindgen]
pub async fn call(
    op: Op,
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
    next: Option<String>,
) -> Result<JsValue, JsValue> {
    run(op, opts, Transport::new(fetch, signal), next)
        .await
        .map_err(Failure::into_js)
}

async fn run(
    op: Op,
    opts: JsValue,
    t: Transport,
    next: Option<String>,
) -> Result<JsValue, Failure> {
    let (mut flow, mut req) = start(op, opts, next)?;
    loop {
        let (resp, head) = t.send(&req).await?;
        let read = flow.needs_body(&head);
        let body = if read {
            t.read_body(&resp, &req.url).await?
        } else {
            Vec::new()
        };
        let step = flow.on_response(&head, &body);
        if !read && !matches!(step, Ok(Next::Body)) {
            discard_body(&resp);
        }
        match step? {
            Next::Send(r) => req = r,
            Next::Done(v) => return Ok(v),
            Next::Body => return Ok(resp.into()),
        }
    }
}

/// Validates the options of `op` into its flow and first request.
fn start(op: Op, opts: JsValue, next: Option<String>) -> Result<(Flow, HttpRequest), HubError> {
    Ok(match op {
        Op::ListFilesPage => {
            let o: ListFilesOptions = options::parse(opts, "listFiles")?;
            let cfg = o.target.config()?;
            let req = match next {
                Some(url) => page_request(&cfg, url),
                None => {
                    let params = ListTreeParams {
                        repo: o.target.repo()?,
                        revision: o.target.revision()?,
                        path: options::folder_path(o.path.as_deref())?,
                        recursive: o.recursive,
                        expand: o.expand,
                    };
                    build_list_tree(&cfg, &params)
                }
            };
            (Flow::One(tree_page), req)
        }
        Op::PathsInfo | Op::FileExists => {
            let (target, paths, expand, exists) = if let Op::PathsInfo = op {
                let o: PathsInfoOptions = options::parse(opts, "pathsInfo")?;
                let paths = o
                    .paths
                    .iter()
                    .map(|p| RepoPath::new(p))
                    .collect::<Result<Vec<_>, _>>()?;
                (o.target, paths, o.expand, None)
            } else {
                let o: FileOptions = options::parse(opts, "fileExists")?;
                let path = RepoPath::new(&o.path)?;
                (o.target, alloc::vec![path.clone()], false, Some(path))
            };
            let mut rest = build_paths_info(
                &target.config()?,
                &target.repo()?,
                &target.revision()?,
                &paths,
                expand,
            )?;
            rest.reverse();
            let first = rest
                .pop()
                .ok_or_else(|| HubError::invalid_input("no paths"))?;
            let flow = Flow::Paths {
                rest,
                all: Vec::new(),
                exists,
            };
            (flow, first)
        }
        Op::FileDownloadInfo => {
            let o: FileOptions = options::parse(opts, "fileDownloadInfo")?;
            let (cfg, p) = file_params(&o)?;
            let (probe, req) = FileMetadataProbe::start(
                &cfg,
                FileMetadataParams {
                    repo: p.repo,
                    revision: p.revision,
                    path: p.path,
                    raw: p.raw,
                },
            );
            (Flow::Probe(probe), req)
        }
        Op::DownloadFile => {
            let o: FileOptions = options::parse(opts, "downloadFile")?;
            let (cfg, p) = file_params(&o)?;
            let (dl, req) = Download::start(&cfg, &p);
            (Flow::Download(dl), req)
        }
        Op::WhoAmI => {
            let o: AccountOptions = options::parse(opts, "whoAmI")?;
            let cfg = options::config(o.hub_url.as_deref(), o.access_token.as_deref())?;
            (Flow::One(who_am_i), build_whoami(&cfg)?)
        }
        Op::CreateRepo => {
            let o: CreateRepoOptions = options::parse(opts, "createRepo")?;
            let params = CreateRepoParams {
                private: o.private,
                sdk: o.sdk,
                license: o.license,
            };
            let req = build_create_repo(&o.target.config()?, &o.target.repo()?, &params)?;
            (Flow::One(create_repo), req)
        }
        Op::DeleteRepo | Op::RepoExists | Op::RepoIsPrivate => {
            let what = match op {
                Op::DeleteRepo => "deleteRepo",
                Op::RepoExists => "repoExists",
                _ => "repo",
            };
            let o: options::Target = options::parse(opts, what)?;
            let (cfg, repo) = (o.config()?, o.repo()?);
            match op {
                Op::DeleteRepo => (Flow::One(delete_repo), build_delete_repo(&cfg, &repo)),
                Op::RepoExists => (Flow::One(repo_exists), build_repo_exists(&cfg, &repo)),
                _ => (Flow::One(repo_is_private), build_repo_private(&cfg, &repo)),
            }
        }
        Op::RevisionCommit => {
            let o: options::Target = options::parse(opts, "revision")?;
            let req = build_revision_sha(&o.config()?, &o.repo()?, &o.revision()?);
            (Flow::One(revision_commit), req)
        }
    })
}

#[derive(Serialize)]
struct TreePageOut {
    entries: Vec<TreeEntry>,
    next: Option<String>,
}

fn tree_page(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    let page = parse_tree_page(head, body)?;
    json(&TreePageOut {
        entries: page.items,
        next: page.next,
    })
}

fn who_am_i(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    check_whoami(head, body)?;
    // Handed on as the Hub sent it (every field, as `@huggingface/hub` does).
    Ok(JsValue::from_str(&String::from_utf8_lossy(body)))
}

#[derive(Serialize)]
struct RepoUrlOut {
    url: String,
}

fn create_repo(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    let out = parse_create_repo(head, body)?;
    json(&RepoUrlOut { url: out.url })
}

fn delete_repo(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    parse_delete_repo(head, body).map(|()| JsValue::UNDEFINED)
}

fn repo_exists(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    parse_repo_exists(head, body).map(JsValue::from_bool)
}

fn repo_is_private(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    parse_repo_private(head, body).map(JsValue::from_bool)
}

fn revision_commit(head: &HttpResponseHead, body: &[u8]) -> Result<JsValue, HubError> {
    parse_revision_sha(head, body).map(|s| JsValue::from_str(&s))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DownloadInfoOut {
    size: u64,
    etag: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    xet: Option<XetInfo>,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit_hash: Option<String>,
}

fn file_params(o: &FileOptions) -> Result<(crate::HubConfig, DownloadParams), HubError> {
    let cfg = o.target.config()?;
    let range = match o.range.as_deref() {
        None => None,
        Some([start]) => Some(ByteRange::new(options::offset(*start, "start")?, None)?),
        Some([start, end]) => Some(ByteRange::new(
            options::offset(*start, "start")?,
            Some(options::offset(*end, "end")?),
        )?),
        Some(_) => {
            return Err(HubError::invalid_input(
                "invalid range: expected [start] or [start, end]",
            ))
        }
    };
    Ok((
        cfg,
        DownloadParams {
            repo: o.target.repo()?,
            revision: o.target.revision()?,
            path: RepoPath::new(&o.path)?,
            raw: o.raw,
            range,
        },
    ))
}

/// `createRepo` options.
struct CreateRepoOptions {
    target: options::Target,
    private: bool,
    sdk: Option<String>,
    license: Option<String>,
}

impl FromOpts for CreateRepoOptions {
    fn from_opts(o: &Opts) -> Result<Self, HubError> {
        Ok(CreateRepoOptions {
            target: options::Target::from_opts(o)?,
            private: o.flag("private")?,
            sdk: o.string("sdk")?,
            license: o.string("license")?,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileTargetOut {
    repo_key: String,
    repo_id: String,
    repo_type: &'static str,
    revision: String,
    path: String,
    is_commit: bool,
}

/// Validates a file target and names it for the cache: `{ repoKey: "models/ns/name", … }`.
/// No request: this is how the cache rejects bad input before touching storage or the network.
#[wasm_bindgen(js_name = fileTarget)]
pub fn file_target(opts: JsValue) -> Result<JsValue, JsValue> {
    target(opts).map_err(|e| to_js(&e, None))
}

fn target(opts: JsValue) -> Result<JsValue, HubError> {
    let o: FileOptions = options::parse(opts, "downloadFile")?;
    let (_, p) = file_params(&o)?;
    json(&FileTargetOut {
        repo_key: alloc::format!("{}/{}", p.repo.repo_type().api_segment(), p.repo.id()),
        repo_id: String::from(p.repo.id()),
        repo_type: p.repo.repo_type().as_str(),
        revision: String::from(p.revision.as_str()),
        path: String::from(p.path.as_str()),
        is_commit: p.revision.is_commit_id(),
    })
}
