//! LFS files in commits and downloads: `lfsFile` lines need an uploaded object; git holds the
//! pointer; listings report the pointer id with the real size and `lfs` details; `resolve`
//! redirects to the storage origin with the linked metadata; `raw` serves the pointer.

mod common;

use common::{git_sha1, lfs_file, noise, pointer, sha256_hex, Server};
use serde_json::json;

/// A repo with `weights.bin` (LFS, 3000 bytes) committed; returns the content too.
fn setup(args: &[&str]) -> (Server, String, Vec<u8>) {
    let s = Server::start(args);
    let repo = s.create_model("lfs", false);
    let content = noise(3000, 21);
    s.upload_lfs(&repo, &content);
    let r = s.commit(&repo, "add weights", &[lfs_file("weights.bin", &content)]);
    assert_eq!(r.status, 200, "{}", r.text());
    (s, repo, content)
}

#[test]
fn an_lfs_file_is_listed_with_its_pointer_id_real_size_and_lfs_details() {
    let (s, repo, content) = setup(&[]);
    let ptr = pointer(&content);
    let expected = json!({
        "type": "file",
        "oid": git_sha1(ptr.as_bytes()),
        "size": 3000,
        "path": "weights.bin",
        "lfs": {"oid": sha256_hex(&content), "size": 3000, "pointerSize": ptr.len()},
    });
    let tree = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send()
        .json();
    let entry = tree
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "weights.bin")
        .unwrap()
        .clone();
    assert_eq!(entry, expected);
    let info = s
        .req("POST", &format!("/api/models/{repo}/paths-info/main"))
        .json(&json!({"paths": ["weights.bin"]}))
        .send()
        .json();
    assert_eq!(info[0], expected);
    let siblings = s
        .req("GET", &format!("/api/models/{repo}?blobs=true"))
        .send()
        .json()["siblings"]
        .clone();
    let sib = siblings
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rfilename"] == "weights.bin")
        .unwrap()
        .clone();
    assert_eq!(
        sib,
        json!({"rfilename": "weights.bin", "size": 3000, "blobId": git_sha1(ptr.as_bytes()),
               "lfs": {"sha256": sha256_hex(&content), "size": 3000, "pointerSize": ptr.len()}})
    );
}

#[test]
fn resolve_redirects_to_a_signed_storage_url_with_the_linked_metadata() {
    let (s, repo, content) = setup(&[]);
    let head = s.head(&repo);
    let ptr = pointer(&content);
    for method in ["GET", "HEAD"] {
        let r = s
            .req(method, &format!("/{repo}/resolve/main/weights.bin"))
            .send();
        assert_eq!(r.status, 302, "{method}");
        let location = r.header("location").unwrap();
        assert!(location.starts_with(&format!("{}/objects/", s.storage_url)));
        assert!(location.contains("sig="));
        assert_eq!(
            r.header("x-linked-etag"),
            Some(format!("\"{}\"", sha256_hex(&content)).as_str())
        );
        assert_eq!(r.header("x-linked-size"), Some("3000"));
        assert_eq!(r.header("x-repo-commit"), Some(head.as_str()));
        assert_eq!(
            r.header("etag"),
            Some(format!("\"{}\"", git_sha1(ptr.as_bytes())).as_str())
        );
    }
}

#[test]
fn the_storage_origin_serves_the_object_with_its_sha256_etag_and_ranges() {
    let (s, repo, content) = setup(&[]);
    let location = s
        .req("GET", &format!("/{repo}/resolve/main/weights.bin"))
        .send()
        .header("location")
        .unwrap()
        .to_string();
    let etag = format!("\"{}\"", sha256_hex(&content));
    let r = s.req_url("GET", &location).send();
    assert_eq!((r.status, r.body.as_slice()), (200, content.as_slice()));
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    assert_eq!(r.header("content-length"), Some("3000"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    let r = s.req_url("HEAD", &location).send();
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(r.header("content-length"), Some("3000"));
    // The JS client probes with bytes=0-0 and reads the size from Content-Range.
    let r = s
        .req_url("GET", &location)
        .header("Range", "bytes=0-0")
        .send();
    assert_eq!(r.status, 206);
    assert_eq!(r.header("content-range"), Some("bytes 0-0/3000"));
    assert_eq!(r.body, &content[..1]);
    let r = s
        .req_url("GET", &location)
        .header("Range", "bytes=2990-")
        .send();
    assert_eq!((r.status, r.body.as_slice()), (206, &content[2990..]));
    let r = s
        .req_url("GET", &location)
        .header("Range", "bytes=3000-")
        .send();
    assert_eq!(r.status, 416);
    assert_eq!(r.header("content-range"), Some("bytes */3000"));
    // Tampered URLs are refused.
    let r = s.req_url("GET", &location.replace("exp=", "exp=1")).send();
    assert_eq!(r.status, 403);
}

#[test]
fn download_true_names_the_file_on_the_storage_response() {
    let (s, repo, _) = setup(&[]);
    let location = s
        .req(
            "GET",
            &format!("/{repo}/resolve/main/weights.bin?download=true"),
        )
        .send()
        .header("location")
        .unwrap()
        .to_string();
    let r = s.req_url("GET", &location).send();
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename*=UTF-8''weights.bin; filename=\"weights.bin\"")
    );
}

#[test]
fn raw_serves_the_pointer_text() {
    let (s, repo, content) = setup(&[]);
    let ptr = pointer(&content);
    let r = s
        .req("GET", &format!("/{repo}/raw/main/weights.bin"))
        .send();
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), ptr);
    assert_eq!(
        r.header("etag"),
        Some(format!("\"{}\"", git_sha1(ptr.as_bytes())).as_str())
    );
    assert_eq!(
        r.header("content-length"),
        Some(ptr.len().to_string().as_str())
    );
    let r = s
        .req("GET", &format!("/{repo}/raw/main/weights.bin"))
        .header("Range", "bytes=0-6")
        .send();
    assert_eq!((r.status, r.text().as_str()), (206, "version"));
}

#[test]
fn an_lfs_file_needs_its_object_uploaded_with_that_size() {
    let s = Server::start(&[]);
    let repo = s.create_model("needs", false);
    let content = noise(100, 22);
    let oid = sha256_hex(&content);
    let r = s.commit(&repo, "too early", &[lfs_file("a.bin", &content)]);
    r.assert_error(
        422,
        None,
        &format!(
            "LFS object {oid} for a.bin was not uploaded: upload it with the LFS batch API \
             before committing"
        ),
    );
    s.upload_lfs(&repo, &content);
    let wrong = json!({"key": "lfsFile", "value": {"path": "a.bin", "algo": "sha256", "oid": oid, "size": 99}});
    s.commit(&repo, "wrong size", &[wrong]).assert_error(
        422,
        None,
        &format!("LFS object {oid} for a.bin has size 100, not 99"),
    );
    assert_eq!(
        s.commit(&repo, "ok", &[lfs_file("a.bin", &content)]).status,
        200
    );
    // A copy (no size, as Python sends for LFS copies) reuses the stored object.
    let copy = json!({"key": "lfsFile", "value": {"path": "b.bin", "algo": "sha256", "oid": oid}});
    assert_eq!(s.commit(&repo, "copy", &[copy]).status, 200);
    let tree = s
        .req("GET", &format!("/api/models/{repo}/tree/main"))
        .send()
        .json();
    let b = tree
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "b.bin")
        .unwrap()
        .clone();
    assert_eq!(b["size"], 100);
    assert_eq!(b["lfs"]["oid"], oid);
    let bad_algo = json!({"key": "lfsFile", "value": {"path": "c.bin", "algo": "md5", "oid": oid, "size": 100}});
    assert_eq!(s.commit(&repo, "algo", &[bad_algo]).status, 400);
}

#[test]
fn gitattributes_gains_lines_for_lfs_paths_it_does_not_cover() {
    let s = Server::start(&[]);
    let repo = s.create_model("attrs", false);
    let (a, b) = (noise(10, 23), noise(11, 24));
    s.upload_lfs(&repo, &a);
    s.upload_lfs(&repo, &b);
    let before = s
        .req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
        .send()
        .text();
    let r = s.commit(
        &repo,
        "lfs",
        &[
            lfs_file("covered.bin", &a),
            lfs_file("data/big file.dat", &b),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let after = s
        .req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
        .send()
        .text();
    assert_eq!(
        after,
        format!("{before}data/big[[:space:]]file.dat filter=lfs diff=lfs merge=lfs -text\n")
    );
    // Already covered now: a second commit of the same path adds nothing.
    assert_eq!(
        s.commit(&repo, "again", &[lfs_file("data/big file.dat", &a)])
            .status,
        200
    );
    let again = s
        .req("GET", &format!("/{repo}/resolve/main/.gitattributes"))
        .send()
        .text();
    assert_eq!(again, after);
}

#[test]
fn preupload_reports_the_sha256_of_an_existing_lfs_file() {
    let (s, repo, content) = setup(&[]);
    let r = s
        .authed("POST", &format!("/api/models/{repo}/preupload/main"))
        .json(&json!({"files": [{"path": "weights.bin", "sample": "AAAA", "size": 3000}]}))
        .send()
        .json();
    assert_eq!(r["files"][0]["uploadMode"], "lfs");
    assert_eq!(r["files"][0]["oid"], sha256_hex(&content));
}

#[test]
fn a_multipart_upload_commits_and_downloads_byte_for_byte() {
    let (s, repo, _) = setup(&["--multipart-threshold", "1000", "--chunk-size", "300"]);
    let big = noise(2500, 25);
    s.upload_lfs(&repo, &big);
    assert_eq!(
        s.commit(&repo, "big", &[lfs_file("big.bin", &big)]).status,
        200
    );
    let location = s
        .req("GET", &format!("/{repo}/resolve/main/big.bin"))
        .send()
        .header("location")
        .unwrap()
        .to_string();
    assert_eq!(s.req_url("GET", &location).send().body, big);
}
