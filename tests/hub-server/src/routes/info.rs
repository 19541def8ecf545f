//! Repo info (docs/hub-protocol.md §3.6): `GET /api/{type}s/{repo}[/revision/{rev}]`, the
//! fields every info object and listing item is cut from, and `expand`.

use std::sync::Arc;

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::auth::readable;
use super::repos::SPACE_SDKS;
use super::{json, Ctx};
use crate::app::App;
use crate::card::{self, CardData};
use crate::errors::{ApiError, ApiResult};
use crate::state::{Commit, Repo, RepoRef, RepoType};

/// The `expand` values the Hub accepts per repo type (§3.6), plus `xetEnabled` (observed).
/// Fields this server does not model are accepted and left out of the answer (see the README).
pub fn expandable(kind: RepoType) -> &'static [&'static str] {
    match kind {
        RepoType::Model => &[
            "author",
            "baseModels",
            "cardData",
            "childrenModelCount",
            "config",
            "createdAt",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "evalResults",
            "gated",
            "gguf",
            "inference",
            "inferenceProviderMapping",
            "lastModified",
            "library_name",
            "likes",
            "mask_token",
            "model-index",
            "pipeline_tag",
            "private",
            "resourceGroup",
            "safetensors",
            "sha",
            "siblings",
            "spaces",
            "tags",
            "transformersInfo",
            "trendingScore",
            "usedStorage",
            "widgetData",
            "xetEnabled",
        ],
        RepoType::Dataset => &[
            "author",
            "cardData",
            "citation",
            "createdAt",
            "description",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "gated",
            "lastModified",
            "likes",
            "mainSize",
            "paperswithcode_id",
            "private",
            "resourceGroup",
            "sha",
            "siblings",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        ],
        RepoType::Space => &[
            "author",
            "cardData",
            "createdAt",
            "datasets",
            "disabled",
            "lastModified",
            "likes",
            "models",
            "private",
            "region",
            "resourceGroup",
            "runtime",
            "sdk",
            "sha",
            "siblings",
            "subdomain",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        ],
    }
}

/// 400 for an `expand` value the repo type does not have (the Hub validates the query).
pub fn check_expand(kind: RepoType, expand: &[String]) -> ApiResult<()> {
    let known = expandable(kind);
    match expand.iter().find(|e| !known.contains(&e.as_str())) {
        None => Ok(()),
        Some(_) => Err(ApiError::bad_request(format!(
            "\"expand\" must be one of [{}]",
            known.join(", ")
        ))),
    }
}

/// What a commit's README card makes of a repo: the card, its tags, the Space SDK.
pub struct Derived {
    pub card: Option<Arc<CardData>>,
    pub tags: Vec<String>,
    /// Spaces: the card's `sdk` when it is a known SDK, else the one given at creation.
    pub sdk: Option<String>,
}

impl Derived {
    pub fn of(app: &App, repo: &Repo, commit: &Commit) -> Derived {
        let card = app.cards.of(&app.blobs, commit);
        let sdk = match repo.kind {
            RepoType::Space => card::string(card.as_deref(), "sdk")
                .filter(|s| SPACE_SDKS.contains(&s.as_str()))
                .or_else(|| repo.sdk.clone()),
            _ => None,
        };
        let tags = card::tags(repo.kind, card.as_deref(), sdk.as_deref());
        Derived { card, tags, sdk }
    }

    pub fn card(&self) -> Option<&CardData> {
        self.card.as_deref()
    }

    /// A card field as a string (a model's `pipeline_tag`, `library_name`).
    pub fn field(&self, key: &str) -> Option<String> {
        card::string(self.card(), key)
    }

    /// A card field as a list of strings (a Space's `models`, `datasets`).
    pub fn list(&self, key: &str) -> Vec<String> {
        card::strings(self.card(), key)
    }
}

/// `GET /api/{type}s/{repo}` and `…/revision/{rev}`.
pub fn info(ctx: &Ctx, r: &RepoRef, rev: Option<&str>) -> ApiResult<Response> {
    let blobs = ctx.query_bool("blobs")?;
    let expand = ctx.query_all("expand");
    if blobs && !expand.is_empty() {
        return Err(ApiError::bad_request(
            "blobs cannot be combined with expand",
        ));
    }
    check_expand(r.kind, &expand)?;
    let state = ctx.app.lock();
    let repo = readable(&state, r, &ctx.caller)?;
    let rev = rev.unwrap_or("main");
    let commit = repo
        .resolve(rev)
        .ok_or_else(|| ApiError::revision_not_found(rev))?;
    let derived = Derived::of(&ctx.app, repo, commit);
    let full = repo_json(repo, commit, &derived, blobs);
    if !expand.is_empty() {
        return json(Value::Object(select(&full, &expand)));
    }
    json(Value::Object(full))
}

/// Every info field of a repo at a commit (docs/hub-protocol.md §3.6). `blobs` adds size, blob id
/// and LFS details to each sibling (`lfs.sha256`, not `lfs.oid` as in tree entries). Card fields
/// (`cardData`, `pipeline_tag`, …) are left out when the card does not have them.
pub fn repo_json(repo: &Repo, commit: &Commit, d: &Derived, blobs: bool) -> Map<String, Value> {
    let id = format!("{}/{}", repo.namespace, repo.name);
    let siblings: Vec<Value> = commit
        .files
        .iter()
        .map(|(path, f)| {
            if !blobs {
                return json!({"rfilename": path});
            }
            let mut v = json!({"rfilename": path, "size": f.size, "blobId": f.oid});
            if f.lfs {
                v["lfs"] =
                    json!({"sha256": f.sha256, "size": f.size, "pointerSize": f.pointer_size()});
            }
            v
        })
        .collect();
    let used: u64 = commit.files.values().map(|f| f.size).sum();
    let gated = match &repo.gated {
        Some(mode) => json!(mode),
        None => json!(false),
    };
    let mut body = json!({
        "_id": repo.id,
        "id": id,
        "author": repo.namespace,
        "sha": commit.id,
        "lastModified": commit.date,
        "createdAt": repo.created_at,
        "private": repo.private,
        "gated": gated,
        "disabled": repo.disabled,
        "likes": repo.likes(),
        "trendingScore": repo.stats.trending_score,
        "tags": d.tags,
    });
    let obj = body.as_object_mut().expect("object literal");
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            obj.insert(k.into(), v);
        }
    };
    let card_field = |k: &str| d.card().and_then(|c| c.get(k)).cloned();
    if repo.kind == RepoType::Model {
        put("pipeline_tag", d.field("pipeline_tag").map(Value::from));
        put("library_name", d.field("library_name").map(Value::from));
    }
    put("cardData", d.card().map(|c| Value::Object(c.clone())));
    put("siblings", Some(json!(siblings)));
    put("usedStorage", Some(json!(used)));
    match repo.kind {
        RepoType::Model => {
            put("modelId", Some(json!(id)));
            put("downloads", Some(json!(repo.stats.downloads)));
            put("downloadsAllTime", Some(json!(repo.downloads_all_time())));
            put("model-index", card_field("model-index"));
            put("widgetData", card_field("widget"));
        }
        RepoType::Dataset => {
            put("downloads", Some(json!(repo.stats.downloads)));
            put("downloadsAllTime", Some(json!(repo.downloads_all_time())));
            put("paperswithcode_id", card_field("paperswithcode_id"));
        }
        RepoType::Space => {
            put("sdk", Some(json!(d.sdk)));
            put(
                "subdomain",
                Some(json!(format!("{}-{}", repo.namespace, repo.name))),
            );
            for key in ["models", "datasets"] {
                let list = d.list(key);
                put(key, (!list.is_empty()).then(|| json!(list)));
            }
        }
    }
    std::mem::take(obj)
}

/// `expand=x` (repeatable, also `expand[]=x`) keeps only the listed fields plus the ids.
/// `xetEnabled` is answered `false`: this server speaks LFS only.
pub fn select(full: &Map<String, Value>, expand: &[String]) -> Map<String, Value> {
    let mut kept = Map::new();
    for (k, v) in full {
        if k == "_id" || k == "id" || expand.iter().any(|e| e == k) {
            kept.insert(k.clone(), v.clone());
        }
    }
    if expand.iter().any(|e| e == "xetEnabled") {
        kept.insert("xetEnabled".into(), json!(false));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_values_are_checked_per_type() {
        let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_expand(RepoType::Model, &e(&["pipeline_tag", "model-index"])).is_ok());
        assert!(check_expand(RepoType::Dataset, &e(&["pipeline_tag"])).is_err());
        assert!(check_expand(RepoType::Space, &e(&["sdk", "runtime", "xetEnabled"])).is_ok());
        assert!(check_expand(RepoType::Space, &e(&["downloads"])).is_err());
        assert!(check_expand(RepoType::Model, &e(&["gitalyUid"])).is_err());
        assert!(check_expand(RepoType::Model, &e(&[""])).is_err());
    }

    #[test]
    fn select_keeps_ids_and_the_listed_fields() {
        let full = json!({"_id": "x", "id": "u/m", "sha": "s", "likes": 1, "tags": []});
        let kept = select(
            full.as_object().unwrap(),
            &["likes".into(), "config".into()],
        );
        assert_eq!(
            Value::Object(kept),
            json!({"_id": "x", "id": "u/m", "likes": 1})
        );
    }
}
