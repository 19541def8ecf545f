//! Repository ids and types, validated by the Hub's rules before any request is built.

use crate::text::quoted;
use alloc::string::{String, ToString};
use core::fmt;

use crate::error::HubError;

/// The kinds of git-backed repositories the Hub hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RepoType {
    /// A model repo (the default; no URL prefix).
    #[default]
    Model,
    /// A dataset repo (`datasets/` prefix).
    Dataset,
    /// A Space (`spaces/` prefix).
    Space,
    /// A kernel repo (`kernels/` prefix).
    Kernel,
}

impl RepoType {
    /// The singular name used in JSON bodies (`"type": "dataset"`).
    pub fn as_str(self) -> &'static str {
        match self {
            RepoType::Model => "model",
            RepoType::Dataset => "dataset",
            RepoType::Space => "space",
            RepoType::Kernel => "kernel",
        }
    }

    /// The plural API segment: `/api/{segment}/…`.
    pub fn api_segment(self) -> &'static str {
        match self {
            RepoType::Model => "models",
            RepoType::Dataset => "datasets",
            RepoType::Space => "spaces",
            RepoType::Kernel => "kernels",
        }
    }

    /// The prefix of web, `resolve` and git URLs: empty for models.
    pub fn url_prefix(self) -> &'static str {
        match self {
            RepoType::Model => "",
            RepoType::Dataset => "datasets/",
            RepoType::Space => "spaces/",
            RepoType::Kernel => "kernels/",
        }
    }

    /// Parses `model`/`dataset`/`space`/`kernel` (the plural forms are accepted too).
    pub fn parse(s: &str) -> Result<RepoType, HubError> {
        match s {
            "model" | "models" => Ok(RepoType::Model),
            "dataset" | "datasets" => Ok(RepoType::Dataset),
            "space" | "spaces" => Ok(RepoType::Space),
            "kernel" | "kernels" => Ok(RepoType::Kernel),
            other => Err(HubError::invalid_input(crate::cat!(
                "unknown repo type ",
                quoted(other),
                ": expected \"model\", \"dataset\", \"space\" or \"kernel\""
            ))),
        }
    }
}

/// A validated repository id: `[namespace/]name` plus its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RepoId {
    repo_type: RepoType,
    id: String,
}

impl RepoId {
    /// Validates `name` or `namespace/name` for the given type.
    pub fn new(repo_type: RepoType, id: &str) -> Result<RepoId, HubError> {
        validate_repo_id(id)?;
        Ok(RepoId {
            repo_type,
            id: id.to_string(),
        })
    }

    /// Parses a "designation" as `@huggingface/hub` accepts it: `ns/name` (a model),
    /// `datasets/ns/name`, `spaces/ns/name`, `kernels/ns/name`.
    pub fn parse_designation(s: &str) -> Result<RepoId, HubError> {
        for (prefix, t) in [
            ("datasets/", RepoType::Dataset),
            ("spaces/", RepoType::Space),
            ("kernels/", RepoType::Kernel),
            ("models/", RepoType::Model),
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                return RepoId::new(t, rest);
            }
        }
        RepoId::new(RepoType::Model, s)
    }

    /// The repo type.
    pub fn repo_type(&self) -> RepoType {
        self.repo_type
    }

    /// `namespace/name` (or just `name` for legacy canonical repos).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The namespace, when there is one.
    pub fn namespace(&self) -> Option<&str> {
        self.id.split_once('/').map(|(ns, _)| ns)
    }

    /// The name without its namespace.
    pub fn name(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(_, n)| n)
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.repo_type.url_prefix(), self.id)
    }
}

fn validate_part(part: &str, what: &str, full: &str) -> Result<(), HubError> {
    let fail = |why: &str| {
        Err(HubError::invalid_input(crate::cat!(
            "invalid repo id ",
            quoted(full),
            ": ",
            what,
            " ",
            why
        )))
    };
    if part.is_empty() {
        return fail("is empty");
    }
    if part.len() > 96 {
        return fail("is longer than 96 characters");
    }
    if !part
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return fail("may only contain letters, digits, '-', '_' and '.'");
    }
    if part.starts_with(['-', '.']) || part.ends_with(['-', '.']) {
        return fail("must not start or end with '-' or '.'");
    }
    if crate::text::contains(part, "--") || crate::text::contains(part, "..") {
        return fail("must not contain '--' or '..'");
    }
    Ok(())
}

/// Applies the Hub's repo-id rules (docs/hub-protocol.md §1.3).
pub fn validate_repo_id(id: &str) -> Result<(), HubError> {
    let mut parts = id.split('/');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    if parts.next().is_some() {
        return Err(HubError::invalid_input(crate::cat!(
            "invalid repo id ",
            quoted(id),
            ": expected \"name\" or \"namespace/name\""
        )));
    }
    match second {
        Some(name) => {
            validate_part(first, "the namespace", id)?;
            validate_part(name, "the name", id)?;
            if name.ends_with(".git") {
                return Err(HubError::invalid_input(crate::cat!(
                    "invalid repo id ",
                    quoted(id),
                    ": the name must not end with \".git\""
                )));
            }
        }
        None => {
            validate_part(first, "the name", id)?;
            if first.ends_with(".git") {
                return Err(HubError::invalid_input(crate::cat!(
                    "invalid repo id ",
                    quoted(id),
                    ": the name must not end with \".git\""
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_the_hubs_valid_ids() {
        for id in ["gpt2", "user/model", "Org_1/my.model-v2", "a/b", "u/x.y_z"] {
            assert!(validate_repo_id(id).is_ok(), "{id}");
        }
        let long = "a".repeat(96);
        assert!(validate_repo_id(&long).is_ok());
    }

    #[test]
    fn rejects_every_rule_violation_as_invalid_input() {
        let long = alloc::format!("user/{}", "a".repeat(97));
        for id in [
            "",
            "/",
            "user/",
            "/model",
            "a/b/c",
            "user/-model",
            "user/model-",
            "user/.model",
            "user/model.",
            "user/mo--del",
            "user/mo..del",
            "user/model.git",
            "user/mo del",
            "user/modèle",
            "us er/model",
            "user/model#1",
            long.as_str(),
        ] {
            let err = validate_repo_id(id).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{id}");
        }
    }

    #[test]
    fn designations_carry_the_type_prefix() {
        let r = RepoId::parse_designation("datasets/user/data").unwrap();
        assert_eq!(r.repo_type(), RepoType::Dataset);
        assert_eq!(r.id(), "user/data");
        assert_eq!(r.namespace(), Some("user"));
        assert_eq!(r.name(), "data");
        let r = RepoId::parse_designation("user/model").unwrap();
        assert_eq!(r.repo_type(), RepoType::Model);
        assert_eq!(
            RepoId::parse_designation("spaces/u/s").unwrap().to_string(),
            "spaces/u/s"
        );
        assert!(RepoId::parse_designation("datasets/a/b/c").is_err());
    }

    #[test]
    fn repo_types_parse_and_map_to_url_parts() {
        assert_eq!(
            RepoType::parse("dataset").unwrap().api_segment(),
            "datasets"
        );
        assert_eq!(RepoType::parse("spaces").unwrap().url_prefix(), "spaces/");
        assert_eq!(RepoType::parse("model").unwrap().url_prefix(), "");
        assert_eq!(
            RepoType::parse("bucket").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }
}
