//! README front matter → `cardData`, `tags`, `pipeline_tag`, `library_name` on info (at the
//! requested revision), and `expand` on info.

mod common;

use common::{add, Server};
use serde_json::{json, Value};

const MODEL_CARD: &str = "---\nlicense: apache-2.0\nlibrary_name: transformers\n\
pipeline_tag: text-classification\ntags:\n- sentiment\nlanguage: [en, fr]\n\
datasets:\n- stanfordnlp/imdb\nbase_model: org/base\n---\n# A model\n";

fn create(s: &Server, kind: &str, name: &str, extra: Value) -> String {
    let mut body = json!({"name": name, "type": kind});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let r = s.authed("POST", "/api/repos/create").json(&body).send();
    assert_eq!(r.status, 200, "create {name}: {}", r.text());
    format!("test-user/{name}")
}

fn commit(s: &Server, kind: &str, repo: &str, ops: &[Value]) -> String {
    let r = s
        .authed("POST", &format!("/api/{kind}s/{repo}/commit/main"))
        .ndjson(&json!({"summary": "card"}), ops)
        .send();
    assert_eq!(r.status, 200, "commit: {}", r.text());
    r.json()["commitOid"].as_str().unwrap().to_string()
}

fn info(s: &Server, path: &str) -> Value {
    let r = s.authed("GET", path).send();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

#[test]
fn a_model_card_gives_card_data_tags_pipeline_and_library() {
    let s = Server::start(&[]);
    let repo = s.create_model("carded", false);
    let bare = info(&s, &format!("/api/models/{repo}"));
    assert!(bare.get("cardData").is_none(), "no README, no cardData");
    assert!(bare.get("pipeline_tag").is_none() && bare.get("library_name").is_none());
    assert_eq!(bare["tags"], json!(["region:us"]));

    let first = commit(
        &s,
        "model",
        &repo,
        &[add("README.md", MODEL_CARD.as_bytes())],
    );
    let v = info(&s, &format!("/api/models/{repo}"));
    assert_eq!(
        v["cardData"],
        json!({"license": "apache-2.0", "library_name": "transformers",
               "pipeline_tag": "text-classification", "tags": ["sentiment"],
               "language": ["en", "fr"], "datasets": ["stanfordnlp/imdb"],
               "base_model": "org/base"})
    );
    assert_eq!(
        v["tags"],
        json!([
            "transformers",
            "text-classification",
            "sentiment",
            "en",
            "fr",
            "dataset:stanfordnlp/imdb",
            "base_model:org/base",
            "license:apache-2.0",
            "region:us"
        ])
    );
    assert_eq!(v["pipeline_tag"], "text-classification");
    assert_eq!(v["library_name"], "transformers");

    // A later README without front matter: main has no card, the first commit still has it.
    commit(&s, "model", &repo, &[add("README.md", b"# just text\n")]);
    let now = info(&s, &format!("/api/models/{repo}"));
    assert!(now.get("cardData").is_none() && now.get("pipeline_tag").is_none());
    let then = info(&s, &format!("/api/models/{repo}/revision/{first}"));
    assert_eq!(then["pipeline_tag"], "text-classification");
    assert_eq!(then["sha"], first.as_str());
}

#[test]
fn malformed_or_non_mapping_front_matter_is_no_card_data() {
    let s = Server::start(&[]);
    let repo = s.create_model("bad-card", false);
    for readme in [
        "---\nlicense: [mit\n---\n",
        "---\n- a\n- b\n---\n",
        "---\na: 1\na: 2\n---\n",
    ] {
        commit(&s, "model", &repo, &[add("README.md", readme.as_bytes())]);
        let v = info(&s, &format!("/api/models/{repo}"));
        assert!(v.get("cardData").is_none(), "{readme:?}: {v}");
        assert_eq!(v["tags"], json!(["region:us"]));
    }
    commit(&s, "model", &repo, &[add("README.md", b"---\n\n---\nbody")]);
    assert_eq!(
        info(&s, &format!("/api/models/{repo}"))["cardData"],
        json!({})
    );
}

#[test]
fn dataset_and_space_cards() {
    let s = Server::start(&[]);
    let ds = create(&s, "dataset", "data", json!({}));
    commit(
        &s,
        "dataset",
        &ds,
        &[add(
            "README.md",
            b"---\nlicense: mit\nlanguage:\n- en\ntask_categories:\n- text-classification\n\
              paperswithcode_id: imdb\ntags: [movies]\n---\n",
        )],
    );
    let v = info(&s, &format!("/api/datasets/{ds}"));
    assert_eq!(
        v["tags"],
        json!([
            "task_categories:text-classification",
            "language:en",
            "license:mit",
            "movies",
            "region:us"
        ])
    );
    assert_eq!(v["paperswithcode_id"], "imdb");
    assert!(v.get("pipeline_tag").is_none());

    let sp = create(&s, "space", "app", json!({"sdk": "gradio"}));
    let v = info(&s, &format!("/api/spaces/{sp}"));
    assert_eq!(
        (v["sdk"].as_str(), v["tags"].clone()),
        (Some("gradio"), json!(["gradio", "region:us"]))
    );
    assert!(v.get("models").is_none());
    commit(
        &s,
        "space",
        &sp,
        &[add(
            "README.md",
            b"---\nsdk: docker\nmodels: [test-user/m]\ndatasets: [test-user/data]\ntags: [demo]\n---\n",
        )],
    );
    let v = info(&s, &format!("/api/spaces/{sp}"));
    assert_eq!(v["sdk"], "docker", "the card's sdk wins");
    assert_eq!(v["tags"], json!(["docker", "demo", "region:us"]));
    assert_eq!(v["models"], json!(["test-user/m"]));
    assert_eq!(v["datasets"], json!(["test-user/data"]));
    assert_eq!(v["subdomain"], "test-user-app");
}

#[test]
fn expand_keeps_the_listed_fields_and_refuses_unknown_ones() {
    let s = Server::start(&[]);
    let repo = s.create_model("expanded", false);
    commit(
        &s,
        "model",
        &repo,
        &[add("README.md", MODEL_CARD.as_bytes())],
    );
    let v = info(
        &s,
        &format!(
            "/api/models/{repo}?expand=pipeline_tag&expand[]=cardData&expand=downloadsAllTime"
        ),
    );
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["_id", "id", "pipeline_tag", "cardData", "downloadsAllTime"]
    );
    // Accepted but not modelled: left out.
    let v = info(
        &s,
        &format!("/api/models/{repo}?expand=config&expand=safetensors"),
    );
    assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    let v = info(&s, &format!("/api/models/{repo}?expand=xetEnabled"));
    assert_eq!(v["xetEnabled"], false);

    for (path, what) in [
        (format!("/api/models/{repo}?expand=foo"), "unknown"),
        (format!("/api/models/{repo}?expand=sdk"), "a Space field"),
        (format!("/api/models/{repo}?expand=gitalyUid"), "not listed"),
        (
            "/api/models/test-user/nope?expand=foo".to_string(),
            "checked first",
        ),
        (
            "/api/datasets/test-user/x?expand=pipeline_tag".to_string(),
            "a model field",
        ),
        (
            "/api/spaces/test-user/x?expand=downloads".to_string(),
            "a model field",
        ),
    ] {
        let r = s.authed("GET", &path).send();
        assert_eq!(r.status, 400, "{what}: {path}");
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("\"expand\" must be one of [author, "));
    }
    let r = s
        .authed("GET", &format!("/api/models/{repo}?blobs=true&expand=sha"))
        .send();
    assert_eq!(r.status, 400);
    // Unknown repo and revision keep their codes.
    let r = s
        .authed("GET", "/api/models/test-user/nope?expand=likes")
        .send();
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
    let r = s.req("GET", "/api/models/test-user/nope").send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (401, Some("RepoNotFound"))
    );
    let r = s
        .authed(
            "GET",
            &format!("/api/models/{repo}/revision/nope?expand=likes"),
        )
        .send();
    assert_eq!(
        (r.status, r.header("x-error-code")),
        (404, Some("RevisionNotFound"))
    );
}

#[test]
fn validate_yaml_reports_errors_warnings_and_plain_text() {
    let s = Server::start(&[]);
    let post = |body: Value, accept: Option<&str>| {
        let r = s.req("POST", "/api/validate-yaml");
        match accept {
            Some(a) => r.header("Accept", a).json(&body).send(),
            None => r.json(&body).send(),
        }
    };
    let r = post(json!({"content": MODEL_CARD, "repoType": "model"}), None);
    assert_eq!(
        (r.status, r.json()),
        (200, json!({"errors": [], "warnings": []}))
    );
    let r = post(json!({"content": "# none", "repoType": "dataset"}), None);
    assert_eq!(r.status, 200);
    let w = r.json()["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        w.starts_with("empty or missing yaml metadata in repo card"),
        "{w}"
    );
    let r = post(
        json!({"content": "---\nmodel-index: foo\n---\n", "repoType": "model"}),
        None,
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["errors"],
        json!([{"message": "\"model-index\" must be an array"}])
    );
    let r = post(
        json!({"content": "---\nx: [1\n---\n", "repoType": "space"}),
        Some("text/plain"),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.text()
            .starts_with("- Error: YAML metadata could not be parsed"),
        "{}",
        r.text()
    );
    assert_eq!(
        post(json!({"content": "", "repoType": "kernel"}), None).status,
        400
    );
    assert_eq!(post(json!({"repoType": "model"}), None).status, 400);
}
