//! Self-authorising URLs, like the presigned S3/CDN URLs the Hub hands out: the storage origin
//! accepts a request only when its query carries an unexpired `exp` and a `sig` that is the
//! HMAC-SHA256 (server secret) of the path and every other query parameter. Clients never send
//! the Hub token there (docs/hub-protocol.md §1.5, §4.4), so nothing else may authorise these
//! requests.

use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;

use crate::clock::now_millis;

/// Query values are encoded with everything but unreserved characters escaped, so the signed
/// text is exactly what arrives on the wire.
const QUERY_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Why a signed URL was refused (both are 403, like S3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    Missing,
    BadSignature,
    Expired,
}

impl SignError {
    pub fn message(&self) -> &'static str {
        match self {
            SignError::Missing => "Missing signature: this URL must come from the Hub",
            SignError::BadSignature => "Signature does not match",
            SignError::Expired => "Request has expired",
        }
    }
}

pub struct Signer {
    key: Vec<u8>,
    /// Lifetime of a new URL, in seconds.
    pub ttl: u64,
}

impl Signer {
    pub fn new(key: &[u8], ttl: u64) -> Signer {
        Signer {
            key: key.to_vec(),
            ttl,
        }
    }

    fn mac(&self, text: &str) -> Hmac<Sha256> {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(text.as_bytes());
        m
    }

    /// Unix seconds at which a URL signed now expires.
    pub fn expiry(&self) -> u64 {
        now_millis() / 1000 + self.ttl
    }

    /// `path?k=v&…&exp=…&sig=…` for a path (already percent-encoded) and parameters.
    pub fn sign(&self, path: &str, params: &[(&str, String)]) -> String {
        let mut query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY_ESCAPE)))
            .collect();
        query.push(format!("exp={}", self.expiry()));
        let unsigned = format!("{path}?{}", query.join("&"));
        let sig = hex::encode(self.mac(&unsigned).finalize().into_bytes());
        format!("{unsigned}&sig={sig}")
    }

    /// Checks a request's raw path and query; returns the decoded parameters (without `sig`).
    pub fn verify(
        &self,
        path: &str,
        query: Option<&str>,
    ) -> Result<Vec<(String, String)>, SignError> {
        let query = query.unwrap_or("");
        let mut sig = None;
        let mut rest = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            match part.strip_prefix("sig=") {
                Some(s) => sig = Some(s),
                None => rest.push(part),
            }
        }
        let sig = sig.ok_or(SignError::Missing)?;
        let sig = hex::decode(sig).map_err(|_| SignError::BadSignature)?;
        let unsigned = format!("{path}?{}", rest.join("&"));
        self.mac(&unsigned)
            .verify_slice(&sig)
            .map_err(|_| SignError::BadSignature)?;
        let params: Vec<(String, String)> = form_urlencoded::parse(rest.join("&").as_bytes())
            .into_owned()
            .collect();
        let exp: u64 = params
            .iter()
            .find(|(k, _)| k == "exp")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or(SignError::BadSignature)?;
        if now_millis() / 1000 > exp {
            return Err(SignError::Expired);
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> (&str, &str) {
        url.split_once('?').unwrap()
    }

    #[test]
    fn a_signed_url_verifies_and_returns_its_parameters() {
        let s = Signer::new(b"k", 60);
        let url = s.sign(
            "/objects/ab",
            &[("size", "12".into()), ("name", "a b&c".into())],
        );
        let (path, q) = split(&url);
        let params = s.verify(path, Some(q)).unwrap();
        assert_eq!(params[0], ("size".to_string(), "12".to_string()));
        assert_eq!(params[1], ("name".to_string(), "a b&c".to_string()));
    }

    #[test]
    fn tampering_and_other_keys_are_refused() {
        let s = Signer::new(b"k", 60);
        let url = s.sign("/objects/ab", &[("size", "12".into())]);
        let (path, q) = split(&url);
        assert_eq!(
            s.verify("/objects/ac", Some(q)),
            Err(SignError::BadSignature)
        );
        let q2 = q.replace("size=12", "size=13");
        assert_eq!(s.verify(path, Some(&q2)), Err(SignError::BadSignature));
        assert_eq!(
            Signer::new(b"other", 60).verify(path, Some(q)),
            Err(SignError::BadSignature)
        );
        assert_eq!(s.verify(path, None), Err(SignError::Missing));
    }

    #[test]
    fn expired_urls_are_refused() {
        let s = Signer::new(b"k", 0);
        let mut m = s.mac("/x?exp=1");
        m.update(b"");
        let sig = hex::encode(m.finalize().into_bytes());
        assert_eq!(
            s.verify("/x", Some(&format!("exp=1&sig={sig}"))),
            Err(SignError::Expired)
        );
    }
}
