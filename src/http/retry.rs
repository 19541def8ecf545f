//! When to retry, and how long to wait: a deterministic policy. The caller supplies the random
//! number for jitter and does the sleeping, so the policy is testable and the core stays pure.

use crate::error::{ErrorKind, HubError};

/// Whether a request may be repeated without changing the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// GET/HEAD, preupload, LFS batch, part PUTs, completion: safe to repeat.
    Idempotent,
    /// A commit: repeating one that landed would commit twice.
    Commit,
}

/// What went wrong with an attempt.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    /// The server answered with an error: its kind, status, message and asked-for delay.
    Answered {
        /// What the error means.
        kind: ErrorKind,
        /// The HTTP status.
        status: Option<u16>,
        /// The server's own message.
        server_message: Option<&'a str>,
        /// How long the server asked us to wait.
        retry_after_ms: Option<u64>,
    },
    /// The request failed in transport (refused, reset, cut): it may or may not have reached
    /// the server, so only an idempotent request is sent again.
    Lost,
}

impl<'a> From<&'a HubError> for Attempt<'a> {
    fn from(e: &'a HubError) -> Self {
        Attempt::Answered {
            kind: e.kind(),
            status: e.status(),
            server_message: e.server_message(),
            retry_after_ms: e.retry_after_ms(),
        }
    }
}

/// Exponential backoff with jitter, honouring the server's `Retry-After` / `RateLimit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff.
    pub base_delay_ms: u64,
    /// The largest backoff (the server's own delay may exceed it, up to `max_server_delay_ms`).
    pub max_delay_ms: u64,
    /// The longest `Retry-After` we are willing to wait; longer means give up now.
    pub max_server_delay_ms: u64,
}

impl Default for RetryPolicy {
    /// 5 retries, 500 ms doubling to 8 s, server delays up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            max_server_delay_ms: 60_000,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How long to wait before retry number `retry` (0-based) after `what`, or `None` to give up.
    /// `random` is uniform in `[0, 1)`; the wait is between half and all of the backoff, so
    /// many clients failing together do not retry together.
    pub fn delay_ms(
        &self,
        retry: u32,
        what: Attempt<'_>,
        kind: Idempotency,
        random: f64,
    ) -> Option<u64> {
        if retry >= self.max_retries || !may_retry(what, kind) {
            return None;
        }
        let backoff = self
            .base_delay_ms
            .saturating_mul(1u64 << retry.min(20))
            .min(self.max_delay_ms);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let jittered = backoff / 2 + ((backoff / 2) as f64 * random) as u64;
        let server_delay = match what {
            Attempt::Answered { retry_after_ms, .. } => retry_after_ms,
            Attempt::Lost => None,
        };
        match server_delay {
            Some(server) if server > self.max_server_delay_ms => None,
            Some(server) => Some(server.max(jittered)),
            None => Some(jittered),
        }
    }
}

/// `retry: { maxRetries?, baseDelayMs?, maxDelayMs? }` in a call's options.
impl crate::options::Field for RetryPolicy {
    #[cfg(test)]
    const TS: &'static str = "{ maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number }";
    #[cfg(test)]
    const OPTIONAL: bool = true;
    fn read(o: &crate::options::Opts, key: &str) -> Result<Self, HubError> {
        let d = RetryPolicy::default();
        let Some(r) = o.object(key)? else {
            return Ok(d);
        };
        let max_retries = match r.int("maxRetries")? {
            None => d.max_retries,
            Some(n) => u32::try_from(n)
                .map_err(|_| r.bad("maxRetries", "a non-negative 32-bit integer"))?,
        };
        Ok(RetryPolicy {
            max_retries,
            base_delay_ms: r.int("baseDelayMs")?.unwrap_or(d.base_delay_ms),
            max_delay_ms: r.int("maxDelayMs")?.unwrap_or(d.max_delay_ms),
            ..d
        })
    }
}

/// Whether another attempt is worth it for this kind of request. A commit is repeated only
/// when the server provably did not apply it: it answered 429 (rejected before processing) or
/// 409 because another commit was in progress.
pub fn may_retry(what: Attempt<'_>, kind: Idempotency) -> bool {
    let Attempt::Answered {
        kind: error,
        status,
        server_message,
        ..
    } = what
    else {
        return kind == Idempotency::Idempotent;
    };
    match kind {
        // The reference clients' transient set: 408, 429 and 500/502/503/504.
        Idempotency::Idempotent => {
            error == ErrorKind::RateLimited
                || matches!(status, Some(408 | 429 | 500 | 502 | 503 | 504))
        }
        Idempotency::Commit => {
            error == ErrorKind::RateLimited
                || (error == ErrorKind::Conflict
                    && server_message.is_some_and(|m| crate::text::contains(m, "in progress")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Attempt::Lost;
    use super::*;
    use crate::http::{Headers, HttpResponseHead};

    fn err(status: u16, headers: &[(&str, &str)], body: &str) -> HubError {
        HubError::from_response(
            &HttpResponseHead {
                status,
                url: "https://huggingface.co/api/models/u/m/preupload/main".into(),
                headers: headers.iter().copied().collect::<Headers>(),
            },
            body.as_bytes(),
        )
    }

    #[test]
    fn transient_statuses_back_off_exponentially_with_jitter_and_stop() {
        let p = RetryPolicy::default();
        let e = err(503, &[], "");
        assert_eq!(
            p.delay_ms(0, Attempt::from(&e), Idempotency::Idempotent, 0.0),
            Some(250)
        );
        assert_eq!(
            p.delay_ms(0, Attempt::from(&e), Idempotency::Idempotent, 0.999),
            Some(499)
        );
        assert_eq!(
            p.delay_ms(1, Attempt::from(&e), Idempotency::Idempotent, 0.0),
            Some(500)
        );
        assert_eq!(
            p.delay_ms(4, Attempt::from(&e), Idempotency::Idempotent, 1.0),
            Some(8_000)
        );
        assert_eq!(
            p.delay_ms(5, Attempt::from(&e), Idempotency::Idempotent, 0.0),
            None
        );
        for status in [408, 429, 500, 502, 504] {
            assert!(
                p.delay_ms(
                    0,
                    Attempt::from(&err(status, &[], "")),
                    Idempotency::Idempotent,
                    0.5
                )
                .is_some(),
                "{status}"
            );
        }
    }

    #[test]
    fn permanent_errors_are_not_retried() {
        let p = RetryPolicy::default();
        for status in [400, 401, 403, 404, 409, 412, 416, 422] {
            assert_eq!(
                p.delay_ms(
                    0,
                    Attempt::from(&err(status, &[], "")),
                    Idempotency::Idempotent,
                    0.5
                ),
                None,
                "{status}"
            );
        }
        assert_eq!(
            RetryPolicy::none().delay_ms(
                0,
                Attempt::from(&err(503, &[], "")),
                Idempotency::Idempotent,
                0.5
            ),
            None
        );
    }

    #[test]
    fn the_servers_delay_is_honoured_but_not_beyond_the_cap() {
        let p = RetryPolicy::default();
        let e = err(429, &[("Retry-After", "7")], "");
        assert_eq!(
            p.delay_ms(0, Attempt::from(&e), Idempotency::Idempotent, 0.0),
            Some(7_000)
        );
        let e = err(429, &[("RateLimit", "\"api\";r=0;t=120")], "");
        assert_eq!(
            p.delay_ms(0, Attempt::from(&e), Idempotency::Idempotent, 0.0),
            None
        );
    }

    #[test]
    fn commits_are_retried_only_when_the_server_provably_did_not_apply_them() {
        let p = RetryPolicy::default();
        assert!(p
            .delay_ms(
                0,
                Attempt::from(&err(429, &[], "")),
                Idempotency::Commit,
                0.5
            )
            .is_some());
        let busy = err(
            409,
            &[],
            r#"{"error":"Another commit operation is in progress for this repository. Please try again later."}"#,
        );
        assert!(p
            .delay_ms(0, Attempt::from(&busy), Idempotency::Commit, 0.5)
            .is_some());
        for e in [
            err(500, &[], ""),
            err(503, &[], ""),
            err(412, &[], ""),
            err(409, &[], "{\"error\":\"exists\"}"),
        ] {
            assert_eq!(
                p.delay_ms(0, Attempt::from(&e), Idempotency::Commit, 0.5),
                None
            );
        }
        assert!(p.delay_ms(0, Lost, Idempotency::Idempotent, 0.5).is_some());
        assert_eq!(p.delay_ms(0, Lost, Idempotency::Commit, 0.5), None);
    }
}
