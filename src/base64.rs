//! Standard base64 (with padding): commit bodies carry regular files this way, and preupload
//! carries a sample of each file.

use alloc::string::String;

const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the base64 of `bytes` to `out`. Feeding a file in pieces whose lengths are multiples
/// of 3 gives the same text as encoding it whole, so large files can be encoded piecewise.
pub fn encode_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let n = (c[0] as u32) << 16 | (c[1] as u32) << 8 | c[2] as u32;
        for shift in [18, 12, 6, 0] {
            out.push(TABLE[(n >> shift & 63) as usize] as char);
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let b1 = *rest.get(1).unwrap_or(&0) as u32;
        let n = (rest[0] as u32) << 16 | b1 << 8;
        out.push(TABLE[(n >> 18 & 63) as usize] as char);
        out.push(TABLE[(n >> 12 & 63) as usize] as char);
        out.push(if rest.len() == 2 {
            TABLE[(n >> 6 & 63) as usize] as char
        } else {
            '='
        });
        out.push('=');
    }
}

/// The base64 of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::new();
    encode_into(&mut s, bytes);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), enc);
        }
        assert_eq!(encode(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn piecewise_encoding_in_multiples_of_three_matches_whole() {
        let data: std::vec::Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut s = String::new();
        for piece in data.chunks(99) {
            encode_into(&mut s, piece);
        }
        assert_eq!(s, encode(&data));
    }
}
