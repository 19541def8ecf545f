//! Uploads: every LFS object the Hub lacks goes to storage; the objects are independent, so a
//! driver runs them at once (and each multipart object's parts at once).

use alloc::vec::Vec;

use super::{Commit, Ready};
use crate::commit::lfs_transfer::ObjectUpload;
use crate::error::HubError;

/// One added file's upload.
#[derive(Debug)]
pub struct Upload {
    /// The added file's index.
    pub index: usize,
    /// Its state machine: run it until `Done`.
    pub object: ObjectUpload,
}

/// Waiting for the uploads.
#[derive(Debug)]
pub struct Uploads {
    pub(super) uploads: Option<Vec<Upload>>,
    pub(super) count: usize,
}

impl Commit<Uploads> {
    /// Added file `index` (an [`Upload`]'s).
    pub fn file(&self, index: usize) -> super::AddedFile<'_> {
        self.plan.file(index)
    }

    /// The uploads to run (once; later calls give none).
    pub fn take(&mut self) -> Option<Vec<Upload>> {
        self.state.uploads.take()
    }

    /// Every upload is back and done: the commit can be sent.
    pub fn finish(self, uploads: Vec<Upload>) -> Result<Commit<Ready>, HubError> {
        let done = uploads.iter().filter(|u| u.object.is_done()).count();
        if done != self.state.count || uploads.len() != self.state.count {
            return Err(HubError::invalid_input(
                "the commit moved on before every upload was done",
            ));
        }
        Ok(self.with(Ready))
    }
}

#[cfg(test)]
mod tests {
    use super::super::scenario::*;
    use crate::commit::lfs_transfer::UploadStep;
    use crate::error::ErrorKind;

    #[test]
    fn the_commit_waits_for_every_upload() {
        let mut u = at_uploads(&[("add", "a.bin", 5), ("add", "b.bin", 7)], &[true, false]);
        let mut ups = u.take().unwrap();
        assert!(u.take().is_none(), "uploads are handed out once");
        // b.bin is stored already: done at once.
        assert_eq!(ups[1].object.advance().unwrap(), UploadStep::Done);
        let UploadStep::Send(t) = ups[0].object.advance().unwrap() else {
            panic!()
        };
        assert_eq!(t[0].content, Some((0, 5)));
        let not_yet = at_uploads(&[("add", "a.bin", 5), ("add", "b.bin", 7)], &[true, false]);
        assert_eq!(
            not_yet.finish(alloc::vec::Vec::new()).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        ups[0].object.on_response(0, &ok(), b"").unwrap();
        assert_eq!(ups[0].object.advance().unwrap(), UploadStep::Done);
        assert!(u.finish(ups).is_ok());
    }

    #[test]
    fn an_upload_not_run_to_the_end_stops_the_commit() {
        let mut u = at_uploads(&[("add", "a.bin", 5)], &[true]);
        let mut ups = u.take().unwrap();
        assert!(matches!(
            ups[0].object.advance().unwrap(),
            UploadStep::Send(_)
        ));
        assert_eq!(u.finish(ups).unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
