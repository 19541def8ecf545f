//! Building messages and URLs from pieces without `core::fmt`: the formatting machinery and
//! the string escaping behind `{:?}` cost every wasm module several KB (docs/boundary.md), and
//! the core only ever joins text and writes whole numbers.

use alloc::string::String;

/// The pieces, one after another.
pub fn join(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        out.push_str(p);
    }
    out
}

/// A whole number in decimal.
pub fn num(n: u64) -> String {
    let mut out = String::new();
    crate::http::json::push_u64(&mut out, n);
    out
}

/// `s` in double quotes, as a message shows a value the caller gave: quotes, backslashes and
/// control characters escaped, everything else as it is.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u{");
                out.push(HEX[(c as usize >> 4) & 15] as char);
                out.push(HEX[c as usize & 15] as char);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where `needle` first occurs in `hay`. A plain scan: the core only looks for short needles in
/// short text, and `str::find` with a `&str` pattern links a two-way searcher of ~2.5 KB.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| &h[i..i + n.len()] == n)
}

/// Where `needle` last occurs in `hay`.
pub fn rfind(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?)
        .rev()
        .find(|&i| &h[i..i + n.len()] == n)
}

/// Whether `needle` occurs in `hay`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `s` split around the first `sep`.
pub fn split_once<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    find(s, sep).map(|i| (&s[..i], &s[i + sep.len()..]))
}

/// `s` with every `from` replaced by `to`.
pub fn replace(s: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let (false, Some(i)) = (from.is_empty(), find(rest, from)) {
        out.push_str(&rest[..i]);
        out.push_str(to);
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Joins text pieces (anything that is `AsRef<str>`) into a `String`, without `core::fmt`.
#[macro_export]
macro_rules! cat {
    ($($piece:expr),* $(,)?) => {
        $crate::text::join(&[$(::core::convert::AsRef::<str>::as_ref(&$piece)),*])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_numbers_and_quoted_values_read_as_format_would_write_them() {
        let id = String::from("u/m");
        assert_eq!(crate::cat!("a ", id, " b ", num(42)), "a u/m b 42");
        assert_eq!(num(0), "0");
        assert_eq!(num(u64::MAX), u64::MAX.to_string());
        for s in [
            "plain",
            "with \"quotes\"",
            "back\\slash",
            "tab\tand\nnewline",
            "ü 😀",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
        assert_eq!(quoted("\u{1}"), "\"\\u{01}\"");
    }

    #[test]
    fn searching_and_replacing_agree_with_str() {
        for (hay, needle) in [
            ("a://b://c", "://"),
            ("abc", "abcd"),
            ("", ""),
            ("xx", "x"),
            ("é/é", "/"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay} {needle}");
            assert_eq!(rfind(hay, needle), hay.rfind(needle), "{hay} {needle}");
            assert_eq!(
                split_once(hay, needle),
                hay.split_once(needle),
                "{hay} {needle}"
            );
        }
        assert_eq!(replace("a-b-c", "-", "+"), "a+b+c");
        assert_eq!(replace("abc", "", "+"), "abc");
        assert_eq!(replace("aaa", "aa", "b"), "ba");
    }
}
