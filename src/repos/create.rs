//! `POST /api/repos/create`: a new model, dataset or Space repo.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::{endpoints, json};
use crate::http::{Body, HttpRequest, HttpResponseHead, Method};
use crate::ids::{RepoId, RepoType};
use crate::options::Target;
use crate::{options, HubConfig};

/// Options of a new repo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateRepoParams {
    /// Private repos are visible to their owner (and org) only.
    pub private: bool,
    /// The Space SDK (`gradio`, `streamlit`, `docker`, `static`); required for Spaces.
    pub sdk: Option<String>,
    /// A license id for the README metadata.
    pub license: Option<String>,
    /// `public`, `private`, or for Spaces `protected`; sent instead of `private` when given.
    pub visibility: Option<String>,
    /// Small files of the repo's first commit, sent in the same request.
    pub files: Vec<InlineFile>,
}

/// A small file of a new repo's first commit: its path and its bytes in standard base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineFile {
    /// Where it goes in the repo.
    pub path: String,
    /// Its content, base64.
    pub content: String,
    /// Always `base64`.
    pub encoding: &'static str,
}

/// `files`: `[{ path, content }]`, `content` in base64 (the JavaScript API encodes it and
/// checks its size before reading it).
pub struct InitialFiles(pub Vec<InlineFile>);

impl crate::options::Field for InitialFiles {
    #[cfg(test)]
    const TS: &'static str = "Array<{ path: string; content: string }>";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &crate::options::Opts, key: &str) -> Result<Self, HubError> {
        let Some(items) = o.list(key)? else {
            return Ok(InitialFiles(Vec::new()));
        };
        let mut files: Vec<InlineFile> = Vec::new();
        for v in items {
            let f = o.element(key, v)?;
            // The Hub checks the path (the rules of `RepoPath` would add 0.4 KB gzip to this module).
            let path = f.required("path")?;
            let content = f.required("content")?;
            if files.iter().any(|x| x.path == path) {
                return Err(HubError::invalid_input(crate::cat!(
                    "files: ",
                    crate::text::quoted(path),
                    " is given twice"
                )));
            }
            files.push(InlineFile {
                path: String::from(path),
                content: String::from(content),
                encoding: "base64",
            });
        }
        Ok(InitialFiles(files))
    }
}

#[derive(Serialize)]
struct WireCreate<'a> {
    name: &'a str,
    organization: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sdk: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "<[InlineFile]>::is_empty")]
    files: &'a [InlineFile],
}

/// `POST /api/repos/create`. A Space without an SDK is an `InvalidInput`.
pub fn build_create_repo(
    cfg: &HubConfig,
    repo: &RepoId,
    p: &CreateRepoParams,
) -> Result<HttpRequest, HubError> {
    if repo.repo_type() == RepoType::Space && p.sdk.is_none() {
        return Err(HubError::invalid_input(
            "creating a Space needs an sdk: \"gradio\", \"streamlit\", \"docker\" or \"static\"",
        ));
    }
    let visibility = p.visibility.as_deref();
    match visibility {
        None | Some("public") | Some("private") => {}
        Some("protected") if repo.repo_type() == RepoType::Space => {}
        Some(v) => {
            return Err(HubError::invalid_input(crate::cat!(
                "invalid visibility ",
                crate::text::quoted(v),
                ": \"public\", \"private\", or for a Space \"protected\""
            )))
        }
    }
    if p.private && visibility == Some("public") {
        return Err(HubError::invalid_input(
            "private: true and visibility \"public\" disagree: give one of them",
        ));
    }
    let body = WireCreate {
        name: repo.name(),
        organization: repo.namespace(),
        kind: repo.repo_type().as_str(),
        private: if visibility.is_some() {
            None
        } else {
            Some(p.private)
        },
        visibility,
        sdk: p.sdk.as_deref(),
        license: p.license.as_deref(),
        files: &p.files,
    };
    let mut req = cfg.request(Method::Post, endpoints::create_repo(cfg));
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(json::to_string(&body).unwrap_or_default());
    Ok(req)
}

/// The new repo's URL and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RepoUrl {
    /// The web URL of the repo (named as `createRepo` returns it, so the JS API passes it on).
    #[serde(rename = "repoUrl")]
    pub url: String,
    /// The Hub's id of the repo (not its name), when the answer has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub id: Option<String>,
}

/// Parses the create answer. "Already exists" is a `Conflict` whose message names the repo.
pub fn parse_create_repo(head: &HttpResponseHead, body: &[u8]) -> Result<RepoUrl, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .and_then(|v| {
            Some(RepoUrl {
                url: json::text(&v, "url")?,
                id: json::opt_text(&v, "id")?,
            })
        })
        .ok_or_else(|| HubError::malformed(head, "unexpected create-repo answer: no url"))
}

options! {
    /// `createRepo` options.
    pub struct CreateRepoOptions: Target {
        /// Visible to its owner (and org) only.
        pub private: bool = "private",
        /// The Space SDK; required for Spaces.
        pub sdk: Option<String> = "sdk",
        /// A license id for the README metadata.
        pub license: Option<String> = "license",
        /// `public`, `private`, or for Spaces `protected`.
        pub visibility: Option<String> = "visibility",
        /// Small files of the first commit, made with the repo.
        pub files: InitialFiles = "files",
    }
}

/// `createRepo`: creates a repo; `Conflict` when it exists.
pub struct CreateRepo;

impl Call for CreateRepo {
    const NAME: &'static str = "createRepo";
    type Options = CreateRepoOptions;
    type Output = RepoUrl;
    fn start(o: CreateRepoOptions) -> Result<Started, HubError> {
        let params = CreateRepoParams {
            private: o.private,
            sdk: o.sdk,
            license: o.license,
            visibility: o.visibility,
            files: o.files.0,
        };
        let req = build_create_repo(&o.base.config()?, &o.base.repo(), &params)?;
        Ok(Started::single(req, parse_create_repo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap()
    }

    fn head(status: u16, code: Option<&str>) -> HttpResponseHead {
        HttpResponseHead {
            status,
            url: "https://huggingface.co/api/models/u/m".into(),
            headers: code.map(|c| ("X-Error-Code", c)).into_iter().collect(),
        }
    }

    #[test]
    fn create_sends_name_organization_type_and_visibility() {
        let repo = RepoId::parse_designation("datasets/acme/data").unwrap();
        let req = build_create_repo(
            &cfg(),
            &repo,
            &CreateRepoParams {
                private: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(req.url, "https://huggingface.co/api/repos/create");
        let Body::Text(b) = &req.body else { panic!() };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"name": "data", "organization": "acme", "type": "dataset", "private": true})
        );
        let space = RepoId::parse_designation("spaces/u/s").unwrap();
        assert_eq!(
            build_create_repo(&cfg(), &space, &Default::default())
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        let with_sdk = CreateRepoParams {
            sdk: Some("static".into()),
            ..Default::default()
        };
        assert!(build_create_repo(&cfg(), &space, &with_sdk).is_ok());
    }

    #[test]
    fn files_go_in_the_create_request_checked() {
        use crate::options::parse;
        let start = |opts: &str| -> Result<HttpRequest, HubError> {
            CreateRepo::start(parse(opts, "createRepo")?).map(|s| s.request)
        };
        let req = start(r#"{"repo":"u/m","accessToken":"hf_t","files":[{"path":"README.md","content":"aGk="},{"path":"a/b.txt","content":""}]}"#).unwrap();
        let Body::Text(b) = &req.body else { panic!() };
        let v: serde_json::Value = serde_json::from_str(b).unwrap();
        assert_eq!(
            v["files"],
            serde_json::json!([{"path": "README.md", "content": "aGk=", "encoding": "base64"}, {"path": "a/b.txt", "content": "", "encoding": "base64"}])
        );
        let plain = start(r#"{"repo":"u/m","accessToken":"hf_t"}"#).unwrap();
        let Body::Text(b) = &plain.body else { panic!() };
        assert!(!b.contains("files"));
        for bad in [
            r#"{"repo":"u/m","files":[{"path":"a"}]}"#,
            r#"{"repo":"u/m","files":[{"path":"a","content":""},{"path":"a","content":"aGk="}]}"#,
            r#"{"repo":"u/m","files":"README.md"}"#,
            r#"{"repo":"u/m","files":["README.md"]}"#,
        ] {
            assert_eq!(
                start(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
    }

    #[test]
    fn create_answers() {
        let ok = parse_create_repo(
            &head(200, None),
            br#"{"url":"https://huggingface.co/u/m","name":"u/m","id":"67cae57bc3f95553ede73be7"}"#,
        )
        .unwrap();
        assert_eq!(ok.url, "https://huggingface.co/u/m");
        assert_eq!(ok.id.as_deref(), Some("67cae57bc3f95553ede73be7"));
        let no_id = parse_create_repo(&head(200, None), br#"{"url":"https://h/u/m"}"#).unwrap();
        assert_eq!(no_id.id, None);
        let exists = parse_create_repo(&head(409, None), br#"{"error":"You already created this model repo","url":"https://huggingface.co/u/m"}"#).unwrap_err();
        assert_eq!(exists.kind(), ErrorKind::Conflict);
        assert!(exists.message().contains("already created"));
    }

    #[test]
    fn visibility_replaces_private_and_is_checked() {
        let model = RepoId::parse_designation("u/m").unwrap();
        let space = RepoId::parse_designation("spaces/u/s").unwrap();
        let p = |v: &str, private: bool| CreateRepoParams {
            visibility: Some(v.into()),
            private,
            sdk: Some("static".into()),
            ..Default::default()
        };
        let req = build_create_repo(&cfg(), &space, &p("protected", false)).unwrap();
        let Body::Text(b) = &req.body else { panic!() };
        assert!(
            b.contains(r#""visibility":"protected""#) && !b.contains("private"),
            "{b}"
        );
        for (repo, v, private) in [
            (&model, "protected", false),
            (&model, "hidden", false),
            (&model, "public", true),
        ] {
            let e = build_create_repo(&cfg(), repo, &p(v, private)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{v}");
        }
        assert!(build_create_repo(&cfg(), &model, &p("private", true)).is_ok());
    }
}
