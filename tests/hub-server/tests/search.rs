//! Repo listings over card data and counters: `filter`, `pipeline_tag`, `author`, `search`,
//! `gated`, Spaces' `models`/`datasets`/`linked`, `sort=likes|downloads|trendingScore`, the
//! short items, `cardData=true`, `expand`, and `POST /__admin/stats`.

mod common;

use common::{add, Server};
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn get(s: &Server, path: &str) -> Value {
    let r = s.req("GET", path).send();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

fn card(s: &Server, repo: &str, yaml: &str) {
    let r = s.commit(
        repo,
        "card",
        &[add("README.md", format!("---\n{yaml}---\n").as_bytes())],
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

fn stats(s: &Server, body: Value) -> common::Resp {
    s.req("POST", "/__admin/stats").json(&body).send()
}

/// Three carded models and one without a card.
fn catalogue() -> Server {
    let s = Server::start(&[]);
    let a = s.create_model("bert-a", false);
    let b = s.create_model("bert-b", false);
    let c = s.create_model("gpt-c", false);
    s.create_model("plain", false);
    card(
        &s,
        &a,
        "pipeline_tag: text-classification\nlibrary_name: transformers\nlicense: mit\n\
         datasets: [imdb]\ntags: [bert]\n",
    );
    card(
        &s,
        &b,
        "pipeline_tag: fill-mask\nlibrary_name: transformers\nlicense: apache-2.0\ntags: [bert]\n",
    );
    card(
        &s,
        &c,
        "pipeline_tag: text-generation\nlibrary_name: transformers\nlicense: mit\n",
    );
    s
}

#[test]
fn filters_match_tags_and_pipeline_tag() {
    let s = catalogue();
    let r = get(&s, "/api/models?filter=bert&sort=createdAt&direction=1");
    assert_eq!(ids(&r), ["test-user/bert-a", "test-user/bert-b"]);
    let r = get(&s, "/api/models?filter=bert&filter=license:mit");
    assert_eq!(ids(&r), ["test-user/bert-a"], "every filter must match");
    let r = get(&s, "/api/models?filter=dataset:imdb");
    assert_eq!(ids(&r), ["test-user/bert-a"]);
    let r = get(&s, "/api/models?filter=transformers&search=GPT");
    assert_eq!(ids(&r), ["test-user/gpt-c"]);
    let r = get(&s, "/api/models?pipeline_tag=fill-mask");
    assert_eq!(ids(&r), ["test-user/bert-b"]);
    let r = get(&s, "/api/models?pipeline_tag=fill-mask&filter=license:mit");
    assert_eq!(r, json!([]));
    let r = get(&s, "/api/models?filter=region:us&author=test-user");
    assert_eq!(r.as_array().unwrap().len(), 4);
    assert_eq!(get(&s, "/api/models?author=nobody"), json!([]));
    assert_eq!(get(&s, "/api/models?filter=nothing-has-this"), json!([]));
}

#[test]
fn items_are_short_with_card_fields_and_card_data_on_request() {
    let s = catalogue();
    let r = get(&s, "/api/models?search=bert-a");
    let keys: Vec<&String> = r[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "_id",
            "id",
            "createdAt",
            "private",
            "likes",
            "trendingScore",
            "tags",
            "pipeline_tag",
            "library_name",
            "modelId",
            "downloads"
        ]
    );
    assert_eq!(r[0]["pipeline_tag"], "text-classification");
    assert!(r[0].get("cardData").is_none() && r[0].get("siblings").is_none());
    let r = get(&s, "/api/models?search=plain");
    assert!(r[0].get("pipeline_tag").is_none());
    let r = get(&s, "/api/models?search=bert-a&cardData=true");
    assert_eq!(r[0]["cardData"]["license"], "mit");
    let r = get(&s, "/api/models?search=bert-a&full=true");
    assert_eq!(r[0]["cardData"]["license"], "mit");
    assert!(r[0]["siblings"].is_array());
    let r = get(
        &s,
        "/api/models?search=bert-a&expand=cardData&expand[]=tags",
    );
    let keys: Vec<&String> = r[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["_id", "id", "tags", "cardData"]);
    for bad in [
        "/api/models?expand=foo",
        "/api/models?expand=sdk",
        "/api/spaces?expand=downloads",
        "/api/models?expand=likes&full=true",
        "/api/models?expand=likes&cardData=true",
    ] {
        assert_eq!(s.req("GET", bad).send().status, 400, "{bad}");
    }
}

#[test]
fn sorting_by_likes_downloads_and_trending_uses_the_counters() {
    let s = catalogue();
    for (repo, likes, downloads, trending) in [
        ("bert-a", 5, 10, 1),
        ("bert-b", 50, 1, 3),
        ("gpt-c", 0, 1000, 2),
    ] {
        let r = stats(
            &s,
            json!({"repo": format!("test-user/{repo}"), "type": "model", "likes": likes,
                   "downloads": downloads, "trendingScore": trending}),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let by = |q: &str| ids(&get(&s, &format!("/api/models?filter=transformers&{q}")));
    assert_eq!(
        by("sort=likes"),
        ["test-user/bert-b", "test-user/bert-a", "test-user/gpt-c"]
    );
    assert_eq!(by("sort=likes&direction=1")[0], "test-user/gpt-c");
    assert_eq!(
        by("sort=downloads"),
        ["test-user/gpt-c", "test-user/bert-a", "test-user/bert-b"]
    );
    assert_eq!(
        by("sort=trendingScore"),
        ["test-user/bert-b", "test-user/gpt-c", "test-user/bert-a"]
    );
    assert_eq!(
        by(""),
        by("sort=trendingScore"),
        "trendingScore is the default"
    );
    assert_eq!(by("sort=id&direction=1")[0], "test-user/bert-a");
    for sort in [
        "likes7d",
        "likes30d",
        "mainSize",
        "num_parameters",
        "datasetsServerInfo.numRows",
    ] {
        assert_eq!(by(&format!("sort={sort}")).len(), 3, "{sort}");
    }
    assert_eq!(s.req("GET", "/api/models?sort=stars").send().status, 400);

    // Pages of one follow the same order.
    let mut url = format!(
        "{}/api/models?filter=transformers&sort=downloads&limit=1",
        s.url
    );
    let mut seen = Vec::new();
    loop {
        let page = s.req_url("GET", &url).send();
        seen.extend(ids(&page.json()));
        match page.header("link") {
            Some(l) => url = l[1..l.find('>').unwrap()].to_string(),
            None => break,
        }
    }
    assert_eq!(seen, by("sort=downloads"));

    let v = get(&s, "/api/models/test-user/gpt-c");
    assert_eq!(
        (v["likes"].clone(), v["downloads"].clone()),
        (json!(0), json!(1000))
    );
    assert_eq!(v["downloadsAllTime"], 1000, "defaults to downloads");
    assert_eq!(v["trendingScore"], 2);
}

#[test]
fn admin_stats_checks_its_body() {
    let s = Server::start(&[]);
    s.create_model("m", false);
    let r = stats(
        &s,
        json!({"repo": "test-user/m", "downloads": 7, "downloadsAllTime": 70}),
    );
    assert_eq!(r.status, 200, "type defaults to model: {}", r.text());
    assert_eq!(
        r.json(),
        json!({"likes": 0, "trendingScore": 0, "downloads": 7, "downloadsAllTime": 70})
    );
    assert_eq!(
        stats(&s, json!({"repo": "test-user/m", "stars": 1})).status,
        400
    );
    assert_eq!(stats(&s, json!({"repo": "test-user/nope"})).status, 404);
    assert_eq!(stats(&s, json!({"repo": "bad"})).status, 400);
    s.authed("POST", "/api/repos/create")
        .json(&json!({"name": "sp", "type": "space", "sdk": "static"}))
        .send();
    let r = stats(
        &s,
        json!({"repo": "test-user/sp", "type": "space", "downloads": 1}),
    );
    assert_eq!(r.status, 400, "Spaces have no downloads");
    let r = stats(
        &s,
        json!({"repo": "test-user/sp", "type": "space", "likes": 3}),
    );
    assert_eq!(r.json(), json!({"likes": 3, "trendingScore": 0}));
    assert_eq!(get(&s, "/api/spaces/test-user/sp")["likes"], 3);
}

#[test]
fn datasets_and_spaces_filter_on_their_own_cards() {
    let s = Server::start(&[]);
    let mk = |name: &str, kind: &str, extra: Value| {
        let mut body = json!({"name": name, "type": kind});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let r = s.authed("POST", "/api/repos/create").json(&body).send();
        assert_eq!(r.status, 200, "{}", r.text());
    };
    let put = |kind: &str, repo: &str, yaml: &str| {
        let r = s
            .authed(
                "POST",
                &format!("/api/{kind}s/test-user/{repo}/commit/main"),
            )
            .ndjson(
                &json!({"summary": "card"}),
                &[add("README.md", format!("---\n{yaml}---\n").as_bytes())],
            )
            .send();
        assert_eq!(r.status, 200, "{}", r.text());
    };
    mk("d1", "dataset", json!({}));
    mk("d2", "dataset", json!({}));
    put(
        "dataset",
        "d1",
        "language: [en]\ntask_categories: [translation]\n",
    );
    put("dataset", "d2", "language: [fr]\n");
    assert_eq!(
        ids(&get(&s, "/api/datasets?filter=language:en")),
        ["test-user/d1"]
    );
    assert_eq!(
        ids(&get(
            &s,
            "/api/datasets?filter=task_categories:translation&filter=language:en"
        )),
        ["test-user/d1"]
    );
    let r = s
        .authed("PUT", "/api/datasets/test-user/d2/settings")
        .json(&json!({"gated": "auto"}))
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(ids(&get(&s, "/api/datasets?gated=true")), ["test-user/d2"]);
    assert_eq!(ids(&get(&s, "/api/datasets?gated=false")), ["test-user/d1"]);

    mk("s1", "space", json!({"sdk": "gradio"}));
    mk("s2", "space", json!({"sdk": "static"}));
    put(
        "space",
        "s1",
        "models: [test-user/m]\ndatasets: [test-user/d1]\ntags: [demo]\n",
    );
    assert_eq!(ids(&get(&s, "/api/spaces?filter=gradio")), ["test-user/s1"]);
    assert_eq!(ids(&get(&s, "/api/spaces?filter=demo")), ["test-user/s1"]);
    assert_eq!(
        ids(&get(&s, "/api/spaces?models=test-user/m")),
        ["test-user/s1"]
    );
    assert_eq!(
        ids(&get(&s, "/api/spaces?datasets=test-user/d2")),
        Vec::<String>::new()
    );
    assert_eq!(ids(&get(&s, "/api/spaces?linked=true")), ["test-user/s1"]);
    let v = get(&s, "/api/spaces?search=s2");
    assert_eq!(v[0]["sdk"], "static");
    assert_eq!(v[0]["tags"], json!(["static", "region:us"]));
}
