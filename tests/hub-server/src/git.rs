//! Git object ids. The Hub reports git ids (blob sha1 as file `oid`/ETag, tree sha1 as directory
//! `oid`), and clients cache by them, so they are computed exactly as git would.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use sha1::{Digest, Sha1};

use crate::state::FileEntry;

/// Git blob id: sha1 of `"blob <len>\0" + bytes`.
pub fn blob_sha1(bytes: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    hex::encode(h.finalize())
}

/// The git-lfs pointer text that stands in git for an LFS file (git-lfs spec v1).
pub fn lfs_pointer(sha256: &str, size: u64) -> String {
    format!("version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n")
}

/// Hex sha256 of the content (the blob store address and the LFS oid).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Sha256;
    hex::encode(Sha256::digest(bytes))
}

/// Whether `s` is a sha256 in lowercase hex (an LFS oid as stored).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Orders repo paths component by component, so a folder comes right before its contents
/// (`a`, `a/b`, `a-c`): the depth-first order used for tree listings and cursors.
pub fn path_cmp(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Parent folder of a path (`""` for top-level entries).
pub fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

/// Every folder's git tree id for a file map, keyed by folder path (`""` is the root).
pub fn tree_ids(files: &BTreeMap<String, FileEntry>) -> HashMap<String, String> {
    // Children of each folder: (name, is_dir, raw 20-byte id).
    let mut children: HashMap<String, Vec<(String, bool, Vec<u8>)>> = HashMap::new();
    children.entry(String::new()).or_default();
    for (path, entry) in files {
        let mut dir = parent_dir(path);
        let name = path.rsplit('/').next().unwrap_or(path);
        let raw = hex::decode(&entry.oid).unwrap_or_default();
        children
            .entry(dir.to_string())
            .or_default()
            .push((name.to_string(), false, raw));
        // Make sure every ancestor folder exists.
        while !dir.is_empty() {
            children.entry(parent_dir(dir).to_string()).or_default();
            children.entry(dir.to_string()).or_default();
            dir = parent_dir(dir);
        }
    }
    let mut dirs: Vec<String> = children.keys().cloned().collect();
    // Deepest first, so each folder is hashed after all of its sub-folders.
    dirs.sort_by_key(|d| std::cmp::Reverse(depth(d)));
    let mut ids = HashMap::new();
    for dir in dirs {
        let mut kids = children.remove(&dir).unwrap_or_default();
        kids.sort_by_key(|a| git_name_key(&a.0, a.1));
        let mut body = Vec::new();
        for (name, is_dir, raw) in &kids {
            body.extend_from_slice(if *is_dir { b"40000 " } else { b"100644 " });
            body.extend_from_slice(name.as_bytes());
            body.push(0);
            body.extend_from_slice(raw);
        }
        let mut h = Sha1::new();
        h.update(format!("tree {}\0", body.len()).as_bytes());
        h.update(&body);
        let id = h.finalize().to_vec();
        if !dir.is_empty() {
            let name = dir.rsplit('/').next().unwrap_or(&dir).to_string();
            children
                .entry(parent_dir(&dir).to_string())
                .or_default()
                .push((name, true, id.clone()));
        }
        ids.insert(dir, hex::encode(id));
    }
    ids
}

fn depth(dir: &str) -> usize {
    if dir.is_empty() {
        0
    } else {
        dir.matches('/').count() + 1
    }
}

/// Git sorts tree entries by name, comparing folders as if they ended with `/`.
fn git_name_key(name: &str, is_dir: bool) -> Vec<u8> {
    let mut k = name.as_bytes().to_vec();
    if is_dir {
        k.push(b'/');
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(bytes: &[u8]) -> FileEntry {
        FileEntry::regular(bytes)
    }

    #[test]
    fn lfs_pointers_have_the_spec_shape() {
        let oid = "a".repeat(64);
        let p = lfs_pointer(&oid, 536_063_208);
        assert_eq!(
            p,
            format!(
                "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 536063208\n"
            )
        );
        // docs/hub-protocol.md §2.2: a 9-digit size gives the 134-byte pointer the Hub reports.
        assert_eq!(p.len(), 134);
        let e = FileEntry::lfs(&oid, 536_063_208);
        assert_eq!(e.oid, blob_sha1(p.as_bytes()));
        assert_eq!((e.size, e.pointer_size()), (536_063_208, 134));
    }

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_sha1(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(blob_sha1(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    #[test]
    fn tree_ids_match_git() {
        // git init; printf 'hello\n' > a.txt; mkdir d; printf 'hello\n' > d/b.txt; git add .;
        // git write-tree  /  git rev-parse HEAD:d
        let mut files = BTreeMap::new();
        files.insert("a.txt".to_string(), entry(b"hello\n"));
        files.insert("d/b.txt".to_string(), entry(b"hello\n"));
        let ids = tree_ids(&files);
        assert_eq!(ids["d"], "dd5a3627ad3d4a1eaa9b180972bab37891a5e101");
        assert_eq!(ids[""], "81f6c9406952f2734422cb4821bfbcc739b920ce");
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn paths_sort_depth_first() {
        let mut v = vec!["a-c", "a/b", "a", "b.txt", "a/b/c"];
        v.sort_by(|a, b| path_cmp(a, b));
        assert_eq!(v, vec!["a", "a/b", "a/b/c", "a-c", "b.txt"]);
    }
}
