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
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let ok = self.child.wait().map(|s| s.success()).unwrap_or(false);
        std::mem::forget(self);
        ok
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
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
        res.into_reader().read_to_end(&mut body).expect("body");
        Resp {
            status,
            headers,
            body,
        }
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
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
