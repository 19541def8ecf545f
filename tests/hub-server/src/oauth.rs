//! The Hub as an OAuth 2 / OpenID Connect provider (docs/hub-protocol.md §1.9): registered apps,
//! authorization codes with PKCE, and what a granted token may do. The HTTP side is
//! `routes/oauth.rs`; this module holds the rules, so they are tested without a server.

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock::now_millis;
use crate::ids::random_hex;

/// The scopes the Hub documents; any other is `invalid_scope`.
pub const SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "read-billing",
    "read-memberships",
    "read-repos",
    "gated-repos",
    "contribute-repos",
    "write-repos",
    "manage-repos",
    "read-collections",
    "write-collections",
    "inference-api",
    "read-endpoints",
    "write-endpoints",
    "jobs",
    "webhooks",
    "write-discussions",
];

/// The scopes that let a token change repos (the others read at most).
pub const WRITE_SCOPES: &[&str] = &["write-repos", "manage-repos", "contribute-repos"];

/// How long a code may wait for its exchange: short, as a code travels in a URL.
pub const CODE_LIFETIME_MS: u64 = 5 * 60 * 1000;

/// How long an access token lives unless the admin API says otherwise (the Hub's default, 8 h).
pub const TOKEN_LIFETIME_SECS: u64 = 8 * 3600;

/// The app every local Hub knows: a public client (no secret), for the upload page example and
/// the tests, allowed to come back to `/`, `/callback` and the upload page example on any port
/// of any loopback host.
pub const DEFAULT_CLIENT_ID: &str = "hubwasm-local";

/// The paths the default app may come back to.
const DEFAULT_REDIRECT_PATHS: &[&str] = &["", "callback", "examples/upload-page/index.html"];

/// An OAuth app.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthApp {
    pub name: String,
    /// Exact URIs, except that an `http` loopback one matches on any port (RFC 8252 §7.3).
    pub redirect_uris: Vec<String>,
    /// A confidential app's secret; a public app (none) must use PKCE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// A code handed to the app, waiting for its exchange.
#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: String,
    pub user: String,
    pub scopes: Vec<String>,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: u64,
    /// Set by the first exchange: a second one is refused and revokes what the first issued.
    pub token: Option<String>,
}

/// The provider's state: apps persist with the rest; codes and settings do not.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OAuthState {
    #[serde(default)]
    pub apps: BTreeMap<String, OAuthApp>,
    #[serde(skip)]
    pub codes: HashMap<String, Grant>,
    /// Test mode: authorize as this user at once, no consent page (`/__admin/oauth`).
    #[serde(skip)]
    pub auto_approve: Option<String>,
    /// With `auto_approve`: deny instead (the consent page's "Cancel").
    #[serde(skip)]
    pub auto_deny: bool,
    /// Lifetime of the tokens issued from now on, when not the default.
    #[serde(skip)]
    pub token_lifetime_secs: Option<u64>,
}

impl OAuthState {
    /// Registers the default app if missing.
    pub fn ensure_default_app(&mut self) {
        self.apps
            .entry(DEFAULT_CLIENT_ID.to_string())
            .or_insert_with(|| OAuthApp {
                name: "hubwasm (local)".into(),
                redirect_uris: ["http://127.0.0.1/", "http://localhost/", "http://[::1]/"]
                    .iter()
                    .flat_map(|o| {
                        DEFAULT_REDIRECT_PATHS
                            .iter()
                            .map(move |p| format!("{o}{p}"))
                    })
                    .collect(),
                secret: None,
            });
    }

    /// A new code for `grant`.
    pub fn issue_code(&mut self, grant: Grant) -> String {
        let now = now_millis();
        self.codes
            .retain(|_, g| g.expires_at > now || g.token.is_some());
        let code = random_hex(20);
        self.codes.insert(code.clone(), grant);
        code
    }
}

/// Whether `given` is one of the app's redirect URIs: exactly, or for an `http` loopback URI
/// (`localhost`, `127.0.0.1`, `[::1]`) with any port and everything else equal.
pub fn redirect_allowed(app: &OAuthApp, given: &str) -> bool {
    app.redirect_uris.iter().any(|r| {
        r == given
            || without_loopback_port(r).is_some_and(|r| Some(r) == without_loopback_port(given))
    })
}

/// `http://host:port/rest` → `http://host/rest` for a loopback host; `None` otherwise.
fn without_loopback_port(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("http://")?;
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if authority.contains('@') {
        return None;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => format!("[{}", &v6[..=v6.find(']')?]),
        None => authority.split(':').next()?.to_string(),
    };
    let port = &authority[host.len()..];
    if !(port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    ["localhost", "127.0.0.1", "[::1]"]
        .contains(&host.as_str())
        .then(|| format!("http://{host}{}", if path.is_empty() { "/" } else { path }))
}

/// The scopes of a request (space-separated), each known; `Err(scope)` names an unknown one.
pub fn parse_scopes(scope: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for s in scope.split([' ', '+']).filter(|s| !s.is_empty()) {
        if !SCOPES.contains(&s) {
            return Err(s.to_string());
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    Ok(out)
}

/// Whether `verifier` is RFC 7636's (43 to 128 unreserved characters) and hashes to `challenge`
/// (S256: base64url of its SHA-256, no padding).
pub fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let ok_chars = verifier
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    ok_chars
        && (43..=128).contains(&verifier.len())
        && base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes()))
            == challenge
}

/// Whether a token with these scopes may change repos.
pub fn may_write(scopes: &[String]) -> bool {
    scopes.iter().any(|s| WRITE_SCOPES.contains(&s.as_str()))
}

/// Whether it may read the user's (and their orgs') private repos.
pub fn may_read_private(scopes: &[String]) -> bool {
    scopes
        .iter()
        .any(|s| ["read-repos", "write-repos", "manage-repos"].contains(&s.as_str()))
}

/// Whether it may create (`creating`), delete, move or reconfigure repos. `contribute-repos`
/// creates; what it may then do only to the repos its app created is not modelled.
pub fn may_manage(scopes: &[String], creating: bool) -> bool {
    scopes
        .iter()
        .any(|s| s == "manage-repos" || (creating && s == "contribute-repos"))
}

/// An OAuth access token, shaped as the Hub's (`hf_oauth_` and 40 hex).
pub fn new_access_token() -> String {
    format!("hf_oauth_{}", random_hex(20))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(uris: &[&str]) -> OAuthApp {
        OAuthApp {
            name: "t".into(),
            redirect_uris: uris.iter().map(|s| s.to_string()).collect(),
            secret: None,
        }
    }

    #[test]
    fn redirect_uris_match_exactly_or_on_any_loopback_port() {
        let a = app(&[
            "http://127.0.0.1/callback",
            "https://app.example/cb",
            "http://localhost/",
        ]);
        for ok in [
            "http://127.0.0.1/callback",
            "http://127.0.0.1:5173/callback",
            "https://app.example/cb",
            "http://localhost:8080/",
            "http://localhost:8080",
        ] {
            assert!(redirect_allowed(&a, ok), "{ok}");
        }
        for bad in [
            "http://127.0.0.1:5173/callback/x",
            "http://localhost:1/callback",
            "https://app.example:444/cb",
            "https://127.0.0.1:5173/callback",
            "http://127.0.0.1.evil/callback",
            "http://user@127.0.0.1:1/callback",
            "http://127.0.0.1:x/callback",
            "http://127.0.0.1:5173/callback?x=1",
        ] {
            assert!(!redirect_allowed(&a, bad), "{bad}");
        }
    }

    #[test]
    fn the_default_app_comes_back_to_any_loopback_host_and_port() {
        let mut s = OAuthState::default();
        s.ensure_default_app();
        let app = &s.apps[DEFAULT_CLIENT_ID];
        for ok in [
            "http://[::1]:5173/callback",
            "http://localhost:1/",
            "http://127.0.0.1:9/examples/upload-page/index.html",
        ] {
            assert!(redirect_allowed(app, ok), "{ok}");
        }
        assert!(!redirect_allowed(app, "http://127.0.0.2:9/callback"));
    }

    #[test]
    fn pkce_s256_is_checked() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(challenge, verifier));
        assert!(!pkce_matches(challenge, &verifier.replace('d', "e")));
        assert!(!pkce_matches(challenge, "short"));
    }

    #[test]
    fn scopes_are_known_ones() {
        assert_eq!(
            parse_scopes("openid profile openid").unwrap(),
            ["openid", "profile"]
        );
        assert_eq!(
            parse_scopes("openid+write-repos").unwrap(),
            ["openid", "write-repos"]
        );
        assert_eq!(parse_scopes("openid admin").unwrap_err(), "admin");
        assert!(may_write(&parse_scopes("openid write-repos").unwrap()));
        assert!(!may_write(
            &parse_scopes("openid profile read-repos").unwrap()
        ));
    }
}
