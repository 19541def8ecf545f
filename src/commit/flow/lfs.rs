//! LfsBatch: the Hub says, per object, whether it has it already and where to upload it.

use alloc::vec::Vec;

use super::{Answers, Commit, Upload, Uploads};
use crate::commit::lfs_batch::{parse_lfs_batch, LfsObject, UploadAction, BATCH_SIZE};
use crate::commit::lfs_transfer::ObjectUpload;
use crate::error::HubError;
use crate::http::{HttpRequest, HttpResponseHead};

/// Waiting for the LFS batch answers.
#[derive(Debug)]
pub struct LfsBatch {
    /// Indexes of the added files, in object order.
    pub(super) wanted: Vec<usize>,
    pub(super) objects: Vec<LfsObject>,
    pub(super) requests: Vec<HttpRequest>,
    pub(super) answers: Answers<Vec<UploadAction>>,
}

impl Commit<LfsBatch> {
    /// The batch requests, one per [`BATCH_SIZE`] objects. Idempotent.
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
        let objects = &self.state.objects;
        let start = (k * BATCH_SIZE).min(objects.len());
        let end = (start + BATCH_SIZE).min(objects.len());
        let actions = parse_lfs_batch(head, body, &objects[start..end])?;
        self.state.answers.put(k, actions)
    }

    /// Every answer is in: one upload per object.
    pub fn finish(mut self) -> Result<Commit<Uploads>, HubError> {
        let answers = core::mem::replace(&mut self.state.answers, Answers::new(0)).all()?;
        let objects = core::mem::take(&mut self.state.objects);
        let uploads: Vec<Upload> = self
            .state
            .wanted
            .iter()
            .zip(objects)
            .zip(answers.into_iter().flatten())
            .map(|((&index, obj), action)| Upload {
                index,
                object: ObjectUpload::new(&self.plan.cfg, obj, action),
            })
            .collect();
        let count = uploads.len();
        Ok(self.with(Uploads {
            uploads: Some(uploads),
            count,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::*;
    use crate::error::ErrorKind;

    #[test]
    fn each_object_becomes_an_upload_of_its_file() {
        let mut l = at_lfs_batch(&[("add", "a.bin", 5), ("add", "b.bin", 7)]);
        let body = batch_answer(&[(A, 5, Some("https://s3/a")), (B, 7, None)]);
        l.on_response(0, &ok(), body.as_bytes()).unwrap();
        let mut u = l.finish().unwrap();
        let ups = u.take().unwrap();
        assert_eq!(
            ups.iter().map(|u| u.index).collect::<alloc::vec::Vec<_>>(),
            [0, 1]
        );
        assert_eq!(ups[0].object.object().oid, A);
    }

    #[test]
    fn a_refused_object_fails_the_commit_and_a_missing_answer_stops_it() {
        let mut l = at_lfs_batch(&[("add", "a.bin", 5)]);
        let refused = alloc::format!(
            r#"{{"objects":[{{"oid":"{A}","size":5,"error":{{"code":422,"message":"too big"}}}}]}}"#
        );
        assert_eq!(
            l.on_response(0, &ok(), refused.as_bytes())
                .unwrap_err()
                .kind(),
            ErrorKind::BadRequest
        );
        assert_eq!(l.finish().unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
