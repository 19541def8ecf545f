//! Random identifiers: tokens, request ids, Mongo-style object ids.

use crate::clock::now_millis;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    getrandom::getrandom(&mut buf).expect("OS random source unavailable");
    buf
}

/// Lowercase hex of `n` random bytes.
pub fn random_hex(n: usize) -> String {
    hex::encode(random_bytes(n))
}

/// A user access token shaped like the Hub's: `hf_` followed by 34 alphanumerics.
pub fn new_token() -> String {
    let mut out = String::from("hf_");
    while out.len() < 3 + 34 {
        for b in random_bytes(64) {
            // Rejection sampling keeps the distribution uniform (248 = 4 * 62).
            if b < 248 && out.len() < 3 + 34 {
                out.push(ALNUM[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// A 24-hex id like a Mongo ObjectId (seconds prefix, then random), as the Hub uses for `_id`.
pub fn object_id() -> String {
    format!("{:08x}{}", (now_millis() / 1000) as u32, random_hex(8))
}

/// A stable 24-hex id derived from a name, so users and orgs keep their id across restarts.
pub fn stable_id(name: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(name.as_bytes()))[..24].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_hub_shape() {
        let t = new_token();
        assert_eq!(t.len(), 37);
        assert!(t.starts_with("hf_"));
        assert!(t[3..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(t, new_token());
    }

    #[test]
    fn object_ids_are_24_hex() {
        let id = object_id();
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(stable_id("x"), stable_id("x"));
    }
}
