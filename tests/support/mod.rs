//! What the native tests against the local Hub share: starting `tests/hub-server` and sending
//! the core's requests as they are with a small blocking client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use hubwasm::http::Body;
use hubwasm::{HttpRequest, HttpResponseHead};

/// A running local Hub.
pub struct Hub {
    pub url: String,
    pub token: String,
    _child: Child,
}

/// Builds and starts the local Hub with `args`. It never outlives the test process: a shell
/// starts it and kills it as soon as our end of its stdin closes (however this process exits).
pub fn start(args: &str) -> Hub {
    let root = env!("CARGO_MANIFEST_DIR");
    let status = Command::new(env!("CARGO"))
        .args(["build", "-q", "-p", "hub-server"])
        .current_dir(root)
        .status()
        .expect("cargo build -p hub-server");
    assert!(status.success());
    let script = format!(r#""$0" {args} & pid=$!; trap 'kill $pid 2>/dev/null' EXIT; read -r _"#);
    let mut child = Command::new("sh")
        .args(["-c", &script, &format!("{root}/target/debug/hub-server")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hub-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).expect("startup JSON line");
    Hub {
        url: v["url"].as_str().unwrap().to_string(),
        token: v["token"].as_str().unwrap().to_string(),
        _child: child,
    }
}

/// An HTTP client that follows no redirect: the core decides where a redirect goes.
pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

/// Sends a core request (with `body` instead of its own, if given) and returns what the core
/// needs back.
pub fn send_with(req: &HttpRequest, body: Option<&[u8]>) -> (HttpResponseHead, Vec<u8>) {
    let mut r = agent().request(req.method.as_str(), &req.url);
    for (n, v) in req.headers.iter() {
        r = r.set(n, v);
    }
    let result = match (body, &req.body) {
        (Some(b), _) => r.send_bytes(b),
        (None, Body::Empty) => r.call(),
        (None, Body::Text(t)) => r.send_string(t),
    };
    let resp = match result {
        Ok(resp) => resp,
        Err(ureq::Error::Status(_, resp)) => resp,
        Err(e) => panic!("transport error for {}: {e}", req.url),
    };
    let mut headers = hubwasm::Headers::new();
    for name in resp.headers_names() {
        for v in resp.all(&name) {
            headers.append(&name, v);
        }
    }
    let head = HttpResponseHead {
        status: resp.status(),
        headers,
        url: req.url.clone(),
    };
    let mut bytes = Vec::new();
    resp.into_reader().read_to_end(&mut bytes).expect("body");
    (head, bytes)
}

/// Sends a core request as it is.
pub fn send(req: &HttpRequest) -> (HttpResponseHead, Vec<u8>) {
    send_with(req, None)
}
