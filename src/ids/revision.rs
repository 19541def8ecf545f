//! Revisions: branch and tag names, `refs/pr/N`, `refs/convert/X`, and commit ids.

use alloc::string::{String, ToString};
use core::fmt;

use crate::error::HubError;

/// A validated revision. Validation follows git's ref-name rules (`git check-ref-format`), which
/// the Hub applies to branches and tags, so a bad name fails here instead of on the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Revision(String);

impl Default for Revision {
    fn default() -> Self {
        Revision("main".to_string())
    }
}

impl Revision {
    /// Validates a revision.
    pub fn new(rev: &str) -> Result<Revision, HubError> {
        validate_revision(rev)?;
        Ok(Revision(rev.to_string()))
    }

    /// The revision as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a full 40-hex commit id: such a revision is immutable, so whatever was
    /// fetched at it can be cached forever.
    pub fn is_commit_id(&self) -> bool {
        is_commit_id(&self.0)
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `s` is a full 40-character lowercase or uppercase hex commit id.
pub fn is_commit_id(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Applies git's ref-name rules plus the Hub's special refs.
pub fn validate_revision(rev: &str) -> Result<(), HubError> {
    let fail = |why: &str| {
        Err(HubError::invalid_input(crate::cat!(
            "invalid revision ",
            crate::text::quoted(rev),
            ": ",
            why
        )))
    };
    if rev.is_empty() {
        return fail("it is empty");
    }
    if rev.len() > 255 {
        return fail("it is longer than 255 bytes");
    }
    if rev == "@" {
        return fail("\"@\" is not a ref name");
    }
    if let Some(b) = rev
        .bytes()
        .find(|&b| b < 0x20 || b == 0x7f || b" ~^:?*[\\".contains(&b))
    {
        let mut c = [0; 4];
        return fail(&crate::cat!(
            "it contains the forbidden character ",
            crate::text::quoted((b as char).encode_utf8(&mut c))
        ));
    }
    if ["..", "@{", "//"]
        .iter()
        .any(|bad| crate::text::contains(rev, bad))
    {
        return fail("it contains \"..\", \"@{\" or \"//\"");
    }
    if rev.starts_with('/') || rev.ends_with('/') || rev.ends_with('.') {
        return fail("it starts or ends with '/' or ends with '.'");
    }
    for component in rev.split('/') {
        if component.starts_with('.') || component.ends_with(".lock") {
            return fail("a component starts with '.' or ends with \".lock\"");
        }
    }
    if let Some(n) = rev.strip_prefix("refs/pr/") {
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return fail("a pull-request ref is \"refs/pr/<number>\"");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_branches_tags_prs_and_commits() {
        for rev in [
            "main",
            "v1.0",
            "feature/new-tokenizer",
            "refs/pr/12",
            "refs/convert/parquet",
            "0123456789abcdef0123456789abcdef01234567",
            "release-2026_11",
        ] {
            assert!(validate_revision(rev).is_ok(), "{rev}");
        }
    }

    #[test]
    fn rejects_names_git_would_refuse() {
        for rev in [
            "",
            "@",
            "has space",
            "a..b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[b",
            "a\\b",
            "a@{1}",
            "/main",
            "main/",
            "a//b",
            "main.",
            ".hidden",
            "dir/.hidden",
            "x.lock",
            "tab\there",
            "refs/pr/",
            "refs/pr/abc",
        ] {
            assert_eq!(
                validate_revision(rev).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{rev:?}"
            );
        }
        assert!(validate_revision(&"a".repeat(256)).is_err());
    }

    #[test]
    fn only_full_hex_ids_count_as_commits() {
        assert!(Revision::new("0123456789abcdef0123456789abcdef01234567")
            .unwrap()
            .is_commit_id());
        assert!(!Revision::new("0123456").unwrap().is_commit_id());
        assert!(!Revision::new("main").unwrap().is_commit_id());
        assert_eq!(Revision::default().as_str(), "main");
    }
}
