//! Running tasks with at most a given number in flight: hashing, file uploads, part uploads.

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

use futures_util::stream::{FuturesUnordered, StreamExt};

use super::failure::Failure;

/// One task's future.
pub type Task<'a> = Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// Runs `task(0)` … `task(n - 1)`, at most `limit` at a time, until all succeed or one fails
/// (the others are then dropped, which cancels their requests).
pub async fn bounded<'a>(
    limit: usize,
    n: usize,
    task: &(dyn Fn(usize) -> Task<'a> + 'a),
) -> Result<(), Failure> {
    let mut running = FuturesUnordered::new();
    let mut next = 0;
    loop {
        while next < n && running.len() < limit.max(1) {
            running.push(task(next));
            next += 1;
        }
        match running.next().await {
            None => return Ok(()),
            Some(Err(e)) => return Err(e),
            Some(Ok(())) => {}
        }
    }
}
