//! Ready: every object is stored; the commit itself is one NDJSON request.

use alloc::string::String;

use super::{AddedFile, Commit, Operation};
use crate::commit::ndjson::{
    build_commit, deleted_file_line, deleted_folder_line, file_line_parts, header_line,
    lfs_file_line, parse_commit, CommitOutput,
};
use crate::commit::preupload::UploadMode;
use crate::error::HubError;
use crate::http::{HttpRequest, HttpResponseHead};

/// Ready to send the commit.
#[derive(Debug)]
pub struct Ready;

/// One line of the commit body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A whole line.
    Text(String),
    /// An inline file: `prefix`, then the base64 of added file `index`'s whole content, then
    /// `suffix` (so the driver never builds the line as one string).
    Inline {
        /// The added file.
        index: usize,
        /// The text before the content.
        prefix: String,
        /// The text after it.
        suffix: String,
    },
}

impl Commit<Ready> {
    /// The commit request; its body is [`Commit::<Ready>::lines`], in order.
    pub fn request(&self) -> HttpRequest {
        let p = &self.plan;
        build_commit(&p.cfg, &p.repo, &p.revision, p.create_pr)
    }

    /// The body's lines: the header, then each operation in order (files the repo's
    /// `.gitignore` excludes are left out).
    pub fn lines(&self) -> impl Iterator<Item = Line> + '_ {
        let p = &self.plan;
        let mut next_add = 0;
        let ops = p.operations.iter().filter_map(move |op| match op {
            Operation::Delete(path) => Some(Line::Text(deleted_file_line(path))),
            Operation::DeleteFolder(path) => Some(Line::Text(deleted_folder_line(path))),
            Operation::Add { path, size } => {
                let index = next_add;
                next_add += 1;
                let a = &p.added[index];
                match (a.ignored, a.mode, &a.sha256) {
                    (true, _, _) => None,
                    (false, Some(UploadMode::Lfs), Some(oid)) => {
                        Some(Line::Text(lfs_file_line(path, oid, *size)))
                    }
                    _ => {
                        let (prefix, suffix) = file_line_parts(path);
                        Some(Line::Inline {
                            index,
                            prefix,
                            suffix,
                        })
                    }
                }
            }
        });
        core::iter::once(Line::Text(header_line(&p.header))).chain(ops)
    }

    /// The added files the commit carries (not the excluded ones).
    pub fn committed(&self) -> impl Iterator<Item = AddedFile<'_>> + '_ {
        (0..self.plan.files.len())
            .filter(|&i| !self.plan.added[i].ignored)
            .map(|i| self.plan.file(i))
    }

    /// Takes the answer: the landed commit, or the error (retry only as
    /// `Idempotency::Commit` allows).
    pub fn on_response(
        &self,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<CommitOutput, HubError> {
        parse_commit(head, body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::*;
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn the_body_is_the_header_then_each_operation_in_order() {
        let r = at_ready(
            &[
                ("add", "a.txt", 2),
                ("delete", "old.txt", 0),
                ("add", "w.bin", 5),
                ("deleteFolder", "logs", 0),
            ],
            &[("a.txt", "regular", false), ("w.bin", "lfs", false)],
        );
        let lines: alloc::vec::Vec<Line> = r.lines().collect();
        assert_eq!(lines.len(), 5);
        let Line::Text(h) = &lines[0] else { panic!() };
        assert!(h.starts_with(r#"{"key":"header""#));
        let Line::Inline {
            index,
            prefix,
            suffix,
        } = &lines[1]
        else {
            panic!()
        };
        assert_eq!(*index, 0);
        let line = alloc::format!("{prefix}aGk={suffix}");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["value"]["path"], "a.txt");
        assert_eq!(v["value"]["content"], "aGk=");
        assert_eq!(
            lines[2],
            Line::Text(deleted_file_line(&crate::RepoPath::new("old.txt").unwrap()))
        );
        let Line::Text(lfs) = &lines[3] else { panic!() };
        assert!(lfs.contains(A) && lfs.contains(r#""size":5"#), "{lfs}");
        let Line::Text(f) = &lines[4] else { panic!() };
        assert!(f.contains("deletedFolder"));
    }

    #[test]
    fn gitignored_files_are_left_out() {
        let r = at_ready(
            &[("add", "a.log", 2), ("add", "b.txt", 1)],
            &[("a.log", "regular", true), ("b.txt", "regular", false)],
        );
        let inline: alloc::vec::Vec<usize> = r
            .lines()
            .filter_map(|l| match l {
                Line::Inline { index, .. } => Some(index),
                Line::Text(_) => None,
            })
            .collect();
        assert_eq!(inline, [1]);
        assert_eq!(
            r.committed()
                .map(|f| f.index)
                .collect::<alloc::vec::Vec<_>>(),
            [1]
        );
    }

    #[test]
    fn the_answer_is_the_landed_commit_or_a_typed_error() {
        let r = at_ready(&[("add", "a.txt", 2)], &[("a.txt", "regular", false)]);
        assert!(r.request().url.ends_with("/commit/main"));
        let sha = "855efb9561990d02233a49204227f93ba5cfaa81";
        let body = alloc::format!(r#"{{"commitOid":"{sha}","commitUrl":"https://x/c/{sha}"}}"#);
        assert_eq!(
            r.on_response(&ok(), body.as_bytes()).unwrap().commit_oid,
            sha
        );
        assert_eq!(
            r.on_response(&status(412), b"").unwrap_err().kind(),
            ErrorKind::PreconditionFailed
        );
    }
}
