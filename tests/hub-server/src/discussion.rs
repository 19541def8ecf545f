//! Discussions and pull requests as stored, and their JSON shapes (docs/hub-protocol.md §6). The
//! Python client reads `events[].data` fields by name (`latest.raw`, `status`, `subject`/`oid`,
//! `from`/`to`), so those are exactly what is rendered.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::now_iso;
use crate::state::RepoRef;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Discussion {
    pub num: u64,
    pub title: String,
    /// `open`, `closed`, `merged` or `draft`.
    pub status: String,
    pub is_pr: bool,
    pub author: String,
    pub created_at: String,
    /// Branch a pull request targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_commit: Option<String>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// `comment`, `status-change`, `commit` or `title-change`.
    pub kind: String,
    pub created_at: String,
    pub author: String,
    pub data: Value,
}

impl Event {
    fn new(kind: &str, author: &str, data: Value) -> Event {
        Event {
            id: crate::ids::object_id(),
            kind: kind.to_string(),
            created_at: now_iso(),
            author: author.to_string(),
            data,
        }
    }

    pub fn comment(author: &str, text: &str) -> Event {
        let now = now_iso();
        Event::new(
            "comment",
            author,
            json!({
                "edited": false,
                "hidden": false,
                "latest": {"raw": text, "html": render_html(text), "updatedAt": now,
                           "author": {"name": author}},
                "numEdits": 0,
                "editors": [author],
                "history": [{"raw": text, "html": render_html(text), "updatedAt": now,
                             "author": {"name": author}}],
            }),
        )
    }

    pub fn status(author: &str, status: &str) -> Event {
        Event::new("status-change", author, json!({"status": status}))
    }

    pub fn commit(author: &str, subject: &str, oid: &str) -> Event {
        Event::new("commit", author, json!({"subject": subject, "oid": oid}))
    }

    pub fn title(author: &str, from: &str, to: &str) -> Event {
        Event::new("title-change", author, json!({"from": from, "to": to}))
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "createdAt": self.created_at,
            "author": {"name": self.author, "fullname": self.author, "type": "user"},
            "data": self.data,
        })
    }
}

impl Discussion {
    /// A new discussion (or pull request, open) created now.
    pub fn new(
        num: u64,
        title: &str,
        is_pr: bool,
        author: &str,
        base: Option<String>,
    ) -> Discussion {
        Discussion {
            num,
            title: title.to_string(),
            status: "open".to_string(),
            is_pr,
            author: author.to_string(),
            created_at: now_iso(),
            base,
            merge_commit: None,
            events: Vec::new(),
        }
    }

    /// The listing shape.
    pub fn summary(&self, r: &RepoRef) -> Value {
        json!({
            "num": self.num,
            "title": self.title,
            "status": self.status,
            "isPullRequest": self.is_pr,
            "createdAt": self.created_at,
            "author": {"name": self.author, "fullname": self.author, "type": "user"},
            "repo": {"name": r.id(), "type": r.kind.name()},
            "numComments": self.events.iter().filter(|e| e.kind == "comment").count(),
            "pinned": false,
        })
    }

    /// The details shape: the summary plus events and, for a PR, its changes.
    pub fn details(&self, r: &RepoRef, pr_head: Option<&str>) -> Value {
        let mut v = self.summary(r);
        v["events"] = Value::Array(self.events.iter().map(Event::to_json).collect());
        if self.is_pr {
            let mut changes =
                json!({"base": format!("refs/heads/{}", self.base.as_deref().unwrap_or("main"))});
            if let Some(head) = pr_head {
                changes["head"] = json!(head);
            }
            if let Some(m) = &self.merge_commit {
                changes["mergeCommitId"] = json!(m);
            }
            v["changes"] = changes;
            v["filesWithConflicts"] = json!([]);
            v["diff"] = json!("");
        }
        v
    }
}

/// Minimal markdown-to-HTML stand-in: escaped text in a paragraph.
pub fn render_html(text: &str) -> String {
    format!("<p>{}</p>\n", escape_html(text))
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
