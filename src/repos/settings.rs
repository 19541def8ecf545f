//! `PUT /api/{type}s/{repo}/settings`: a repo's visibility and gating.

use alloc::string::String;

use crate::call::{parse_success, Call, Started};
use crate::error::HubError;
use crate::http::{endpoints, json, Body, HttpRequest, Method};
use crate::ids::{RepoId, RepoType};
use crate::options::{Field, Opts, Target};
use crate::{cat, options, HubConfig};

/// How a gated repo grants access: `"auto"`, `"manual"`, or `false` (not gated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gating {
    /// Requests are accepted at once.
    Auto,
    /// The owner accepts each request.
    Manual,
    /// Not gated.
    Off,
}

impl Field for Option<Gating> {
    #[cfg(test)]
    const TS: &'static str = "\"auto\" | \"manual\" | false";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        let bad = || o.bad(key, "\"auto\", \"manual\" or false");
        match o.get(key) {
            None => Ok(None),
            Some(v) => match (v.as_str(), v.as_bool()) {
                (Some("auto"), _) => Ok(Some(Gating::Auto)),
                (Some("manual"), _) => Ok(Some(Gating::Manual)),
                (_, Some(false)) => Ok(Some(Gating::Off)),
                _ => Err(bad()),
            },
        }
    }
}

/// `private: true | false`, or absent (left as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub Option<bool>);

impl Field for Flag {
    #[cfg(test)]
    const TS: &'static str = "boolean";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &Opts, key: &str) -> Result<Self, HubError> {
        match o.get(key) {
            None => Ok(Flag(None)),
            Some(v) => v
                .as_bool()
                .map(|b| Flag(Some(b)))
                .ok_or_else(|| o.bad(key, "a boolean")),
        }
    }
}

/// What to change; what is `None` stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepoSettings {
    /// `private: true` is `visibility: "private"`, `false` is `"public"`.
    pub private: Option<bool>,
    /// `public`, `private`, or for Spaces `protected`.
    pub visibility: Option<String>,
    /// Gating.
    pub gated: Option<Gating>,
}

/// The visibility `private` and `visibility` ask for together (`private: true` is `"private"`,
/// `false` is `"public"`), refused when they disagree or when `"protected"` is not for a Space;
/// `None` when neither is given.
pub fn resolve_visibility(
    kind: RepoType,
    private: Option<bool>,
    visibility: Option<&str>,
) -> Result<Option<&str>, HubError> {
    let from_private = private.map(|b| if b { "private" } else { "public" });
    let visibility = match (visibility, from_private) {
        (Some(v), Some(f)) if v != f && !(v == "protected" && f == "private") => {
            return Err(HubError::invalid_input(cat!(
                "private and visibility ",
                crate::text::quoted(v),
                " disagree: give one of them"
            )))
        }
        (Some(v), _) => Some(v),
        (None, f) => f,
    };
    match visibility {
        None | Some("public") | Some("private") => Ok(visibility),
        Some("protected") if kind == RepoType::Space => Ok(visibility),
        Some(v) => Err(HubError::invalid_input(cat!(
            "invalid visibility ",
            crate::text::quoted(v),
            ": \"public\", \"private\", or for a Space \"protected\""
        ))),
    }
}

/// `PUT …/settings` `{visibility?, gated?}`; at least one, and `private` and `visibility` agreeing.
pub fn build_update_settings(
    cfg: &HubConfig,
    repo: &RepoId,
    p: &RepoSettings,
) -> Result<HttpRequest, HubError> {
    let visibility = resolve_visibility(repo.repo_type(), p.private, p.visibility.as_deref())?;
    let gated = p.gated.as_ref().map(|g| match g {
        Gating::Auto => "\"auto\"",
        Gating::Manual => "\"manual\"",
        Gating::Off => "false",
    });
    if visibility.is_none() && gated.is_none() {
        return Err(HubError::invalid_input(
            "nothing to change: give private, visibility or gated",
        ));
    }
    // `{"visibility":…,"gated":…}` with what is given (values from the fixed sets above).
    let mut body = String::from("{");
    if let Some(v) = visibility {
        body.push_str("\"visibility\":");
        json::push_string(&mut body, v);
    }
    if let Some(g) = gated {
        if visibility.is_some() {
            body.push(',');
        }
        body.push_str("\"gated\":");
        body.push_str(g);
    }
    body.push('}');
    let mut req = cfg.request(
        Method::Put,
        cat!(endpoints::api_repo(cfg, repo), "/settings"),
    );
    req.headers.set("Content-Type", "application/json");
    req.body = Body::Text(body);
    Ok(req)
}

options! {
    /// `updateRepoSettings` options (`huggingface_hub`'s `update_repo_settings`).
    pub struct UpdateRepoSettingsOptions: Target {
        /// Make the repo private (`true`) or public (`false`).
        pub private: Flag = "private",
        /// `public`, `private`, or for Spaces `protected`.
        pub visibility: Option<String> = "visibility",
        /// Gating: `"auto"`, `"manual"` or `false`.
        pub gated: Option<Gating> = "gated",
    }
}

/// `updateRepoSettings`.
pub struct UpdateRepoSettings;

impl Call for UpdateRepoSettings {
    const NAME: &'static str = "updateRepoSettings";
    type Options = UpdateRepoSettingsOptions;
    type Output = ();
    fn start(o: UpdateRepoSettingsOptions) -> Result<Started, HubError> {
        let p = RepoSettings {
            private: o.private.0,
            visibility: o.visibility,
            gated: o.gated,
        };
        let req = build_update_settings(&o.base.config()?, &o.base.repo(), &p)?;
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

    fn body(r: &HttpRequest) -> &str {
        let Body::Text(b) = &r.body else { panic!() };
        b
    }

    #[test]
    fn settings_send_only_what_changes() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        let s = |private, visibility: Option<&str>, gated| RepoSettings {
            private,
            visibility: visibility.map(String::from),
            gated,
        };
        let r = build_update_settings(&cfg(), &repo, &s(Some(true), None, None)).unwrap();
        assert_eq!(
            (r.method, r.url.as_str()),
            (
                Method::Put,
                "https://huggingface.co/api/models/u/m/settings"
            )
        );
        assert_eq!(body(&r), r#"{"visibility":"private"}"#);
        let r = build_update_settings(&cfg(), &repo, &s(None, None, Some(Gating::Off))).unwrap();
        assert_eq!(body(&r), r#"{"gated":false}"#);
        let r = build_update_settings(
            &cfg(),
            &repo,
            &s(Some(false), Some("public"), Some(Gating::Manual)),
        )
        .unwrap();
        assert_eq!(body(&r), r#"{"visibility":"public","gated":"manual"}"#);
        let space = RepoId::parse_designation("spaces/u/s").unwrap();
        let r =
            build_update_settings(&cfg(), &space, &s(Some(true), Some("protected"), None)).unwrap();
        assert_eq!(body(&r), r#"{"visibility":"protected"}"#);
    }

    #[test]
    fn nothing_contradictions_and_unknown_values_are_refused() {
        let repo = RepoId::parse_designation("u/m").unwrap();
        let s = |private, visibility: Option<&str>| RepoSettings {
            private,
            visibility: visibility.map(String::from),
            gated: None,
        };
        for bad in [
            s(None, None),
            s(Some(true), Some("public")),
            s(None, Some("protected")),
            s(None, Some("secret")),
        ] {
            assert_eq!(
                build_update_settings(&cfg(), &repo, &bad)
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidInput,
                "{bad:?}"
            );
        }
        for text in [
            r#"{"repo":"u/m","gated":true}"#,
            r#"{"repo":"u/m","gated":"yes"}"#,
            r#"{"repo":"u/m","private":"no"}"#,
        ] {
            let e = crate::options::parse::<UpdateRepoSettingsOptions>(text, "updateRepoSettings")
                .err()
                .unwrap();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text}");
        }
    }
}
