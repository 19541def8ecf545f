//! The README card: its YAML front matter as JSON (`cardData`, docs/hub-protocol.md §3.6) and
//! what the Hub derives from it (`tags`, a model's `pipeline_tag` and `library_name`, a Space's
//! `sdk`, `models`, `datasets`).
//!
//! The card of a commit is its root `README.md`, parsed on first read and cached by the file's
//! sha256, so every read of a commit sees the same card. A README without front matter, with
//! YAML that does not parse, or whose YAML is not a mapping has no card data; an empty block
//! (`---\n\n---`) is an empty mapping.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

use crate::state::{Commit, RepoType};
use crate::storage::BlobStore;

/// A card's front matter, as JSON.
pub type CardData = Map<String, Value>;

/// READMEs larger than this are not parsed (no card data).
const MAX_README: u64 = 5 << 20;

/// Parsed cards by README sha256: content-addressed, so entries never go stale.
#[derive(Default)]
pub struct Cards(Mutex<HashMap<String, Option<Arc<CardData>>>>);

impl Cards {
    /// The card of a commit's `README.md`, if it has front matter that parses to a mapping.
    pub fn of(&self, blobs: &BlobStore, commit: &Commit) -> Option<Arc<CardData>> {
        let readme = commit.files.get("README.md")?;
        if readme.size > MAX_README {
            return None;
        }
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(card) = cache.get(&readme.sha256) {
            return card.clone();
        }
        // A read failure is not cached: it says nothing about the content.
        let bytes = blobs.read_blocking(&readme.sha256).ok()?;
        let card = front_matter(&String::from_utf8_lossy(&bytes)).map(Arc::new);
        cache.insert(readme.sha256.clone(), card.clone());
        card
    }
}

/// The YAML between a leading `---` line and the next `---` line (as huggingface_hub's
/// `REGEX_YAML_BLOCK`: leading whitespace allowed, the closing line ends with a newline or the
/// text), parsed; `None` when there is no block or it is not a YAML mapping.
pub fn front_matter(text: &str) -> Option<CardData> {
    parse_yaml(yaml_block(text)?)
}

/// The text of the front matter block, if the README has one.
fn yaml_block(text: &str) -> Option<&str> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let rest = text.strip_prefix("---")?;
    if !rest.starts_with(['\r', '\n']) {
        return None; // `---` must end its line
    }
    // The closing line may follow the opening one only after a blank line, as in the regex.
    let body = &rest[1..];
    let mut at = 0;
    loop {
        let i = at + body[at..].find("---")?;
        let after = &body[i + 3..];
        let line_start = i > 0 && matches!(body.as_bytes()[i - 1], b'\n' | b'\r');
        if line_start && (after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n"))
        {
            return Some(&body[..i]);
        }
        at = i + 3;
    }
}

/// What `POST /api/validate-yaml` says of a README: `(errors, warnings)`. Errors: the YAML does
/// not parse, is not a mapping, or has a `model-index` that is not a list (the Hub checks much
/// more, e.g. license ids). Warning: no or empty metadata.
pub fn validate(text: &str, kind: RepoType) -> (Vec<String>, Vec<String>) {
    let empty = || {
        let doc = match kind {
            RepoType::Model => "model-cards#model-card-metadata",
            RepoType::Dataset => "datasets-cards",
            RepoType::Space => "spaces-config-reference",
        };
        let w = format!(
            "empty or missing yaml metadata in repo card (https://huggingface.co/docs/hub/{doc})"
        );
        (Vec::new(), vec![w])
    };
    let Some(block) = yaml_block(text) else {
        return empty();
    };
    if let Err(e) = serde_yaml::from_str::<Yaml>(block) {
        return (
            vec![format!("YAML metadata could not be parsed: {e}")],
            Vec::new(),
        );
    }
    let Some(card) = parse_yaml(block) else {
        return (
            vec!["\"metadata\" must be of type object".into()],
            Vec::new(),
        );
    };
    if card.is_empty() {
        return empty();
    }
    let mut errors = Vec::new();
    if card.get("model-index").is_some_and(|v| !v.is_array()) {
        errors.push("\"model-index\" must be an array".to_string());
    }
    (errors, Vec::new())
}

/// YAML text to a JSON object; `None` when it does not parse or is not a mapping.
pub fn parse_yaml(yaml: &str) -> Option<CardData> {
    let mut v: Yaml = serde_yaml::from_str(yaml).ok()?;
    v.apply_merge().ok()?;
    match v {
        Yaml::Null => Some(Map::new()),
        Yaml::Mapping(_) => match to_json(v) {
            Value::Object(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

/// YAML values as JSON: keys that are scalars become their text (mappings or sequences as keys
/// are dropped), non-finite floats become null, tags are ignored.
fn to_json(v: Yaml) -> Value {
    match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if let Some(k) = scalar_text(&k) {
                    out.insert(k, to_json(v));
                }
            }
            Value::Object(out)
        }
        Yaml::Tagged(t) => to_json(t.value),
    }
}

fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::Null => Some("null".into()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::String(s) => Some(s.clone()),
        Yaml::Tagged(t) => scalar_text(&t.value),
        Yaml::Sequence(_) | Yaml::Mapping(_) => None,
    }
}

/// A card field as a list of strings: a string is one item, a list gives its string, number
/// and boolean items; blanks are dropped.
pub fn strings(card: Option<&CardData>, key: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let items: Vec<String> = match card.and_then(|c| c.get(key)) {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    };
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// A card field that must be a single non-empty string.
pub fn string(card: Option<&CardData>, key: &str) -> Option<String> {
    match card?.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Dataset card keys that become `key:value` tags, in the Hub's order.
const DATASET_TAG_KEYS: &[&str] = &[
    "task_categories",
    "task_ids",
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "source_datasets",
    "language",
    "license",
    "size_categories",
];

/// The tags the Hub derives from a card (README's docs: `tests/hub-server/README.md`, "Cards
/// and tags"). Every repo ends with `region:us`; duplicates keep their first place.
///
/// - model: `library_name`, `pipeline_tag`, the card's `tags`, each `language` as is,
///   `dataset:<d>` for each `datasets`, `base_model:<m>` for each `base_model`,
///   `license:<l>`;
/// - dataset: `<key>:<value>` for `task_categories`, `task_ids`, `annotations_creators`,
///   `language_creators`, `multilinguality`, `source_datasets`, `language`, `license`,
///   `size_categories` (in that order), then the card's `tags`;
/// - space: the SDK, then the card's `tags`.
pub fn tags(kind: RepoType, card: Option<&CardData>, sdk: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match kind {
        RepoType::Model => {
            out.extend(string(card, "library_name"));
            out.extend(string(card, "pipeline_tag"));
            out.extend(strings(card, "tags"));
            out.extend(strings(card, "language"));
            for (key, prefix) in [
                ("datasets", "dataset"),
                ("base_model", "base_model"),
                ("license", "license"),
            ] {
                out.extend(strings(card, key).iter().map(|v| format!("{prefix}:{v}")));
            }
        }
        RepoType::Dataset => {
            for key in DATASET_TAG_KEYS {
                out.extend(strings(card, key).iter().map(|v| format!("{key}:{v}")));
            }
            out.extend(strings(card, "tags"));
        }
        RepoType::Space => {
            out.extend(sdk.map(str::to_string));
            out.extend(strings(card, "tags"));
        }
    }
    out.push("region:us".into());
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn card(text: &str) -> Option<Value> {
        front_matter(text).map(Value::Object)
    }

    #[test]
    fn front_matter_is_the_leading_yaml_block() {
        let md = "---\nlicense: mit\ntags:\n- a\n- b\n---\n# Title\n\n---\nnot: yaml\n";
        assert_eq!(
            card(md),
            Some(json!({"license": "mit", "tags": ["a", "b"]}))
        );
        assert_eq!(
            card("\n  ---\r\nx: 1\r\n---"),
            Some(json!({"x": 1})),
            "CRLF, leading blank, closing at the end"
        );
        assert_eq!(card("---\n\n---\n"), Some(json!({})));
        assert_eq!(card("# no front matter\n---\nx: 1\n---\n"), None);
        assert_eq!(card("--- x: 1\n---\n"), None, "opening line is only ---");
        assert_eq!(card("---\nx: 1\n"), None, "never closed");
        assert_eq!(
            card("---\na: '---'\n---b: 2\n---\n"),
            Some(json!({"a": "---", "---b": 2}))
        );
    }

    #[test]
    fn bad_or_non_mapping_yaml_is_no_card() {
        assert_eq!(card("---\nx: [1, 2\n---\n"), None);
        assert_eq!(card("---\n- a\n- b\n---\n"), None);
        assert_eq!(card("---\njust text\n---\n"), None);
        assert_eq!(card("---\na: 1\na: 2\n---\n"), None, "duplicate keys");
        assert_eq!(card("---\nx: \"unterminated\n---\n"), None);
    }

    #[test]
    fn validation_reports_errors_and_empty_metadata() {
        let ok = validate("---\nlicense: mit\n---\n", RepoType::Model);
        assert_eq!(ok, (vec![], vec![]));
        for text in ["# no metadata", "---\n\n---\n", "---\n---\n"] {
            let (errors, warnings) = validate(text, RepoType::Dataset);
            assert!(errors.is_empty(), "{text:?}");
            assert!(
                warnings[0].starts_with("empty or missing yaml metadata"),
                "{text:?}"
            );
        }
        for text in [
            "---\nmodel-index: foo\n---\n",
            "---\n- a\n---\n",
            "---\nx: [1\n---\n",
        ] {
            let (errors, _) = validate(text, RepoType::Model);
            assert_eq!(errors.len(), 1, "{text:?}");
        }
    }

    #[test]
    fn yaml_values_map_to_json() {
        let md = "---\n1: one\ntrue: yes\nf: 1.5\nbig: 18446744073709551615\nneg: -3\n\
                  inf: .inf\nd: 2024-01-02\nn: null\nt: !custom x\nbase: &b {k: v}\n\
                  merged:\n  <<: *b\n  o: 1\n---\n";
        assert_eq!(
            card(md),
            Some(
                json!({"1": "one", "true": "yes", "f": 1.5, "big": 18446744073709551615u64,
                        "neg": -3, "inf": null, "d": "2024-01-02", "n": null, "t": "x",
                        "base": {"k": "v"}, "merged": {"k": "v", "o": 1}})
            )
        );
    }

    #[test]
    fn model_tags_follow_the_card() {
        let c = front_matter(
            "---\nlibrary_name: transformers\npipeline_tag: text-classification\n\
             tags: [exbert, transformers]\nlanguage: [en, fr]\ndatasets: [imdb]\n\
             base_model: org/base\nlicense: apache-2.0\n---\n",
        );
        assert_eq!(
            tags(RepoType::Model, c.as_ref(), None),
            [
                "transformers",
                "text-classification",
                "exbert",
                "en",
                "fr",
                "dataset:imdb",
                "base_model:org/base",
                "license:apache-2.0",
                "region:us"
            ]
        );
        assert_eq!(tags(RepoType::Model, None, None), ["region:us"]);
        assert_eq!(
            string(c.as_ref(), "pipeline_tag").unwrap(),
            "text-classification"
        );
        let odd = front_matter("---\npipeline_tag: [a]\nlanguage: en\ntags: [2023, '', x]\n---");
        assert_eq!(string(odd.as_ref(), "pipeline_tag"), None);
        assert_eq!(
            tags(RepoType::Model, odd.as_ref(), None),
            ["2023", "x", "en", "region:us"]
        );
    }

    #[test]
    fn dataset_and_space_tags() {
        let c = front_matter(
            "---\nlicense: mit\nlanguage: [en]\ntask_categories: [text-classification]\n\
             size_categories: 1K<n<10K\ntags: [fun]\n---\n",
        );
        assert_eq!(
            tags(RepoType::Dataset, c.as_ref(), None),
            [
                "task_categories:text-classification",
                "language:en",
                "license:mit",
                "size_categories:1K<n<10K",
                "fun",
                "region:us"
            ]
        );
        assert_eq!(
            tags(RepoType::Space, c.as_ref(), Some("gradio")),
            ["gradio", "fun", "region:us"]
        );
    }
}
