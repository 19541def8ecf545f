//! The LFS batch API and content transfer on the storage origin: basic and multipart uploads,
//! signed URLs that need no Hub token, content checked against its oid, per-object errors,
//! verify, and the download operation.

mod common;

use common::{noise, sha256_hex, Server};
use serde_json::{json, Value};

const MIB: usize = 1024 * 1024;

fn batch(s: &Server, repo: &str, body: &Value) -> common::Resp {
    s.authed("POST", &format!("/{repo}.git/info/lfs/objects/batch"))
        .header("Accept", "application/vnd.git-lfs+json")
        .body("application/vnd.git-lfs+json", body.to_string().as_bytes())
        .send()
}

fn is_signed_on(url: &str, origin: &str) -> bool {
    url.starts_with(&format!("{origin}/")) && url.contains("exp=") && url.contains("&sig=")
}

#[test]
fn small_objects_get_one_signed_basic_put_on_the_storage_origin() {
    let s = Server::start(&[]);
    let repo = s.create_model("basic", false);
    let content = noise(1024, 1);
    let r = s.lfs_batch(&repo, &[&content]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/vnd.git-lfs+json")
    );
    let b = r.json();
    assert_eq!(b["transfer"], "basic");
    let obj = &b["objects"][0];
    assert_eq!(obj["oid"], sha256_hex(&content));
    assert_eq!(obj["size"], 1024);
    let upload = &obj["actions"]["upload"];
    let href = upload["href"].as_str().unwrap();
    assert!(is_signed_on(href, &s.storage_url), "{href}");
    assert!(upload.get("header").is_none(), "basic: no chunk_size");
    let verify = obj["actions"]["verify"]["href"].as_str().unwrap();
    assert!(
        is_signed_on(verify, &s.url),
        "verify is a Hub URL: {verify}"
    );

    // The PUT carries no Authorization, as every client sends it.
    let put = s
        .req_url("PUT", href)
        .body("application/octet-stream", &content)
        .send();
    assert_eq!(put.status, 200, "{}", put.text());
    assert_eq!(
        put.header("etag"),
        Some(format!("\"{}\"", sha256_hex(&content)).as_str())
    );

    // Stored now: a second batch answers no actions, so clients skip the upload.
    let again = s.lfs_batch(&repo, &[&content]).json();
    assert_eq!(
        again["objects"][0],
        json!({"oid": sha256_hex(&content), "size": 1024, "authenticated": true})
    );
    assert_eq!(again["transfer"], "basic");
}

#[test]
fn content_that_does_not_match_its_oid_or_size_is_refused_and_not_stored() {
    let s = Server::start(&[]);
    let repo = s.create_model("mismatch", false);
    let content = noise(2000, 2);
    let href = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let mut wrong = content.clone();
    wrong[0] ^= 1;
    let r = s
        .req_url("PUT", &href)
        .body("application/octet-stream", &wrong)
        .send();
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("does not match the oid"));
    let r = s
        .req_url("PUT", &href)
        .body("application/octet-stream", &content[..1999])
        .send();
    r.assert_error(400, None, "Expected 2000 bytes, received 1999");
    let mut long = content.clone();
    long.push(0);
    let r = s
        .req_url("PUT", &href)
        .body("application/octet-stream", &long)
        .send();
    r.assert_error(
        400,
        None,
        "Body is longer than the 2000 bytes this URL was issued for",
    );
    // Still not stored: the batch still asks for an upload.
    let again = s.lfs_batch(&repo, &[&content]).json();
    assert!(again["objects"][0]["actions"]["upload"].is_object());
}

#[test]
fn an_11_mib_object_is_three_multipart_parts_assembled_on_completion() {
    let s = Server::start(&[]);
    let repo = s.create_model("multi", false);
    let content = noise(11 * MIB, 3);
    let oid = sha256_hex(&content);
    let b = s.lfs_batch(&repo, &[&content]).json();
    assert_eq!(b["transfer"], "multipart");
    let upload = &b["objects"][0]["actions"]["upload"];
    let header = upload["header"].as_object().unwrap();
    let keys: Vec<&String> = header.keys().collect();
    assert_eq!(keys, ["chunk_size", "00001", "00002", "00003"]);
    assert_eq!(header["chunk_size"], "5242880");
    for k in ["00001", "00002", "00003"] {
        assert!(is_signed_on(header[k].as_str().unwrap(), &s.storage_url));
    }
    let complete = upload["href"].as_str().unwrap();
    assert!(is_signed_on(complete, &s.storage_url));

    // Parts may arrive in any order (JS uploads them in parallel).
    let mut etags = vec![String::new(); 3];
    for i in [2usize, 0, 1] {
        let piece = &content[i * 5 * MIB..((i + 1) * 5 * MIB).min(content.len())];
        let url = header[&format!("{:05}", i + 1)].as_str().unwrap();
        let r = s
            .req_url("PUT", url)
            .body("application/octet-stream", piece)
            .send();
        assert_eq!(r.status, 200, "{}", r.text());
        let etag = r.header("etag").unwrap().to_string();
        assert_eq!(etag, format!("\"{}\"", sha256_hex(piece)), "quoted ETag");
        etags[i] = etag;
    }
    let parts: Vec<Value> = etags
        .iter()
        .enumerate()
        .map(|(i, e)| json!({"partNumber": i + 1, "etag": e}))
        .collect();
    let r = s
        .req_url("POST", complete)
        .header("Accept", "application/vnd.git-lfs+json")
        .body(
            "application/vnd.git-lfs+json",
            json!({"oid": oid, "parts": parts}).to_string().as_bytes(),
        )
        .send();
    assert_eq!(r.status, 200, "{}", r.text());
    let again = s.lfs_batch(&repo, &[&content]).json();
    assert!(again["objects"][0].get("actions").is_none(), "stored");
}

#[test]
fn the_threshold_and_chunk_size_are_flags() {
    let s = Server::start(&["--multipart-threshold", "100", "--chunk-size", "40"]);
    let repo = s.create_model("flags", false);
    let (small, big) = (noise(99, 4), noise(100, 5));
    let b = s.lfs_batch(&repo, &[&small, &big]).json();
    assert_eq!(b["transfer"], "multipart", "one multipart object is enough");
    assert!(b["objects"][0]["actions"]["upload"].get("header").is_none());
    let header = &b["objects"][1]["actions"]["upload"]["header"];
    assert_eq!(header["chunk_size"], "40");
    assert!(header.get("00003").is_some() && header.get("00004").is_none());
    s.upload_lfs(&repo, &big);
    assert!(s.lfs_batch(&repo, &[&big]).json()["objects"][0]
        .get("actions")
        .is_none());
}

#[test]
fn a_client_that_only_speaks_basic_gets_basic_even_for_large_objects() {
    let s = Server::start(&["--multipart-threshold", "10"]);
    let repo = s.create_model("onlybasic", false);
    let big = noise(50, 6);
    let r = batch(
        &s,
        &repo,
        &json!({"operation": "upload", "objects": [{"oid": sha256_hex(&big), "size": 50}]}),
    );
    let b = r.json();
    assert_eq!(b["transfer"], "basic");
    assert!(b["objects"][0]["actions"]["upload"].get("header").is_none());
}

#[test]
fn completion_checks_every_part_its_etag_and_the_order() {
    let s = Server::start(&["--multipart-threshold", "10", "--chunk-size", "10"]);
    let repo = s.create_model("complete", false);
    let content = noise(25, 7);
    let oid = sha256_hex(&content);
    let upload = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"].clone();
    let href = upload["href"].as_str().unwrap();
    let put = |n: usize, bytes: &[u8]| {
        s.req_url("PUT", upload["header"][format!("{n:05}")].as_str().unwrap())
            .body("application/octet-stream", bytes)
            .send()
    };
    let complete = |parts: Value| {
        s.req_url("POST", href)
            .json(&json!({"oid": oid, "parts": parts}))
            .send()
    };
    // A part of the wrong length is refused at once.
    put(1, &content[..9]).assert_error(400, None, "Expected 10 bytes, received 9");
    let e1 = put(1, &content[..10]).header("etag").unwrap().to_string();
    let e2 = put(2, &content[10..20]).header("etag").unwrap().to_string();
    let p = |n: u32, e: &str| json!({"partNumber": n, "etag": e});

    complete(json!([p(1, &e1), p(2, &e2)])).assert_error(400, None, "Expected 3 parts, got 2");
    complete(json!([p(1, &e1), p(2, &e2), p(3, "\"x\"")])).assert_error(
        400,
        None,
        "Part 3 was not uploaded",
    );
    let e3 = put(3, &content[20..]).header("etag").unwrap().to_string();
    complete(json!([p(2, &e2), p(1, &e1), p(3, &e3)])).assert_error(
        400,
        None,
        "Parts must be listed in order: expected part 1, got 2",
    );
    let r = complete(json!([p(1, &e1), p(2, &e1), p(3, &e3)]));
    assert_eq!(r.status, 400);
    assert!(
        r.text().contains("ETag mismatch for part 2"),
        "{}",
        r.text()
    );
    let r = s
        .req_url("POST", href)
        .json(&json!({"oid": "f".repeat(64), "parts": []}))
        .send();
    assert_eq!(r.status, 400, "the body must name this URL's oid");

    // Weak or unquoted forms of the right ETags are fine.
    let bare = e2.trim_matches('"').to_string();
    let r = complete(json!([p(1, &format!("W/{e1}")), p(2, &bare), p(3, &e3)]));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(s.lfs_batch(&repo, &[&content]).json()["objects"][0]
        .get("actions")
        .is_none());
}

#[test]
fn parts_that_do_not_add_up_to_the_oid_are_refused_on_completion() {
    let s = Server::start(&["--multipart-threshold", "10", "--chunk-size", "10"]);
    let repo = s.create_model("badparts", false);
    let content = noise(20, 8);
    let upload = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"].clone();
    let mut parts = Vec::new();
    for n in 1..=2 {
        let mut piece = content[(n - 1) * 10..n * 10].to_vec();
        piece[0] ^= 0xff;
        let url = upload["header"][format!("{n:05}")].as_str().unwrap();
        let r = s
            .req_url("PUT", url)
            .body("application/octet-stream", &piece)
            .send();
        parts.push(json!({"partNumber": n, "etag": r.header("etag").unwrap()}));
    }
    let r = s
        .req_url("POST", upload["href"].as_str().unwrap())
        .json(&json!({"oid": sha256_hex(&content), "parts": parts}))
        .send();
    assert_eq!(r.status, 400);
    assert!(r.text().contains("does not match the oid"), "{}", r.text());
    assert!(s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"].is_object());
}

#[test]
fn bad_oids_and_sizes_are_per_object_422_errors() {
    let s = Server::start(&[]);
    let repo = s.create_model("errors", false);
    let good = noise(10, 9);
    let r = batch(
        &s,
        &repo,
        &json!({"operation": "upload", "transfers": ["basic"], "hash_algo": "sha_256",
        "objects": [
            {"oid": "abc", "size": 3},
            {"oid": sha256_hex(&good), "size": -1},
            {"oid": sha256_hex(&good), "size": 10},
        ]}),
    );
    assert_eq!(r.status, 200, "sha_256 (JS) is accepted: {}", r.text());
    let objs = r.json()["objects"].clone();
    assert_eq!(objs[0]["error"]["code"], 422);
    assert!(objs[0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("64 hexadecimal"));
    assert_eq!(objs[1]["error"]["code"], 422);
    assert!(objs[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("non-negative"));
    assert!(objs[2]["actions"]["upload"].is_object());
}

#[test]
fn whole_request_errors() {
    let s = Server::start(&[]);
    let repo = s.create_model("whole", false);
    let obj = json!([{"oid": "a".repeat(64), "size": 1}]);
    let r = batch(
        &s,
        &repo,
        &json!({"operation": "upload", "objects": obj, "hash_algo": "md5"}),
    );
    assert_eq!(r.status, 409);
    let r = batch(&s, &repo, &json!({"operation": "delete", "objects": obj}));
    assert_eq!(r.status, 422);
    let r = batch(
        &s,
        &repo,
        &json!({"operation": "upload", "objects": obj, "transfers": ["xet"]}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(batch(&s, &repo, &json!({"objects": obj})).status, 400);
    let r = batch(
        &s,
        "test-user/nope",
        &json!({"operation": "upload", "objects": obj}),
    );
    assert_eq!(r.header("x-error-code"), Some("RepoNotFound"));
}

#[test]
fn uploading_needs_a_write_token_for_the_namespace() {
    let s = Server::start(&["--token", "reader:hf_reader:read", "--user", "bob"]);
    let repo = s.create_model("rights", false);
    let body = json!({"operation": "upload", "objects": [{"oid": "a".repeat(64), "size": 1}],
                      "ref": {"name": "main"}});
    let path = format!("/{repo}.git/info/lfs/objects/batch");
    let send = |token: Option<&str>, body: &Value| {
        let mut r = s.req("POST", &path);
        if let Some(t) = token {
            r = r.token(t);
        }
        r.body("application/vnd.git-lfs+json", body.to_string().as_bytes())
            .send()
    };
    assert_eq!(send(None, &body).status, 401);
    assert_eq!(send(Some("hf_reader"), &body).status, 403);
    let bob = s.line["tokens"]["bob"].as_str().unwrap();
    assert_eq!(send(Some(bob), &body).status, 403, "not bob's namespace");
    // Uploading for a pull request (no ref, as Python sends with create_pr) only needs write.
    let for_pr = json!({"operation": "upload", "objects": [{"oid": "a".repeat(64), "size": 1}]});
    assert_eq!(send(Some(bob), &for_pr).status, 200);
    // Downloading needs read access only.
    let down = json!({"operation": "download", "objects": [{"oid": "a".repeat(64), "size": 1}]});
    assert_eq!(send(None, &down).status, 200);
}

#[test]
fn storage_urls_must_carry_a_valid_unexpired_signature() {
    let s = Server::start(&["--url-ttl", "1"]);
    let repo = s.create_model("signed", false);
    let content = noise(64, 10);
    let href = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let (path, query) = href.split_once('?').unwrap();
    let put = |url: &str| {
        s.req_url("PUT", url)
            .body("application/octet-stream", &content)
            .send()
    };
    put(path).assert_error(
        403,
        None,
        "Missing signature: this URL must come from the Hub",
    );
    let other = format!("{path}?{}", query.replace("size=64", "size=65"));
    put(&other).assert_error(403, None, "Signature does not match");
    let foreign = href.replace(&sha256_hex(&content), &"b".repeat(64));
    put(&foreign).assert_error(403, None, "Signature does not match");
    // The Hub token does not help either.
    let r = s
        .req_url("PUT", path)
        .token(&s.token)
        .body("application/octet-stream", &content)
        .send();
    assert_eq!(r.status, 403);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    put(&href).assert_error(403, None, "Request has expired");
}

#[test]
fn verify_answers_200_for_stored_objects_and_404_otherwise() {
    let s = Server::start(&[]);
    let repo = s.create_model("verify", false);
    let content = noise(300, 11);
    let oid = sha256_hex(&content);
    let b = s.lfs_batch(&repo, &[&content]).json();
    let verify = b["objects"][0]["actions"]["verify"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let call = |size: usize| {
        s.req_url("POST", &verify)
            .token(&s.token)
            .json(&json!({"oid": oid, "size": size}))
            .send()
    };
    call(300).assert_error(404, None, &format!("Object {oid} was not uploaded"));
    s.upload_lfs(&repo, &content);
    assert_eq!(call(300).status, 200);
    assert_eq!(call(301).status, 404);
    let unsigned = verify.split_once('?').unwrap().0;
    let r = s
        .req_url("POST", unsigned)
        .token(&s.token)
        .json(&json!({"oid": oid, "size": 300}))
        .send();
    assert_eq!(r.status, 403);
    let r = s
        .req_url("POST", &verify)
        .json(&json!({"oid": oid, "size": 300}))
        .send();
    assert_eq!(r.status, 401, "verify needs the Hub token");
}

#[test]
fn the_download_operation_answers_signed_hrefs() {
    let s = Server::start(&[]);
    let repo = s.create_model("down", false);
    let content = noise(500, 12);
    s.upload_lfs(&repo, &content);
    let missing = "c".repeat(64);
    let r = batch(
        &s,
        &repo,
        &json!({"operation": "download", "objects": [
            {"oid": sha256_hex(&content), "size": 500}, {"oid": missing, "size": 5}]}),
    );
    let b = r.json();
    let href = b["objects"][0]["actions"]["download"]["href"]
        .as_str()
        .unwrap();
    assert!(is_signed_on(href, &s.storage_url));
    let got = s.req_url("GET", href).send();
    assert_eq!((got.status, got.body.as_slice()), (200, content.as_slice()));
    assert_eq!(b["objects"][1]["error"]["code"], 404);
}

#[test]
fn the_storage_origin_speaks_cors_and_logs_its_requests() {
    let s = Server::start(&[]);
    let repo = s.create_model("cors", false);
    let content = noise(10, 13);
    let href = s.lfs_batch(&repo, &[&content]).json()["objects"][0]["actions"]["upload"]["href"]
        .as_str()
        .unwrap()
        .to_string();
    let pre = s
        .req_url("OPTIONS", &href)
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type")
        .send();
    assert_eq!(pre.status, 204);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert!(pre
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PUT"));
    let put = s
        .req_url("PUT", &href)
        .header("Origin", "http://localhost:5173")
        .body("application/octet-stream", &content)
        .send();
    assert_eq!(
        put.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let exposed = put.header("access-control-expose-headers").unwrap();
    for h in ["ETag", "Content-Range", "Content-Length", "Accept-Ranges"] {
        assert!(exposed.split(',').any(|e| e == h), "{h} in {exposed}");
    }
    assert!(put.header("x-request-id").is_some());
    let log = s.admin_requests();
    let origins: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e["origin"].as_str().unwrap(), e["method"].as_str().unwrap()))
        .collect();
    assert_eq!(
        origins,
        [
            ("hub", "POST"),
            ("hub", "POST"),
            ("storage", "OPTIONS"),
            ("storage", "PUT")
        ]
    );
    assert_eq!(log[3]["auth"], false);
    assert_eq!(log[3]["path"], format!("/upload/{}", sha256_hex(&content)));
}

#[test]
fn unknown_storage_paths_are_404_and_wrong_methods_405() {
    let s = Server::start(&[]);
    assert_eq!(
        s.req_url("GET", &format!("{}/nothing", s.storage_url))
            .send()
            .status,
        404
    );
    let oid = "a".repeat(64);
    let r = s
        .req_url("GET", &format!("{}/upload/{oid}", s.storage_url))
        .send();
    assert_eq!(r.status, 405);
    let r = s
        .req_url(
            "GET",
            &format!("{}/objects/{}", s.storage_url, "A".repeat(64)),
        )
        .send();
    assert_eq!(r.status, 404, "oids are lowercase");
}
