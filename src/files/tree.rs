//! The repo tree listing (`GET /api/{type}s/{repo}/tree/{rev}[/{path}]`) and the entry type that
//! `paths-info` shares with it.

use crate::http::json::Value;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use crate::call::{Call, Started};
use crate::error::HubError;
use crate::http::config::HubConfig;
use crate::http::endpoints;
use crate::http::json;
use crate::http::pagination::next_link;
use crate::http::{HttpRequest, HttpResponseHead, Method};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;
use crate::options;
use crate::options::{folder_path, Target};

/// Whether an entry is a file or a folder.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryType {
    /// A file.
    File,
    /// A folder.
    Directory,
    /// Anything newer than this client knows.
    #[serde(other)]
    Unknown,
}

/// LFS details of a file stored outside git.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LfsInfo {
    /// The SHA-256 of the content (the file's etag).
    pub oid: String,
    /// The content size in bytes.
    pub size: u64,
    /// The size of the git pointer file.
    #[serde(default)]
    pub pointer_size: u64,
}

/// The last commit touching a path (only with `expand`).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastCommit {
    /// Commit id.
    pub id: String,
    /// Commit title.
    #[serde(default)]
    pub title: String,
    /// ISO-8601 date.
    #[serde(default)]
    pub date: String,
}

/// One file or folder, as `tree` and `paths-info` return it. Field names match the Hub's JSON
/// (and `@huggingface/hub`'s `ListFileEntry`).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeEntry {
    /// File or folder.
    #[serde(rename = "type")]
    pub entry_type: EntryType,
    /// The git object id (blob sha1; for LFS files, the pointer's blob).
    pub oid: String,
    /// Size in bytes (the real content size for LFS files; 0 for folders).
    #[serde(default)]
    pub size: u64,
    /// Path from the repo root.
    pub path: String,
    /// LFS details, for files stored with LFS or xet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub lfs: Option<LfsInfo>,
    /// The xet file id, for xet-backed files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub xet_hash: Option<String>,
    /// With `expand`: the last commit that touched this path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub last_commit: Option<LastCommit>,
    /// With `expand`: the Hub's security scan result, passed through as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, type = "unknown"))]
    pub security_file_status: Option<Value>,
}

impl TreeEntry {
    /// The etag a download of this file carries: the LFS sha256, else the git blob sha1.
    pub fn etag(&self) -> &str {
        self.lfs
            .as_ref()
            .map_or(self.oid.as_str(), |l| l.oid.as_str())
    }

    /// The content size: the LFS size when present.
    pub fn content_size(&self) -> u64 {
        self.lfs.as_ref().map_or(self.size, |l| l.size)
    }
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTreeParams {
    /// The repo.
    pub repo: RepoId,
    /// The revision (default `main`).
    pub revision: Revision,
    /// A folder to list instead of the root.
    pub path: Option<RepoPath>,
    /// List sub-folders too.
    pub recursive: bool,
    /// Ask for `lastCommit` and `securityFileStatus` (smaller pages, slower).
    pub expand: bool,
}

/// The request for the first page.
pub fn build_list_tree(cfg: &HubConfig, p: &ListTreeParams) -> HttpRequest {
    let url = endpoints::tree(
        cfg,
        &p.repo,
        &p.revision,
        p.path.as_ref(),
        p.recursive,
        p.expand,
    );
    page_request(cfg, url)
}

/// The request for a page the server pointed to with `Link: rel="next"`.
pub fn page_request(cfg: &HubConfig, url: String) -> HttpRequest {
    let mut req = cfg.request(Method::Get, url);
    req.headers.set("Accept", "application/json");
    req
}

/// One page of a listing and where the next one is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TreePage {
    /// The entries of this page.
    pub entries: Vec<TreeEntry>,
    /// The next page's URL (from `Link: rel="next"`), to pass back as `next`.
    pub next: Option<String>,
}

/// Parses one page of a tree listing, or the error the server sent instead.
pub fn parse_tree_page(head: &HttpResponseHead, body: &[u8]) -> Result<TreePage, HubError> {
    let entries = parse_entries(head, body)?;
    Ok(TreePage {
        entries,
        next: next_link(head),
    })
}

options! {
    /// `listFiles` options; one page per call.
    pub struct ListFilesOptions: Target {
        /// A folder to list instead of the root.
        pub path: Option<String> = "path",
        /// List sub-folders too.
        pub recursive: bool = "recursive",
        /// Ask for `lastCommit` and `securityFileStatus`.
        pub expand: bool = "expand",
        /// The previous page's `next`; absent for the first page.
        pub next: Option<String> = "next",
    }
}

/// `listFiles`: one page of a repo's tree.
pub struct ListFiles;

impl Call for ListFiles {
    const NAME: &'static str = "listFiles";
    type Options = ListFilesOptions;
    type Output = TreePage;
    fn start(o: ListFilesOptions) -> Result<Started, HubError> {
        let cfg = o.base.config()?;
        let req = match o.next {
            Some(url) => page_request(&cfg, url),
            None => build_list_tree(
                &cfg,
                &ListTreeParams {
                    repo: o.base.repo(),
                    revision: o.base.revision()?,
                    path: folder_path(o.path.as_deref())?,
                    recursive: o.recursive,
                    expand: o.expand,
                },
            ),
        };
        Ok(Started::single(req, parse_tree_page))
    }
}

/// Parses a JSON array of entries (shared with `paths-info`).
pub(crate) fn parse_entries(
    head: &HttpResponseHead,
    body: &[u8],
) -> Result<Vec<TreeEntry>, HubError> {
    if !head.is_success() {
        return Err(HubError::from_response(head, body));
    }
    json::parse(body)
        .as_ref()
        .and_then(Value::as_array)
        .and_then(|entries| entries.iter().map(read_entry).collect())
        .ok_or_else(|| HubError::malformed(head, "expected a JSON array of tree entries"))
}

/// One entry; `None` when its shape is wrong.
fn read_entry(v: &Value) -> Option<TreeEntry> {
    let size = |v: &Value, key| match json::field(v, key) {
        None => Some(0),
        Some(n) => n.as_u64(),
    };
    let lfs = match json::field(v, "lfs") {
        None => None,
        Some(l) => Some(LfsInfo {
            oid: json::text(l, "oid")?,
            size: l.get("size")?.as_u64()?,
            pointer_size: size(l, "pointerSize")?,
        }),
    };
    let last_commit = match json::field(v, "lastCommit") {
        None => None,
        Some(c) => Some(LastCommit {
            id: json::text(c, "id")?,
            title: json::opt_text(c, "title")?.unwrap_or_default(),
            date: json::opt_text(c, "date")?.unwrap_or_default(),
        }),
    };
    Some(TreeEntry {
        entry_type: match v.get("type")?.as_str()? {
            "file" => EntryType::File,
            "directory" => EntryType::Directory,
            _ => EntryType::Unknown,
        },
        oid: json::text(v, "oid")?,
        size: size(v, "size")?,
        path: json::text(v, "path")?,
        lfs,
        xet_hash: json::opt_text(v, "xetHash")?,
        last_commit,
        security_file_status: json::field(v, "securityFileStatus").cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::http::Headers;
    use crate::ids::repo::RepoType;

    fn ok(body_headers: &[(&str, &str)]) -> HttpResponseHead {
        HttpResponseHead {
            status: 200,
            url: "https://huggingface.co/api/models/u/m/tree/main".into(),
            headers: body_headers.iter().copied().collect::<Headers>(),
        }
    }

    const PAGE: &str = r#"[
      {"type":"file","oid":"1a42034850e2f5213e1a89a887747b667dc9d125","size":1234,"path":"dir/model.safetensors",
       "lfs":{"oid":"a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2","size":1234,"pointerSize":134},
       "xetHash":"0123","lastCommit":{"id":"c52ce5e45984b9378ef6247fe7a45ed72b096b24","title":"init","date":"2023-05-15T21:41:59.000Z"},
       "securityFileStatus":{"status":"safe"}},
      {"type":"directory","oid":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","size":0,"path":"dir"},
      {"type":"symlink","oid":"00","size":0,"path":"weird"}
    ]"#;

    #[test]
    fn parses_files_folders_lfs_xet_and_expand_fields() {
        let head = ok(&[(
            "Link",
            r#"<https://huggingface.co/api/models/u/m/tree/main?recursive=true&cursor=xyz>; rel="next""#,
        )]);
        let page = parse_tree_page(&head, PAGE.as_bytes()).unwrap();
        assert_eq!(page.entries.len(), 3);
        let f = &page.entries[0];
        assert_eq!(f.entry_type, EntryType::File);
        assert_eq!(
            f.etag(),
            "a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2"
        );
        assert_eq!(f.content_size(), 1234);
        assert_eq!(f.lfs.as_ref().unwrap().pointer_size, 134);
        assert_eq!(f.xet_hash.as_deref(), Some("0123"));
        assert_eq!(f.last_commit.as_ref().unwrap().title, "init");
        assert_eq!(page.entries[1].entry_type, EntryType::Directory);
        assert_eq!(
            page.entries[1].etag(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(page.entries[2].entry_type, EntryType::Unknown);
        assert_eq!(
            page.next.as_deref(),
            Some("https://huggingface.co/api/models/u/m/tree/main?recursive=true&cursor=xyz")
        );
    }

    #[test]
    fn serialises_back_with_the_hubs_field_names() {
        let page = parse_tree_page(&ok(&[]), PAGE.as_bytes()).unwrap();
        let json = serde_json::to_string(&page.entries[0]).unwrap();
        for key in [
            "\"type\":\"file\"",
            "\"pointerSize\":134",
            "\"xetHash\"",
            "\"lastCommit\"",
            "\"securityFileStatus\"",
        ] {
            assert!(json.contains(key), "{key} in {json}");
        }
        let dir = serde_json::to_string(&page.entries[1]).unwrap();
        assert!(!dir.contains("lfs") && !dir.contains("lastCommit"), "{dir}");
        assert!(page.next.is_none());
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        for body in [
            "",
            "{}",
            "[{\"type\":\"file\"}]",
            "[1,2]",
            "not json",
            "[{\"type\":\"file\",\"oid\":\"x\",\"path\":\"a\",\"size\":-1}]",
        ] {
            let e = parse_tree_page(&ok(&[]), body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::MalformedResponse, "{body}");
        }
    }

    #[test]
    fn error_statuses_become_hub_errors() {
        let head = HttpResponseHead {
            status: 404,
            url: "https://huggingface.co/api/models/u/m/tree/nope".into(),
            headers: [("X-Error-Code", "RevisionNotFound")].into_iter().collect(),
        };
        assert_eq!(
            parse_tree_page(&head, b"{}").unwrap_err().kind(),
            ErrorKind::RevisionNotFound
        );
    }

    #[test]
    fn first_page_request_carries_flags_accept_and_auth() {
        let cfg = HubConfig::new("https://huggingface.co", Some("hf_x")).unwrap();
        let p = ListTreeParams {
            repo: RepoId::new(RepoType::Model, "u/m").unwrap(),
            revision: Revision::default(),
            path: None,
            recursive: true,
            expand: false,
        };
        let req = build_list_tree(&cfg, &p);
        assert_eq!(req.method, Method::Get);
        assert_eq!(
            req.url,
            "https://huggingface.co/api/models/u/m/tree/main?recursive=true&expand=false"
        );
        assert_eq!(req.headers.get("accept"), Some("application/json"));
        assert_eq!(req.headers.get("authorization"), Some("Bearer hf_x"));
        // A next page on another origin never gets the token.
        let other = page_request(&cfg, "https://elsewhere.example/page2".into());
        assert_eq!(other.headers.get("authorization"), None);
    }
}
