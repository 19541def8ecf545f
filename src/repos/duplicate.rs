//! `POST /api/{type}s/{repo}/duplicate`: a server-side copy of a repo (its history and files)
//! under a new id, as `huggingface_hub`'s `duplicate_repo`; nothing is downloaded.

use alloc::boxed::Box;
use alloc::string::String;
use serde::Serialize;

use crate::account::whoami::{build_whoami, check_whoami};
use crate::call::{to_json, Call, Flow, Started, Step};
use crate::error::HubError;
use crate::http::json::Value;
use crate::http::{endpoints, json, Body, HttpRequest, HttpResponseHead, Method};
use crate::ids::{RepoId, RepoType};
use crate::options::{Designation, Endpoint, Field, Opts};
use crate::repos::create::RepoUrl;
use crate::repos::settings::{resolve_visibility, Flag};
use crate::{cat, options, HubConfig};

/// `spaceSettings`: a Space's runtime settings for the copy, `{ hardware?, storageTier?,
/// sleepTimeSeconds?, secrets?, variables? }` as the Hub names them, checked by the JavaScript
/// API and sent as given (typed here, they cost this rarely loaded module 1.3 KB gzip).
pub struct SpaceSettings(pub Option<Value>);

impl Field for SpaceSettings {
    #[cfg(test)]
    const TS: &'static str = "Record<string, unknown>";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        o.object(key)?;
        Ok(SpaceSettings(o.get(key).cloned()))
    }
}

options! {
    /// `duplicateRepo` options.
    pub struct DuplicateRepoOptions: Endpoint {
        /// The repo to copy: `"ns/name"`, `"spaces/ns/name"`, … or `{ type, name }`.
        pub from_repo: Designation = "fromRepo",
        /// The copy's id, `"namespace/name"` of the same type; a bare name, or none (the
        /// source's name), is in the token owner's namespace.
        pub to_repo: Option<String> = "toRepo",
        /// Make the copy private (`true`) or public (`false`); as the source when not given.
        pub private: Flag = "private",
        /// `public`, `private`, or for Spaces `protected`; as the source when not given.
        pub visibility: Option<String> = "visibility",
        /// A taken `toRepo` is not an error: its URL is returned.
        pub exist_ok: bool = "existOk",
        /// Spaces: the copy's runtime settings.
        pub space_settings: SpaceSettings = "spaceSettings",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireDuplicate<'a> {
    repository: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'a str>,
    /// The Space settings' members, at the top level.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    space: Option<&'a Value>,
}

/// `POST {ep}/api/{type}s/{from}/duplicate` `{repository, visibility?, …}` for the copy `to`
/// (`"namespace/name"`). The Space settings of another kind of repo, a `to` without a namespace
/// or a bad visibility are `InvalidInput`. (A copy onto its source is refused before any request
/// when `toRepo` says so; when the token owner's namespace makes it so, the Hub answers 409.)
pub fn build_duplicate_repo(
    cfg: &HubConfig,
    from: &RepoId,
    to: &str,
    o: &DuplicateRepoOptions,
) -> Result<HttpRequest, HubError> {
    let to = RepoId::new(from.repo_type(), to)?;
    if to.namespace().is_none() {
        return Err(HubError::invalid_input(cat!(
            "toRepo must be \"namespace/name\", not ",
            crate::text::quoted(to.id())
        )));
    }
    if o.space_settings.0.is_some() && from.repo_type() != RepoType::Space {
        // Named as the JavaScript API's options, which make `spaceSettings`.
        return Err(HubError::invalid_input(
            "spaceHardware, spaceStorage, spaceSleepTime, spaceSecrets and spaceVariables are for Spaces only",
        ));
    }
    let body = WireDuplicate {
        repository: to.id(),
        visibility: resolve_visibility(from.repo_type(), o.private.0, o.visibility.as_deref())?,
        space: o.space_settings.0.as_ref(),
    };
    let mut req = cfg.request(
        Method::Post,
        cat!(endpoints::api_repo(cfg, from), "/duplicate"),
    );
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    Ok(req)
}

/// The copy's URL, from `{url}`; with `exist_ok` a taken id too (the Hub's 409 carries its URL).
fn parse_duplicate(
    head: &HttpResponseHead,
    body: &[u8],
    exist_ok: bool,
) -> Result<RepoUrl, HubError> {
    if !(head.is_success() || exist_ok && head.status == 409) {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| json::text(&v, "url"))
        .map(|url| RepoUrl { url, id: None })
        .ok_or_else(|| match head.is_success() {
            true => HubError::malformed(head, "unexpected duplicate answer: no url"),
            false => HubError::from_response(head, body),
        })
}

/// `duplicateRepo`: copies a repo; `Conflict` when `toRepo` exists, unless `existOk`.
pub struct DuplicateRepo;

impl Call for DuplicateRepo {
    const NAME: &'static str = "duplicateRepo";
    type Options = DuplicateRepoOptions;
    type Output = RepoUrl;
    fn start(o: DuplicateRepoOptions) -> Result<Started, HubError> {
        let cfg = o.base.config()?;
        let from = &o.from_repo.0;
        let to = o.to_repo.as_deref().unwrap_or(from.name());
        if to.contains('/') {
            if to == from.id() {
                return Err(HubError::invalid_input(
                    "toRepo is the repo being duplicated",
                ));
            }
            return Ok(Started {
                request: build_duplicate_repo(&cfg, from, to, &o)?,
                flow: Box::new(Duplicating::Copy(o.exist_ok)),
            });
        }
        // Every input is checked (with a stand-in namespace) before the first request.
        build_duplicate_repo(&cfg, from, &cat!("x/", to), &o)?;
        Ok(Started {
            request: build_whoami(&cfg).map_err(|_| {
                HubError::invalid_input(
                    "duplicateRepo needs an accessToken to find the namespace of toRepo (or give \"namespace/name\")",
                )
            })?,
            flow: Box::new(Duplicating::Owner(Some(Box::new((cfg, o))))),
        })
    }
}

/// The copy's two steps when its namespace is the token owner's: `whoami-v2`, then the copy.
enum Duplicating {
    /// Waiting for `whoami-v2`, whose `name` is the copy's namespace.
    Owner(Option<Box<(HubConfig, DuplicateRepoOptions)>>),
    /// Waiting for the copy's answer (`existOk` or not).
    Copy(bool),
}

impl Flow for Duplicating {
    fn on_response(&mut self, head: &HttpResponseHead, body: &[u8]) -> Result<Step, HubError> {
        match self {
            Duplicating::Copy(exist_ok) => {
                to_json(&parse_duplicate(head, body, *exist_ok)?).map(Step::Done)
            }
            Duplicating::Owner(pending) => {
                check_whoami(head, body)?;
                let user = json::parse(body).and_then(|v| json::text(&v, "name"));
                let (Some(user), Some(p)) = (user, pending.take()) else {
                    return Err(HubError::malformed(
                        head,
                        "unexpected whoami-v2 answer: no name",
                    ));
                };
                let (cfg, o) = *p;
                let from = &o.from_repo.0;
                let to = cat!(&user, "/", o.to_repo.as_deref().unwrap_or(from.name()));
                let request = build_duplicate_repo(&cfg, from, &to, &o)?;
                *self = Duplicating::Copy(o.exist_ok);
                Ok(Step::Send(request))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::options::parse;

    fn start(opts: &str) -> Result<HttpRequest, HubError> {
        DuplicateRepo::start(parse(opts, "duplicateRepo")?).map(|s| s.request)
    }

    fn body(r: &HttpRequest) -> &str {
        let Body::Text(b) = &r.body else { panic!() };
        b
    }

    #[test]
    fn a_copy_is_asked_of_the_source_with_the_new_id() {
        let r =
            start(r#"{"fromRepo":"datasets/u/a","toRepo":"org/b","accessToken":"hf_t"}"#).unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (
                Method::Post,
                "https://huggingface.co/api/datasets/u/a/duplicate"
            )
        );
        assert_eq!(body(&r), r#"{"repository":"org/b"}"#);
        let r = start(r#"{"fromRepo":"u/a","toRepo":"u/b","private":true}"#).unwrap();
        assert_eq!(body(&r), r#"{"repository":"u/b","visibility":"private"}"#);
        let r = start(r#"{"fromRepo":"u/a","toRepo":"u/b","private":false}"#).unwrap();
        assert_eq!(body(&r), r#"{"repository":"u/b","visibility":"public"}"#);
    }

    #[test]
    fn a_space_copy_carries_its_runtime_settings() {
        let r = start(
            r#"{"fromRepo":"spaces/u/s","toRepo":"u/t","visibility":"protected","spaceSettings":{"hardware":"t4-small","sleepTimeSeconds":-1,"secrets":[{"key":"K","value":"v"}]}}"#,
        )
        .unwrap();
        assert_eq!(
            body(&r),
            r#"{"repository":"u/t","visibility":"protected","hardware":"t4-small","sleepTimeSeconds":-1,"secrets":[{"key":"K","value":"v"}]}"#
        );
    }

    #[test]
    fn bad_options_fail_before_any_request() {
        for bad in [
            r#"{"fromRepo":"u/a","toRepo":"bad name"}"#,
            r#"{"fromRepo":"../a"}"#,
            r#"{"fromRepo":"u/a","toRepo":"u/a"}"#,
            r#"{"fromRepo":"u/a","toRepo":"u/bad name"}"#,
            r#"{"toRepo":"u/b"}"#,
            r#"{"fromRepo":"u/a","toRepo":"u/b","visibility":"protected"}"#,
            r#"{"fromRepo":"u/a","toRepo":"u/b","private":true,"visibility":"public"}"#,
            r#"{"fromRepo":"u/a","toRepo":"u/b","spaceSettings":{"hardware":"t4-small"}}"#,
            r#"{"fromRepo":"spaces/u/a","toRepo":"u/b","spaceSettings":["t4-small"]}"#,
        ] {
            assert_eq!(
                start(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_bare_or_missing_to_repo_is_in_the_token_owners_namespace() {
        for (opts, expected) in [
            (
                r#"{"fromRepo":"org/a","toRepo":"b","accessToken":"hf_t"}"#,
                "alice/b",
            ),
            (
                r#"{"fromRepo":"spaces/org/a","accessToken":"hf_t"}"#,
                "alice/a",
            ),
        ] {
            let mut started = DuplicateRepo::start(parse(opts, "duplicateRepo").unwrap()).unwrap();
            assert_eq!(started.request.url, "https://huggingface.co/api/whoami-v2");
            let who = br#"{"type":"user","name":"alice"}"#;
            let Step::Send(copy) = started.flow.on_response(&head(200), who).unwrap() else {
                panic!("the copy is asked next")
            };
            assert!(copy.url.ends_with("/org/a/duplicate"), "{}", copy.url);
            assert_eq!(
                body(&copy),
                alloc::format!(r#"{{"repository":"{expected}"}}"#)
            );
            let Step::Done(out) = started
                .flow
                .on_response(&head(200), br#"{"url":"https://h/alice/b"}"#)
                .unwrap()
            else {
                panic!("then the result")
            };
            assert_eq!(out, r#"{"repoUrl":"https://h/alice/b"}"#);
        }
        // A failed whoami-v2 is its error, and nothing is copied.
        let anonymous =
            DuplicateRepo::start(parse(r#"{"fromRepo":"u/a"}"#, "duplicateRepo").unwrap());
        assert_eq!(anonymous.err().unwrap().kind(), ErrorKind::InvalidInput);
        let opts = r#"{"fromRepo":"u/a","accessToken":"hf_t"}"#;
        let mut started = DuplicateRepo::start(parse(opts, "duplicateRepo").unwrap()).unwrap();
        assert_eq!(
            started
                .flow
                .on_response(
                    &HttpResponseHead {
                        url: "https://huggingface.co/api/whoami-v2".into(),
                        ..head(401)
                    },
                    b"{}"
                )
                .unwrap_err()
                .kind(),
            ErrorKind::AuthRequired
        );
    }

    fn head(status: u16) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/models/u/a/duplicate".into(),
            headers: Default::default(),
        }
    }

    #[test]
    fn a_taken_id_is_a_conflict_unless_exist_ok() {
        let ok = parse_duplicate(&head(200), br#"{"url":"https://h/u/b"}"#, false).unwrap();
        assert_eq!(ok.url, "https://h/u/b");
        let taken = br#"{"error":"A model repo named u/b already exists","url":"https://h/u/b"}"#;
        let kind = |status, body: &[u8], exist_ok| {
            parse_duplicate(&head(status), body, exist_ok)
                .unwrap_err()
                .kind()
        };
        assert_eq!(kind(409, taken, false), ErrorKind::Conflict);
        assert_eq!(
            parse_duplicate(&head(409), taken, true).unwrap().url,
            "https://h/u/b"
        );
        assert_eq!(kind(409, b"{}", true), ErrorKind::Conflict);
        assert_eq!(kind(403, b"{}", true), ErrorKind::Forbidden);
        assert_eq!(kind(200, b"{}", false), ErrorKind::MalformedResponse);
    }
}
