use super::*;
use crate::http::{Body, Headers};
use crate::ids::repo::RepoType;

const EP: &str = "https://huggingface.co";
const COMMIT: &str = "c52ce5e45984b9378ef6247fe7a45ed72b096b24";
const SHA1: &str = "a661b1a138dac6dc5590367402d100765010ffd6";
const SHA256: &str = "a7a17d6d844b5de815ccab5f42cad6d24496db3850a2a43d8258221018ce87d2";

fn start(path: &str) -> (FileMetadataProbe, HttpRequest) {
    let cfg = HubConfig::new(EP, Some("hf_tok")).unwrap();
    FileMetadataProbe::start(
        &cfg,
        FileMetadataParams {
            repo: RepoId::new(RepoType::Model, "u/m").unwrap(),
            revision: Revision::default(),
            path: RepoPath::new(path).unwrap(),
            raw: false,
        },
    )
}

fn head(status: u16, url: &str, h: &[(&str, &str)]) -> HttpResponseHead {
    HttpResponseHead {
        status,
        url: url.into(),
        headers: h.iter().copied().collect::<Headers>(),
    }
}

#[test]
fn first_request_is_a_one_byte_range_get_with_auth() {
    let (_, req) = start("dir/my file.json");
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        "https://huggingface.co/u/m/resolve/main/dir/my%20file.json"
    );
    assert_eq!(req.headers.get("range"), Some("bytes=0-0"));
    assert_eq!(req.headers.get("authorization"), Some("Bearer hf_tok"));
}

#[test]
fn a_regular_file_is_described_by_the_206_itself() {
    let (mut p, req) = start("tokenizer_config.json");
    let etag = alloc::format!("\"{SHA1}\"");
    let h = head(
        206,
        &req.url,
        &[
            ("ETag", &etag),
            ("X-Repo-Commit", COMMIT),
            ("Content-Range", "bytes 0-0/28"),
        ],
    );
    assert!(!p.needs_body(&h));
    let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
        panic!()
    };
    assert_eq!(m.etag, SHA1);
    assert_eq!(m.size, 28);
    assert_eq!(m.commit_hash.as_deref(), Some(COMMIT));
    assert_eq!(m.url, req.url);
    assert!(m.xet.is_none());
}

#[test]
fn a_server_that_ignores_range_still_gives_the_size_from_content_length() {
    let (mut p, req) = start("a.txt");
    let h = head(
        200,
        &req.url,
        &[
            ("ETag", "W/\"abc\""),
            ("X-Repo-Commit", COMMIT),
            ("Content-Length", "10"),
        ],
    );
    let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
        panic!()
    };
    assert_eq!((m.etag.as_str(), m.size), ("abc", 10));
}

#[test]
fn a_visible_lfs_redirect_is_read_from_its_linked_headers() {
    let (mut p, req) = start("model.bin");
    let etag = alloc::format!("\"{SHA256}\"");
    let h = head(
        302,
        &req.url,
        &[
            ("Location", "https://cdn-lfs.hf.co/repos/x?sig=1"),
            ("X-Linked-Etag", &etag),
            ("X-Linked-Size", "536063208"),
            ("X-Repo-Commit", COMMIT),
        ],
    );
    let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
        panic!()
    };
    assert_eq!(m.etag, SHA256);
    assert_eq!(m.size, 536063208);
}

#[test]
fn a_followed_storage_redirect_falls_back_to_paths_info() {
    let (mut p, _) = start("model.bin");
    // The browser followed the 302: this 206 comes from the CDN, without X-Repo-Commit.
    let cdn = head(
        206,
        "https://cdn-lfs.hf.co/repos/x?sig=1",
        &[
            ("ETag", "\"s3-etag\""),
            ("Content-Range", "bytes 0-0/536063208"),
        ],
    );
    let ProbeStep::Send(req) = p.on_response(&cdn, b"").unwrap() else {
        panic!()
    };
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://huggingface.co/api/models/u/m/paths-info/main"
    );
    let Body::Text(b) = &req.body else { panic!() };
    assert!(b.contains("\"model.bin\""));
    let ok = head(200, &req.url, &[]);
    assert!(p.needs_body(&ok));
    let body = alloc::format!(
        r#"[{{"type":"file","oid":"9eb98c81","size":536063208,"path":"model.bin","lfs":{{"oid":"{SHA256}","size":536063208,"pointerSize":134}},"xetHash":"ffee"}}]"#
    );
    let ProbeStep::Found(m) = p.on_response(&ok, body.as_bytes()).unwrap() else {
        panic!()
    };
    assert_eq!(m.etag, SHA256);
    assert_eq!(m.size, 536063208);
    assert_eq!(m.commit_hash, None);
    assert_eq!(m.xet.unwrap().hash, "ffee");
}

#[test]
fn paths_info_without_the_file_means_not_found() {
    let (mut p, _) = start("gone.bin");
    let cdn = head(206, "https://cdn/x", &[]);
    let ProbeStep::Send(req) = p.on_response(&cdn, b"").unwrap() else {
        panic!()
    };
    assert_eq!(
        p.on_response(&head(200, &req.url, &[]), b"[]").unwrap(),
        ProbeStep::NotFound
    );
}

#[test]
fn entry_not_found_is_not_an_error_but_other_errors_are() {
    let (mut p, req) = start("missing.txt");
    let h = head(
        404,
        &req.url,
        &[("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", COMMIT)],
    );
    assert!(p.needs_body(&h));
    assert_eq!(p.on_response(&h, b"").unwrap(), ProbeStep::NotFound);
    let (mut p, req) = start("x.txt");
    let h = head(404, &req.url, &[("X-Error-Code", "RepoNotFound")]);
    assert_eq!(
        p.on_response(&h, b"").unwrap_err().kind(),
        ErrorKind::RepoNotFound
    );
    let (mut p, req) = start("x.txt");
    let h = head(404, &req.url, &[("X-Error-Code", "RevisionNotFound")]);
    assert_eq!(
        p.on_response(&h, b"").unwrap_err().kind(),
        ErrorKind::RevisionNotFound
    );
}

#[test]
fn a_relative_rename_redirect_is_followed_with_the_token_but_not_forever() {
    let (mut p, req) = start("a.txt");
    let h = head(307, &req.url, &[("Location", "/new/m/resolve/main/a.txt")]);
    let ProbeStep::Send(next) = p.on_response(&h, b"").unwrap() else {
        panic!()
    };
    assert_eq!(next.url, "https://huggingface.co/new/m/resolve/main/a.txt");
    assert_eq!(next.headers.get("authorization"), Some("Bearer hf_tok"));
    assert_eq!(next.headers.get("range"), Some("bytes=0-0"));
    for _ in 0..4 {
        let h = head(307, &next.url, &[("Location", "/new/m/resolve/main/a.txt")]);
        assert!(matches!(
            p.on_response(&h, b"").unwrap(),
            ProbeStep::Send(_)
        ));
    }
    let h = head(307, &next.url, &[("Location", "/new/m/resolve/main/a.txt")]);
    assert_eq!(
        p.on_response(&h, b"").unwrap_err().kind(),
        ErrorKind::MalformedResponse
    );
    // A redirect without Location is malformed.
    let e = start("a.txt")
        .0
        .on_response(&head(302, &req.url, &[]), b"")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedResponse);
}

#[test]
fn a_cross_origin_redirect_without_linked_headers_uses_paths_info_without_leaking_the_token() {
    let (mut p, req) = start("a.bin");
    let h = head(
        302,
        &req.url,
        &[("Location", "https://cdn.example/a?sig=1")],
    );
    let ProbeStep::Send(next) = p.on_response(&h, b"").unwrap() else {
        panic!()
    };
    assert!(next.url.contains("/paths-info/"));
}

#[test]
fn xet_fileinfo_answers_are_read_from_body_and_link_header() {
    let (mut p, req) = start("big.safetensors");
    let h = head(200, &req.url, &[
        ("Content-Type", XET_FILEINFO),
        ("X-Repo-Commit", COMMIT),
        ("X-Xet-Hash", "abcd"),
        ("Link", "<https://huggingface.co/api/models/u/m/xet-read-token/c52c>; rel=\"xet-auth\", <https://cas/v1/reconstructions/abcd>; rel=\"xet-reconstruction-info\""),
    ]);
    assert!(p.needs_body(&h));
    let body = alloc::format!(
        r#"{{"hash":"abcd","etag":"\"{SHA256}\"","size":"42","refreshUrl":"https://huggingface.co/api/models/u/m/xet-read-token/c52c"}}"#
    );
    let ProbeStep::Found(m) = p.on_response(&h, body.as_bytes()).unwrap() else {
        panic!()
    };
    assert_eq!(m.etag, SHA256);
    assert_eq!(m.size, 42);
    let xet = m.xet.unwrap();
    assert_eq!(xet.hash, "abcd");
    assert_eq!(
        xet.refresh_url.as_deref(),
        Some("https://huggingface.co/api/models/u/m/xet-read-token/c52c")
    );
}

#[test]
fn a_malformed_xet_link_header_is_ignored_not_a_panic() {
    let (mut p, req) = start("big.safetensors");
    for link in [
        "x>y<z; rel=\"xet-auth\"",
        "<unterminated; rel=\"xet-auth\"",
        ">; rel=xet-auth",
    ] {
        let h = head(
            206,
            &req.url,
            &[
                ("X-Xet-Hash", "abcd"),
                ("Link", link),
                ("X-Repo-Commit", COMMIT),
                ("ETag", "\"e\""),
                ("Content-Range", "bytes 0-0/5"),
            ],
        );
        let ProbeStep::Found(m) = p.on_response(&h, b"").unwrap() else {
            panic!()
        };
        assert_eq!(m.xet.unwrap().refresh_url, None, "{link}");
    }
}

#[test]
fn helpers_parse_content_range_and_etags() {
    assert_eq!(content_range_total("bytes 0-0/1234"), Some(1234));
    assert_eq!(content_range_total("bytes */77"), Some(77));
    assert_eq!(content_range_total("bytes 0-0/*"), None);
    assert_eq!(normalize_etag("W/\"x\""), "x");
    assert_eq!(quoted_etag("x"), "\"x\"");
}
