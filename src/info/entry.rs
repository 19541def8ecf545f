//! One repo as info and listings describe it (docs/hub-protocol.md §3.6–3.7). The Hub answers
//! only the fields named in `expand`, so each call asks for the ones every entry shows (the
//! peer's `MODEL_EXPAND_KEYS` and siblings) plus the caller's `additionalFields`; those pass
//! through as the Hub sent them, except `filePaths` (derived from `siblings`) and
//! `inferenceProviderMapping` (a dict on info, a list on listings: always a list here).

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::error::HubError;
use crate::http::encoding::encode_query_value;
use crate::http::json::{self, Value};
use crate::ids::RepoType;
use crate::text::quoted;

/// A model, dataset or space, with what every list or page of them shows; `fields` holds the
/// additional fields asked for (dates still ISO-8601: the JavaScript API makes them `Date`s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RepoEntry {
    /// The Hub's internal id (`_id`).
    pub id: String,
    /// The repo's name, `namespace/name`.
    pub name: String,
    /// Whether only its owners can see it.
    pub private: bool,
    /// Models and datasets: whether users must ask for access.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "false | \"auto\" | \"manual\""))]
    pub gated: Option<Value>,
    /// Models: the pipeline tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub task: Option<String>,
    /// Likes.
    pub likes: u64,
    /// Models and datasets: downloads over the last 30 days.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub downloads: Option<u64>,
    /// Spaces: `gradio`, `docker`, `static`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub sdk: Option<String>,
    /// When it last changed (`lastModified`), ISO-8601.
    pub updated_at: String,
    /// The additional fields asked for, by name.
    #[cfg_attr(test, ts(type = "Record<string, unknown>"))]
    pub fields: Value,
}

/// The fields every entry shows, asked for on every call (as `@huggingface/hub`).
fn shown(kind: RepoType) -> &'static [&'static str] {
    match kind {
        RepoType::Model => &[
            "pipeline_tag",
            "private",
            "gated",
            "downloads",
            "likes",
            "lastModified",
        ],
        RepoType::Dataset => &["private", "downloads", "gated", "likes", "lastModified"],
        _ => &["sdk", "likes", "private", "lastModified"],
    }
}

/// The `expand` values the Hub accepts for every kind (docs/hub-protocol.md §3.6), and the
/// derived `filePaths`. Anything else is refused before a request: the Hub answers it with a 400.
const COMMON: &[&str] = &[
    "author",
    "cardData",
    "createdAt",
    "disabled",
    "lastModified",
    "likes",
    "private",
    "resourceGroup",
    "sha",
    "siblings",
    "tags",
    "trendingScore",
    "usedStorage",
    "xetEnabled",
    "filePaths",
];

/// The `expand` values only one kind has.
fn own(kind: RepoType) -> &'static [&'static str] {
    match kind {
        RepoType::Model => &[
            "baseModels",
            "childrenModelCount",
            "config",
            "downloads",
            "downloadsAllTime",
            "evalResults",
            "gated",
            "gguf",
            "inference",
            "inferenceProviderMapping",
            "library_name",
            "mask_token",
            "model-index",
            "pipeline_tag",
            "safetensors",
            "spaces",
            "transformersInfo",
            "widgetData",
        ],
        RepoType::Dataset => &[
            "citation",
            "description",
            "downloads",
            "downloadsAllTime",
            "gated",
            "mainSize",
            "paperswithcode_id",
        ],
        _ => &[
            "datasets",
            "models",
            "region",
            "runtime",
            "sdk",
            "subdomain",
        ],
    }
}

fn accepts(kind: RepoType, field: &str) -> bool {
    COMMON.contains(&field) || own(kind).contains(&field)
}

/// The kinds info and search cover.
pub fn check_kind(kind: RepoType) -> Result<(), HubError> {
    match kind {
        RepoType::Model | RepoType::Dataset | RepoType::Space => Ok(()),
        _ => Err(HubError::invalid_input(
            "info and search cover models, datasets and spaces",
        )),
    }
}

/// Validated additional fields, each once, in the caller's order.
pub fn additional(kind: RepoType, fields: &[String]) -> Result<Vec<String>, HubError> {
    let mut out: Vec<String> = Vec::new();
    for f in fields {
        if !accepts(kind, f) {
            return Err(HubError::invalid_input(crate::cat!(
                "additionalFields: the Hub has no field ",
                quoted(f),
                " for a ",
                kind.as_str()
            )));
        }
        if !out.contains(f) {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// `expand=…&expand=…`: the fields shown and the additional ones, each once.
pub fn expand_query(kind: RepoType, additional: &[String]) -> String {
    let mut keys: Vec<&str> = shown(kind).to_vec();
    for f in additional {
        let key = if f == "filePaths" {
            "siblings"
        } else {
            f.as_str()
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut q = String::new();
    for k in keys {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str("expand=");
        q.push_str(&encode_query_value(k));
    }
    q
}

/// Reads one item; `None` when it lacks its name or `lastModified`, or a field has the wrong type.
pub fn read_entry(kind: RepoType, v: &Value, additional: &[String]) -> Option<RepoEntry> {
    let name = json::text(v, "id")?;
    let count = |key: &str| match json::field(v, key) {
        None | Some(Value::Null) => Some(0),
        Some(n) => n.as_u64(),
    };
    let mut fields = Vec::new();
    for f in additional {
        let value = match f.as_str() {
            "filePaths" => file_paths(json::field(v, "siblings"))?,
            "inferenceProviderMapping" => match json::field(v, "inferenceProviderMapping") {
                None | Some(Value::Null) => continue,
                Some(m) => provider_mapping(&name, m)?,
            },
            key => match json::field(v, key) {
                None => continue,
                Some(x) => x.clone(),
            },
        };
        fields.push((f.clone(), value));
    }
    let gated = match json::field(v, "gated") {
        _ if kind == RepoType::Space => None,
        None | Some(Value::Null) => Some(Value::Bool(false)),
        Some(g @ (Value::Bool(false) | Value::String(_))) => Some(g.clone()),
        Some(_) => return None,
    };
    Some(RepoEntry {
        id: json::opt_text(v, "_id")?.unwrap_or_else(|| name.clone()),
        private: match json::field(v, "private") {
            None | Some(Value::Null) => false,
            Some(p) => p.as_bool()?,
        },
        gated,
        task: match kind {
            RepoType::Model => json::opt_text(v, "pipeline_tag")?,
            _ => None,
        },
        likes: count("likes")?,
        downloads: match kind {
            RepoType::Space => None,
            _ => Some(count("downloads")?),
        },
        sdk: match kind {
            RepoType::Space => json::opt_text(v, "sdk")?,
            _ => None,
        },
        updated_at: json::text(v, "lastModified")?,
        fields: Value::Object(fields),
        name,
    })
}

fn file_paths(siblings: Option<&Value>) -> Option<Value> {
    let Some(s) = siblings else {
        return Some(Value::Array(Vec::new()));
    };
    s.as_array()?
        .iter()
        .map(|f| json::text(f, "rfilename").map(Value::String))
        .collect::<Option<Vec<_>>>()
        .map(Value::Array)
}

/// A list of `{ provider, hfModelId, providerId, status, task, … }` from either shape.
fn provider_mapping(model: &str, m: &Value) -> Option<Value> {
    let with_model = |mut members: Vec<(String, Value)>| {
        members.retain(|(k, _)| k != "hfModelId");
        members.push(("hfModelId".into(), Value::String(model.into())));
        Value::Object(members)
    };
    let list = match m {
        Value::Array(items) => items
            .iter()
            .map(|e| e.as_object().map(|o| with_model(o.to_vec())))
            .collect::<Option<Vec<_>>>()?,
        Value::Object(by_provider) => by_provider
            .iter()
            .map(|(provider, e)| {
                let mut members = alloc::vec![("provider".into(), Value::String(provider.clone()))];
                members.extend(
                    e.as_object()?
                        .iter()
                        .filter(|(k, _)| k != "provider")
                        .cloned(),
                );
                Some(with_model(members))
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    Some(Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| String::from(*x)).collect()
    }

    #[test]
    fn every_call_expands_the_shown_fields_then_the_additional_ones_once() {
        let extra = additional(
            RepoType::Model,
            &strings(&["cardData", "filePaths", "siblings", "cardData"]),
        )
        .unwrap();
        assert_eq!(extra, strings(&["cardData", "filePaths", "siblings"]));
        assert_eq!(
            expand_query(RepoType::Model, &extra),
            "expand=pipeline_tag&expand=private&expand=gated&expand=downloads&expand=likes&expand=lastModified&expand=cardData&expand=siblings"
        );
        assert_eq!(
            expand_query(RepoType::Space, &[]),
            "expand=sdk&expand=likes&expand=private&expand=lastModified"
        );
    }

    #[test]
    fn a_field_the_hub_does_not_have_for_that_kind_is_refused() {
        for (kind, f) in [
            (RepoType::Dataset, "pipeline_tag"),
            (RepoType::Space, "downloads"),
            (RepoType::Model, "runtime"),
            (RepoType::Model, "nope"),
        ] {
            let e = additional(kind, &strings(&[f])).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{f}");
            assert!(e.message().contains(f));
        }
        assert!(additional(
            RepoType::Space,
            &strings(&["runtime", "subdomain", "filePaths"])
        )
        .is_ok());
        assert_eq!(
            check_kind(RepoType::Kernel).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn an_item_reads_into_the_peer_shape_with_its_additional_fields() {
        let v = json::parse(br#"{"_id":"65f","id":"u/m","private":false,"gated":"auto","pipeline_tag":"fill-mask","downloads":12,"likes":3,"lastModified":"2024-01-02T03:04:05.000Z","cardData":{"license":"mit"},"siblings":[{"rfilename":"a.bin"},{"rfilename":"README.md"}],"createdAt":"2023-01-01T00:00:00.000Z"}"#).unwrap();
        let e = read_entry(
            RepoType::Model,
            &v,
            &strings(&["cardData", "filePaths", "createdAt", "tags"]),
        )
        .unwrap();
        assert_eq!(
            (e.id.as_str(), e.name.as_str(), e.private),
            ("65f", "u/m", false)
        );
        assert_eq!(e.gated, Some(Value::String("auto".into())));
        assert_eq!(
            (e.task.as_deref(), e.likes, e.downloads),
            (Some("fill-mask"), 3, Some(12))
        );
        assert_eq!(e.updated_at, "2024-01-02T03:04:05.000Z");
        assert_eq!(
            crate::http::json::to_string(&e.fields).unwrap(),
            r#"{"cardData":{"license":"mit"},"filePaths":["a.bin","README.md"],"createdAt":"2023-01-01T00:00:00.000Z"}"#
        );
    }

    #[test]
    fn missing_counters_are_zero_and_kinds_show_their_own_fields() {
        let v = json::parse(br#"{"id":"u/s","sdk":"gradio","lastModified":"2024-01-01T00:00:00Z","gated":"manual"}"#).unwrap();
        let s = read_entry(RepoType::Space, &v, &[]).unwrap();
        assert_eq!(
            (
                s.id.as_str(),
                s.likes,
                s.downloads,
                s.gated,
                s.sdk.as_deref()
            ),
            ("u/s", 0, None, None, Some("gradio"))
        );
        let d = read_entry(RepoType::Dataset, &v, &[]).unwrap();
        assert_eq!((d.downloads, d.sdk, d.task), (Some(0), None, None));
    }

    #[test]
    fn wrong_shapes_are_refused() {
        for body in [
            &br#"{"lastModified":"x"}"#[..],
            br#"{"id":"u/m"}"#,
            br#"{"id":"u/m","lastModified":"x","likes":"many"}"#,
            br#"{"id":"u/m","lastModified":"x","private":"no"}"#,
            br#"{"id":"u/m","lastModified":"x","gated":true}"#,
            br#"{"id":"u/m","lastModified":"x","siblings":[{"size":1}]}"#,
        ] {
            let v = json::parse(body).unwrap();
            assert!(
                read_entry(RepoType::Model, &v, &strings(&["filePaths"])).is_none(),
                "{}",
                core::str::from_utf8(body).unwrap()
            );
        }
    }

    #[test]
    fn provider_mappings_become_one_list_shape() {
        let info = json::parse(br#"{"id":"u/m","lastModified":"x","inferenceProviderMapping":{"together":{"providerId":"t/m","status":"live","task":"conversational"}}}"#).unwrap();
        let list = json::parse(br#"{"id":"u/m","lastModified":"x","inferenceProviderMapping":[{"provider":"together","providerId":"t/m","status":"live","task":"conversational"}]}"#).unwrap();
        let f = strings(&["inferenceProviderMapping"]);
        let a = read_entry(RepoType::Model, &info, &f).unwrap().fields;
        let b = read_entry(RepoType::Model, &list, &f).unwrap().fields;
        assert_eq!(a, b);
        assert_eq!(
            crate::http::json::to_string(&a).unwrap(),
            r#"{"inferenceProviderMapping":[{"provider":"together","providerId":"t/m","status":"live","task":"conversational","hfModelId":"u/m"}]}"#
        );
    }
}
