//! Sending one LFS object to storage: a single PUT, or parts in parallel then the completion.
//! Every step is idempotent and retried; none carries the Hub token.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use wasm_bindgen::JsValue;

use super::content::Content;
use super::failure::Failure;
use super::progress::Progress;
use super::retrying::retrying;
use super::transport::{discard_body, Transport};
use crate::config::HubConfig;
use crate::http::HttpRequest;
use crate::lfs::{
    build_completion, build_put, build_verify, check_ok, parse_part_etag, part_range, LfsObject,
    UploadAction, Verify,
};
use crate::retry::{Idempotency, RetryPolicy};

/// What an upload needs from its commit.
pub struct Uploader<'a> {
    pub cfg: &'a HubConfig,
    pub t: &'a Transport,
    pub policy: &'a RetryPolicy,
    pub signal: &'a JsValue,
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
                retrying(
                    self.policy,
                    Idempotency::Idempotent,
                    self.signal,
                    || async {
                        let body = content.body(0, total).await?;
                        let (resp, head) = self.t.send_with_body(&req, Some(&body)).await?;
                        let bytes = self.t.read_body(&resp, &req.url).await?;
                        Ok(check_ok(&head, &bytes)?)
                    },
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
                self.progress.file(path, "uploading", 0, total);
                let etags: Vec<String> = stream::iter(parts.iter().enumerate())
                    .map(|(i, url)| {
                        let done = &done;
                        async move {
                            let n = i as u32 + 1;
                            let (start, end) = part_range(total, *chunk_size, n);
                            let req = build_put(url, &[]);
                            let etag = retrying(
                                self.policy,
                                Idempotency::Idempotent,
                                self.signal,
                                || async {
                                    let body = content.body(start, end).await?;
                                    let (resp, head) =
                                        self.t.send_with_body(&req, Some(&body)).await?;
                                    let bytes = if head.is_success() {
                                        discard_body(&resp);
                                        Vec::new()
                                    } else {
                                        self.t.read_body(&resp, &req.url).await?
                                    };
                                    Ok(parse_part_etag(&head, &bytes)?)
                                },
                            )
                            .await?;
                            done.set(done.get() + (end - start));
                            self.progress.file(path, "uploading", done.get(), total);
                            Ok::<_, Failure>((i, etag))
                        }
                    })
                    .buffer_unordered(self.part_concurrency.max(1))
                    .try_collect::<Vec<(usize, String)>>()
                    .await
                    .map(|mut v| {
                        v.sort_unstable_by_key(|(i, _)| *i);
                        v.into_iter().map(|(_, e)| e).collect()
                    })?;
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
        retrying(
            self.policy,
            Idempotency::Idempotent,
            self.signal,
            || async {
                let (resp, head) = self.t.send(req).await?;
                let bytes = self.t.read_body(&resp, &req.url).await?;
                Ok(check_ok(&head, &bytes)?)
            },
        )
        .await
    }
}
