//! The functions exported to JavaScript. Each one validates its options into core parameters
//! (so bad input fails before `fetch` is ever called), then drives the core.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::failure::Failure;
use super::options::{self, AccountOptions, FileOptions, ListFilesOptions, PathsInfoOptions};
use super::transport::{discard_body, Transport};
use crate::download::{ByteRange, Download, DownloadParams, DownloadStep};
use crate::error::HubError;
use crate::file_metadata::{
    quoted_etag, FileMetadataParams, FileMetadataProbe, ProbeStep, XetInfo,
};
use crate::http::{HttpRequest, HttpResponseHead};
use crate::path::RepoPath;
use crate::paths_info::{build_paths_info, parse_paths_info};
use crate::repos::{
    build_create_repo, build_delete_repo, build_repo_exists, build_repo_private,
    build_revision_sha, parse_create_repo, parse_delete_repo, parse_repo_exists,
    parse_repo_private, parse_revision_sha, CreateRepoParams,
};
use crate::tree::{
    build_list_tree, page_request, parse_tree_page, EntryType, ListTreeParams, TreeEntry,
};
use crate::whoami::{build_whoami, check_whoami};

fn js_err(e: HubError) -> JsValue {
    to_js(&e, None)
}

/// Results cross as JSON text, parsed by the TypeScript layer.
pub(super) fn to_value<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    serde_json::to_string(v)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| {
            js_err(HubError::invalid_input(alloc::format!(
                "cannot convert result: {e}"
            )))
        })
}

/// Sends a request and reads its (small, JSON) body.
async fn exchange(
    t: &Transport,
    req: &HttpRequest,
) -> Result<(HttpResponseHead, Vec<u8>), Failure> {
    let (resp, head) = t.send(req).await?;
    let body = t.read_body(&resp, &req.url).await?;
    Ok((head, body))
}

#[derive(Serialize)]
struct TreePageOut {
    entries: Vec<TreeEntry>,
    next: Option<String>,
}

/// One page of a tree listing: the first when `next` is absent, else the page at `next`.
#[wasm_bindgen(js_name = listFilesPage)]
pub async fn list_files_page(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
    next: Option<String>,
) -> Result<JsValue, JsValue> {
    let o: ListFilesOptions = options::parse(opts, "listFiles").map_err(js_err)?;
    let cfg = o.target.config().map_err(js_err)?;
    let req = match next {
        Some(url) => page_request(&cfg, url),
        None => {
            let params = ListTreeParams {
                repo: o.target.repo().map_err(js_err)?,
                revision: o.target.revision().map_err(js_err)?,
                path: options::folder_path(o.path.as_deref()).map_err(js_err)?,
                recursive: o.recursive,
                expand: o.expand,
            };
            build_list_tree(&cfg, &params)
        }
    };
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    let page = parse_tree_page(&head, &body).map_err(js_err)?;
    to_value(&TreePageOut {
        entries: page.items,
        next: page.next,
    })
}

/// `paths-info` for the given paths (batched by 500), missing paths omitted.
#[wasm_bindgen(js_name = pathsInfo)]
pub async fn paths_info(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let o: PathsInfoOptions = options::parse(opts, "pathsInfo").map_err(js_err)?;
    let cfg = o.target.config().map_err(js_err)?;
    let repo = o.target.repo().map_err(js_err)?;
    let revision = o.target.revision().map_err(js_err)?;
    let paths = o
        .paths
        .iter()
        .map(|p| RepoPath::new(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(js_err)?;
    let reqs = build_paths_info(&cfg, &repo, &revision, &paths, o.expand).map_err(js_err)?;
    let t = Transport::new(fetch, signal);
    let mut all = Vec::new();
    for req in &reqs {
        let (head, body) = exchange(&t, req).await?;
        all.extend(parse_paths_info(&head, &body).map_err(js_err)?);
    }
    to_value(&all)
}

/// Whether a file exists at the revision: one `paths-info` call in every runtime.
#[wasm_bindgen(js_name = fileExists)]
pub async fn file_exists(opts: JsValue, fetch: Function, signal: JsValue) -> Result<bool, JsValue> {
    let o: FileOptions = options::parse(opts, "fileExists").map_err(js_err)?;
    let cfg = o.target.config().map_err(js_err)?;
    let repo = o.target.repo().map_err(js_err)?;
    let revision = o.target.revision().map_err(js_err)?;
    let path = RepoPath::new(&o.path).map_err(js_err)?;
    let reqs = build_paths_info(&cfg, &repo, &revision, core::slice::from_ref(&path), false)
        .map_err(js_err)?;
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &reqs[0]).await?;
    let entries = parse_paths_info(&head, &body).map_err(js_err)?;
    Ok(entries
        .iter()
        .any(|e| e.path == path.as_str() && e.entry_type == EntryType::File))
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

/// Size, etag, xet details and commit of a file, or `null` when it does not exist.
#[wasm_bindgen(js_name = fileDownloadInfo)]
pub async fn file_download_info(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let o: FileOptions = options::parse(opts, "fileDownloadInfo").map_err(js_err)?;
    let (cfg, p) = file_params(&o).map_err(js_err)?;
    let (mut probe, mut req) = FileMetadataProbe::start(
        &cfg,
        FileMetadataParams {
            repo: p.repo,
            revision: p.revision,
            path: p.path,
            raw: p.raw,
        },
    );
    let t = Transport::new(fetch, signal);
    loop {
        let (resp, head) = t.send(&req).await?;
        let body = if probe.needs_body(&head) {
            t.read_body(&resp, &req.url).await?
        } else {
            discard_body(&resp);
            Vec::new()
        };
        match probe.on_response(&head, &body).map_err(js_err)? {
            ProbeStep::Send(next) => req = next,
            ProbeStep::NotFound => return Ok(JsValue::NULL),
            ProbeStep::Found(m) => {
                return to_value(&DownloadInfoOut {
                    size: m.size,
                    etag: quoted_etag(&m.etag),
                    xet: m.xet,
                    url: m.url,
                    commit_hash: m.commit_hash,
                })
            }
        }
    }
}

/// The `Response` whose body is the file's content (not read here, so it streams in
/// JavaScript), or `null` when the file does not exist.
#[wasm_bindgen(js_name = downloadFile)]
pub async fn download_file(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let o: FileOptions = options::parse(opts, "downloadFile").map_err(js_err)?;
    let (cfg, p) = file_params(&o).map_err(js_err)?;
    let (mut dl, mut req) = Download::start(&cfg, &p);
    let t = Transport::new(fetch, signal);
    loop {
        let (resp, head) = t.send(&req).await?;
        let body = if head.is_success() || head.is_redirect() {
            Vec::new()
        } else {
            t.read_body(&resp, &req.url).await?
        };
        match dl.on_response(&head, &body).map_err(js_err)? {
            DownloadStep::Body => return Ok(resp.into()),
            DownloadStep::NotFound => return Ok(JsValue::NULL),
            DownloadStep::Send(next) => {
                discard_body(&resp);
                req = next;
            }
        }
    }
}

/// The token's owner.
#[wasm_bindgen(js_name = whoAmI)]
pub async fn who_am_i(opts: JsValue, fetch: Function, signal: JsValue) -> Result<JsValue, JsValue> {
    let o: AccountOptions = options::parse(opts, "whoAmI").map_err(js_err)?;
    let cfg = options::config(o.hub_url.as_deref(), o.access_token.as_deref()).map_err(js_err)?;
    let req = build_whoami(&cfg).map_err(js_err)?;
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    check_whoami(&head, &body).map_err(js_err)?;
    // Handed on as the Hub sent it (every field, as `@huggingface/hub` does).
    Ok(JsValue::from_str(&String::from_utf8_lossy(&body)))
}

/// `createRepo` options.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateRepoOptions {
    #[serde(flatten)]
    target: options::Target,
    #[serde(default)]
    private: bool,
    #[serde(default)]
    sdk: Option<String>,
    #[serde(default)]
    license: Option<String>,
}

#[derive(Serialize)]
struct RepoUrlOut {
    url: String,
}

/// Creates a repo; `Conflict` when it exists.
#[wasm_bindgen(js_name = createRepo)]
pub async fn create_repo(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let o: CreateRepoOptions = options::parse(opts, "createRepo").map_err(js_err)?;
    let cfg = o.target.config().map_err(js_err)?;
    let repo = o.target.repo().map_err(js_err)?;
    let params = CreateRepoParams {
        private: o.private,
        sdk: o.sdk,
        license: o.license,
    };
    let req = build_create_repo(&cfg, &repo, &params).map_err(js_err)?;
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    let out = parse_create_repo(&head, &body).map_err(js_err)?;
    to_value(&RepoUrlOut { url: out.url })
}

/// Deletes a repo.
#[wasm_bindgen(js_name = deleteRepo)]
pub async fn delete_repo(opts: JsValue, fetch: Function, signal: JsValue) -> Result<(), JsValue> {
    let o: options::Target = options::parse(opts, "deleteRepo").map_err(js_err)?;
    let cfg = o.config().map_err(js_err)?;
    let req = build_delete_repo(&cfg, &o.repo().map_err(js_err)?);
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    parse_delete_repo(&head, &body).map_err(js_err)
}

/// Whether a repo exists (gated repos exist).
#[wasm_bindgen(js_name = repoExists)]
pub async fn repo_exists(opts: JsValue, fetch: Function, signal: JsValue) -> Result<bool, JsValue> {
    let o: options::Target = options::parse(opts, "repoExists").map_err(js_err)?;
    let cfg = o.config().map_err(js_err)?;
    let req = build_repo_exists(&cfg, &o.repo().map_err(js_err)?);
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    parse_repo_exists(&head, &body).map_err(js_err)
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
    let o: FileOptions = options::parse(opts, "downloadFile").map_err(js_err)?;
    let (_, p) = file_params(&o).map_err(js_err)?;
    to_value(&FileTargetOut {
        repo_key: alloc::format!("{}/{}", p.repo.repo_type().api_segment(), p.repo.id()),
        repo_id: String::from(p.repo.id()),
        repo_type: p.repo.repo_type().as_str(),
        revision: String::from(p.revision.as_str()),
        path: String::from(p.path.as_str()),
        is_commit: p.revision.is_commit_id(),
    })
}

/// The commit a revision points to now (one small request).
#[wasm_bindgen(js_name = revisionCommit)]
pub async fn revision_commit(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<String, JsValue> {
    let o: options::Target = options::parse(opts, "revision").map_err(js_err)?;
    let cfg = o.config().map_err(js_err)?;
    let req = build_revision_sha(
        &cfg,
        &o.repo().map_err(js_err)?,
        &o.revision().map_err(js_err)?,
    );
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    parse_revision_sha(&head, &body).map_err(js_err)
}

/// Whether a repo is private (one small request).
#[wasm_bindgen(js_name = repoIsPrivate)]
pub async fn repo_is_private(
    opts: JsValue,
    fetch: Function,
    signal: JsValue,
) -> Result<bool, JsValue> {
    let o: options::Target = options::parse(opts, "repo").map_err(js_err)?;
    let cfg = o.config().map_err(js_err)?;
    let req = build_repo_private(&cfg, &o.repo().map_err(js_err)?);
    let t = Transport::new(fetch, signal);
    let (head, body) = exchange(&t, &req).await?;
    parse_repo_private(&head, &body).map_err(js_err)
}
