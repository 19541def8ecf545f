//! What every call is made of: the project's own HTTP message types (plain data that any
//! transport can send), the endpoint and token, URL building and encoding, reading JSON
//! answers, pagination and the retry policy.

pub mod config;
pub mod encoding;
pub mod endpoints;
pub mod json;
pub mod pagination;
pub mod retry;
pub mod url;

use alloc::string::String;
use alloc::vec::Vec;

/// An HTTP method; only the ones the Hub API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// An ordered header list with case-insensitive lookup.
///
/// Kept as a list rather than a map because the Hub may repeat headers (`X-HF-Warning`, `Link`)
/// and transports hand them over in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// An empty header list.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Appends a header, keeping any existing one with the same name.
    pub fn append(&mut self, name: &str, value: &str) {
        self.0.push((String::from(name), String::from(value)));
    }

    /// Sets a header, replacing every existing one with the same name.
    pub fn set(&mut self, name: &str, value: &str) {
        self.remove(name);
        self.append(name, value);
    }

    /// Removes every header with this name.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// The first value of a header, matched case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the header is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// All headers in order, as `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Headers {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let mut h = Headers::new();
        for (n, v) in iter {
            h.append(n, v);
        }
        h
    }
}

/// A request body. The core only builds small bodies (JSON, form); large uploads are streamed by
/// the shells and never pass through here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// A UTF-8 body (JSON, NDJSON, form-urlencoded).
    Text(String),
}

/// A request for a transport to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, already encoded.
    pub url: String,
    /// Headers, including `Authorization` when (and only when) the URL is on the Hub's origin.
    pub headers: Headers,
    /// The body.
    pub body: Body,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: String) -> Self {
        HttpRequest {
            method,
            url,
            headers: Headers::new(),
            body: Body::Empty,
        }
    }
}

/// What a transport saw of a response before its body: enough to decide what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponseHead {
    /// The status code.
    pub status: u16,
    /// The response headers (in a browser: only the ones CORS exposes).
    pub headers: Headers,
    /// The URL that was requested; error mapping depends on it.
    pub url: String,
}

impl HttpResponseHead {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Whether the status is 3xx.
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case() {
        let mut h = Headers::new();
        h.append("X-Error-Code", "RepoNotFound");
        assert_eq!(h.get("x-error-code"), Some("RepoNotFound"));
        assert_eq!(h.get("X-ERROR-CODE"), Some("RepoNotFound"));
        assert!(h.get("x-error-message").is_none());
    }

    #[test]
    fn repeated_headers_are_kept_in_order_and_set_replaces_them() {
        let mut h = Headers::new();
        h.append("Link", "a");
        h.append("link", "b");
        let all: Vec<&str> = h.get_all("LINK").collect();
        assert_eq!(all, ["a", "b"]);
        h.set("Link", "c");
        assert_eq!(h.get_all("link").count(), 1);
        assert_eq!(h.get("link"), Some("c"));
    }
}
