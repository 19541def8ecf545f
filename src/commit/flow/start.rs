//! Start: the commit is checked; the driver reads what preupload needs.

use alloc::vec::Vec;

use super::{AddedFile, Answers, Commit, Preupload};
use crate::commit::preupload::build_preupload;
use crate::error::HubError;

/// The state before anything is sent.
#[derive(Debug)]
pub struct Start;

impl Commit<Start> {
    /// The added files, in operation order.
    pub fn files(&self) -> impl Iterator<Item = AddedFile<'_>> + '_ {
        (0..self.plan.files.len()).map(|i| self.plan.file(i))
    }

    /// The added file that is the repo's `.gitattributes`: its whole text goes with preupload,
    /// so the Hub decides with the new rules.
    pub fn git_attributes(&self) -> Option<AddedFile<'_>> {
        self.files().find(|f| f.path.as_str() == ".gitattributes")
    }

    /// Builds the preupload requests: `samples[i]` is the first bytes of added file `i` (at
    /// most [`SAMPLE_SIZE`](super::SAMPLE_SIZE); more are cut), `git_attributes` the text of
    /// the file [`Commit::<Start>::git_attributes`] named.
    pub fn preupload(
        self,
        samples: &[Vec<u8>],
        git_attributes: Option<&str>,
    ) -> Result<Commit<Preupload>, HubError> {
        if samples.len() != self.plan.files.len() {
            return Err(HubError::invalid_input(
                "preupload needs one sample per added file",
            ));
        }
        let p = &self.plan;
        let requests = build_preupload(
            &p.cfg,
            &p.repo,
            &p.revision,
            &p.files,
            samples,
            p.create_pr,
            git_attributes,
        );
        let answers = Answers::new(requests.len());
        Ok(self.with(Preupload { requests, answers }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::{commit, hub, ops};
    use crate::error::ErrorKind;

    #[test]
    fn the_added_files_are_listed_in_operation_order() {
        let c = commit(&ops(&[
            ("add", "a.txt", 3),
            ("delete", "old", 0),
            ("add", "b/c.bin", 9),
        ]));
        let files: alloc::vec::Vec<_> = c
            .files()
            .map(|f| (f.index, f.path.as_str(), f.size))
            .collect();
        assert_eq!(files, [(0, "a.txt", 3), (1, "b/c.bin", 9)]);
        assert!(c.git_attributes().is_none());
    }

    #[test]
    fn a_committed_gitattributes_is_sent_with_preupload() {
        let c = commit(&ops(&[("add", "w.bin", 3), ("add", ".gitattributes", 20)]));
        assert_eq!(c.git_attributes().unwrap().index, 1);
        let c = c
            .preupload(
                &[b"abc".to_vec(), b"*.bin filter=lfs".to_vec()],
                Some("*.bin filter=lfs"),
            )
            .unwrap();
        let crate::http::Body::Text(body) = &c.requests()[0].body else {
            panic!("no body")
        };
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["gitAttributes"], "*.bin filter=lfs");
        assert_eq!(v["files"][0]["sample"], "YWJj");
    }

    #[test]
    fn preupload_asks_in_batches_of_100_and_nothing_for_deletions_only() {
        let many: alloc::vec::Vec<(&str, alloc::string::String, u64)> = (0..250)
            .map(|i| ("add", alloc::format!("f{i}"), 1))
            .collect();
        let list: alloc::vec::Vec<_> = many.iter().map(|(k, p, s)| (*k, p.as_str(), *s)).collect();
        let c = commit(&ops(&list));
        let c = c
            .preupload(&alloc::vec![alloc::vec![0u8]; 250], None)
            .unwrap();
        assert_eq!(c.requests().len(), 3);
        assert!(c.requests()[0].url.starts_with(&hub()));
        let c = commit(&ops(&[("delete", "a", 0)]))
            .preupload(&[], None)
            .unwrap();
        assert!(c.requests().is_empty());
    }

    #[test]
    fn a_sample_per_added_file_is_required() {
        let c = commit(&ops(&[("add", "a", 1)]));
        assert_eq!(
            c.preupload(&[], None).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }
}
