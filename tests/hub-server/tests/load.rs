//! Many clients at once, and bodies that stream through the server without being held in
//! memory.

mod common;

use std::sync::Arc;
use std::thread;

use common::{add, lfs_file, noise, sha256_hex, Server};
use serde_json::json;

#[test]
fn thirty_two_clients_upload_commit_and_download_at_once() {
    let s = Arc::new(Server::start(&[
        "--multipart-threshold",
        "200000",
        "--chunk-size",
        "65536",
    ]));
    let repo = s.create_model("busy", false);
    let shared = noise(2 * 1024 * 1024, 61);
    s.upload_lfs(&repo, &shared);
    s.commit(&repo, "shared", &[lfs_file("shared.bin", &shared)]);
    let shared = Arc::new(shared);

    let workers: Vec<_> = (0..32u32)
        .map(|i| {
            let (s, repo, shared) = (s.clone(), repo.clone(), shared.clone());
            thread::spawn(move || {
                if i % 2 == 0 {
                    // Uploaders: half basic, half multipart; then commit to main.
                    let size = if i % 4 == 0 { 150_000 } else { 300_000 };
                    let content = noise(size, 100 + i);
                    s.upload_lfs(&repo, &content);
                    let r = s.commit(
                        &repo,
                        &format!("up {i}"),
                        &[
                            lfs_file(&format!("up/{i}.bin"), &content),
                            add(&format!("up/{i}.txt"), format!("{i}").as_bytes()),
                        ],
                    );
                    assert_eq!(r.status, 200, "{}", r.text());
                } else {
                    // Downloaders: resolve, follow the redirect, check every byte.
                    for _ in 0..3 {
                        let r = s
                            .req("GET", &format!("/{repo}/resolve/main/shared.bin"))
                            .send();
                        assert_eq!(r.status, 302);
                        let got = s.req_url("GET", r.header("location").unwrap()).send();
                        assert!(got.body == *shared, "download {i} differs");
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    // Every commit landed (they are serialized, none lost).
    let tree = s
        .req("GET", &format!("/api/models/{repo}/tree/main/up"))
        .send()
        .json();
    assert_eq!(tree.as_array().unwrap().len(), 32);
    let total = s
        .req("GET", &format!("/api/models/{repo}/commits/main"))
        .send()
        .header("x-total-count")
        .unwrap()
        .to_string();
    assert_eq!(total, "18", "initial + shared + 16 uploads");
}

/// Peak resident memory of a process, from `/proc/{pid}/status` (Linux only).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_64_mib_object_streams_through_without_being_held_in_memory() {
    let s = Server::start(&["--multipart-threshold", "1000000000"]);
    let Some(before) = peak_rss_kib(s.pid()) else {
        return; // not Linux: nothing to measure
    };
    let repo = s.create_model("big", false);
    let content = noise(64 * 1024 * 1024, 62);
    // Hashed once here (debug builds hash slowly); the server hashes while streaming.
    let oid = sha256_hex(&content);
    let batch = s
        .authed("POST", &format!("/{repo}.git/info/lfs/objects/batch"))
        .json(&json!({"operation": "upload", "transfers": ["basic"],
                      "objects": [{"oid": oid, "size": content.len()}]}))
        .send()
        .json();
    let href = batch["objects"][0]["actions"]["upload"]["href"]
        .as_str()
        .unwrap();
    let put = s
        .req_url("PUT", href)
        .body("application/octet-stream", &content)
        .send();
    assert_eq!(put.status, 200, "{}", put.text());
    let op = json!({"key": "lfsFile", "value": {"path": "big.bin", "algo": "sha256",
                                                 "oid": oid, "size": content.len()}});
    assert_eq!(s.commit(&repo, "big", &[op]).status, 200);
    let location = s
        .req("GET", &format!("/{repo}/resolve/main/big.bin"))
        .send()
        .header("location")
        .unwrap()
        .to_string();
    let got = s.req_url("GET", &location).send();
    assert_eq!(got.body.len(), content.len());
    assert!(got.body == content);
    let peak = peak_rss_kib(s.pid()).unwrap();
    // 64 MiB went in and out; the server's peak grew by far less than that.
    assert!(
        peak - before < 32 * 1024,
        "peak RSS grew by {} KiB (from {before} KiB) for {oid}",
        peak - before
    );
    eprintln!("peak RSS {before} KiB -> {peak} KiB");
}
