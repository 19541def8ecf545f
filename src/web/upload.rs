//! Sending one LFS object to storage: a single PUT, or parts in parallel then the completion.
//! Every step is idempotent and retried; none carries the Hub token.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use super::bounded::bounded;
use super::content::Content;
use super::failure::Failure;
use super::progress::Progress;
use super::retrying::{Payload, Sender};
use crate::commit::lfs_batch::{
    build_completion, build_put, build_verify, check_ok, parse_part_etag, part_range, LfsObject,
    UploadAction, Verify,
};
use crate::http::config::HubConfig;
use crate::http::retry::Idempotency;
use crate::http::HttpRequest;

/// What an upload needs from its commit.
pub struct Uploader<'a> {
    pub cfg: &'a HubConfig,
    pub sender: &'a Sender<'a>,
    pub progress: &'a Progress,
    pub part_concurrency: usize,
}

impl Uploader<'_> {
    /// Uploads `content` as `obj` following `action`.
    pub async fn upload(
        &self,
        path: &str,
        content: &Content,
        obj: &LfsObject,
        action: &UploadAction,
    ) -> Result<(), Failure> {
        let total = obj.size;
        match action {
            UploadAction::AlreadyStored => {
                self.progress.file(path, "uploading", total, total);
                Ok(())
            }
            UploadAction::Basic {
                href,
                headers,
                verify,
            } => {
                self.progress.file(path, "uploading", 0, total);
                let req = build_put(href, headers);
                self.sender
                    .send(
                        &req,
                        Idempotency::Idempotent,
                        Payload::Slice(content, 0, total),
                        &mut check_ok,
                    )
                    .await?;
                self.progress.file(path, "uploading", total, total);
                self.verify(verify.as_ref(), obj).await
            }
            UploadAction::Multipart {
                completion_href,
                chunk_size,
                parts,
                verify,
            } => {
                let done = Cell::new(0u64);
                let etags = RefCell::new(alloc::vec![String::new(); parts.len()]);
                self.progress.file(path, "uploading", 0, total);
                bounded(self.part_concurrency, parts.len(), &|i| {
                    let (done, etags) = (&done, &etags);
                    Box::pin(async move {
                        let (start, end) = part_range(total, *chunk_size, i as u32 + 1);
                        let req = build_put(&parts[i], &[]);
                        let mut etag = String::new();
                        self.sender
                            .send(
                                &req,
                                Idempotency::Idempotent,
                                Payload::Slice(content, start, end),
                                &mut |head, body| {
                                    etag = parse_part_etag(head, body)?;
                                    Ok(())
                                },
                            )
                            .await?;
                        etags.borrow_mut()[i] = etag;
                        done.set(done.get() + (end - start));
                        self.progress.file(path, "uploading", done.get(), total);
                        Ok(())
                    })
                })
                .await?;
                let etags: Vec<String> = etags.into_inner();
                self.post_until_ok(&build_completion(completion_href, &obj.oid, &etags))
                    .await?;
                self.verify(verify.as_ref(), obj).await
            }
        }
    }

    async fn verify(&self, verify: Option<&Verify>, obj: &LfsObject) -> Result<(), Failure> {
        let Some(v) = verify else { return Ok(()) };
        self.post_until_ok(&build_verify(self.cfg, v, obj)).await
    }

    /// Sends a small idempotent request (completion, verify) until a 2xx or a final failure.
    async fn post_until_ok(&self, req: &HttpRequest) -> Result<(), Failure> {
        self.sender
            .send(req, Idempotency::Idempotent, Payload::Core, &mut check_ok)
            .await
    }
}
