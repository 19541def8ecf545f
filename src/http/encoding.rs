//! Percent-encoding exactly as the Hub's reference client does it.
//!
//! The Python client (`quote(x, safe="")`) is authoritative: only RFC 3986 unreserved characters
//! (`A–Z a–z 0–9 - . _ ~`) stay as they are. A revision is one path segment, so `refs/pr/1` becomes
//! `refs%2Fpr%2F1`; file paths in `resolve` URLs keep their `/`.

use alloc::string::String;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn encode_into(out: &mut String, input: &str, keep_slash: bool) {
    for &b in input.as_bytes() {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xF) as usize] as char);
        }
    }
}

/// Encodes a value that must stay one path segment (revisions, tree sub-paths, tag names).
pub fn encode_segment(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(&mut out, input, false);
    out
}

/// Encodes a file path for `resolve`/`raw` URLs: every reserved character but `/` is escaped, so
/// names with spaces, unicode, `#` or `?` survive.
pub fn encode_path(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(&mut out, input, true);
    out
}

/// Encodes a query-string or form value (same rules as a segment).
pub fn encode_query_value(input: &str) -> String {
    encode_segment(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_fully_encoded() {
        assert_eq!(encode_segment("refs/pr/1"), "refs%2Fpr%2F1");
        assert_eq!(encode_segment("main"), "main");
        assert_eq!(encode_segment("v1.0-rc_2~x"), "v1.0-rc_2~x");
        assert_eq!(encode_segment("a b"), "a%20b");
    }

    #[test]
    fn paths_keep_slashes_and_escape_everything_else() {
        assert_eq!(encode_path("dir/my file.txt"), "dir/my%20file.txt");
        assert_eq!(encode_path("a#b?c.txt"), "a%23b%3Fc.txt");
        assert_eq!(
            encode_path("données/été.txt"),
            "donn%C3%A9es/%C3%A9t%C3%A9.txt"
        );
        assert_eq!(encode_path("100%.bin"), "100%25.bin");
        assert_eq!(encode_path("a+b&c=d"), "a%2Bb%26c%3Dd");
    }

    #[test]
    fn tree_sub_paths_are_one_segment() {
        assert_eq!(encode_segment("a/b"), "a%2Fb");
    }
}
