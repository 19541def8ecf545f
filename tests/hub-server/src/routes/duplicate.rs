//! `POST /api/{type}s/{repo}/duplicate` (docs/hub-protocol.md §5.8): a server-side copy of a
//! repo under a new id, its history and files with it, as `huggingface_hub`'s `duplicate_repo`
//! asks for it.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{check_manage, check_write, downloadable};
use super::manage::parse_repo_id;
use super::{json, parse_json, Ctx};
use crate::errors::{ApiError, ApiResult};
use crate::ids::object_id;
use crate::state::{Caller, RepoRef, RepoType};
use crate::stats::Stats;

/// The body `huggingface_hub` sends: the new id, an optional visibility (its `private` is sent as
/// a visibility), and for Spaces their runtime settings. Anything else is a 400.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DuplicateBody {
    repository: String,
    visibility: Option<String>,
    hardware: Option<String>,
    storage_tier: Option<String>,
    sleep_time_seconds: Option<i64>,
    secrets: Option<Vec<KeyValue>>,
    variables: Option<Vec<KeyValue>>,
    volumes: Option<Vec<Value>>,
}

/// A Space secret or variable.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct KeyValue {
    key: String,
    value: String,
    description: Option<String>,
}

impl DuplicateBody {
    /// Whether a Space-only setting is given (the local Hub runs no Space: they are checked and
    /// then not acted on).
    fn has_space_settings(&self) -> bool {
        self.hardware.is_some()
            || self.storage_tier.is_some()
            || self.sleep_time_seconds.is_some()
            || self.secrets.is_some()
            || self.variables.is_some()
            || self.volumes.is_some()
    }
}

/// Copies `from` to `repository`: branches, tags and every commit, the SDK of a Space; not its
/// discussions, pull requests, likes, counters or gate, and with a new id and creation date.
/// Private unless made public when the source is private, else as `visibility` says. The new id
/// taken is a 409 that carries the URL (the client's `exist_ok` reads it).
pub fn duplicate(ctx: &Ctx, from: &RepoRef, body: Bytes) -> ApiResult<Response> {
    if ctx.caller == Caller::Anonymous {
        return Err(ApiError::unauthenticated());
    }
    let b: DuplicateBody = parse_json(&body)?;
    if from.kind != RepoType::Space && b.has_space_settings() {
        return Err(ApiError::bad_request(
            "hardware, storageTier, sleepTimeSeconds, secrets, variables and volumes are for Spaces only",
        ));
    }
    let to = parse_repo_id(from.kind, &b.repository)?;
    let url = ctx.repo_url(&to);
    let mut state = ctx.app.lock();
    let source = downloadable(&state, from, &ctx.caller, &ctx.origin())?;
    let private = match b.visibility.as_deref() {
        None => source.private,
        Some("private") => true,
        Some("protected") if from.kind == RepoType::Space => true,
        Some("public") => false,
        Some(v) => return Err(ApiError::bad_request(format!("Invalid visibility: {v:?}"))),
    };
    let mut copy = source.clone();
    check_write(&state, &to.namespace, &ctx.caller)?;
    check_manage(&ctx.caller, true)?;
    if state.repos.contains_key(&to.key()) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "A {} repo named {} already exists",
                from.kind.name(),
                to.id()
            ),
        )
        .with_field("url", Value::String(url)));
    }
    copy.id = object_id();
    copy.namespace = to.namespace.clone();
    copy.name = to.name.clone();
    copy.private = private;
    copy.created_at = crate::clock::now_iso();
    copy.prs.clear();
    copy.discussions.clear();
    copy.likers.clear();
    copy.stats = Stats::default();
    copy.gated = None;
    copy.grants.clear();
    state.repos.insert(to.key(), copy);
    state.redirects.remove(&to.key());
    ctx.app.persist(&state)?;
    json(json!({ "url": url }))
}
