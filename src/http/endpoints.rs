//! URL builders for every Hub endpoint the client calls, with the reference client's encoding
//! (docs/hub-protocol.md §1.2, §1.4): revisions are one fully-encoded segment, `resolve` paths keep
//! their `/`, and tree sub-paths are one segment.

use crate::cat;
use alloc::string::String;

use crate::http::config::HubConfig;
use crate::http::encoding::{encode_path, encode_segment};
use crate::ids::path::RepoPath;
use crate::ids::repo::RepoId;
use crate::ids::revision::Revision;

/// `{ep}/api/{type}s/{id}`: the base of every repo API call.
pub fn api_repo(cfg: &HubConfig, repo: &RepoId) -> String {
    cat!(
        cfg.endpoint(),
        "/api/",
        repo.repo_type().api_segment(),
        "/",
        repo.id()
    )
}

/// `{ep}/api/{type}s/{id}{what}{rev}`: an API call about one revision.
fn at_revision(cfg: &HubConfig, repo: &RepoId, what: &str, revision: &Revision) -> String {
    cat!(api_repo(cfg, repo), what, encode_segment(revision.as_str()))
}

/// `{ep}/api/{type}s/{id}/tree/{rev}[/{path}]?recursive=…&expand=…`
pub fn tree(
    cfg: &HubConfig,
    repo: &RepoId,
    revision: &Revision,
    path: Option<&RepoPath>,
    recursive: bool,
    expand: bool,
) -> String {
    let mut url = at_revision(cfg, repo, "/tree/", revision);
    if let Some(p) = path {
        url.push('/');
        url.push_str(&encode_segment(p.as_str()));
    }
    let flag = |b: bool| if b { "true" } else { "false" };
    url.push_str(&cat!(
        "?recursive=",
        flag(recursive),
        "&expand=",
        flag(expand)
    ));
    url
}

/// `{ep}/api/{type}s/{id}/paths-info/{rev}`
pub fn paths_info(cfg: &HubConfig, repo: &RepoId, revision: &Revision) -> String {
    at_revision(cfg, repo, "/paths-info/", revision)
}

/// `{ep}/api/{type}s/{id}/revision/{rev}`: repo info at a revision.
pub fn revision_info(cfg: &HubConfig, repo: &RepoId, revision: &Revision) -> String {
    at_revision(cfg, repo, "/revision/", revision)
}

/// `{ep}/{prefix}{id}/resolve/{rev}/{path}`: file content (LFS content for LFS files).
pub fn resolve(cfg: &HubConfig, repo: &RepoId, revision: &Revision, path: &RepoPath) -> String {
    file_url(cfg, repo, "resolve", revision, path)
}

/// `{ep}/{prefix}{id}/raw/{rev}/{path}`: the git blob (the pointer for LFS files).
pub fn raw(cfg: &HubConfig, repo: &RepoId, revision: &Revision, path: &RepoPath) -> String {
    file_url(cfg, repo, "raw", revision, path)
}

fn file_url(
    cfg: &HubConfig,
    repo: &RepoId,
    kind: &str,
    revision: &Revision,
    path: &RepoPath,
) -> String {
    cat!(
        cfg.endpoint(),
        "/",
        repo.repo_type().url_prefix(),
        repo.id(),
        "/",
        kind,
        "/",
        encode_segment(revision.as_str()),
        "/",
        encode_path(path.as_str())
    )
}

/// `{ep}/api/{type}s/{id}/preupload/{rev}`
pub fn preupload(cfg: &HubConfig, repo: &RepoId, revision: &Revision, create_pr: bool) -> String {
    let mut url = at_revision(cfg, repo, "/preupload/", revision);
    if create_pr {
        url.push_str("?create_pr=1");
    }
    url
}

/// `{ep}/api/{type}s/{id}/commit/{rev}[?create_pr=1]`
pub fn commit(cfg: &HubConfig, repo: &RepoId, revision: &Revision, create_pr: bool) -> String {
    let mut url = at_revision(cfg, repo, "/commit/", revision);
    if create_pr {
        url.push_str("?create_pr=1");
    }
    url
}

/// `{ep}/{prefix}{id}.git/info/lfs/objects/batch`: the git LFS batch API.
pub fn lfs_batch(cfg: &HubConfig, repo: &RepoId) -> String {
    cat!(
        cfg.endpoint(),
        "/",
        repo.repo_type().url_prefix(),
        repo.id(),
        ".git/info/lfs/objects/batch"
    )
}

/// `{ep}/api/repos/create`
pub fn create_repo(cfg: &HubConfig) -> String {
    cat!(cfg.endpoint(), "/api/repos/create")
}

/// `{ep}/api/repos/delete`
pub fn delete_repo(cfg: &HubConfig) -> String {
    cat!(cfg.endpoint(), "/api/repos/delete")
}

/// `{ep}/api/whoami-v2`
pub fn whoami(cfg: &HubConfig) -> String {
    cat!(cfg.endpoint(), "/api/whoami-v2")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::repo::RepoType;

    fn cfg() -> HubConfig {
        HubConfig::new("https://huggingface.co", None).unwrap()
    }
    fn rev(s: &str) -> Revision {
        Revision::new(s).unwrap()
    }
    fn path(s: &str) -> RepoPath {
        RepoPath::new(s).unwrap()
    }

    #[test]
    fn resolve_urls_per_repo_type() {
        let m = RepoId::new(RepoType::Model, "u/m").unwrap();
        let d = RepoId::new(RepoType::Dataset, "u/d").unwrap();
        let s = RepoId::new(RepoType::Space, "u/s").unwrap();
        assert_eq!(
            resolve(&cfg(), &m, &rev("main"), &path("config.json")),
            "https://huggingface.co/u/m/resolve/main/config.json"
        );
        assert_eq!(
            resolve(&cfg(), &d, &rev("main"), &path("a/b.csv")),
            "https://huggingface.co/datasets/u/d/resolve/main/a/b.csv"
        );
        assert_eq!(
            raw(&cfg(), &s, &rev("main"), &path("app.py")),
            "https://huggingface.co/spaces/u/s/raw/main/app.py"
        );
    }

    #[test]
    fn revisions_are_one_encoded_segment_everywhere() {
        let m = RepoId::new(RepoType::Model, "u/m").unwrap();
        let pr = rev("refs/pr/3");
        assert_eq!(
            resolve(&cfg(), &m, &pr, &path("x.bin")),
            "https://huggingface.co/u/m/resolve/refs%2Fpr%2F3/x.bin"
        );
        assert_eq!(
            tree(&cfg(), &m, &pr, None, true, false),
            "https://huggingface.co/api/models/u/m/tree/refs%2Fpr%2F3?recursive=true&expand=false"
        );
        assert_eq!(
            paths_info(&cfg(), &m, &rev("feature/x")),
            "https://huggingface.co/api/models/u/m/paths-info/feature%2Fx"
        );
        assert_eq!(
            revision_info(&cfg(), &m, &pr),
            "https://huggingface.co/api/models/u/m/revision/refs%2Fpr%2F3"
        );
    }

    #[test]
    fn file_paths_keep_slashes_but_escape_spaces_unicode_hash_and_question_mark() {
        let m = RepoId::new(RepoType::Model, "u/m").unwrap();
        assert_eq!(
            resolve(&cfg(), &m, &rev("main"), &path("données/my file#1?.txt")),
            "https://huggingface.co/u/m/resolve/main/donn%C3%A9es/my%20file%231%3F.txt"
        );
    }

    #[test]
    fn tree_sub_path_is_one_segment_and_flags_are_explicit() {
        let d = RepoId::new(RepoType::Dataset, "u/d").unwrap();
        assert_eq!(
            tree(&cfg(), &d, &rev("main"), Some(&path("data/train")), false, true),
            "https://huggingface.co/api/datasets/u/d/tree/main/data%2Ftrain?recursive=false&expand=true"
        );
    }

    #[test]
    fn write_endpoints() {
        let d = RepoId::new(RepoType::Dataset, "u/d").unwrap();
        let pr = rev("refs/pr/2");
        assert_eq!(
            preupload(&cfg(), &d, &rev("main"), false),
            "https://huggingface.co/api/datasets/u/d/preupload/main"
        );
        assert_eq!(
            commit(&cfg(), &d, &pr, false),
            "https://huggingface.co/api/datasets/u/d/commit/refs%2Fpr%2F2"
        );
        assert_eq!(
            commit(&cfg(), &d, &rev("main"), true),
            "https://huggingface.co/api/datasets/u/d/commit/main?create_pr=1"
        );
        assert_eq!(
            lfs_batch(&cfg(), &d),
            "https://huggingface.co/datasets/u/d.git/info/lfs/objects/batch"
        );
        let m = RepoId::new(RepoType::Model, "u/m").unwrap();
        assert_eq!(
            lfs_batch(&cfg(), &m),
            "https://huggingface.co/u/m.git/info/lfs/objects/batch"
        );
        assert_eq!(
            create_repo(&cfg()),
            "https://huggingface.co/api/repos/create"
        );
        assert_eq!(
            delete_repo(&cfg()),
            "https://huggingface.co/api/repos/delete"
        );
    }

    #[test]
    fn whoami_and_custom_endpoints() {
        let c = HubConfig::new("http://127.0.0.1:8080/", None).unwrap();
        assert_eq!(whoami(&c), "http://127.0.0.1:8080/api/whoami-v2");
    }
}
