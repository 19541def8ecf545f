//! Shared server state and the layer every request on either origin passes through (request
//! id, CORS, preflight, fault injection, the `/__admin/requests` log, `--verbose` logging).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::card::Cards;
use crate::errors::{ApiError, ApiResult};
use crate::faults::{Faults, Origin};
use crate::signing::Signer;
use crate::state::State;
use crate::storage::{save_state, BlobStore};

/// One line of the admin request log.
#[derive(Debug, Clone, Serialize)]
pub struct RequestLog {
    /// `hub` or `storage`: which listener answered.
    pub origin: &'static str,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub auth: bool,
    pub range: Option<String>,
}

/// Settings fixed at startup.
#[derive(Debug, Clone)]
pub struct Config {
    pub page_size: Option<usize>,
    /// LFS objects of at least this size are uploaded in parts.
    pub multipart_threshold: u64,
    pub chunk_size: u64,
    pub verbose: bool,
}

pub struct AppState {
    /// One lock for all repos: every mutation (including the parent check and ref move of a
    /// commit) happens inside it, so concurrent commits are serialized and none is lost.
    state: Mutex<State>,
    pub blobs: BlobStore,
    pub data_dir: Option<PathBuf>,
    pub config: Config,
    /// `http://127.0.0.1:PORT` of the storage (CDN) listener.
    pub storage_url: String,
    pub signer: Signer,
    /// Present only with `--faults`.
    pub faults: Option<Faults>,
    pub requests: Mutex<Vec<RequestLog>>,
    /// README cards by content, parsed on first read.
    pub cards: Cards,
    seq: AtomicU64,
    boot: String,
}

pub type App = Arc<AppState>;

impl AppState {
    pub fn new(
        state: State,
        blobs: BlobStore,
        data_dir: Option<PathBuf>,
        config: Config,
        storage_url: String,
        signer: Signer,
        faults: bool,
    ) -> AppState {
        AppState {
            state: Mutex::new(state),
            blobs,
            data_dir,
            config,
            storage_url,
            signer,
            faults: faults.then(Faults::default),
            requests: Mutex::new(Vec::new()),
            cards: Cards::default(),
            seq: AtomicU64::new(0),
            boot: crate::ids::random_hex(6),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the state file after a mutation (call with the lock held, so writes stay ordered).
    pub fn persist(&self, state: &State) -> ApiResult<()> {
        if let Some(dir) = &self.data_dir {
            save_state(dir, state).map_err(|e| {
                ApiError::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    format!("failed to save state: {e}"),
                )
            })?;
        }
        Ok(())
    }

    /// Tree page size: `--page-size` (default 1000), at most 50 with `expand=true`.
    pub fn page_size(&self, expand: bool) -> usize {
        let n = self.config.page_size.unwrap_or(1000);
        if expand {
            n.min(50)
        } else {
            n
        }
    }

    /// Page size of other listings: `--page-size` when given, else the endpoint's default.
    pub fn list_page_size(&self, default: usize) -> usize {
        self.config.page_size.unwrap_or(default)
    }

    fn next_request_id(&self) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        format!("Root=1-{}-{:012x}", self.boot, n)
    }
}

/// Wraps every request on either origin: preflight, faults, request id, CORS headers, log.
pub async fn around(
    AxState((app, origin)): AxState<(App, Origin)>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let req_origin = req.headers().get(header::ORIGIN).cloned();
    let auth = req.headers().contains_key(header::AUTHORIZATION);
    let range = req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let admin = path.starts_with("/__admin/") && origin == Origin::Hub;
    let fault = match &app.faults {
        Some(f) if !admin => f.take(method.as_str(), &path, origin),
        _ => None,
    };

    if let Some(ms) = fault.as_ref().and_then(|f| f.latency_ms) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    let mut res = if method == Method::OPTIONS {
        crate::cors::preflight(req.headers())
    } else if let Some((status, retry, message)) = fault.as_ref().and_then(|f| f.status.clone()) {
        crate::faults::status_response(status, retry, message, &path)
    } else {
        next.run(req).await
    };
    if let Some(f) = fault.as_ref().filter(|f| f.wraps_body()) {
        let (parts, body) = res.into_parts();
        res = Response::from_parts(parts, crate::faults::wrap_body(body, f));
    }

    let id = app.next_request_id();
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    if method != Method::OPTIONS {
        crate::cors::decorate(req_origin.as_ref(), res.headers_mut());
    }

    let status = res.status().as_u16();
    if app.config.verbose {
        eprintln!(
            "[{}] {method} {path}{} -> {status} ({} ms)",
            origin.name(),
            query
                .as_deref()
                .map(|q| format!("?{q}"))
                .unwrap_or_default(),
            started.elapsed().as_millis()
        );
    }
    if !admin {
        app.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(RequestLog {
                origin: origin.name(),
                method: method.to_string(),
                path,
                query,
                status,
                auth,
                range,
            });
    }
    res
}
