//! Scripted failures (`--faults` only), so tests can prove that clients retry, back off,
//! resume and verify. A rule matches by method, path pattern (glob or regex) and origin, fires
//! `times` times (or forever) and then stays listed but inert. What it does, in order: wait
//! `latencyMs`; answer `status` instead of the real handler (429 carries `Retry-After` and
//! `RateLimit` as docs/hub-protocol.md §9.1); otherwise let the handler answer and then cut the
//! connection after `cutAfterBytes` body bytes, or end the body after `truncateAfterBytes` bytes
//! while its `Content-Length` announces them all (a short body), send the body slowly
//! (`bodyDelayMs` before each piece of at most 16 KiB), and/or flip the bytes of the body window
//! `corrupt` describes.

use std::io;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::ApiError;

/// Which listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Hub,
    Storage,
}

impl Origin {
    pub fn name(self) -> &'static str {
        match self {
            Origin::Hub => "hub",
            Origin::Storage => "storage",
        }
    }
}

/// A rule as posted to `/__admin/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSpec {
    /// `GET`, `PUT`, … or `*` (the default; never matches `OPTIONS` preflights).
    pub method: Option<String>,
    /// Glob on the raw path (`*` within a segment, `**` across).
    pub path: Option<String>,
    /// Regex on the raw path (unanchored unless it says so).
    pub path_regex: Option<String>,
    /// `hub` or `storage`; both when absent.
    pub origin: Option<String>,
    /// How many requests the rule applies to; forever when absent.
    pub times: Option<u64>,
    pub status: Option<u16>,
    /// Seconds for `Retry-After` / `RateLimit t=` on 429 and 503 (default 1).
    pub retry_after: Option<u64>,
    pub message: Option<String>,
    pub latency_ms: Option<u64>,
    pub cut_after_bytes: Option<u64>,
    /** End the body (cleanly, without an error) after this many bytes, keeping the handler's
     * `Content-Length`: a short body. */
    pub truncate_after_bytes: Option<u64>,
    /** Wait this long before each body piece (of at most 16 KiB): a slow body. */
    pub body_delay_ms: Option<u64>,
    pub corrupt: Option<Corrupt>,
}

/// `true` flips the first body byte; an object picks the window.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Corrupt {
    Flag(bool),
    Window {
        #[serde(default)]
        offset: u64,
        #[serde(default = "one")]
        length: u64,
    },
}

fn one() -> u64 {
    1
}

struct Rule {
    id: u64,
    spec: RuleSpec,
    regex: Option<regex_lite::Regex>,
    hits: u64,
}

impl Rule {
    fn matches(&self, method: &str, path: &str, origin: Origin) -> bool {
        let m = self.spec.method.as_deref().unwrap_or("*");
        let method_ok = if m == "*" {
            method != "OPTIONS"
        } else {
            m.eq_ignore_ascii_case(method)
        };
        let origin_ok = self
            .spec
            .origin
            .as_deref()
            .is_none_or(|o| o == origin.name());
        let path_ok = match (&self.regex, &self.spec.path) {
            (Some(re), _) => re.is_match(path),
            (None, Some(glob)) => crate::glob::matches(glob, path),
            (None, None) => true,
        };
        let left = self.spec.times.is_none_or(|t| self.hits < t);
        method_ok && origin_ok && path_ok && left
    }

    fn to_json(&self) -> Value {
        let s = &self.spec;
        json!({
            "id": self.id,
            "method": s.method.as_deref().unwrap_or("*"),
            "path": s.path,
            "pathRegex": s.path_regex,
            "origin": s.origin,
            "times": s.times,
            "hits": self.hits,
            "remaining": s.times.map(|t| t.saturating_sub(self.hits)),
            "status": s.status,
            "retryAfter": s.retry_after,
            "latencyMs": s.latency_ms,
            "cutAfterBytes": s.cut_after_bytes,
            "truncateAfterBytes": s.truncate_after_bytes,
            "bodyDelayMs": s.body_delay_ms,
            "corrupt": s.corrupt.as_ref().map(|c| {
                let (offset, length) = c.window();
                json!({"offset": offset, "length": length})
            }),
        })
    }
}

impl Corrupt {
    fn window(&self) -> (u64, u64) {
        match self {
            Corrupt::Flag(true) => (0, 1),
            Corrupt::Flag(false) => (0, 0),
            Corrupt::Window { offset, length } => (*offset, *length),
        }
    }
}

/// What to do to one request.
#[derive(Debug, Clone, Default)]
pub struct Fault {
    pub latency_ms: Option<u64>,
    pub status: Option<(u16, u64, Option<String>)>,
    pub cut_after: Option<u64>,
    pub truncate_after: Option<u64>,
    pub body_delay_ms: Option<u64>,
    pub corrupt: Option<(u64, u64)>,
}

impl Fault {
    /// Whether the handler's body is changed (rather than replaced by a status answer).
    pub fn wraps_body(&self) -> bool {
        self.status.is_none()
            && (self.cut_after.is_some()
                || self.truncate_after.is_some()
                || self.body_delay_ms.is_some()
                || self.corrupt.is_some())
    }
}

#[derive(Default)]
pub struct Faults {
    rules: Mutex<(u64, Vec<Rule>)>,
}

impl Faults {
    fn rules(&self) -> std::sync::MutexGuard<'_, (u64, Vec<Rule>)> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Validates and adds rules; returns their ids.
    pub fn add(&self, specs: Vec<RuleSpec>) -> Result<Vec<u64>, ApiError> {
        let mut checked = Vec::new();
        for s in specs {
            let regex =
                match &s.path_regex {
                    Some(r) => Some(regex_lite::Regex::new(r).map_err(|e| {
                        ApiError::bad_request(format!("Invalid pathRegex {r:?}: {e}"))
                    })?),
                    None => None,
                };
            if s.path.is_some() && regex.is_some() {
                return Err(ApiError::bad_request("Give path or pathRegex, not both"));
            }
            if s.status.is_none()
                && s.latency_ms.is_none()
                && s.cut_after_bytes.is_none()
                && s.truncate_after_bytes.is_none()
                && s.body_delay_ms.is_none()
                && s.corrupt.is_none()
            {
                return Err(ApiError::bad_request(
                    "A rule needs status, latencyMs, cutAfterBytes, truncateAfterBytes, \
                     bodyDelayMs or corrupt",
                ));
            }
            if let Some(st) = s.status {
                if StatusCode::from_u16(st).is_err() || st < 200 {
                    return Err(ApiError::bad_request(format!("Invalid status {st}")));
                }
            }
            if let Some(o) = &s.origin {
                if o != "hub" && o != "storage" {
                    return Err(ApiError::bad_request(format!(
                        "Invalid origin {o:?}: hub or storage"
                    )));
                }
            }
            checked.push((s, regex));
        }
        let mut g = self.rules();
        let mut ids = Vec::new();
        for (spec, regex) in checked {
            g.0 += 1;
            let id = g.0;
            g.1.push(Rule {
                id,
                spec,
                regex,
                hits: 0,
            });
            ids.push(id);
        }
        Ok(ids)
    }

    pub fn list(&self) -> Value {
        Value::Array(self.rules().1.iter().map(Rule::to_json).collect())
    }

    /// Removes every rule; returns how many there were.
    pub fn clear(&self) -> usize {
        let mut g = self.rules();
        let n = g.1.len();
        g.1.clear();
        n
    }

    pub fn remove(&self, id: u64) -> bool {
        let mut g = self.rules();
        let before = g.1.len();
        g.1.retain(|r| r.id != id);
        g.1.len() != before
    }

    /// The first live rule matching the request, counted as used.
    pub fn take(&self, method: &str, path: &str, origin: Origin) -> Option<Fault> {
        let mut g = self.rules();
        let rule = g.1.iter_mut().find(|r| r.matches(method, path, origin))?;
        rule.hits += 1;
        let s = &rule.spec;
        Some(Fault {
            latency_ms: s.latency_ms,
            status: s
                .status
                .map(|st| (st, s.retry_after.unwrap_or(1), s.message.clone())),
            cut_after: s.cut_after_bytes,
            truncate_after: s.truncate_after_bytes,
            body_delay_ms: s.body_delay_ms,
            corrupt: s.corrupt.as_ref().map(Corrupt::window),
        })
    }
}

/// The injected error response: `RateLimit` headers name the bucket the path would count in.
pub fn status_response(
    status: u16,
    retry_after: u64,
    message: Option<String>,
    path: &str,
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = message.unwrap_or_else(|| match status {
        429 => "You have been rate limited: too many requests, retry later (injected fault)".into(),
        _ => format!("Injected fault: {status}"),
    });
    let mut res = ApiError::new(code, message).into_response();
    let h = res.headers_mut();
    // The request body was not read: the connection cannot serve another request, and a client
    // that pools connections must not send its next one down it while the server closes it.
    h.insert("connection", HeaderValue::from_static("close"));
    if status == 429 || status == 503 {
        h.insert("retry-after", HeaderValue::from(retry_after));
    }
    if status == 429 {
        let bucket = if path.contains("/resolve/") {
            "resolvers"
        } else {
            "api"
        };
        if let Ok(v) = HeaderValue::from_str(&format!("\"{bucket}\";r=0;t={retry_after}")) {
            h.insert("ratelimit", v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!("\"fixed window\";\"{bucket}\";q=1000;w=300"))
        {
            h.insert("ratelimit-policy", v);
        }
    }
    res
}

/// Wraps a response body as `f` says: bytes in the corrupt window are inverted; after
/// `cut_after` bytes the stream fails, which makes the server drop the connection mid-body; after
/// `truncate_after` bytes it ends (the `Content-Length` still announces them all); with
/// `body_delay_ms` each piece of at most 16 KiB waits that long.
pub fn wrap_body(body: Body, f: &Fault) -> Body {
    #[derive(Clone, Copy, PartialEq)]
    enum Phase {
        Streaming,
        /// `cut_after` bytes went out: fail on the next poll.
        Cut,
        /// `truncate_after` bytes went out: end on the next poll.
        Truncated,
        Done,
    }
    const PIECE: usize = 16 << 10;
    let (cut_after, corrupt, delay) = (f.cut_after, f.corrupt, f.body_delay_ms);
    // Whichever of the cut and the truncation comes first decides where the body stops.
    let stop = match (cut_after, f.truncate_after) {
        (Some(c), Some(t)) if t < c => Some((t, false)),
        (Some(c), _) => Some((c, true)),
        (None, Some(t)) => Some((t, false)),
        (None, None) => None,
    };
    let stream = futures_util::stream::unfold(
        (
            body.into_data_stream(),
            bytes::Bytes::new(),
            0u64,
            Phase::Streaming,
        ),
        move |(mut inner, mut left, pos, phase)| async move {
            match phase {
                Phase::Done => return None,
                Phase::Cut | Phase::Truncated => {
                    // Failing (or ending short) right away could drop the bytes already
                    // written with the connection: give the server a moment to flush them.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    if phase == Phase::Truncated {
                        return None;
                    }
                    let err = io::Error::new(io::ErrorKind::ConnectionAborted, "fault: cut");
                    return Some((Err(err), (inner, left, pos, Phase::Done)));
                }
                Phase::Streaming => {}
            }
            if left.is_empty() {
                left = match inner.next().await? {
                    Ok(c) => c,
                    Err(e) => {
                        let err = io::Error::other(e);
                        return Some((Err(err), (inner, left, pos, Phase::Done)));
                    }
                };
            }
            let take = if delay.is_some() {
                left.len().min(PIECE)
            } else {
                left.len()
            };
            let mut bytes = left.split_to(take).to_vec();
            if let Some(ms) = delay {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            }
            let mut next_phase = Phase::Streaming;
            if let Some((k, cut)) = stop {
                if pos + bytes.len() as u64 > k {
                    bytes.truncate((k - pos) as usize);
                    next_phase = if cut { Phase::Cut } else { Phase::Truncated };
                }
            }
            if let Some((offset, length)) = corrupt {
                let end = offset.saturating_add(length);
                for (i, b) in bytes.iter_mut().enumerate() {
                    let at = pos + i as u64;
                    if at >= offset && at < end {
                        *b = !*b;
                    }
                }
            }
            let next = pos + bytes.len() as u64;
            Some((
                Ok(bytes::Bytes::from(bytes)),
                (inner, left, next, next_phase),
            ))
        },
    );
    Body::from_stream(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(v: Value) -> RuleSpec {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn rules_fire_their_number_of_times_on_matching_requests() {
        let f = Faults::default();
        let ids = f
            .add(vec![spec(
                json!({"method": "GET", "path": "/api/**", "times": 2, "status": 500}),
            )])
            .unwrap();
        assert_eq!(ids, vec![1]);
        assert!(f.take("PUT", "/api/x", Origin::Hub).is_none());
        assert!(f.take("GET", "/u/m/resolve/main/x", Origin::Hub).is_none());
        assert!(f.take("GET", "/api/x", Origin::Hub).is_some());
        assert!(f.take("GET", "/api/y/z", Origin::Storage).is_some());
        assert!(f.take("GET", "/api/x", Origin::Hub).is_none());
        assert_eq!(f.list()[0]["remaining"], 0);
    }

    #[test]
    fn regex_origin_and_validation() {
        let f = Faults::default();
        f.add(vec![spec(
            json!({"pathRegex": "^/objects/[0-9a-f]+$", "origin": "storage", "latencyMs": 5}),
        )])
        .unwrap();
        assert!(f.take("GET", "/objects/ab12", Origin::Hub).is_none());
        assert!(f
            .take("OPTIONS", "/objects/ab12", Origin::Storage)
            .is_none());
        assert!(f.take("GET", "/objects/ab12", Origin::Storage).is_some());
        assert!(f.add(vec![spec(json!({"path": "/x"}))]).is_err());
        assert!(f
            .add(vec![spec(json!({"pathRegex": "(", "status": 500}))])
            .is_err());
        assert!(serde_json::from_value::<RuleSpec>(json!({"bogus": 1})).is_err());
    }
}
