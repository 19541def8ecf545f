//! Everything the server knows: users, tokens, organizations, repos with their commits and refs.
//! Serializable as one JSON document so `--data` can reload it after a restart.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::clock::{now_iso, now_millis};
use crate::discussion::Discussion;
use crate::ids::{new_token, object_id, stable_id};
use crate::stats::{Like, Stats};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Read,
    Write,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub fullname: String,
    /// The token printed on the first stdout line; kept so a restart with `--data` prints the
    /// same one and clients holding it keep working.
    pub seed_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub user: String,
    pub role: Role,
    pub display_name: String,
    pub created_at: String,
    /// An OAuth token's granted scopes (its role follows from them); `None` for access tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// When an OAuth token stops working (epoch ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Org {
    pub id: String,
    pub fullname: String,
    pub members: Vec<String>,
}

/// Repo kinds and how each appears in URLs (docs/hub-protocol.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RepoType {
    Model,
    Dataset,
    Space,
}

impl RepoType {
    /// `model`, `dataset`, `space`: the `type` field of create/delete bodies.
    pub fn name(self) -> &'static str {
        match self {
            RepoType::Model => "model",
            RepoType::Dataset => "dataset",
            RepoType::Space => "space",
        }
    }

    /// The web/resolve prefix (empty for models).
    pub fn url_prefix(self) -> &'static str {
        match self {
            RepoType::Model => "",
            RepoType::Dataset => "datasets/",
            RepoType::Space => "spaces/",
        }
    }

    pub fn from_name(s: &str) -> Option<RepoType> {
        match s {
            "model" => Some(RepoType::Model),
            "dataset" => Some(RepoType::Dataset),
            "space" => Some(RepoType::Space),
            _ => None,
        }
    }

    pub fn from_api_segment(s: &str) -> Option<RepoType> {
        match s {
            "models" => Some(RepoType::Model),
            "datasets" => Some(RepoType::Dataset),
            "spaces" => Some(RepoType::Space),
            _ => None,
        }
    }
}

/// A repo as addressed in a URL: type plus `namespace/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRef {
    pub kind: RepoType,
    pub namespace: String,
    pub name: String,
}

impl RepoRef {
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Key in [`State::repos`].
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.kind.name(), self.namespace, self.name)
    }

    /// The inverse of [`RepoRef::key`].
    pub fn from_key(key: &str) -> Option<RepoRef> {
        let mut it = key.splitn(3, '/');
        Some(RepoRef {
            kind: RepoType::from_name(it.next()?)?,
            namespace: it.next()?.to_string(),
            name: it.next()?.to_string(),
        })
    }
}

/// One file of a commit's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Git blob sha1 (the `oid` and ETag); for an LFS file, the id of its pointer blob.
    pub oid: String,
    /// The content size (for an LFS file too, as the Hub reports it).
    pub size: u64,
    /// Content sha256: where the bytes live in the blob store (the LFS oid for LFS files).
    pub sha256: String,
    /// Stored through LFS: git holds the pointer text, the content is behind a redirect.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lfs: bool,
}

impl FileEntry {
    /// A regular (inline) file.
    pub fn regular(bytes: &[u8]) -> FileEntry {
        FileEntry {
            oid: crate::git::blob_sha1(bytes),
            size: bytes.len() as u64,
            sha256: crate::git::sha256_hex(bytes),
            lfs: false,
        }
    }

    /// An LFS file whose content (sha256 `oid`, `size` bytes) is in the object store.
    pub fn lfs(oid: &str, size: u64) -> FileEntry {
        FileEntry {
            oid: crate::git::blob_sha1(crate::git::lfs_pointer(oid, size).as_bytes()),
            size,
            sha256: oid.to_string(),
            lfs: true,
        }
    }

    /// Size of the git blob: the pointer for LFS files, the content otherwise.
    pub fn pointer_size(&self) -> u64 {
        crate::git::lfs_pointer(&self.sha256, self.size).len() as u64
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Commit {
    pub id: String,
    pub parent: Option<String>,
    /// Second parent of a merge commit (a merged pull request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_parent: Option<String>,
    /// Server-wide creation order: dates tie within a millisecond, this never does.
    #[serde(default)]
    pub seq: u64,
    pub title: String,
    pub message: String,
    pub author: String,
    pub date: String,
    /// The full tree at this commit (path → file), so any revision can be served directly.
    pub files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Repo {
    pub id: String,
    pub kind: RepoType,
    pub namespace: String,
    pub name: String,
    pub private: bool,
    pub sdk: Option<String>,
    pub created_at: String,
    pub branches: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub prs: BTreeMap<u64, String>,
    pub converts: BTreeMap<String, String>,
    pub commits: HashMap<String, Commit>,
    /// `"auto"` or `"manual"` when gated (docs/hub-protocol.md §5.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gated: Option<String>,
    /// Users granted access to a gated repo.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub grants: BTreeSet<String>,
    /// Disabled by an admin: every access is 403.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    /// Discussions and pull requests by number (a PR's ref is `refs/pr/{num}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub discussions: BTreeMap<u64, Discussion>,
    /// Users who like the repo ([`crate::stats`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub likers: Vec<Like>,
    /// Counters set by `/__admin/stats`.
    #[serde(default, skip_serializing_if = "Stats::is_zero")]
    pub stats: Stats,
}

impl Repo {
    /// Resolves a revision the way the Hub does: a full commit id of this repo, a branch,
    /// a tag, then `refs/pr/N` and `refs/convert/X`. `HEAD` is the default branch (the JS
    /// client asks for `revision/HEAD`).
    pub fn resolve(&self, rev: &str) -> Option<&Commit> {
        let rev = if rev == "HEAD" && !self.branches.contains_key("HEAD") {
            "main"
        } else {
            rev
        };
        if rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Some(c) = self.commits.get(&rev.to_ascii_lowercase()) {
                return Some(c);
            }
        }
        let id = self
            .branches
            .get(rev)
            .or_else(|| self.tags.get(rev))
            .or_else(|| {
                let n = rev.strip_prefix("refs/pr/")?;
                if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                self.prs.get(&n.parse::<u64>().ok()?)
            })
            .or_else(|| self.converts.get(rev.strip_prefix("refs/convert/")?))?;
        self.commits.get(id)
    }

    /// Where a commit to `rev` moves: a branch name or an existing `refs/pr/N`.
    pub fn commit_target(&self, rev: &str) -> Option<RefTarget> {
        if self.branches.contains_key(rev) {
            return Some(RefTarget::Branch(rev.to_string()));
        }
        let n = rev.strip_prefix("refs/pr/")?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = n.parse().ok()?;
        self.prs.contains_key(&n).then_some(RefTarget::Pr(n))
    }

    /// Discussions and pull requests share one numbering.
    pub fn next_discussion_num(&self) -> u64 {
        let d = self.discussions.keys().next_back().copied().unwrap_or(0);
        let p = self.prs.keys().next_back().copied().unwrap_or(0);
        d.max(p) + 1
    }

    pub fn target_head(&self, t: &RefTarget) -> Option<&str> {
        match t {
            RefTarget::Branch(b) => self.branches.get(b),
            RefTarget::Pr(n) => self.prs.get(n),
        }
        .map(String::as_str)
    }

    pub fn set_target(&mut self, t: &RefTarget, commit: String) {
        match t {
            RefTarget::Branch(b) => {
                self.branches.insert(b.clone(), commit);
            }
            RefTarget::Pr(n) => {
                self.prs.insert(*n, commit);
            }
        }
    }
}

/// A ref that commits can move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    Branch(String),
    Pr(u64),
}

/// Who is calling, after the Authorization header was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    User {
        name: String,
        role: Role,
        token: String,
        /// An OAuth token's scopes ([`crate::oauth`]); `None` for access tokens.
        scopes: Option<Vec<String>>,
    },
}

impl Caller {
    pub fn user(&self) -> Option<&str> {
        match self {
            Caller::Anonymous => None,
            Caller::User { name, .. } => Some(name),
        }
    }
}

/// The whole server state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub users: BTreeMap<String, User>,
    /// Token value → owner and role.
    pub tokens: BTreeMap<String, Token>,
    pub orgs: BTreeMap<String, Org>,
    /// [`RepoRef::key`] → repo.
    pub repos: BTreeMap<String, Repo>,
    /// Mixed into commit ids so two otherwise identical commits never share an id.
    pub counter: u64,
    /// Old [`RepoRef::key`] → new key, for repos that were moved (answered with 307).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub redirects: BTreeMap<String, String>,
    /// Hex key that signs storage URLs; kept so URLs handed out survive a restart.
    #[serde(default)]
    pub secret: String,
    /// The OAuth provider: apps, codes waiting for their exchange ([`crate::oauth`]).
    #[serde(default)]
    pub oauth: crate::oauth::OAuthState,
}

impl State {
    /// Creates the user if missing.
    pub fn ensure_user(&mut self, name: &str) {
        self.users.entry(name.to_string()).or_insert_with(|| User {
            id: stable_id(&format!("user:{name}")),
            fullname: title_case(name),
            seed_token: None,
        });
    }

    /// The user's printed write token, created on first start and reused after a reload.
    pub fn seed_token(&mut self, name: &str) -> String {
        self.ensure_user(name);
        if let Some(t) = self.users[name].seed_token.clone() {
            if self.tokens.contains_key(&t) {
                return t;
            }
        }
        let token = new_token();
        self.add_token(name, &token, Role::Write, &format!("{name}-token"));
        if let Some(u) = self.users.get_mut(name) {
            u.seed_token = Some(token.clone());
        }
        token
    }

    /// Registers (or re-registers) a token for a user, creating the user if needed.
    pub fn add_token(&mut self, user: &str, token: &str, role: Role, display_name: &str) {
        self.ensure_user(user);
        self.tokens.insert(
            token.to_string(),
            Token {
                user: user.to_string(),
                role,
                display_name: display_name.to_string(),
                created_at: now_iso(),
                scopes: None,
                expires_at: None,
            },
        );
    }

    /// Creates or updates an org; members are created as users.
    pub fn add_org(&mut self, name: &str, members: &[String]) {
        for m in members {
            self.ensure_user(m);
        }
        let org = self.orgs.entry(name.to_string()).or_insert_with(|| Org {
            id: stable_id(&format!("org:{name}")),
            fullname: title_case(name),
            members: Vec::new(),
        });
        for m in members {
            if !org.members.contains(m) {
                org.members.push(m.clone());
            }
        }
    }

    /// True when `user` owns `namespace` or belongs to the org of that name.
    pub fn is_member(&self, user: &str, namespace: &str) -> bool {
        user == namespace
            || self
                .orgs
                .get(namespace)
                .is_some_and(|o| o.members.iter().any(|m| m == user))
    }

    pub fn can_read(&self, repo: &Repo, caller: &Caller) -> bool {
        !repo.private
            || match caller {
                Caller::User { name, scopes, .. } => {
                    self.is_member(name, &repo.namespace)
                        && scopes.as_deref().is_none_or(crate::oauth::may_read_private)
                }
                Caller::Anonymous => false,
            }
    }

    /// Orgs a user belongs to, in name order.
    pub fn orgs_of(&self, user: &str) -> Vec<(&String, &Org)> {
        self.orgs
            .iter()
            .filter(|(_, o)| o.members.iter().any(|m| m == user))
            .collect()
    }

    /// Creates a repo with its "initial commit" holding `files` (the Hub's `.gitattributes` and
    /// any files sent with the create request) on branch `main`.
    pub fn create_repo(
        &mut self,
        r: &RepoRef,
        private: bool,
        sdk: Option<String>,
        author: &str,
        files: BTreeMap<String, FileEntry>,
    ) -> &Repo {
        let commit = self.new_commit(None, "initial commit", "", author, files);
        let mut repo = Repo {
            id: object_id(),
            kind: r.kind,
            namespace: r.namespace.clone(),
            name: r.name.clone(),
            private,
            sdk,
            created_at: commit.date.clone(),
            branches: BTreeMap::new(),
            tags: BTreeMap::new(),
            prs: BTreeMap::new(),
            converts: BTreeMap::new(),
            commits: HashMap::new(),
            gated: None,
            grants: BTreeSet::new(),
            disabled: false,
            discussions: BTreeMap::new(),
            likers: Vec::new(),
            stats: Stats::default(),
        };
        repo.branches.insert("main".to_string(), commit.id.clone());
        repo.commits.insert(commit.id.clone(), commit);
        self.repos.insert(r.key(), repo);
        // A new repo takes its name back from any earlier move.
        self.redirects.remove(&r.key());
        &self.repos[&r.key()]
    }

    /// Builds a commit with a fresh unique id (sha1 of parent, tree, message, author, date and a
    /// counter; git's exact commit encoding is not needed by any client).
    pub fn new_commit(
        &mut self,
        parent: Option<String>,
        title: &str,
        message: &str,
        author: &str,
        files: BTreeMap<String, FileEntry>,
    ) -> Commit {
        self.counter += 1;
        let millis = now_millis();
        let tree = crate::git::tree_ids(&files).remove("").unwrap_or_default();
        let mut h = Sha1::new();
        h.update(
            format!(
                "tree {tree}\nparent {}\nauthor {author} {millis}\ncounter {}\n\n{title}\n\n{message}",
                parent.as_deref().unwrap_or(""),
                self.counter
            )
            .as_bytes(),
        );
        Commit {
            id: hex::encode(h.finalize()),
            parent,
            merge_parent: None,
            seq: self.counter,
            title: title.to_string(),
            message: message.to_string(),
            author: author.to_string(),
            date: crate::clock::iso8601(millis),
            files,
        }
    }
}

/// `test-user` → `Test User`, for the `fullname` fields.
fn title_case(name: &str) -> String {
    name.split(['-', '_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_with_repo() -> (State, RepoRef) {
        let mut s = State::default();
        s.ensure_user("alice");
        let r = RepoRef {
            kind: RepoType::Model,
            namespace: "alice".into(),
            name: "m".into(),
        };
        let ga = FileEntry::regular(b"x");
        s.create_repo(
            &r,
            false,
            None,
            "alice",
            BTreeMap::from([(".gitattributes".into(), ga)]),
        );
        (s, r)
    }

    #[test]
    fn new_repos_have_an_initial_commit_on_main() {
        let (s, r) = state_with_repo();
        let repo = &s.repos[&r.key()];
        let head = repo.resolve("main").unwrap();
        assert_eq!(head.title, "initial commit");
        assert!(head.files.contains_key(".gitattributes"));
        assert_eq!(head.id.len(), 40);
        assert_eq!(repo.resolve(&head.id.to_uppercase()).unwrap().id, head.id);
    }

    #[test]
    fn revisions_resolve_in_hub_order() {
        let (mut s, r) = state_with_repo();
        let repo = s.repos.get_mut(&r.key()).unwrap();
        let head = repo.branches["main"].clone();
        repo.prs.insert(1, head.clone());
        repo.tags.insert("v1".into(), head.clone());
        assert!(repo.resolve("refs/pr/1").is_some());
        assert_eq!(repo.resolve("HEAD").unwrap().id, head);
        assert!(repo.resolve("v1").is_some());
        assert!(repo.resolve("refs/pr/2").is_none());
        assert!(repo.resolve("refs%2Fpr%2F1").is_none());
        assert_eq!(repo.commit_target("refs/pr/1"), Some(RefTarget::Pr(1)));
        assert_eq!(repo.commit_target("v1"), None);
        assert_eq!(repo.commit_target(&head), None);
    }

    #[test]
    fn commit_ids_are_unique() {
        let mut s = State::default();
        let a = s.new_commit(None, "t", "", "u", BTreeMap::new());
        let b = s.new_commit(None, "t", "", "u", BTreeMap::new());
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn fullnames_are_title_cased() {
        assert_eq!(title_case("test-user"), "Test User");
    }
}
