//! The commit request (`POST /api/{type}s/{repo}/commit/{rev}`, NDJSON): the lines of the body,
//! and the answer. The body is produced line by line so a shell can build it
//! from pieces (a `Blob` of parts) instead of one giant string.

use crate::cat;
use crate::text::num;
use alloc::string::String;
use serde::Serialize;

use crate::commit::operations::CommitHeader;
use crate::error::HubError;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::json;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;

#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    key: &'a str,
    value: T,
}

fn line<T: Serialize>(key: &str, value: T) -> String {
    let mut s = json::to_string(&Line { key, value }).unwrap_or_default();
    s.push('\n');
    s
}

#[derive(Serialize)]
struct PathOnly<'a> {
    path: &'a str,
}

#[derive(Serialize)]
struct LfsFile<'a> {
    path: &'a str,
    algo: &'static str,
    oid: &'a str,
    size: u64,
}

/// The first line.
pub fn header_line(h: &CommitHeader) -> String {
    line("header", h)
}

/// The text around a regular file's base64 content: `prefix + base64 + suffix` is one line.
/// Splitting it lets a shell put the content in between without building one string.
pub fn file_line_parts(path: &RepoPath) -> (String, String) {
    let mut prefix = String::from("{\"key\":\"file\",\"value\":{\"path\":");
    json::push_string(&mut prefix, path.as_str());
    prefix.push_str(",\"encoding\":\"base64\",\"content\":\"");
    (prefix, String::from("\"}}\n"))
}

/// A whole `file` line for small content.
pub fn file_line(path: &RepoPath, content_base64: &str) -> String {
    let (a, b) = file_line_parts(path);
    cat!(a, content_base64, b)
}

/// An `lfsFile` line: content already in LFS storage, referenced by sha256.
pub fn lfs_file_line(path: &RepoPath, oid: &str, size: u64) -> String {
    line(
        "lfsFile",
        LfsFile {
            path: path.as_str(),
            algo: "sha256",
            oid,
            size,
        },
    )
}

/// A `deletedFile` line.
pub fn deleted_file_line(path: &RepoPath) -> String {
    line(
        "deletedFile",
        PathOnly {
            path: path.as_str(),
        },
    )
}

/// A `deletedFolder` line.
pub fn deleted_folder_line(path: &RepoPath) -> String {
    line(
        "deletedFolder",
        PathOnly {
            path: path.as_str(),
        },
    )
}

/// The commit request without its body (the shell attaches the NDJSON lines as one body).
pub fn build_commit(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    create_pr: bool,
) -> HttpRequest {
    let mut req = cfg.request(
        Method::Post,
        endpoints::commit(cfg, repo, revision, create_pr),
    );
    req.headers.set("Content-Type", "application/x-ndjson");
    req
}

/// What a landed commit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitOutput {
    /// The new commit id.
    pub commit_oid: String,
    /// Its web URL.
    pub commit_url: String,
    /// The pull request's web URL, when the commit opened one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request_url: Option<String>,
    /// Server-side hook output.
    #[serde(default)]
    pub hook_output: String,
}

impl CommitOutput {
    /// The pull request number, from the trailing `/discussions/<N>` of its URL.
    pub fn pr_num(&self) -> Option<u64> {
        let url = self.pull_request_url.as_deref()?;
        let at = crate::text::rfind(url, "/discussions/")?;
        url[at + "/discussions/".len()..]
            .trim_end_matches('/')
            .parse()
            .ok()
    }

    /// `refs/pr/<N>`, when the commit opened a pull request.
    pub fn pr_revision(&self) -> Option<String> {
        self.pr_num().map(|n| cat!("refs/pr/", num(n)))
    }
}

/// A landed commit as the JavaScript API returns it (`@huggingface/hub`'s `CommitOutput`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CommitResult {
    /// The new commit.
    pub commit: CommitRef,
    /// The pull request's web URL, when the commit opened one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub pull_request_url: Option<String>,
    /// The pull request's number (`N` of `refs/pr/N`), when the commit opened one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub pull_request_num: Option<u64>,
    /// Server-side hook output.
    pub hook_output: String,
}

/// A commit's id and web URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CommitRef {
    /// The commit id (40 hex).
    pub oid: String,
    /// Its web URL.
    pub url: String,
}

impl From<CommitOutput> for CommitResult {
    fn from(o: CommitOutput) -> Self {
        let pull_request_num = o.pr_num();
        CommitResult {
            pull_request_num,
            commit: CommitRef {
                oid: o.commit_oid,
                url: o.commit_url,
            },
            pull_request_url: o.pull_request_url,
            hook_output: o.hook_output,
        }
    }
}

/// `{ commitOid, commitUrl, pullRequestUrl?, hookOutput? }`; `None` when the shape is wrong.
fn read_output(body: &[u8]) -> Option<CommitOutput> {
    let v = json::parse(body)?;
    Some(CommitOutput {
        commit_oid: json::text(&v, "commitOid")?,
        commit_url: json::text(&v, "commitUrl")?,
        pull_request_url: json::opt_text(&v, "pullRequestUrl")?,
        hook_output: json::opt_text(&v, "hookOutput")?.unwrap_or_default(),
    })
}

/// Parses the answer. A 2xx without a 40-hex `commitOid` is not a landed commit.
pub fn parse_commit(head: &HttpResponseHead, body: &[u8]) -> Result<CommitOutput, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    let out = read_output(body).ok_or_else(|| {
        HubError::malformed(head, "unexpected commit answer: no commitOid and commitUrl")
    })?;
    if out.commit_oid.len() != 40 || !out.commit_oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HubError::malformed(
            head,
            "the commit answer has no valid commitOid",
        ));
    }
    if out.pull_request_url.is_some() && out.pr_num().is_none() {
        return Err(HubError::malformed(
            head,
            "pullRequestUrl does not end in /discussions/<N>",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::ids::repo::RepoType;

    fn p(s: &str) -> RepoPath {
        RepoPath::new(s).unwrap()
    }

    #[test]
    fn lines_are_one_json_object_each() {
        let h = CommitHeader::new(
            "Add \"weights\"",
            "long\ntext",
            Some("c52ce5e45984b9378ef6247fe7a45ed72b096b24"),
        )
        .unwrap();
        let lines = [
            header_line(&h),
            file_line(&p("dir/my \"file\".txt"), "aGk="),
            lfs_file_line(&p("w.bin"), "ab", 12),
            deleted_file_line(&p("old.txt")),
            deleted_folder_line(&p("logs")),
        ];
        for l in &lines {
            assert!(l.ends_with('\n') && l.matches('\n').count() == 1, "{l:?}");
        }
        let v: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(v[0]["key"], "header");
        assert_eq!(v[0]["value"]["summary"], "Add \"weights\"");
        assert_eq!(v[0]["value"]["description"], "long\ntext");
        assert_eq!(
            v[0]["value"]["parentCommit"],
            "c52ce5e45984b9378ef6247fe7a45ed72b096b24"
        );
        assert_eq!(
            v[1]["value"],
            serde_json::json!({"path": "dir/my \"file\".txt", "encoding": "base64", "content": "aGk="})
        );
        assert_eq!(
            v[2],
            serde_json::json!({"key": "lfsFile", "value": {"path": "w.bin", "algo": "sha256", "oid": "ab", "size": 12}})
        );
        assert_eq!(
            v[3],
            serde_json::json!({"key": "deletedFile", "value": {"path": "old.txt"}})
        );
        assert_eq!(
            v[4],
            serde_json::json!({"key": "deletedFolder", "value": {"path": "logs"}})
        );
        let no_parent = header_line(&CommitHeader::new("t", "", None).unwrap());
        assert!(!no_parent.contains("parentCommit"));
    }

    #[test]
    fn the_request_and_the_answer() {
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_t")).unwrap();
        let repo = RepoId::new(RepoType::Space, "u/s").unwrap();
        let req = build_commit(&cfg, &repo, &Revision::default(), true);
        assert_eq!(
            req.url,
            "https://huggingface.co/api/spaces/u/s/commit/main?create_pr=1"
        );
        assert_eq!(
            req.headers.get("content-type"),
            Some("application/x-ndjson")
        );
        let head = HttpResponseHead {
            status: 200,
            url: req.url.clone(),
            headers: Default::default(),
        };
        let out = parse_commit(&head, br#"{"success":true,"commitOid":"855efb9561990d02233a49204227f93ba5cfaa81",
            "commitUrl":"https://huggingface.co/spaces/u/s/commit/855efb9561990d02233a49204227f93ba5cfaa81","hookOutput":"",
            "pullRequestUrl":"https://huggingface.co/spaces/u/s/discussions/7"}"#).unwrap();
        assert_eq!(out.pr_num(), Some(7));
        assert_eq!(CommitResult::from(out.clone()).pull_request_num, Some(7));
        assert_eq!(out.pr_revision().as_deref(), Some("refs/pr/7"));
        assert_eq!(
            parse_commit(&head, br#"{"commitOid":"nope","commitUrl":""}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        let bad_pr = br#"{"commitOid":"855efb9561990d02233a49204227f93ba5cfaa81","commitUrl":"x","pullRequestUrl":"https://x/y"}"#;
        assert_eq!(
            parse_commit(&head, bad_pr).unwrap_err().kind(),
            ErrorKind::MalformedResponse
        );
        let moved = HttpResponseHead {
            status: 412,
            ..head
        };
        assert_eq!(
            parse_commit(&moved, br#"{"error":"The branch was updated"}"#)
                .unwrap_err()
                .kind(),
            ErrorKind::PreconditionFailed
        );
    }
}
