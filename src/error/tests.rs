use super::*;
use crate::http::Headers;

fn head(status: u16, url: &str, headers: &[(&str, &str)]) -> HttpResponseHead {
    HttpResponseHead {
        status,
        url: url.into(),
        headers: headers.iter().copied().collect::<Headers>(),
    }
}

fn kind(status: u16, url: &str, headers: &[(&str, &str)]) -> ErrorKind {
    HubError::from_response(&head(status, url, headers), b"").kind()
}

const API: &str = "https://huggingface.co/api/models/u/r/tree/main";
const RESOLVE: &str = "https://huggingface.co/u/r/resolve/main/a.txt";

#[test]
fn row_1_revision_not_found_code_wins() {
    assert_eq!(
        kind(404, API, &[("X-Error-Code", "RevisionNotFound")]),
        ErrorKind::RevisionNotFound
    );
}

#[test]
fn row_2_entry_not_found_code() {
    assert_eq!(
        kind(404, RESOLVE, &[("X-Error-Code", "EntryNotFound")]),
        ErrorKind::EntryNotFound
    );
}

#[test]
fn row_3_gated_repo_code_on_401_and_403() {
    assert_eq!(
        kind(401, RESOLVE, &[("X-Error-Code", "GatedRepo")]),
        ErrorKind::GatedRepo
    );
    assert_eq!(
        kind(403, RESOLVE, &[("X-Error-Code", "GatedRepo")]),
        ErrorKind::GatedRepo
    );
}

#[test]
fn row_4_disabled_repo_message() {
    assert_eq!(
        kind(
            403,
            API,
            &[("X-Error-Message", "Access to this resource is disabled.")]
        ),
        ErrorKind::DisabledRepo
    );
}

#[test]
fn row_5_repo_not_found_on_a_bucket_url() {
    assert_eq!(
        kind(
            404,
            "https://huggingface.co/api/buckets/u/b",
            &[("X-Error-Code", "RepoNotFound")]
        ),
        ErrorKind::BucketNotFound
    );
}

#[test]
fn row_6_404_on_a_job_url() {
    assert_eq!(
        kind(404, "https://huggingface.co/api/jobs/u/123", &[]),
        ErrorKind::JobNotFound
    );
    assert_eq!(
        kind(404, "https://huggingface.co/api/scheduled-jobs/u/1", &[]),
        ErrorKind::JobNotFound
    );
}

#[test]
fn row_7_repo_not_found_code_or_anonymous_401_on_repo_urls() {
    assert_eq!(
        kind(404, API, &[("X-Error-Code", "RepoNotFound")]),
        ErrorKind::RepoNotFound
    );
    assert_eq!(
        kind(
            401,
            API,
            &[("X-Error-Message", "Invalid username or password.")]
        ),
        ErrorKind::RepoNotFound
    );
    assert_eq!(kind(401, RESOLVE, &[]), ErrorKind::RepoNotFound);
    // An invalid token is an authentication problem, not a missing repo.
    assert_eq!(
        kind(
            401,
            API,
            &[(
                "X-Error-Message",
                "Invalid credentials in Authorization header"
            )]
        ),
        ErrorKind::AuthRequired
    );
    // A 401 elsewhere is not about a repo either.
    assert_eq!(
        kind(401, "https://huggingface.co/api/whoami-v2", &[]),
        ErrorKind::AuthRequired
    );
}

#[test]
fn row_8_bad_request() {
    assert_eq!(kind(400, API, &[]), ErrorKind::BadRequest);
}

#[test]
fn row_9_forbidden() {
    assert_eq!(kind(403, API, &[]), ErrorKind::Forbidden);
}

#[test]
fn row_10_rate_limited_with_delay_from_ratelimit_or_retry_after() {
    let e = HubError::from_response(
        &head(
            429,
            API,
            &[("RateLimit", "\"api\";r=0;t=55"), ("Retry-After", "3")],
        ),
        b"",
    );
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after_ms(), Some(55_000));
    assert!(e.is_retryable());
    let e = HubError::from_response(&head(429, API, &[("Retry-After", "3")]), b"");
    assert_eq!(e.retry_after_ms(), Some(3_000));
    let e = HubError::from_response(
        &head(
            429,
            API,
            &[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")],
        ),
        b"",
    );
    assert_eq!(e.retry_after_ms(), None);
}

#[test]
fn row_11_range_not_satisfiable_mentions_content_range() {
    let e = HubError::from_response(&head(416, RESOLVE, &[("Content-Range", "bytes */10")]), b"");
    assert_eq!(e.kind(), ErrorKind::RangeNotSatisfiable);
    assert!(e.message().contains("bytes */10"));
}

#[test]
fn row_12_anything_else_is_http_with_details() {
    let e = HubError::from_response(
        &head(500, API, &[("X-Request-Id", "Root=1-abc")]),
        br#"{"error":"boom"}"#,
    );
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.status(), Some(500));
    assert_eq!(e.request_id(), Some("Root=1-abc"));
    assert_eq!(e.server_message(), Some("boom"));
    assert_eq!(e.url(), Some(API));
    assert!(e.is_retryable());
    assert!(!HubError::from_response(&head(404, API, &[]), b"").is_retryable());
}

#[test]
fn conflict_and_precondition_have_their_own_kinds() {
    assert_eq!(kind(409, API, &[]), ErrorKind::Conflict);
    assert_eq!(kind(412, API, &[]), ErrorKind::PreconditionFailed);
}

#[test]
fn server_message_comes_from_header_then_every_body_shape() {
    let h = head(400, API, &[]);
    let msg = |b: &[u8]| {
        HubError::from_response(&h, b)
            .server_message()
            .map(String::from)
    };
    assert_eq!(msg(br#"{"error":"one"}"#).as_deref(), Some("one"));
    assert_eq!(msg(br#"{"error":["a","b"]}"#).as_deref(), Some("a\nb"));
    assert_eq!(
        msg(br#"{"error":"invalid_grant","error_description":"expired"}"#).as_deref(),
        Some("expired")
    );
    assert_eq!(
        msg(br#"{"errors":[{"message":"x"},{"message":"y"}]}"#).as_deref(),
        Some("x\ny")
    );
    assert_eq!(msg(b"plain text").as_deref(), Some("plain text"));
    assert_eq!(msg(b"<html><body>oops</body></html>"), None);
    let h = head(404, API, &[("X-Error-Message", "from header")]);
    assert_eq!(
        HubError::from_response(&h, br#"{"error":"from body"}"#).server_message(),
        Some("from header")
    );
}

#[test]
fn request_id_falls_back_to_trace_headers() {
    let e = HubError::from_response(&head(500, API, &[("X-Amzn-Trace-Id", "t-1")]), b"");
    assert_eq!(e.request_id(), Some("t-1"));
}
