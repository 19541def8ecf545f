//! Enough of `.gitattributes` to answer "is this path tracked by LFS?" the way git does:
//! the last matching line wins; patterns without `/` match the file name, others the whole
//! path (wildcards in [`crate::glob`]).

/// The `.gitattributes` every new repo starts with (the usual LFS patterns).
pub const INITIAL_GITATTRIBUTES: &str = "\
*.7z filter=lfs diff=lfs merge=lfs -text
*.arrow filter=lfs diff=lfs merge=lfs -text
*.bin filter=lfs diff=lfs merge=lfs -text
*.bz2 filter=lfs diff=lfs merge=lfs -text
*.ckpt filter=lfs diff=lfs merge=lfs -text
*.ftz filter=lfs diff=lfs merge=lfs -text
*.gguf filter=lfs diff=lfs merge=lfs -text
*.gz filter=lfs diff=lfs merge=lfs -text
*.h5 filter=lfs diff=lfs merge=lfs -text
*.joblib filter=lfs diff=lfs merge=lfs -text
*.lfs.* filter=lfs diff=lfs merge=lfs -text
*.mlmodel filter=lfs diff=lfs merge=lfs -text
*.model filter=lfs diff=lfs merge=lfs -text
*.msgpack filter=lfs diff=lfs merge=lfs -text
*.npy filter=lfs diff=lfs merge=lfs -text
*.npz filter=lfs diff=lfs merge=lfs -text
*.onnx filter=lfs diff=lfs merge=lfs -text
*.ot filter=lfs diff=lfs merge=lfs -text
*.parquet filter=lfs diff=lfs merge=lfs -text
*.pb filter=lfs diff=lfs merge=lfs -text
*.pickle filter=lfs diff=lfs merge=lfs -text
*.pkl filter=lfs diff=lfs merge=lfs -text
*.pt filter=lfs diff=lfs merge=lfs -text
*.pth filter=lfs diff=lfs merge=lfs -text
*.rar filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
saved_model/**/* filter=lfs diff=lfs merge=lfs -text
*.tar.* filter=lfs diff=lfs merge=lfs -text
*.tar filter=lfs diff=lfs merge=lfs -text
*.tflite filter=lfs diff=lfs merge=lfs -text
*.tgz filter=lfs diff=lfs merge=lfs -text
*.wasm filter=lfs diff=lfs merge=lfs -text
*.xz filter=lfs diff=lfs merge=lfs -text
*.zip filter=lfs diff=lfs merge=lfs -text
*.zst filter=lfs diff=lfs merge=lfs -text
*tfevents* filter=lfs diff=lfs merge=lfs -text
";

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

/// The attributes text with a tracking line appended for every path not already tracked
/// (`None` when all are), as the Hub does for `lfsFile` commit operations
/// (docs/hub-protocol.md §4.5).
pub fn track<'a>(attributes: &str, paths: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out = attributes.to_string();
    let mut changed = false;
    for path in paths {
        if is_lfs(&out, path) {
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&crate::glob::escape(path));
        out.push_str(" filter=lfs diff=lfs merge=lfs -text\n");
        changed = true;
    }
    changed.then_some(out)
}

fn pattern_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.strip_prefix('/').unwrap_or(pattern);
    if pattern.contains('/') {
        crate::glob::matches(pattern, path)
    } else {
        let name = path.rsplit('/').next().unwrap_or(path);
        crate::glob::matches(pattern, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn tracking_appends_only_uncovered_paths() {
        assert_eq!(
            track(INITIAL_GITATTRIBUTES, ["a.bin", "w/x.safetensors"]),
            None
        );
        let t = track("*.bin filter=lfs\n", ["a.bin", "big file.dat", "a.bin"]).unwrap();
        assert_eq!(
            t,
            "*.bin filter=lfs\nbig[[:space:]]file.dat filter=lfs diff=lfs merge=lfs -text\n"
        );
        assert!(is_lfs(&t, "big file.dat"));
        assert_eq!(
            track("", ["d/e.txt"]).unwrap(),
            "d/e.txt filter=lfs diff=lfs merge=lfs -text\n"
        );
    }
}
