//! "Sign in with Hugging Face" (docs/hub-protocol.md §1.9): the three requests of the OAuth code
//! flow with PKCE. The browser-side steps (random nonce and verifier, the S256 challenge, where
//! they are kept, checking `state`) are the JavaScript API's; these are the Hub's wire protocol.

use alloc::string::String;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::encoding::encode_query_value;
use crate::http::json;
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::options::Endpoint;
use crate::{cat, options};

/// Where the Hub's OAuth endpoints are, from its discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OAuthEndpoints {
    /// Where the browser goes to sign in and consent.
    pub authorization_endpoint: String,
    /// Where a code is exchanged for a token.
    pub token_endpoint: String,
    /// Who signed in.
    pub userinfo_endpoint: String,
}

/// An absolute http(s) URL, or `None`.
fn url_field(v: &json::Value, key: &str) -> Option<String> {
    json::text(v, key).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

fn parse_discovery(head: &HttpResponseHead, body: &[u8]) -> Result<OAuthEndpoints, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| {
            Some(OAuthEndpoints {
                authorization_endpoint: url_field(&v, "authorization_endpoint")?,
                token_endpoint: url_field(&v, "token_endpoint")?,
                userinfo_endpoint: url_field(&v, "userinfo_endpoint")?,
            })
        })
        .ok_or_else(|| {
            HubError::malformed(
                head,
                "unexpected openid-configuration: no authorization, token or userinfo endpoint",
            )
        })
}

/// `oauthDiscovery`: `GET {hub}/.well-known/openid-configuration`.
pub struct OAuthDiscovery;

impl Call for OAuthDiscovery {
    const NAME: &'static str = "oauthDiscovery";
    type Options = Endpoint;
    type Output = OAuthEndpoints;
    fn start(o: Endpoint) -> Result<Started, HubError> {
        let cfg = o.config()?;
        let mut req = cfg.request(
            Method::Get,
            cat!(cfg.endpoint(), "/.well-known/openid-configuration"),
        );
        req.headers.set("Accept", "application/json");
        Ok(Started::single(req, parse_discovery))
    }
}

options! {
    /// `oauthToken` options: the code the redirect brought and what proves this page asked for it.
    pub struct OAuthTokenOptions: Endpoint {
        /// The discovery document's `token_endpoint`.
        pub token_endpoint: String = "tokenEndpoint",
        /// The `code` of the redirected URL.
        pub code: String = "code",
        /// The `redirect_uri` of the authorize request, exactly.
        pub redirect_uri: String = "redirectUri",
        /// The PKCE verifier whose S256 hash was the `code_challenge`.
        pub code_verifier: String = "codeVerifier",
        /// Sent when given (`@huggingface/hub` sends none; the Hub finds the app from the code).
        pub client_id: Option<String> = "clientId",
    }
}

/// The token the code was exchanged for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OAuthToken {
    /// `hf_oauth_…`, a Bearer token for the Hub's API.
    pub access_token: String,
    /// Seconds it is valid for.
    pub expires_in: u64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// `POST {token_endpoint}`, form-encoded: `grant_type=authorization_code`, `code`,
/// `redirect_uri`, `code_verifier`, and `client_id` when given; no secret (a public client).
pub fn build_token(o: &OAuthTokenOptions) -> Result<HttpRequest, HubError> {
    let ep = &o.token_endpoint;
    if !(ep.starts_with("https://") || ep.starts_with("http://")) {
        return Err(HubError::invalid_input(
            "tokenEndpoint must be an http(s) URL",
        ));
    }
    for (name, v) in [
        ("code", &o.code),
        ("redirectUri", &o.redirect_uri),
        ("codeVerifier", &o.code_verifier),
    ] {
        if v.is_empty() {
            return Err(HubError::invalid_input(cat!(name, " is empty")));
        }
    }
    // The token request carries no Hub token: the code is the credential.
    let cfg = Endpoint {
        hub_url: o.base.hub_url.clone(),
        access_token: None,
    }
    .config()?;
    let mut req = cfg.request(Method::Post, ep.clone());
    req.headers
        .set("Content-Type", "application/x-www-form-urlencoded");
    req.headers.set("Accept", "application/json");
    let mut body = cat!(
        "grant_type=authorization_code&code=",
        &encode_query_value(&o.code),
        "&redirect_uri=",
        &encode_query_value(&o.redirect_uri),
        "&code_verifier=",
        &encode_query_value(&o.code_verifier)
    );
    if let Some(id) = &o.client_id {
        body.push_str("&client_id=");
        body.push_str(&encode_query_value(id));
    }
    req.body = Body::Text(body);
    Ok(req)
}

fn parse_token(head: &HttpResponseHead, body: &[u8]) -> Result<OAuthToken, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| {
            Some(OAuthToken {
                access_token: json::text(&v, "access_token")?,
                expires_in: json::field(&v, "expires_in")?.as_u64()?,
                scope: json::text(&v, "scope").unwrap_or_default(),
            })
        })
        .ok_or_else(|| {
            HubError::malformed(
                head,
                "unexpected token answer: no access_token or expires_in",
            )
        })
}

/// `oauthToken`: exchanges a code for a token.
pub struct OAuthTokenCall;

impl Call for OAuthTokenCall {
    const NAME: &'static str = "oauthToken";
    type Options = OAuthTokenOptions;
    type Output = OAuthToken;
    fn start(o: OAuthTokenOptions) -> Result<Started, HubError> {
        Ok(Started::single(build_token(&o)?, parse_token))
    }
}

options! {
    /// `oauthUserInfo` options: the endpoint, and the new token as `accessToken`.
    pub struct OAuthUserInfoOptions: Endpoint {
        /// The discovery document's `userinfo_endpoint`.
        pub userinfo_endpoint: String = "userinfoEndpoint",
    }
}

/// The Hub's userinfo, every field as sent (`sub`, `name`, `preferred_username`, `orgs`, …).
pub struct UserInfo;

crate::wire_alias!(UserInfo = "unknown");

/// `oauthUserInfo`: `GET {userinfo_endpoint}` with the token (sent only if it is on the Hub's
/// origin, as every token).
pub struct OAuthUserInfo;

impl Call for OAuthUserInfo {
    const NAME: &'static str = "oauthUserInfo";
    type Options = OAuthUserInfoOptions;
    type Output = UserInfo;
    fn start(o: OAuthUserInfoOptions) -> Result<Started, HubError> {
        let cfg = o.base.config()?;
        if !cfg.has_token() {
            return Err(HubError::invalid_input(
                "oauthUserInfo needs the access token",
            ));
        }
        let ep = &o.userinfo_endpoint;
        if !cfg.is_hub_url(ep) {
            return Err(HubError::invalid_input(cat!(
                "userinfoEndpoint ",
                crate::text::quoted(ep),
                " is not on the Hub's origin: the token is sent nowhere else"
            )));
        }
        let mut req = cfg.request(Method::Get, ep.clone());
        req.headers.set("Accept", "application/json");
        Ok(Started::with(
            req,
            |head: &HttpResponseHead, body: &[u8]| {
                if !head.is_success() {
                    return Err(HubError::from_response(head, body));
                }
                json::parse(body)
                    .filter(|v| json::text(v, "sub").is_some())
                    .ok_or_else(|| HubError::malformed(head, "unexpected userinfo answer: no sub"))
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::options::parse;

    fn head(status: u16) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/oauth/token".into(),
            headers: Default::default(),
        }
    }

    #[test]
    fn discovery_gives_the_three_endpoints() {
        let r = OAuthDiscovery::start(
            parse(r#"{"hubUrl":"http://127.0.0.1:9"}"#, "oauthDiscovery").unwrap(),
        )
        .unwrap();
        assert_eq!(
            r.request.url,
            "http://127.0.0.1:9/.well-known/openid-configuration"
        );
        let doc = br#"{"issuer":"h","authorization_endpoint":"https://h/oauth/authorize","token_endpoint":"https://h/oauth/token","userinfo_endpoint":"https://h/oauth/userinfo"}"#;
        let e = parse_discovery(&head(200), doc).unwrap();
        assert_eq!(e.token_endpoint, "https://h/oauth/token");
        let no_token =
            br#"{"authorization_endpoint":"https://h/a","userinfo_endpoint":"https://h/u"}"#;
        assert_eq!(
            parse_discovery(&head(200), no_token).unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
        let javascript = br#"{"authorization_endpoint":"javascript:x","token_endpoint":"https://h/t","userinfo_endpoint":"https://h/u"}"#;
        assert_eq!(
            parse_discovery(&head(200), javascript).unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
    }

    #[test]
    fn the_code_is_exchanged_form_encoded_without_a_hub_token() {
        let o = r#"{"hubUrl":"https://huggingface.co","accessToken":"hf_user","tokenEndpoint":"https://huggingface.co/oauth/token","code":"c 1","redirectUri":"http://127.0.0.1:8/cb?x=1","codeVerifier":"v"}"#;
        let r = build_token(&parse(o, "oauthToken").unwrap()).unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Post, "https://huggingface.co/oauth/token")
        );
        assert!(r.headers.get("Authorization").is_none());
        let Body::Text(b) = &r.body else { panic!() };
        assert_eq!(b, "grant_type=authorization_code&code=c%201&redirect_uri=http%3A%2F%2F127.0.0.1%3A8%2Fcb%3Fx%3D1&code_verifier=v");
        let with_id = o.replace("\"v\"", "\"v\",\"clientId\":\"app\"");
        let Body::Text(b) = build_token(&parse(&with_id, "oauthToken").unwrap())
            .unwrap()
            .body
        else {
            panic!()
        };
        assert!(b.ends_with("&client_id=app"));
        let bad = o.replace("https://huggingface.co/oauth/token", "file:///etc");
        assert_eq!(
            build_token(&parse(&bad, "oauthToken").unwrap())
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn token_answers_and_errors() {
        let ok = parse_token(&head(200), br#"{"access_token":"hf_oauth_x","token_type":"bearer","expires_in":28800,"scope":"openid profile"}"#).unwrap();
        assert_eq!(
            (ok.access_token.as_str(), ok.expires_in, ok.scope.as_str()),
            ("hf_oauth_x", 28800, "openid profile")
        );
        let reused = parse_token(
            &head(400),
            br#"{"error":"invalid_grant","error_description":"this code was already used"}"#,
        )
        .unwrap_err();
        assert_eq!(reused.kind(), ErrorKind::BadRequest);
        assert!(
            reused.message().contains("already used"),
            "{}",
            reused.message()
        );
    }

    #[test]
    fn userinfo_takes_the_token_to_the_hub_only() {
        let start = |o: &str| OAuthUserInfo::start(parse(o, "oauthUserInfo").unwrap());
        let r = start(r#"{"hubUrl":"https://huggingface.co","accessToken":"hf_oauth_x","userinfoEndpoint":"https://huggingface.co/oauth/userinfo"}"#).unwrap();
        assert_eq!(
            r.request.headers.get("Authorization"),
            Some("Bearer hf_oauth_x")
        );
        let elsewhere = start(
            r#"{"hubUrl":"https://huggingface.co","accessToken":"hf_oauth_x","userinfoEndpoint":"https://evil.example/u"}"#,
        );
        assert_eq!(elsewhere.err().unwrap().kind(), ErrorKind::InvalidInput);
        let anonymous = start(r#"{"userinfoEndpoint":"https://huggingface.co/oauth/userinfo"}"#);
        assert_eq!(anonymous.err().unwrap().kind(), ErrorKind::InvalidInput);
    }
}
