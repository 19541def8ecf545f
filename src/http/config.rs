//! Where the Hub is and who is calling: the inputs every request builder needs.

use crate::cat;
use crate::text::quoted;
use alloc::string::{String, ToString};

use crate::error::HubError;
use crate::http::url;
use crate::http::{HttpRequest, Method};

/// The Hub's public endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// The endpoint and the (optional) access token.
///
/// The token is attached only to requests on the endpoint's own origin; redirects to storage
/// hosts and any URL a server hands back on another origin never see it.
#[derive(Clone, PartialEq, Eq)]
pub struct HubConfig {
    endpoint: String,
    origin: String,
    token: Option<String>,
}

impl core::fmt::Debug for HubConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print the token.
        f.debug_struct("HubConfig")
            .field("endpoint", &self.endpoint)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig::new(DEFAULT_ENDPOINT, None).expect("the default endpoint is valid")
    }
}

impl HubConfig {
    /// Validates the endpoint (absolute http(s), no query or fragment; a trailing `/` is
    /// dropped) and the token (visible ASCII, no spaces: anything else cannot be a header value).
    pub fn new(endpoint: &str, token: Option<&str>) -> Result<HubConfig, HubError> {
        let endpoint = endpoint.trim_end_matches('/');
        let origin = url::origin(endpoint).ok_or_else(|| {
            HubError::invalid_input(cat!(
                "invalid hubUrl ",
                quoted(endpoint),
                ": expected an absolute http(s) URL such as ",
                DEFAULT_ENDPOINT
            ))
        })?;
        if endpoint.contains(['?', '#']) {
            return Err(HubError::invalid_input(cat!(
                "invalid hubUrl ",
                quoted(endpoint),
                ": it must not have a query or fragment"
            )));
        }
        let token = match token {
            None => None,
            Some(t) => {
                validate_token(t)?;
                Some(t.to_string())
            }
        };
        Ok(HubConfig {
            endpoint: endpoint.to_string(),
            origin,
            token,
        })
    }

    /// The endpoint without a trailing slash.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Whether a token is set.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Whether `url` is on the Hub's origin (and may therefore carry the token).
    pub fn is_hub_url(&self, url: &str) -> bool {
        url::origin(url).is_some_and(|o| o == self.origin)
    }

    /// A request to `url`, with `Authorization` only when `url` is on the Hub's origin.
    pub fn request(&self, method: Method, url: String) -> HttpRequest {
        let mut req = HttpRequest::new(method, url);
        if let Some(token) = &self.token {
            if self.is_hub_url(&req.url) {
                req.headers.set("Authorization", &cat!("Bearer ", token));
            }
        }
        req
    }
}

fn validate_token(t: &str) -> Result<(), HubError> {
    if t.is_empty() {
        return Err(HubError::invalid_input(
            "invalid access token: it is empty (omit it for anonymous access)",
        ));
    }
    if !t.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(HubError::invalid_input(
            "invalid access token: it contains spaces, control or non-ASCII characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn token_goes_only_to_the_hub_origin() {
        let cfg = HubConfig::new("http://127.0.0.1:9000/", Some("hf_abc")).unwrap();
        assert_eq!(cfg.endpoint(), "http://127.0.0.1:9000");
        let r = cfg.request(Method::Get, "http://127.0.0.1:9000/api/x".into());
        assert_eq!(r.headers.get("authorization"), Some("Bearer hf_abc"));
        let r = cfg.request(Method::Get, "http://127.0.0.1:9001/cdn/x".into());
        assert_eq!(r.headers.get("authorization"), None);
        let r = cfg.request(Method::Get, "https://evil.example/x".into());
        assert_eq!(r.headers.get("authorization"), None);
    }

    #[test]
    fn bad_endpoints_and_tokens_are_invalid_input() {
        for ep in ["huggingface.co", "ftp://x", "", "https://hf.co/?x=1"] {
            assert_eq!(
                HubConfig::new(ep, None).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{ep}"
            );
        }
        for t in ["", "hf_ abc", "hf_\nabc", "hf_é"] {
            assert_eq!(
                HubConfig::new(DEFAULT_ENDPOINT, Some(t))
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidInput
            );
        }
    }

    #[test]
    fn debug_output_redacts_the_token() {
        let cfg = HubConfig::new(DEFAULT_ENDPOINT, Some("hf_secret")).unwrap();
        assert!(!alloc::format!("{cfg:?}").contains("hf_secret"));
    }
}
