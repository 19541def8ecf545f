//! The reader: strict JSON (RFC 8259) into a [`Value`], `None` for anything else. Nesting is
//! limited so a hostile answer cannot exhaust the stack; nothing here panics.

use alloc::string::String;
use alloc::vec::Vec;

use super::Value;

/// Deeper than any answer the Hub sends, shallow enough for a small wasm stack.
const MAX_DEPTH: usize = 128;

/// The whole input as one JSON value (whitespace around it allowed), or `None`.
pub fn parse(input: &[u8]) -> Option<Value> {
    let text = core::str::from_utf8(input).ok()?;
    let mut r = Reader {
        text,
        s: text.as_bytes(),
        at: 0,
    };
    let v = r.value(0)?;
    r.skip_ws();
    (r.at == r.s.len()).then_some(v)
}

struct Reader<'a> {
    /// The input; `s` is its bytes. Runs are cut at ASCII bytes only, so slicing `text` at them
    /// is always on a character boundary and needs no second UTF-8 check.
    text: &'a str,
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Option<Value> {
        self.s[self.at..].starts_with(word).then(|| {
            self.at += word.len();
            v
        })
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.eat(b':')?;
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Value::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.one_or_more_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.one_or_more_digits()?;
        }
        // The input is valid UTF-8 and a number is ASCII.
        Some(Value::Number(String::from(&self.text[start..self.at])))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote or escape in one go.
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.at += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return None,
                    };
                    self.at += 1;
                    out.push(c);
                }
                // A raw control character.
                _ => return None,
            }
        }
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
    fn unicode_escape(&mut self) -> Option<char> {
        let hi = self.hex4()?;
        if !(0xD800..0xDC00).contains(&hi) {
            return char::from_u32(hi);
        }
        if !self.s[self.at..].starts_with(b"\\u") {
            return None;
        }
        self.at += 2;
        let lo = self.hex4()?;
        if !(0xDC00..0xE000).contains(&lo) {
            return None;
        }
        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.at..self.at + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16)?;
        }
        self.at += 4;
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(String::from(v))
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(br#" { "a" : [1, -2.5e3, true, false, null, "x", {}, []] } "#).unwrap();
        let a = v.get("a").unwrap().as_array().unwrap();
        assert_eq!(a[0], Value::Number("1".into()));
        assert_eq!(a[1], Value::Number("-2.5e3".into()));
        assert_eq!(
            &a[2..6],
            &[Value::Bool(true), Value::Bool(false), Value::Null, s("x")]
        );
        assert_eq!(a[6], Value::Object(Vec::new()));
        assert_eq!(a[7], Value::Array(Vec::new()));
    }

    #[test]
    fn strings_are_unescaped_including_surrogate_pairs() {
        let v = parse(r#""q\"b\\s\/\b\f\n\r\t \u00e9 \ud83d\ude00 \u2028 ü""#.as_bytes()).unwrap();
        assert_eq!(v, s("q\"b\\s/\u{8}\u{c}\n\r\t é 😀 \u{2028} ü"));
    }

    #[test]
    fn anything_that_is_not_strict_json_is_refused() {
        for bad in [
            &b""[..],
            b"{",
            b"[1,]",
            b"{\"a\":1,}",
            b"{a:1}",
            b"'x'",
            b"01",
            b"1.",
            b"1e",
            b"-",
            b"+1",
            b"tru",
            b"nul",
            b"\"\\x\"",
            b"\"\\ud83d\"",
            b"\"\\ud83dx\"",
            b"\"\\udc00\"",
            b"\"a\nb\"",
            b"\"unterminated",
            b"1 2",
            b"\xff",
            b"{\"a\" 1}",
            b"[1 2]",
        ] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = alloc::format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(deep.as_bytes()), None);
        let ok = alloc::format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(ok.as_bytes()).is_some());
    }

    #[test]
    fn agrees_with_serde_json_on_generated_documents() {
        // A small generator of valid documents (and their truncations) compared with a
        // reference reader.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        fn gen(r: &mut dyn FnMut(u64) -> u64, depth: u32, out: &mut String) {
            match if depth > 3 { r(4) } else { r(6) } {
                0 => out.push_str(["null", "true", "false"][r(3) as usize]),
                1 => out.push_str(&alloc::format!("{}", r(1 << 40))),
                2 => out.push_str(["\"\"", "\"a\\\"b\"", "\"\\u00e9x\"", "\"ü😀\""][r(4) as usize]),
                3 => out.push_str(["-0.5", "1e10", "0", "12.25E-3"][r(4) as usize]),
                4 => {
                    out.push('[');
                    for i in 0..r(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        gen(r, depth + 1, out);
                    }
                    out.push(']');
                }
                _ => {
                    out.push('{');
                    for i in 0..r(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&alloc::format!("\"k{}\":", r(3)));
                        gen(r, depth + 1, out);
                    }
                    out.push('}');
                }
            }
        }
        for _ in 0..2000 {
            let mut doc = String::new();
            gen(&mut rand, 0, &mut doc);
            let cut = rand(doc.len() as u64 + 1) as usize;
            for text in [&doc[..], doc.get(..cut).unwrap_or(&doc)] {
                let ours = parse(text.as_bytes()).is_some();
                let theirs = serde_json::from_str::<serde_json::Value>(text).is_ok();
                assert_eq!(ours, theirs, "{text}");
            }
        }
    }
}
