//! Preupload: the Hub decides, per added file, inline (`regular`) or LFS, and which files its
//! `.gitignore` excludes.

use alloc::vec::Vec;

use super::{Answers, Commit, Hashes, Ready};
use crate::commit::preupload::{parse_preupload, PreuploadDecision, BATCH_SIZE};
use crate::error::HubError;
use crate::http::{HttpRequest, HttpResponseHead};

/// Waiting for the preupload answers.
#[derive(Debug)]
pub struct Preupload {
    pub(super) requests: Vec<HttpRequest>,
    pub(super) answers: Answers<Vec<PreuploadDecision>>,
}

/// Where a commit goes after preupload.
#[derive(Debug)]
pub enum Preuploaded {
    /// Some files go through LFS: hash them.
    Hash(Commit<Hashes>),
    /// Every file goes inline: commit.
    Ready(Commit<Ready>),
}

impl Commit<Preupload> {
    /// The requests, one per batch of [`BATCH_SIZE`] added files. Idempotent.
    pub fn requests(&self) -> &[HttpRequest] {
        &self.state.requests
    }

    /// Takes the answer to request `k`.
    pub fn on_response(
        &mut self,
        k: usize,
        head: &HttpResponseHead,
        body: &[u8],
    ) -> Result<(), HubError> {
        self.state.answers.check(k)?;
        let start = (k * BATCH_SIZE).min(self.plan.files.len());
        let end = (start + BATCH_SIZE).min(self.plan.files.len());
        let decisions = parse_preupload(head, body, &self.plan.files[start..end])?;
        self.state.answers.put(k, decisions)
    }

    /// Applies every answer. A commit of additions only whose files the repo's `.gitignore`
    /// all excludes is refused: it would create an empty commit.
    pub fn finish(mut self) -> Result<Preuploaded, HubError> {
        let answers = core::mem::replace(&mut self.state.answers, Answers::new(0)).all()?;
        for (k, decisions) in answers.into_iter().enumerate() {
            let start = k * BATCH_SIZE;
            let batch = &self.plan.files[start..(start + BATCH_SIZE).min(self.plan.files.len())];
            // Answers usually come in the order asked; look further only when not.
            for (j, d) in decisions.into_iter().enumerate() {
                let same = batch.get(j).is_some_and(|f| f.path.as_str() == d.path);
                let found = if same {
                    Some(j)
                } else {
                    batch.iter().position(|f| f.path.as_str() == d.path)
                };
                if let Some(j) = found {
                    let a = &mut self.plan.added[start + j];
                    a.mode = Some(d.upload_mode);
                    a.ignored = d.should_ignore;
                }
            }
        }
        let only_adds = self
            .plan
            .operations
            .iter()
            .all(|o| matches!(o, super::Operation::Add { .. }));
        if only_adds && self.plan.added.iter().all(|a| a.ignored) {
            return Err(HubError::invalid_input(
                "nothing to commit: the repo's .gitignore excludes every file",
            ));
        }
        let wanted = self.plan.lfs_files();
        Ok(if wanted.is_empty() {
            Preuploaded::Ready(self.with(Ready))
        } else {
            let oids = alloc::vec![None; wanted.len()];
            Preuploaded::Hash(self.with(Hashes { wanted, oids }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::*;
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn inline_files_only_go_straight_to_the_commit() {
        let mut c = at_preupload(&[("add", "a.txt", 3), ("delete", "b", 0)]);
        c.on_response(0, &ok(), &decisions(&[("a.txt", "regular", false)]))
            .unwrap();
        assert!(matches!(c.finish().unwrap(), Preuploaded::Ready(_)));
    }

    #[test]
    fn lfs_files_are_hashed_next_and_ignored_ones_are_not() {
        let mut c = at_preupload(&[("add", "w.bin", 9), ("add", "x.bin", 9), ("add", "a", 1)]);
        // Out of order, as a server may answer.
        let body = decisions(&[
            ("a", "regular", false),
            ("x.bin", "lfs", true),
            ("w.bin", "lfs", false),
        ]);
        c.on_response(0, &ok(), &body).unwrap();
        let Preuploaded::Hash(h) = c.finish().unwrap() else {
            panic!("no hashing")
        };
        let wanted: Vec<_> = h.wanted().map(|f| f.path.as_str()).collect();
        assert_eq!(wanted, ["w.bin"]);
    }

    #[test]
    fn every_batch_must_be_answered_before_moving_on() {
        let many: Vec<(&str, alloc::string::String, u64)> = (0..150)
            .map(|i| ("add", alloc::format!("f{i}"), 1))
            .collect();
        let list: Vec<_> = many.iter().map(|(k, p, s)| (*k, p.as_str(), *s)).collect();
        let mut c = at_preupload(&list);
        let first: Vec<_> = (0..100)
            .map(|i| (alloc::format!("f{i}"), "regular", false))
            .collect();
        let first: Vec<_> = first.iter().map(|(p, m, i)| (p.as_str(), *m, *i)).collect();
        c.on_response(0, &ok(), &decisions(&first)).unwrap();
        assert_eq!(c.finish().unwrap_err().kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn an_answer_about_another_batch_or_a_failed_one_is_an_error_and_changes_nothing() {
        let mut c = at_preupload(&[("add", "a", 1)]);
        assert_eq!(
            c.on_response(0, &ok(), &decisions(&[("b", "regular", false)]))
                .unwrap_err()
                .kind(),
            ErrorKind::MalformedResponse
        );
        let e = c.on_response(0, &status(503), b"").unwrap_err();
        assert!(e.is_retryable());
        assert_eq!(
            c.on_response(5, &ok(), &decisions(&[("a", "regular", false)]))
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
        c.on_response(0, &ok(), &decisions(&[("a", "regular", false)]))
            .unwrap();
        assert!(matches!(c.finish().unwrap(), Preuploaded::Ready(_)));
    }

    #[test]
    fn a_commit_whose_every_file_is_gitignored_is_refused() {
        let mut c = at_preupload(&[("add", "a.log", 1)]);
        c.on_response(0, &ok(), &decisions(&[("a.log", "regular", true)]))
            .unwrap();
        assert_eq!(c.finish().unwrap_err().kind(), ErrorKind::InvalidInput);
        let mut c = at_preupload(&[("add", "a.log", 1), ("delete", "b", 0)]);
        c.on_response(0, &ok(), &decisions(&[("a.log", "regular", true)]))
            .unwrap();
        assert!(c.finish().is_ok(), "the deletion still makes a commit");
    }
}
