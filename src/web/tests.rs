//! The shell, run in Node and in headless Chromium by `wasm-bindgen-test`, against a scripted
//! `fetch`: what is sent, what is thrown, and that bodies are handed over unread.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// The calls as the TypeScript facade makes them: one `call(name, …)` export.
mod api {
    use super::super::calls::call;
    use alloc::string::String;
    use js_sys::Function;
    use wasm_bindgen::JsValue;

    type Out = Result<JsValue, JsValue>;

    fn text(o: JsValue) -> String {
        o.as_string().expect("options as JSON text")
    }

    pub async fn paths_info(o: JsValue, f: Function, s: JsValue) -> Out {
        call("pathsInfo".into(), text(o), f, s).await
    }
    pub async fn download_file(o: JsValue, f: Function, s: JsValue) -> Out {
        call("downloadFile".into(), text(o), f, s).await
    }
    pub async fn file_download_info(o: JsValue, f: Function, s: JsValue) -> Out {
        call("fileDownloadInfo".into(), text(o), f, s).await
    }
    pub async fn who_am_i(o: JsValue, f: Function, s: JsValue) -> Out {
        call("whoAmI".into(), text(o), f, s).await
    }
    /// `next` is the cursor of the page before, passed in the options.
    pub async fn list_files_page(o: JsValue, f: Function, s: JsValue, next: Option<String>) -> Out {
        let mut o = text(o);
        if let Some(url) = next {
            o.pop();
            o.push_str(&alloc::format!(
                r#","next":{}}}"#,
                serde_json::to_string(&url).unwrap()
            ));
        }
        call("listFiles".into(), o, f, s).await
    }
}

#[wasm_bindgen(inline_js = r#"
export function scriptedFetch(routes) {
  const calls = [];
  const f = async (url, init) => {
    calls.push({ url, init });
    for (const r of routes) {
      if (url.includes(r.match)) {
        if (r.reject === "abort") throw new DOMException("stopped", "AbortError");
        if (r.reject) throw new TypeError("fetch failed");
        return new Response(r.body ?? null, { status: r.status ?? 200, headers: r.headers ?? {} });
      }
    }
    return new Response("no route for " + url, { status: 599 });
  };
  f.calls = calls;
  return f;
}
export function errorClass() {
  return class TestHubError extends Error { constructor(init) { super(init.message); Object.assign(this, init); } };
}
export function isInstance(v, cls) { return v instanceof cls; }
export async function text(resp) { return await resp.text(); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = scriptedFetch)]
    fn scripted_fetch(routes: &JsValue) -> Function;
    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> Function;
    #[wasm_bindgen(js_name = isInstance)]
    fn is_instance(v: &JsValue, cls: &Function) -> bool;
    #[wasm_bindgen(js_name = text)]
    fn text(resp: &JsValue) -> js_sys::Promise;
}

const HUB: &str = "http://hub.test";

fn json(v: &str) -> JsValue {
    js_sys::JSON::parse(v).expect("test JSON")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn calls(f: &Function) -> Vec<JsValue> {
    get(f, "calls").dyn_into::<Array>().unwrap().to_vec()
}

fn header(call: &JsValue, name: &str) -> Option<String> {
    get(&get(&get(call, "init"), "headers"), name).as_string()
}

/// Options as the TypeScript layer passes them: JSON text.
fn opts(extra: &str) -> JsValue {
    JsValue::from_str(&alloc::format!(
        r#"{{"repo":"user/model","hubUrl":"{HUB}","accessToken":"hf_secret"{extra}}}"#
    ))
}

/// Results come back as JSON text.
fn result(v: JsValue) -> JsValue {
    json(&v.as_string().expect("a JSON result"))
}

#[wasm_bindgen_test]
async fn bad_input_is_rejected_before_fetch_is_called() {
    let f = scripted_fetch(&json("[]"));
    for (o, what) in [
        (
            JsValue::from_str(r#"{"repo":"user//model","paths":["a"]}"#),
            "repo id",
        ),
        (
            JsValue::from_str(r#"{"repo":"user/model","revision":"a..b","paths":["a"]}"#),
            "revision",
        ),
        (
            JsValue::from_str(r#"{"repo":"user/model","paths":["../etc/passwd"]}"#),
            "path",
        ),
        (
            JsValue::from_str(r#"{"repo":"user/model","paths":[]}"#),
            "empty list",
        ),
        (
            JsValue::from_str(r#"{"repo":{"type":"bucket","name":"u/b"},"paths":["a"]}"#),
            "repo type",
        ),
        (
            JsValue::from_str(r#"{"repo":"user/model","hubUrl":"hub.test","paths":["a"]}"#),
            "hub url",
        ),
        (
            JsValue::from_str(r#"{"repo":"user/model","accessToken":"has space","paths":["a"]}"#),
            "token",
        ),
    ] {
        let err = api::paths_info(o, f.clone(), JsValue::UNDEFINED)
            .await
            .unwrap_err();
        assert_eq!(
            get(&err, "code").as_string().as_deref(),
            Some("InvalidInput"),
            "{what}"
        );
    }
    let err = api::download_file(
        opts(r#","path":"a.bin","range":[5,2]"#),
        f.clone(),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("InvalidInput")
    );
    assert_eq!(calls(&f).len(), 0, "fetch must not be called for bad input");
}

#[wasm_bindgen_test]
async fn hub_errors_carry_code_status_request_id_and_url_and_use_the_registered_class() {
    let cls = error_class();
    super::errors::set_error_class(cls.clone());
    let f = scripted_fetch(&json(
        r#"[{"match":"/tree/","status":404,"body":"{\"error\":\"Invalid rev id: nope\"}",
             "headers":{"X-Error-Code":"RevisionNotFound","X-Request-Id":"req-42"}}]"#,
    ));
    let err = api::list_files_page(opts(r#","revision":"nope""#), f, JsValue::UNDEFINED, None)
        .await
        .unwrap_err();
    assert!(is_instance(&err, &cls));
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("RevisionNotFound")
    );
    assert_eq!(get(&err, "status").as_f64(), Some(404.0));
    assert_eq!(
        get(&err, "requestId").as_string().as_deref(),
        Some("req-42")
    );
    assert_eq!(
        get(&err, "serverMessage").as_string().as_deref(),
        Some("Invalid rev id: nope")
    );
    assert!(get(&err, "url")
        .as_string()
        .unwrap()
        .starts_with("http://hub.test/api/models/user/model/tree/nope"));
}

#[wasm_bindgen_test]
async fn an_abort_error_from_fetch_is_rethrown_unchanged() {
    let f = scripted_fetch(&json(r#"[{"match":"/","reject":"abort"}]"#));
    let err = api::who_am_i(opts(""), f, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("AbortError"));
    assert_eq!(get(&err, "message").as_string().as_deref(), Some("stopped"));
    assert!(
        get(&err, "code").as_string().is_none(),
        "an abort is not wrapped in a HubError"
    );
}

#[wasm_bindgen_test]
async fn any_other_fetch_failure_is_a_network_error_with_the_cause() {
    let f = scripted_fetch(&json(r#"[{"match":"/","reject":"network"}]"#));
    let err = api::who_am_i(opts(""), f, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("Network"));
    assert_eq!(
        get(&get(&err, "cause"), "name").as_string().as_deref(),
        Some("TypeError")
    );
    assert_eq!(
        get(&err, "url").as_string().as_deref(),
        Some("http://hub.test/api/whoami-v2")
    );
}

#[wasm_bindgen_test]
async fn a_download_follows_a_storage_redirect_without_the_token_and_returns_the_body_unread() {
    let f = scripted_fetch(&json(
        r#"[{"match":"hub.test/user/model/resolve/main/weights.bin","status":302,
             "headers":{"Location":"http://cdn.test/blob/abc?sig=1"}},
            {"match":"cdn.test/blob/abc","status":200,"body":"hello weights"}]"#,
    ));
    let resp = api::download_file(
        opts(r#","path":"weights.bin""#),
        f.clone(),
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();
    assert_eq!(
        get(&resp, "bodyUsed").as_bool(),
        Some(false),
        "the body streams in JS"
    );
    let body = JsFuture::from(text(&resp)).await.unwrap();
    assert_eq!(body.as_string().as_deref(), Some("hello weights"));
    let c = calls(&f);
    assert_eq!(c.len(), 2);
    assert_eq!(
        header(&c[0], "Authorization").as_deref(),
        Some("Bearer hf_secret")
    );
    assert_eq!(
        get(&get(&c[0], "init"), "redirect").as_string().as_deref(),
        Some("manual")
    );
    assert_eq!(
        header(&c[1], "Authorization"),
        None,
        "the token never leaves the Hub origin"
    );
}

#[wasm_bindgen_test]
async fn signed_storage_urls_are_redacted_from_errors() {
    let f = scripted_fetch(&json(
        r#"[{"match":"hub.test/user/model/resolve/main/w.bin","status":302,
             "headers":{"Location":"http://cdn.test/blob?X-Amz-Signature=secret&exp=1"}},
            {"match":"cdn.test/blob","status":403,"body":"denied"}]"#,
    ));
    let err = api::download_file(opts(r#","path":"w.bin""#), f, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    let url = get(&err, "url").as_string().unwrap();
    let message = get(&err, "message").as_string().unwrap();
    assert_eq!(url, "http://cdn.test/blob?<signed query removed>");
    assert!(!message.contains("secret"), "{message}");
}

#[wasm_bindgen_test]
async fn a_missing_file_downloads_as_null() {
    let f = scripted_fetch(&json(
        r#"[{"match":"/resolve/","status":404,"headers":{"X-Error-Code":"EntryNotFound"}}]"#,
    ));
    let v = api::download_file(opts(r#","path":"nope.txt""#), f, JsValue::UNDEFINED)
        .await
        .unwrap();
    assert!(result(v).is_null());
}

#[wasm_bindgen_test]
async fn file_info_reads_a_206_and_falls_back_to_paths_info_for_storage_answers() {
    let f = scripted_fetch(&json(
        r#"[{"match":"/resolve/main/small.txt","status":206,
             "headers":{"ETag":"\"0123456789abcdef0123456789abcdef01234567\"","X-Repo-Commit":"c0ffee","Content-Range":"bytes 0-0/12"}},
            {"match":"/resolve/main/big.bin","status":206,"headers":{"ETag":"\"cdn-etag\"","Content-Range":"bytes 0-0/99"}},
            {"match":"/paths-info/main","status":200,
             "body":"[{\"type\":\"file\",\"oid\":\"aa\",\"size\":99,\"path\":\"big.bin\",\"lfs\":{\"oid\":\"beef\",\"size\":99,\"pointerSize\":130}}]"}]"#,
    ));
    let small = result(
        api::file_download_info(
            opts(r#","path":"small.txt""#),
            f.clone(),
            JsValue::UNDEFINED,
        )
        .await
        .unwrap(),
    );
    assert_eq!(get(&small, "size").as_f64(), Some(12.0));
    assert_eq!(
        get(&small, "etag").as_string().as_deref(),
        Some("\"0123456789abcdef0123456789abcdef01234567\"")
    );
    assert_eq!(
        get(&small, "commitHash").as_string().as_deref(),
        Some("c0ffee")
    );
    let big = result(
        api::file_download_info(opts(r#","path":"big.bin""#), f.clone(), JsValue::UNDEFINED)
            .await
            .unwrap(),
    );
    assert_eq!(get(&big, "etag").as_string().as_deref(), Some("\"beef\""));
    assert_eq!(get(&big, "size").as_f64(), Some(99.0));
    let c = calls(&f);
    assert_eq!(c.len(), 3);
    assert_eq!(header(&c[0], "Range").as_deref(), Some("bytes=0-0"));
    assert_eq!(
        get(&get(&c[2], "init"), "method").as_string().as_deref(),
        Some("POST")
    );
}

#[wasm_bindgen_test]
async fn tree_pages_return_entries_and_the_next_link() {
    let f = scripted_fetch(&json(
        r#"[{"match":"cursor=2","status":200,"body":"[{\"type\":\"file\",\"oid\":\"b\",\"size\":2,\"path\":\"b.txt\"}]"},
            {"match":"/tree/main","status":200,
             "headers":{"Link":"<http://hub.test/api/models/user/model/tree/main?recursive=true&cursor=2>; rel=\"next\""},
             "body":"[{\"type\":\"file\",\"oid\":\"a\",\"size\":1,\"path\":\"a.txt\"}]"}]"#,
    ));
    let first = result(
        api::list_files_page(
            opts(r#","recursive":true"#),
            f.clone(),
            JsValue::UNDEFINED,
            None,
        )
        .await
        .unwrap(),
    );
    let next = get(&first, "next").as_string().unwrap();
    assert!(next.ends_with("cursor=2"));
    let entries: Array = get(&first, "entries").dyn_into().unwrap();
    assert_eq!(
        get(&entries.get(0), "path").as_string().as_deref(),
        Some("a.txt")
    );
    let second = result(
        api::list_files_page(opts(""), f.clone(), JsValue::UNDEFINED, Some(next))
            .await
            .unwrap(),
    );
    assert!(get(&second, "next").is_null());
    assert!(calls(&f)[0].is_object());
    assert!(get(&calls(&f)[0], "url")
        .as_string()
        .unwrap()
        .contains("recursive=true&expand=false"));
}
