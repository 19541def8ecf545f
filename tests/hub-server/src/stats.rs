//! A repo's likes and counters (docs/hub-protocol.md §3.6, §3.7): who likes it, and the
//! downloads and trending score that test scripts set through `POST /__admin/stats`.

use serde::{Deserialize, Serialize};

use crate::state::{Repo, State};

/// One user's like of a repo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Like {
    pub user: String,
    /// ISO 8601, as `createdAt` of `/api/users/{user}/likes`.
    pub created_at: String,
    /// Server-wide order of likes (times tie within a millisecond, this never does).
    #[serde(default)]
    pub seq: u64,
}

/// Counters the server cannot observe, set by `/__admin/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Likes added to those of users (a repo "liked by the world").
    #[serde(default)]
    pub likes: u64,
    /// `downloads` (the Hub's last 30 days).
    #[serde(default)]
    pub downloads: u64,
    /// `downloadsAllTime`; `downloads` when never set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloads_all_time: Option<u64>,
    #[serde(default)]
    pub trending_score: i64,
}

impl Stats {
    pub fn is_zero(&self) -> bool {
        *self == Stats::default()
    }
}

impl Repo {
    /// `likes`: the admin-set base plus one per user who likes the repo.
    pub fn likes(&self) -> u64 {
        self.stats.likes + self.likers.len() as u64
    }

    pub fn downloads_all_time(&self) -> u64 {
        self.stats
            .downloads_all_time
            .unwrap_or(self.stats.downloads)
    }

    /// Adds `user`'s like unless it is there already (liking twice changes nothing).
    pub fn like(&mut self, user: &str, created_at: String, seq: u64) -> bool {
        if self.likers.iter().any(|l| l.user == user) {
            return false;
        }
        self.likers.push(Like {
            user: user.to_string(),
            created_at,
            seq,
        });
        true
    }

    /// Removes `user`'s like, if any.
    pub fn unlike(&mut self, user: &str) -> bool {
        let before = self.likers.len();
        self.likers.retain(|l| l.user != user);
        self.likers.len() != before
    }

    /// Likes, newest first.
    pub fn likes_newest_first(&self) -> Vec<&Like> {
        let mut v: Vec<&Like> = self.likers.iter().collect();
        v.sort_by_key(|l| std::cmp::Reverse(l.seq));
        v
    }
}

impl State {
    /// The repos `user` likes with the like, newest first. Private repos are left out, even
    /// for their owner (the Hub's rule: a like list is public).
    pub fn likes_of(&self, user: &str) -> Vec<(&Repo, &Like)> {
        let mut v: Vec<(&Repo, &Like)> = self
            .repos
            .values()
            .filter(|r| !r.private)
            .filter_map(|r| Some((r, r.likers.iter().find(|l| l.user == user)?)))
            .collect();
        v.sort_by_key(|(_, l)| std::cmp::Reverse(l.seq));
        v
    }
}

#[cfg(test)]
mod tests {
    use crate::state::{FileEntry, RepoRef, RepoType, State};

    fn repo(s: &mut State, name: &str, private: bool) -> String {
        let r = RepoRef {
            kind: RepoType::Model,
            namespace: "alice".into(),
            name: name.into(),
        };
        s.create_repo(
            &r,
            private,
            None,
            "alice",
            [(".gitattributes".into(), FileEntry::regular(b"x"))].into(),
        );
        r.key()
    }

    #[test]
    fn likes_are_idempotent_and_counted_with_the_base() {
        let mut s = State::default();
        let k = repo(&mut s, "m", false);
        let r = s.repos.get_mut(&k).unwrap();
        assert!(r.like("bob", "t1".into(), 1));
        assert!(!r.like("bob", "t2".into(), 2));
        assert!(r.like("carol", "t3".into(), 3));
        r.stats.likes = 10;
        assert_eq!(r.likes(), 12);
        let users: Vec<&str> = r
            .likes_newest_first()
            .iter()
            .map(|l| l.user.as_str())
            .collect();
        assert_eq!(users, ["carol", "bob"]);
        assert!(r.unlike("bob"));
        assert!(!r.unlike("bob"));
        assert_eq!(r.likes(), 11);
        r.stats.downloads = 5;
        assert_eq!(r.downloads_all_time(), 5);
        r.stats.downloads_all_time = Some(50);
        assert_eq!(r.downloads_all_time(), 50);
    }

    #[test]
    fn a_users_likes_skip_private_repos() {
        let mut s = State::default();
        let public = repo(&mut s, "pub", false);
        let private = repo(&mut s, "priv", true);
        let other = repo(&mut s, "other", false);
        s.repos.get_mut(&public).unwrap().like("bob", "a".into(), 1);
        s.repos
            .get_mut(&private)
            .unwrap()
            .like("bob", "b".into(), 2);
        s.repos.get_mut(&other).unwrap().like("bob", "c".into(), 3);
        let names: Vec<&str> = s
            .likes_of("bob")
            .iter()
            .map(|(r, _)| r.name.as_str())
            .collect();
        assert_eq!(names, ["other", "pub"]);
        assert!(s.likes_of("nobody").is_empty());
    }
}
