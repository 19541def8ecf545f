//! Enough of `.gitattributes` to answer "is this path tracked by LFS?" the way git does:
//! the last matching line wins; patterns without `/` match the file name, others the whole
//! path; `*` stays inside one component, `**` spans components.

/// Whether `path` gets `filter=lfs` from the attributes text.
pub fn is_lfs(attributes: &str, path: &str) -> bool {
    let mut lfs = false;
    for line in attributes.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(pattern) = parts.next() else {
            continue;
        };
        let mut verdict = None;
        for attr in parts {
            match attr {
                "filter=lfs" => verdict = Some(true),
                "-filter" | "!filter" => verdict = Some(false),
                a if a.starts_with("filter=") => verdict = Some(false),
                _ => {}
            }
        }
        if let Some(v) = verdict {
            if pattern_matches(pattern, path) {
                lfs = v;
            }
        }
    }
    lfs
}

fn pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    if pattern.contains('/') {
        glob(pattern.as_bytes(), path.as_bytes())
    } else {
        let name = path.rsplit('/').next().unwrap_or(path);
        glob(pattern.as_bytes(), name.as_bytes())
    }
}

/// Wildcard match: `?` one non-`/` byte, `*` any run of non-`/` bytes, `**` anything.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => {
            // `**/` may also match zero folders.
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
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::INITIAL_GITATTRIBUTES;

    #[test]
    fn the_initial_attributes_track_weights_and_archives() {
        for p in [
            "model.safetensors",
            "sub/dir/pytorch_model.bin",
            "a.tar.gz",
            "x.gguf",
            "events.out.tfevents.1",
        ] {
            assert!(is_lfs(INITIAL_GITATTRIBUTES, p), "{p}");
        }
        for p in ["config.json", "README.md", "bin", "safetensors.txt"] {
            assert!(!is_lfs(INITIAL_GITATTRIBUTES, p), "{p}");
        }
        assert!(is_lfs(INITIAL_GITATTRIBUTES, "saved_model/variables/data"));
    }

    #[test]
    fn the_last_matching_line_wins_and_slashes_anchor() {
        let attrs = "*.txt filter=lfs\nkeep.txt -filter\ndocs/*.md filter=lfs\n";
        assert!(is_lfs(attrs, "a/b.txt"));
        assert!(!is_lfs(attrs, "keep.txt"));
        assert!(is_lfs(attrs, "docs/x.md"));
        assert!(!is_lfs(attrs, "docs/sub/x.md"));
        assert!(!is_lfs(attrs, "other/docs/x.md"));
    }
}
