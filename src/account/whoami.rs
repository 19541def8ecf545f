//! `GET /api/whoami-v2`: who the token belongs to.

use alloc::string::String;

use crate::call::{Call, Flow, Started, Step};
use crate::error::HubError;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::json;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::options::Endpoint;
use alloc::boxed::Box;

/// The token's owner: the fields every client needs, and the whole answer as the Hub sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoAmI {
    /// `user`, `org` or `app`.
    pub kind: String,
    /// The account name.
    pub name: String,
    /// Every field (`orgs`, `auth`, `fullname`, …).
    pub answer: json::Value,
}

/// The request. A token is required: without one the Hub can only say 401.
pub fn build_whoami(cfg: &HubConfig) -> Result<HttpRequest, HubError> {
    if !cfg.has_token() {
        return Err(HubError::invalid_input(
            "whoAmI needs an access token (accessToken)",
        ));
    }
    let mut req = cfg.request(Method::Get, endpoints::whoami(cfg));
    req.headers.set("Accept", "application/json");
    Ok(req)
}

/// Parses the answer.
pub fn parse_whoami(head: &HttpResponseHead, body: &[u8]) -> Result<WhoAmI, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|answer| {
            Some(WhoAmI {
                kind: json::text(&answer, "type")?,
                name: json::text(&answer, "name")?,
                answer,
            })
        })
        .ok_or_else(|| HubError::malformed(head, "unexpected whoami-v2 answer: no type and name"))
}

/// Checks the answer without building it into typed data: for shells that hand the JSON on as
/// it is (the wasm build then carries no generic JSON value type).
pub fn check_whoami(head: &HttpResponseHead, body: &[u8]) -> Result<(), HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .filter(|v| json::text(v, "type").is_some() && json::text(v, "name").is_some())
        .map(|_| ())
        .ok_or_else(|| HubError::malformed(head, "unexpected whoami-v2 answer: no type and name"))
}

/// `whoAmI`: the token's owner, every field as the Hub sent it (as `@huggingface/hub` does).
pub struct WhoAmICall;

/// The Hub's answer, passed through.
pub struct Passthrough;

crate::wire_alias!(Passthrough = "unknown");

impl Call for WhoAmICall {
    const NAME: &'static str = "whoAmI";
    type Options = Endpoint;
    type Output = Passthrough;
    fn start(o: Endpoint) -> Result<Started, HubError> {
        Ok(Started {
            flow: Box::new(AsSent),
            request: build_whoami(&o.config()?)?,
        })
    }
}

struct AsSent;

impl Flow for AsSent {
    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        check_whoami(head, body)?;
        Ok(Step::Done(String::from_utf8_lossy(body).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const BODY: &str = r#"{"type":"user","id":"1","name":"alice","fullname":"Alice","email":"a@x","emailVerified":true,
      "avatarUrl":"https://x/a.png","isPro":false,"canPay":false,"periodEnd":null,
      "orgs":[{"type":"org","id":"2","name":"acme"}],
      "auth":{"type":"access_token","accessToken":{"displayName":"t","role":"write"}}}"#;

    #[test]
    fn parses_known_fields_and_keeps_the_rest() {
        let h = HttpResponseHead {
            status: 200,
            url: "u".into(),
            headers: Default::default(),
        };
        let w = parse_whoami(&h, BODY.as_bytes()).unwrap();
        assert_eq!((w.kind.as_str(), w.name.as_str()), ("user", "alice"));
        let a = &w.answer;
        assert_eq!(
            a["orgs"].as_array().unwrap()[0]["name"].as_str(),
            Some("acme")
        );
        assert_eq!(a["auth"]["accessToken"]["role"].as_str(), Some("write"));
        assert_eq!(a["fullname"].as_str(), Some("Alice"));
        assert_eq!(a["emailVerified"].as_bool(), Some(true));
        assert!(a["periodEnd"].is_null());
    }

    #[test]
    fn check_accepts_what_parse_accepts() {
        let h = HttpResponseHead {
            status: 200,
            url: "u".into(),
            headers: Default::default(),
        };
        assert!(check_whoami(&h, BODY.as_bytes()).is_ok());
        assert_eq!(
            check_whoami(&h, b"{\"type\":\"user\"}").unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
    }

    #[test]
    fn needs_a_token_and_maps_401() {
        assert_eq!(
            build_whoami(&HubConfig::default()).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_x")).unwrap();
        let req = build_whoami(&cfg).unwrap();
        assert_eq!(req.url, "https://huggingface.co/api/whoami-v2");
        assert_eq!(req.headers.get("authorization"), Some("Bearer hf_x"));
        let h = HttpResponseHead {
            status: 401,
            url: req.url.clone(),
            headers: [(
                "X-Error-Message",
                "Invalid credentials in Authorization header",
            )]
            .into_iter()
            .collect(),
        };
        assert_eq!(
            parse_whoami(&h, b"").unwrap_err().kind(),
            ErrorKind::AuthRequired
        );
        let ok = HttpResponseHead {
            status: 200,
            url: req.url,
            headers: Default::default(),
        };
        assert_eq!(
            parse_whoami(&ok, b"{\"type\":\"user\"}")
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
    }
}
