//! Hashes: the driver computes the SHA-256 of every LFS file (streaming; in a worker pool if it
//! likes); the LFS batch names objects by it.

use alloc::string::String;
use alloc::vec::Vec;

use super::{AddedFile, Answers, Commit, LfsBatch};
use crate::commit::lfs_batch::{build_lfs_batch, LfsObject};
use crate::error::HubError;

/// Waiting for the hashes of the LFS files.
#[derive(Debug)]
pub struct Hashes {
    /// Indexes of the added files to hash.
    pub(super) wanted: Vec<usize>,
    pub(super) oids: Vec<Option<String>>,
}

impl Commit<Hashes> {
    /// The files to hash; `k`-th of them is the `k` to give [`Commit::<Hashes>::set_sha256`].
    pub fn wanted(&self) -> impl Iterator<Item = AddedFile<'_>> + '_ {
        self.state.wanted.iter().map(|&i| self.plan.file(i))
    }

    /// The SHA-256 (64 hex) of the `k`-th wanted file.
    pub fn set_sha256(&mut self, k: usize, oid: &str) -> Result<(), HubError> {
        let &i =
            self.state.wanted.get(k).ok_or_else(|| {
                HubError::invalid_input("a hash for a file that was not asked for")
            })?;
        let obj = LfsObject::new(oid, self.plan.files[i].size)?;
        self.state.oids[k] = Some(obj.oid);
        Ok(())
    }

    /// Every hash is in: build the LFS batch requests.
    pub fn finish(mut self) -> Result<Commit<LfsBatch>, HubError> {
        let oids = core::mem::take(&mut self.state.oids)
            .into_iter()
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| {
                HubError::invalid_input("the commit moved on before every file was hashed")
            })?;
        let wanted = core::mem::take(&mut self.state.wanted);
        let mut objects = Vec::with_capacity(wanted.len());
        for (&i, oid) in wanted.iter().zip(oids) {
            objects.push(LfsObject {
                oid: oid.clone(),
                size: self.plan.files[i].size,
            });
            self.plan.added[i].sha256 = Some(oid);
        }
        let p = &self.plan;
        // A pull request's ref does not exist yet: the batch then names no ref.
        let lfs_ref = (!p.create_pr).then_some(&p.revision);
        let requests = build_lfs_batch(&p.cfg, &p.repo, lfs_ref, &objects);
        let answers = Answers::new(requests.len());
        Ok(self.with(LfsBatch {
            wanted,
            objects,
            requests,
            answers,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::*;
    use crate::error::ErrorKind;

    #[test]
    fn each_lfs_file_gets_its_sha256_and_the_batch_names_them() {
        let mut h = at_hashes(&[("add", "a.bin", 5), ("add", "b.bin", 7)]);
        h.set_sha256(1, &B.to_ascii_uppercase()).unwrap();
        h.set_sha256(0, A).unwrap();
        let l = h.finish().unwrap();
        assert_eq!(l.requests().len(), 1);
        let crate::http::Body::Text(body) = &l.requests()[0].body else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["objects"][0]["oid"], A);
        assert_eq!(v["objects"][1]["oid"], B, "lower-cased");
        assert_eq!(v["objects"][1]["size"], 7);
        assert_eq!(v["ref"]["name"], "main");
    }

    #[test]
    fn a_bad_hash_or_a_missing_one_is_refused() {
        let mut h = at_hashes(&[("add", "a.bin", 5)]);
        assert_eq!(
            h.set_sha256(0, "abc").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            h.set_sha256(1, A).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(h.finish().unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
