//! Wildcards shared by `.gitattributes` and fault rules: `?` one non-`/` byte, `*` any run of
//! non-`/` bytes, `**` anything (and `**/` also zero folders), `[…]` a byte class (ranges, `!`/`^`
//! negation, `[:space:]`), `\x` a literal `x`. This is what git-lfs writes when it tracks a path
//! with spaces (`a[[:space:]]b.bin`), so the server can read back the lines it adds itself.

/// Whether the whole of `s` matches `pattern`.
pub fn matches(pattern: &str, s: &str) -> bool {
    glob(pattern.as_bytes(), s.as_bytes())
}

/// Escapes a literal path so [`matches`] (and git) read it back as itself: spaces become
/// `[[:space:]]` (attribute lines are whitespace-separated), wildcard bytes get a backslash.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("[[:space:]]"),
            '*' | '?' | '[' | ']' | '\\' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            let rest = &p[2..];
            let rest_no_slash = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| glob(rest, &s[i..]))
                || (rest.len() != rest_no_slash.len()
                    && (0..=s.len()).any(|i| glob(rest_no_slash, &s[i..])))
        }
        Some(b'*') => {
            let rest = &p[1..];
            let mut i = 0;
            loop {
                if glob(rest, &s[i..]) {
                    return true;
                }
                if i == s.len() || s[i] == b'/' {
                    return false;
                }
                i += 1;
            }
        }
        Some(b'?') => !s.is_empty() && s[0] != b'/' && glob(&p[1..], &s[1..]),
        Some(b'[') => match class(&p[1..]) {
            Some((set, used)) => {
                !s.is_empty() && s[0] != b'/' && set(s[0]) && glob(&p[1 + used..], &s[1..])
            }
            // An unclosed `[` is a literal bracket.
            None => s.first() == Some(&b'[') && glob(&p[1..], &s[1..]),
        },
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

/// Parses a bracket expression after its `[`; returns the membership test and the bytes used
/// (including the closing `]`).
#[allow(clippy::type_complexity)]
fn class(p: &[u8]) -> Option<(Box<dyn Fn(u8) -> bool>, usize)> {
    let mut i = 0;
    let negate = matches!(p.first(), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut singles: Vec<u8> = Vec::new();
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    let mut space = false;
    let mut first = true;
    loop {
        let c = *p.get(i)?;
        if c == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if p[i..].starts_with(b"[:space:]") {
            space = true;
            i += 9;
            continue;
        }
        let lo = if c == b'\\' {
            i += 1;
            *p.get(i)?
        } else {
            c
        };
        i += 1;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|n| *n != b']') {
            ranges.push((lo, p[i + 1]));
            i += 2;
        } else {
            singles.push(lo);
        }
    }
    let test = move |b: u8| {
        let hit = singles.contains(&b)
            || ranges.iter().any(|(a, z)| (*a..=*z).contains(&b))
            || (space && b.is_ascii_whitespace());
        hit != negate
    };
    Some((Box::new(test), i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_stay_inside_a_component_unless_doubled() {
        assert!(matches("*.bin", "a.bin"));
        assert!(!matches("*.bin", "d/a.bin"));
        assert!(matches("**/*.bin", "a.bin"));
        assert!(matches("**/*.bin", "d/e/a.bin"));
        assert!(matches("/api/**", "/api/models/x/y"));
        assert!(matches("/x/?", "/x/a"));
        assert!(!matches("/x/?", "/x/ab"));
    }

    #[test]
    fn classes_and_escapes() {
        assert!(matches("a[[:space:]]b", "a b"));
        assert!(matches("v[0-9].txt", "v7.txt"));
        assert!(!matches("v[!0-9].txt", "v7.txt"));
        assert!(matches("\\*.txt", "*.txt"));
        assert!(!matches("\\*.txt", "a.txt"));
        assert!(matches("[", "["));
    }

    #[test]
    fn escaped_paths_match_only_themselves() {
        for p in ["big file.bin", "weird[1]*?.bin", "#x!.bin", "a\\b"] {
            let e = escape(p);
            assert!(!e.contains(' '), "{e}");
            assert!(matches(&e, p), "{e} vs {p}");
            assert!(!matches(&e, &format!("{p}x")), "{e}");
        }
    }
}
