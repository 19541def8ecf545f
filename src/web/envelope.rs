//! What crosses between the shell and the TypeScript driver, as JSON text: requests to send,
//! answers' heads, errors. (`js/src/drive.ts` is the other side.)

use alloc::string::String;

use crate::error::HubError;
use crate::http::json::{self, push_string, push_u64};
use crate::http::{Body, Headers, HttpRequest, HttpResponseHead};

/// `{"method","url","headers":[[name,value]…],"body"?}`
pub fn push_request(out: &mut String, req: &HttpRequest) {
    out.push_str("{\"method\":");
    push_string(out, req.method.as_str());
    out.push_str(",\"url\":");
    push_string(out, &req.url);
    out.push_str(",\"headers\":[");
    for (i, (name, value)) in req.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_string(out, name);
        out.push(',');
        push_string(out, value);
        out.push(']');
    }
    out.push(']');
    if let Body::Text(text) = &req.body {
        out.push_str(",\"body\":");
        push_string(out, text);
    }
    out.push('}');
}

/// `{"<key>":<request>}`
#[cfg(feature = "calls")]
pub fn request(key: &str, req: &HttpRequest) -> String {
    let mut out = String::from("{\"");
    out.push_str(key);
    out.push_str("\":");
    push_request(&mut out, req);
    out.push('}');
    out
}

/// `{"<key>":<json>}` around JSON text already written.
pub fn wrap(key: &str, json: &str) -> String {
    let mut out = String::from("{\"");
    out.push_str(key);
    out.push_str("\":");
    out.push_str(json);
    out.push('}');
    out
}

/// An answer's head as the driver sends it: `{"status","url","headers":[[name,value]…]}`.
pub fn head(text: &str) -> Result<HttpResponseHead, HubError> {
    let bad = || {
        HubError::invalid_input("the driver sent an answer head that is not {status, url, headers}")
    };
    let v = json::parse(text.as_bytes()).ok_or_else(bad)?;
    let status = v["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(bad)?;
    let url = json::text(&v, "url").ok_or_else(bad)?;
    let mut headers = Headers::new();
    for pair in v["headers"].as_array().ok_or_else(bad)? {
        match pair.as_array() {
            Some([name, value]) => headers.append(
                name.as_str().ok_or_else(bad)?,
                value.as_str().ok_or_else(bad)?,
            ),
            _ => return Err(bad()),
        }
    }
    Ok(HttpResponseHead {
        status,
        url,
        headers,
    })
}

/// A signed storage URL is a short-lived credential: errors (and so application logs) get it
/// without its query string.
fn redact(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return String::from(url);
    };
    let q = query.to_ascii_lowercase();
    if ["sig", "signature", "token", "x-amz-", "expires", "exp="]
        .iter()
        .any(|k| crate::text::contains(&q, k))
    {
        let mut out = String::from(base);
        out.push_str("?<signed query removed>");
        out
    } else {
        String::from(url)
    }
}

/// `{"error":{code, message, status?, url?, requestId?, errorCode?, serverMessage?,
/// retryAfterMs?}}`: the fields of the JavaScript `HubError`.
pub fn error(e: &HubError) -> String {
    let mut out = String::from("{\"error\":{\"code\":");
    push_string(&mut out, e.kind().code());
    out.push_str(",\"message\":");
    match e.url() {
        Some(u) => push_string(&mut out, &crate::text::replace(e.message(), u, &redact(u))),
        None => push_string(&mut out, e.message()),
    }
    if let Some(s) = e.status() {
        out.push_str(",\"status\":");
        push_u64(&mut out, s.into());
    }
    for (key, value) in [
        ("url", e.url().map(redact)),
        ("requestId", e.request_id().map(String::from)),
        ("errorCode", e.error_code().map(String::from)),
        ("serverMessage", e.server_message().map(String::from)),
    ] {
        if let Some(v) = value {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            push_string(&mut out, &v);
        }
    }
    if let Some(ms) = e.retry_after_ms() {
        out.push_str(",\"retryAfterMs\":");
        push_u64(&mut out, ms);
    }
    out.push_str("}}");
    out
}

/// `{}` or the error.
#[cfg(feature = "commit")]
pub fn outcome(r: Result<(), HubError>) -> String {
    match r {
        Ok(()) => String::from("{}"),
        Err(e) => error(&e),
    }
}
