//! The hashes the Hub names content by: SHA-256 for LFS objects and git blob SHA-1 for regular
//! files. Incremental, so callers can feed a file piece by piece with bounded memory.

use alloc::string::String;
use sha1::Digest as _;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Streaming SHA-256 (the LFS oid).
#[derive(Clone, Default)]
pub struct Sha256(sha2::Sha256);

impl Sha256 {
    /// A fresh hasher.
    pub fn new() -> Self {
        Sha256(sha2::Sha256::new())
    }
    /// Feeds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    /// The lower-case hex digest.
    pub fn finish_hex(self) -> String {
        hex(&self.0.finalize())
    }
}

/// Streaming git blob SHA-1: `sha1("blob <size>\0" + content)`, the `oid` of a regular file.
/// The size must be known up front because it is hashed first.
#[derive(Clone)]
pub struct GitBlobSha1 {
    inner: sha1::Sha1,
    expected: u64,
    seen: u64,
}

impl GitBlobSha1 {
    /// A hasher for a blob of `size` bytes.
    pub fn new(size: u64) -> Self {
        let mut inner = sha1::Sha1::new();
        inner.update(crate::cat!("blob ", crate::text::num(size), "\0").as_bytes());
        GitBlobSha1 {
            inner,
            expected: size,
            seen: 0,
        }
    }
    /// Feeds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.seen += bytes.len() as u64;
        self.inner.update(bytes);
    }
    /// The hex digest, or `None` when the bytes fed do not add up to the announced size.
    pub fn finish_hex(self) -> Option<String> {
        (self.seen == self.expected).then(|| hex(&self.inner.finalize()))
    }
}

/// SHA-256 of a whole buffer.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.finish_hex()
}

/// Git blob SHA-1 of a whole buffer.
pub fn git_blob_sha1_hex(bytes: &[u8]) -> String {
    let mut h = GitBlobSha1::new(bytes.len() as u64);
    h.update(bytes);
    h.finish_hex().unwrap_or_default()
}

/// The git LFS pointer file that stands in git for an LFS object.
pub fn lfs_pointer(sha256: &str, size: u64) -> String {
    crate::cat!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:",
        sha256,
        "\nsize ",
        crate::text::num(size),
        "\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_known_vectors_in_one_or_many_pieces() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut h = Sha256::new();
        for piece in [b"a".as_slice(), b"", b"bc"] {
            h.update(piece);
        }
        assert_eq!(h.finish_hex(), sha256_hex(b"abc"));
    }

    #[test]
    fn git_blob_sha1_matches_git_hash_object() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            git_blob_sha1_hex(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        // The empty blob.
        assert_eq!(
            git_blob_sha1_hex(b""),
            "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
        );
        let mut h = GitBlobSha1::new(6);
        h.update(b"hel");
        h.update(b"lo\n");
        assert_eq!(
            h.finish_hex().as_deref(),
            Some("ce013625030ba8dba906f756967f9e9ca394464a")
        );
        let mut short = GitBlobSha1::new(7);
        short.update(b"hello\n");
        assert_eq!(short.finish_hex(), None);
    }

    #[test]
    fn lfs_pointer_has_the_spec_shape() {
        let p = lfs_pointer("ab", 12);
        assert_eq!(
            p,
            "version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 12\n"
        );
    }
}
