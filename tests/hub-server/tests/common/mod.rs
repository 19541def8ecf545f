//! Test harness: starts the real `hub-server` binary, reads its JSON line, and makes raw HTTP
//! calls that never fail on error statuses (tests assert on them).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

pub struct Server {
    child: Child,
    pub url: String,
    /// The storage (LFS/CDN) origin.
    pub storage_url: String,
    pub token: String,
    pub line: Value,
}

impl Server {
    /// Starts the binary with `args` and waits for its first stdout line.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hub-server"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start hub-server");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("read first line");
        let line: Value = serde_json::from_str(&first).expect("first line is JSON");
        Server {
            url: line["url"].as_str().expect("url").to_string(),
            storage_url: line["storageUrl"].as_str().expect("storageUrl").to_string(),
            token: line["token"].as_str().expect("token").to_string(),
            line,
            child,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and returns whether the process exited successfully.
    pub fn terminate(mut self) -> bool {
        let ok = self.stop();
        std::mem::forget(self);
        ok
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::forget(self);
    }

    /// SIGTERM, so the server removes its scratch folder; SIGKILL if it takes too long.
    fn stop(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status.success(),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return false;
                }
            }
        }
    }

    /// A request to an absolute URL (e.g. a storage URL the server handed out).
    pub fn req_url(&self, method: &str, url: &str) -> Req {
        Req {
            method: method.to_string(),
            url: url.to_string(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A request to `path` (already percent-encoded as the test wants it on the wire).
    pub fn req(&self, method: &str, path: &str) -> Req {
        Req {
            method: method.to_string(),
            url: format!("{}{}", self.url, path),
            headers: Vec::new(),
            body: None,
        }
    }

    /// The same, authenticated with the default user's token.
    pub fn authed(&self, method: &str, path: &str) -> Req {
        self.req(method, path).token(&self.token)
    }

    /// Creates a model repo `test-user/<name>` and returns its id.
    pub fn create_model(&self, name: &str, private: bool) -> String {
        let r = self
            .authed("POST", "/api/repos/create")
            .json(&json!({"name": name, "private": private}))
            .send();
        assert_eq!(r.status, 200, "create {name}: {}", r.text());
        format!("test-user/{name}")
    }

    /// Commits operations to `main` of a model repo; returns the response.
    pub fn commit(&self, repo: &str, summary: &str, ops: &[Value]) -> Resp {
        self.commit_to(repo, "main", &json!({"summary": summary}), ops)
    }

    pub fn commit_to(&self, repo: &str, rev: &str, header: &Value, ops: &[Value]) -> Resp {
        self.authed("POST", &format!("/api/models/{repo}/commit/{rev}"))
            .ndjson(header, ops)
            .send()
    }

    /// Head commit of `main`.
    pub fn head(&self, repo: &str) -> String {
        let r = self.authed("GET", &format!("/api/models/{repo}")).send();
        r.json()["sha"].as_str().expect("sha").to_string()
    }

    /// `POST {prefix}{repo}.git/info/lfs/objects/batch` for an upload of these contents, as the
    /// Python client sends it.
    pub fn lfs_batch(&self, repo: &str, contents: &[&[u8]]) -> Resp {
        let objects: Vec<Value> = contents
            .iter()
            .map(|c| json!({"oid": sha256_hex(c), "size": c.len()}))
            .collect();
        self.authed("POST", &format!("/{repo}.git/info/lfs/objects/batch"))
            .header("Accept", "application/vnd.git-lfs+json")
            .body(
                "application/vnd.git-lfs+json",
                json!({"operation": "upload", "transfers": ["basic", "multipart"],
                       "objects": objects, "hash_algo": "sha256", "ref": {"name": "main"}})
                .to_string()
                .as_bytes(),
            )
            .send()
    }

    /// Uploads content the way the official clients do (batch, then one PUT or the parts and
    /// the completion, never with the Hub token); returns its oid.
    pub fn upload_lfs(&self, repo: &str, content: &[u8]) -> String {
        let r = self.lfs_batch(repo, &[content]);
        assert_eq!(r.status, 200, "batch: {}", r.text());
        let obj = r.json()["objects"][0].clone();
        let oid = sha256_hex(content);
        let Some(upload) = obj["actions"].get("upload") else {
            return oid; // already stored
        };
        let href = upload["href"].as_str().unwrap();
        match upload.get("header").and_then(|h| h.get("chunk_size")) {
            None => {
                let r = self
                    .req_url("PUT", href)
                    .body("application/octet-stream", content)
                    .send();
                assert_eq!(r.status, 200, "PUT: {}", r.text());
            }
            Some(chunk) => {
                let chunk: usize = chunk.as_str().unwrap().parse().unwrap();
                let mut parts = Vec::new();
                for (i, piece) in content.chunks(chunk).enumerate() {
                    let url = upload["header"][format!("{:05}", i + 1)].as_str().unwrap();
                    let r = self
                        .req_url("PUT", url)
                        .body("application/octet-stream", piece)
                        .send();
                    assert_eq!(r.status, 200, "part {}: {}", i + 1, r.text());
                    parts.push(json!({"partNumber": i + 1, "etag": r.header("etag").unwrap()}));
                }
                let r = self
                    .req_url("POST", href)
                    .json(&json!({"oid": oid, "parts": parts}))
                    .send();
                assert_eq!(r.status, 200, "complete: {}", r.text());
            }
        }
        oid
    }

    pub fn admin_requests(&self) -> Vec<Value> {
        self.req("GET", "/__admin/requests")
            .send()
            .json()
            .as_array()
            .cloned()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Hex sha256 (an LFS oid).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Git blob id of some bytes.
pub fn git_sha1(bytes: &[u8]) -> String {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    hex::encode(h.finalize())
}

/// The git-lfs pointer text for content.
pub fn pointer(bytes: &[u8]) -> String {
    format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize {}\n",
        sha256_hex(bytes),
        bytes.len()
    )
}

/// Deterministic pseudo-random bytes (so LFS tests are not all zeros).
pub fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 8) as u8
        })
        .collect()
}

/// An `lfsFile` commit operation.
pub fn lfs_file(path: &str, content: &[u8]) -> Value {
    json!({"key": "lfsFile", "value": {
        "path": path, "algo": "sha256", "oid": sha256_hex(content), "size": content.len()
    }})
}

/// A `file` operation with base64 content.
pub fn add(path: &str, content: &[u8]) -> Value {
    use base64::Engine;
    json!({"key": "file", "value": {
        "path": path,
        "content": base64::engine::general_purpose::STANDARD.encode(content),
        "encoding": "base64"
    }})
}

pub fn delete_file(path: &str) -> Value {
    json!({"key": "deletedFile", "value": {"path": path}})
}

pub fn delete_folder(path: &str) -> Value {
    json!({"key": "deletedFolder", "value": {"path": path}})
}

pub struct Req {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Req {
    pub fn header(mut self, k: &str, v: &str) -> Req {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn token(self, token: &str) -> Req {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    pub fn body(mut self, content_type: &str, body: &[u8]) -> Req {
        self.body = Some(body.to_vec());
        self.header("Content-Type", content_type)
    }

    pub fn json(self, v: &Value) -> Req {
        self.body("application/json", v.to_string().as_bytes())
    }

    pub fn ndjson(self, header: &Value, ops: &[Value]) -> Req {
        let mut s = json!({"key": "header", "value": header}).to_string() + "\n";
        for op in ops {
            s.push_str(&op.to_string());
            s.push('\n');
        }
        self.body("application/x-ndjson", s.as_bytes())
    }

    pub fn send(self) -> Resp {
        let what = format!("{} {}", self.method, self.url);
        let r = self.send_lossy();
        if let Some(e) = &r.body_error {
            panic!("{what}: reading the body failed: {e}");
        }
        r
    }

    /// Like [`Req::send`], but a body that breaks off is returned as far as it came, with
    /// the error in `body_error` (for connection-cut faults).
    pub fn send_lossy(self) -> Resp {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let mut r = agent.request(&self.method, &self.url);
        for (k, v) in &self.headers {
            r = r.set(k, v);
        }
        let res = match &self.body {
            Some(b) => r.send_bytes(b),
            None => r.call(),
        };
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{} {}: {e}", self.method, self.url),
        };
        let status = res.status();
        let headers = res
            .headers_names()
            .into_iter()
            .flat_map(|n| {
                res.all(&n)
                    .into_iter()
                    .map(|v| (n.to_ascii_lowercase(), v.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut body = Vec::new();
        let body_error = res
            .into_reader()
            .read_to_end(&mut body)
            .err()
            .map(|e| e.to_string());
        Resp {
            status,
            headers,
            body,
            body_error,
        }
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub body_error: Option<String>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts a Hub error: status, `X-Error-Code` (or none) and message in header and body.
    pub fn assert_error(&self, status: u16, code: Option<&str>, message: &str) {
        assert_eq!(self.status, status, "body: {}", self.text());
        assert_eq!(self.header("x-error-code"), code);
        assert_eq!(self.header("x-error-message"), Some(message));
        assert_eq!(self.json()["error"], message);
    }
}

/// A fresh temp directory for `--data`.
pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("hub-server-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn remove_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}
