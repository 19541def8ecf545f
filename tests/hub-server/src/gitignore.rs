//! Enough of `.gitignore` for preupload's `shouldIgnore` (docs/hub-protocol.md §4.2): the last
//! matching pattern wins and `!` re-includes; a pattern with a `/` before its end is anchored at
//! the root, one without matches a name at any depth; a trailing `/` matches folders only (so
//! everything below them); wildcards as in [`crate::glob`].

/// Whether `path` (a file) is ignored by the `.gitignore` text.
pub fn is_ignored(gitignore: &str, path: &str) -> bool {
    let mut ignored = false;
    for line in gitignore.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negate, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, line.strip_prefix('\\').unwrap_or(line)),
        };
        if matches(pattern, path) {
            ignored = !negate;
        }
    }
    ignored
}

fn matches(pattern: &str, path: &str) -> bool {
    let (dir_only, pattern) = match pattern.strip_suffix('/') {
        Some(p) => (true, p),
        None => (false, pattern),
    };
    let anchored = pattern.contains('/');
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    if pattern.is_empty() {
        return false;
    }
    // Candidates: every folder above the file, and the file itself unless folders only.
    let comps: Vec<&str> = path.split('/').collect();
    let upto = if dir_only {
        comps.len() - 1
    } else {
        comps.len()
    };
    (1..=upto).any(|n| {
        let candidate = comps[..n].join("/");
        if anchored {
            crate::glob::matches(pattern, &candidate)
        } else {
            crate::glob::matches(pattern, comps[n - 1])
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_anywhere_anchored_paths_and_folders() {
        let gi = "*.log\n/build\ncache/\ndocs/*.tmp\n";
        assert!(is_ignored(gi, "a.log"));
        assert!(is_ignored(gi, "deep/x/a.log"));
        assert!(is_ignored(gi, "build/out.bin"));
        assert!(!is_ignored(gi, "src/build/out.bin"), "anchored at the root");
        assert!(is_ignored(gi, "x/cache/y.bin"));
        assert!(
            !is_ignored(gi, "cache"),
            "a file named like a folder pattern"
        );
        assert!(is_ignored(gi, "docs/a.tmp"));
        assert!(!is_ignored(gi, "docs/sub/a.tmp"));
        assert!(!is_ignored(gi, "main.py"));
    }

    #[test]
    fn the_last_match_wins_and_bang_reincludes() {
        let gi = "# comment\n*.bin\n!keep.bin\n\\!literal\n";
        assert!(is_ignored(gi, "x.bin"));
        assert!(!is_ignored(gi, "keep.bin"));
        assert!(is_ignored(gi, "!literal"));
        assert!(!is_ignored("", "x"));
    }
}
