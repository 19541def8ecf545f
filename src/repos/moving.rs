//! `POST /api/repos/move`: renaming a repo, or moving it to another namespace. Afterwards the
//! old name answers with a redirect to the new one.

use alloc::string::String;
use serde::Serialize;

use crate::call::{parse_success, Call, Started};
use crate::error::HubError;
use crate::http::{json, Body, HttpRequest, Method};
use crate::ids::RepoId;
use crate::options::{Designation, Endpoint};
use crate::{cat, options, HubConfig};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireMove<'a> {
    from_repo: &'a str,
    to_repo: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// `POST /api/repos/move` `{fromRepo, toRepo, type}`. `to` is `"namespace/name"` of the same
/// type (a repo cannot change type), and must differ from `from`.
pub fn build_move_repo(cfg: &HubConfig, from: &RepoId, to: &str) -> Result<HttpRequest, HubError> {
    let target = RepoId::new(from.repo_type(), to)?;
    if target.namespace().is_none() {
        return Err(HubError::invalid_input(cat!(
            "toRepo must be \"namespace/name\", not ",
            crate::text::quoted(to)
        )));
    }
    if target.id() == from.id() {
        return Err(HubError::invalid_input("toRepo is the repo's current name"));
    }
    let body = WireMove {
        from_repo: from.id(),
        to_repo: target.id(),
        kind: from.repo_type().as_str(),
    };
    let mut req = cfg.request(Method::Post, cat!(cfg.endpoint(), "/api/repos/move"));
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    Ok(req)
}

options! {
    /// `moveRepo` options: the repo (`fromRepo`, with its type) and its new `"namespace/name"`.
    pub struct MoveRepoOptions: Endpoint {
        /// The repo to move: `"ns/name"`, `"datasets/ns/name"`, … or `{ type, name }`.
        pub from_repo: Designation = "fromRepo",
        /// Its new id, `"namespace/name"`, of the same type.
        pub to_repo: String = "toRepo",
    }
}

/// `moveRepo`.
pub struct MoveRepo;

impl Call for MoveRepo {
    const NAME: &'static str = "moveRepo";
    type Options = MoveRepoOptions;
    type Output = ();
    fn start(o: MoveRepoOptions) -> Result<Started, HubError> {
        let req = build_move_repo(&o.base.config()?, &o.from_repo.0, &o.to_repo)?;
        Ok(Started::single(req, parse_success))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    #[test]
    fn a_move_names_both_ids_and_the_type() {
        let from = RepoId::parse_designation("datasets/u/old").unwrap();
        let r = build_move_repo(&cfg(), &from, "org/new").unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (Method::Post, "https://huggingface.co/api/repos/move")
        );
        let Body::Text(b) = &r.body else { panic!() };
        assert_eq!(
            b,
            r#"{"fromRepo":"u/old","toRepo":"org/new","type":"dataset"}"#
        );
    }

    #[test]
    fn a_bad_target_fails_before_any_request() {
        let from = RepoId::parse_designation("u/old").unwrap();
        for to in ["", "new", "u/old", "a/b/c", "u/bad name", "datasets/u/new"] {
            let e = build_move_repo(&cfg(), &from, to).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{to:?}");
        }
    }
}
