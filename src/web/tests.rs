//! The shell's exports as compiled to wasm, run in Node and in headless Chromium by
//! `wasm-bindgen-test`: the JSON that goes to the TypeScript driver and back. (The driver itself,
//! with a scripted `fetch`, is tested in `js/test/driver-cases.ts`.)

use alloc::string::String;

use wasm_bindgen_test::*;

use super::calls::{answer, end, needs_body, start};
use super::commit::{
    commit_answer, commit_body, commit_end, commit_next, commit_preupload, commit_start,
};
use super::hash::JsSha256;
use super::retry::retry_delay;
use crate::http::json::{self, Value};

fn parse(text: &str) -> Value {
    json::parse(text.as_bytes()).unwrap_or_else(|| panic!("not JSON: {text}"))
}

fn head(status: u16, url: &str, headers: &str) -> String {
    alloc::format!(r#"{{"status":{status},"url":"{url}","headers":{headers}}}"#)
}

const OPTS: &str = r#"{"repo":"user/model","hubUrl":"http://hub.test","accessToken":"hf_secret""#;

fn opts(extra: &str) -> String {
    alloc::format!("{OPTS}{extra}}}")
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_before_any_request() {
    for (o, what) in [
        (r#"{"repo":"user//model","paths":["a"]}"#, "repo id"),
        (
            r#"{"repo":"user/model","revision":"a..b","paths":["a"]}"#,
            "revision",
        ),
        (r#"{"repo":"user/model","paths":["../etc/passwd"]}"#, "path"),
        (r#"{"repo":"user/model","paths":[]}"#, "empty list"),
        (
            r#"{"repo":"user/model","hubUrl":"hub.test","paths":["a"]}"#,
            "hub url",
        ),
        (
            r#"{"repo":"user/model","accessToken":"has space","paths":["a"]}"#,
            "token",
        ),
        ("not json", "not JSON"),
    ] {
        let v = parse(&start("pathsInfo", o));
        assert_eq!(v["error"]["code"].as_str(), Some("InvalidInput"), "{what}");
        assert!(v["id"].is_null(), "{what}: no call was started");
    }
    let v = parse(&start("noSuchCall", "{}"));
    assert_eq!(v["error"]["code"].as_str(), Some("InvalidInput"));
}

#[wasm_bindgen_test]
fn a_download_goes_to_storage_without_the_token_and_hands_the_body_over() {
    let s = parse(&start("downloadFile", &opts(r#","path":"weights.bin""#)));
    let id = s["id"].as_u64().unwrap() as u32;
    let send = &s["send"];
    assert_eq!(
        send["url"].as_str(),
        Some("http://hub.test/user/model/resolve/main/weights.bin")
    );
    let auth = send["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h.as_array().unwrap()[0].as_str() == Some("Authorization"));
    assert!(auth, "the token goes to the Hub");
    let redirect = head(
        302,
        "http://hub.test/user/model/resolve/main/weights.bin",
        r#"[["location","http://cdn.test/blob?sig=1"]]"#,
    );
    assert!(!needs_body(id, &redirect));
    let next = parse(&answer(id, &redirect, b""));
    assert_eq!(
        next["send"]["url"].as_str(),
        Some("http://cdn.test/blob?sig=1")
    );
    assert_eq!(
        next["send"]["headers"],
        Value::Array(alloc::vec![]),
        "no token to storage"
    );
    let ok = head(200, "http://cdn.test/blob?sig=1", "[]");
    assert!(!needs_body(id, &ok), "the body stays in JavaScript");
    assert_eq!(answer(id, &ok, b""), r#"{"body":true}"#);
    end(id);
}

#[wasm_bindgen_test]
fn hub_errors_carry_their_fields_and_signed_urls_are_redacted() {
    let s = parse(&start("listFiles", &opts(r#","revision":"nope""#)));
    let id = s["id"].as_u64().unwrap() as u32;
    let h = head(
        404,
        "http://hub.test/api/models/user/model/tree/nope?recursive=false&expand=false",
        r#"[["X-Error-Code","RevisionNotFound"],["X-Request-Id","req-42"]]"#,
    );
    let e = parse(&answer(id, &h, br#"{"error":"Invalid rev id: nope"}"#));
    assert_eq!(e["error"]["code"].as_str(), Some("RevisionNotFound"));
    assert_eq!(e["error"]["status"].as_u64(), Some(404));
    assert_eq!(e["error"]["requestId"].as_str(), Some("req-42"));
    assert_eq!(
        e["error"]["serverMessage"].as_str(),
        Some("Invalid rev id: nope")
    );
    end(id);

    let s = parse(&start("downloadFile", &opts(r#","path":"w.bin""#)));
    let id = s["id"].as_u64().unwrap() as u32;
    let signed = "http://cdn.test/blob?X-Amz-Signature=secret&exp=1";
    let e = parse(&answer(id, &head(403, signed, "[]"), b"denied"));
    assert_eq!(
        e["error"]["url"].as_str(),
        Some("http://cdn.test/blob?<signed query removed>")
    );
    assert!(!e["error"]["message"].as_str().unwrap().contains("secret"));
    end(id);
}

#[wasm_bindgen_test]
fn a_commit_of_one_inline_file_runs_through_the_exports() {
    let o = opts(r#","title":"t","operations":[{"kind":"add","path":"a.txt"}]"#);
    let s = parse(&commit_start(&o, &[2.0]));
    let id = s["id"].as_u64().unwrap() as u32;
    assert_eq!(s["files"].as_array().unwrap().len(), 1);
    assert!(s["gitAttributes"].is_null());
    let p = parse(&commit_preupload(id, b"hi", &[2], None));
    let req = &p["requests"].as_array().unwrap()[0];
    assert!(req["url"].as_str().unwrap().ends_with("/preupload/main"));
    let ok = head(
        200,
        "http://hub.test/api/models/user/model/preupload/main",
        "[]",
    );
    let answered = commit_answer(
        id,
        0,
        &ok,
        br#"{"files":[{"path":"a.txt","uploadMode":"regular"}]}"#,
    );
    assert_eq!(answered, "{}");
    assert_eq!(parse(&commit_next(id))["ready"], Value::Bool(true));
    let body = parse(&commit_body(id));
    assert_eq!(body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["lines"].as_array().unwrap()[1]["index"].as_u64(),
        Some(0)
    );
    let sha = "855efb9561990d02233a49204227f93ba5cfaa81";
    let done = parse(&commit_answer(
        id,
        0,
        &head(
            200,
            "http://hub.test/api/models/user/model/commit/main",
            "[]",
        ),
        alloc::format!(r#"{{"commitOid":"{sha}","commitUrl":"http://hub.test/c"}}"#).as_bytes(),
    ));
    assert_eq!(done["done"]["commit"]["oid"].as_str(), Some(sha));
    commit_end(id);
    assert_eq!(
        parse(&commit_next(id))["error"]["code"].as_str(),
        Some("InvalidInput"),
        "a commit that ended is gone"
    );
}

#[wasm_bindgen_test]
fn hashes_and_the_retry_policy() {
    let mut h = JsSha256::new();
    h.update(b"abc");
    assert_eq!(
        h.digest(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let answered = |code: &str, status: u16, commit: bool| {
        retry_delay(
            &alloc::format!(
                r#"{{"retry":0,"commit":{commit},"error":{{"code":"{code}","status":{status}}}}}"#
            ),
            0.5,
        )
    };
    assert!(answered("Http", 503, false) >= 0.0);
    assert_eq!(answered("EntryNotFound", 404, false), -1.0);
    assert_eq!(
        answered("Http", 500, true),
        -1.0,
        "a commit that may have landed"
    );
    assert!(answered("RateLimited", 429, true) >= 0.0);
    assert!(
        retry_delay(r#"{"retry":0}"#, 0.5) >= 0.0,
        "lost in transport"
    );
    assert_eq!(retry_delay(r#"{"retry":0,"commit":true}"#, 0.5), -1.0);
    assert_eq!(retry_delay(r#"{"retry":9}"#, 0.5), -1.0, "out of retries");
}
