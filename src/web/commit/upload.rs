//! Running one object's upload (`ObjectUpload`) to the end: each stage's transfers a few at a
//! time (the parts of a multipart upload), every one retried as an idempotent step; none
//! carries the Hub token to storage.

use alloc::boxed::Box;
use core::cell::{Cell, RefCell};

use super::content::Content;
use super::progress::Progress;
use crate::commit::flow::Upload;
use crate::commit::lfs_transfer::UploadStep;
use crate::http::retry::Idempotency;
use crate::web::bounded::bounded;
use crate::web::failure::Failure;
use crate::web::retrying::{Payload, Sender};

/// What every upload of a commit shares.
pub struct Runner<'a> {
    pub sender: &'a Sender<'a>,
    pub progress: &'a Progress,
    pub part_concurrency: usize,
}

impl Runner<'_> {
    /// Runs `up` until the object is stored, reporting bytes sent.
    pub async fn run(
        &self,
        path: &str,
        content: &Content,
        up: &RefCell<Upload>,
    ) -> Result<(), Failure> {
        let total = up.borrow().object.object().size;
        let sent = Cell::new(0u64);
        let mut reported = false;
        loop {
            let step = up.borrow_mut().object.advance()?;
            let transfers = match step {
                UploadStep::Done => {
                    if !reported {
                        // Stored already: nothing was sent, and nothing needed to be.
                        self.progress.file(path, "uploading", total, total);
                    }
                    return Ok(());
                }
                UploadStep::Send(t) => t,
            };
            if !reported {
                self.progress.file(path, "uploading", 0, total);
                reported = true;
            }
            let transfers = &transfers;
            bounded(self.part_concurrency, transfers.len(), &|i| {
                let sent = &sent;
                Box::pin(async move {
                    let t = &transfers[i];
                    let payload = match t.content {
                        Some((start, end)) => Payload::Slice(content, start, end),
                        None => Payload::Core,
                    };
                    self.sender
                        .send(&t.request, Idempotency::Idempotent, payload, &mut |h, b| {
                            up.borrow_mut().object.on_response(i, h, b)
                        })
                        .await?;
                    if let Some((start, end)) = t.content {
                        sent.set(sent.get() + (end - start));
                        self.progress.file(path, "uploading", sent.get(), total);
                    }
                    Ok(())
                })
            })
            .await?;
        }
    }
}
