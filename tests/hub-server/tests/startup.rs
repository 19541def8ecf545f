//! Starting the server: the first stdout line, users and tokens from flags, clean shutdown.

mod common;

use common::Server;

fn is_hub_token(t: &str) -> bool {
    t.len() == 37 && t.starts_with("hf_") && t[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

#[test]
fn with_no_arguments_it_prints_url_token_user_and_storage_url_as_one_json_line() {
    let s = Server::start(&[]);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    assert!(is_hub_token(&s.token), "{}", s.token);
    assert_eq!(s.line["user"], "test-user");
    assert!(s.line.get("tokens").is_none());
    let keys: Vec<&String> = s.line.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["url", "token", "user", "storageUrl"]);
    assert!(s.storage_url.starts_with("http://127.0.0.1:"));
    assert_ne!(s.storage_url, s.url, "the storage origin has its own port");
}

#[test]
fn the_storage_url_comes_after_the_extra_tokens() {
    let s = Server::start(&["--user", "alice"]);
    let keys: Vec<&String> = s.line.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["url", "token", "user", "tokens", "storageUrl"]);
}

#[test]
fn explicit_ports_are_used_for_both_origins() {
    // Two distinct free ports: hold both probes before letting either go.
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let (hub, storage) = (
        a.local_addr().unwrap().port(),
        b.local_addr().unwrap().port(),
    );
    drop((a, b));
    let s = Server::start(&[
        "--port",
        &hub.to_string(),
        "--storage-port",
        &storage.to_string(),
    ]);
    assert_eq!(s.url, format!("http://127.0.0.1:{hub}"));
    assert_eq!(s.storage_url, format!("http://127.0.0.1:{storage}"));
}

#[test]
fn each_user_flag_adds_a_user_whose_token_is_in_the_line() {
    let s = Server::start(&["--user", "alice", "--user", "bob"]);
    for name in ["alice", "bob"] {
        let token = s.line["tokens"][name].as_str().unwrap();
        assert!(is_hub_token(token));
        let me = s.req("GET", "/api/whoami-v2").token(token).send().json();
        assert_eq!(me["name"], name);
        assert_eq!(me["auth"]["accessToken"]["role"], "write");
    }
}

#[test]
fn explicit_tokens_carry_their_role() {
    let s = Server::start(&[
        "--token",
        "carol:hf_carolreadonly:read",
        "--token",
        "dave:hf_dave",
    ]);
    let carol = s
        .req("GET", "/api/whoami-v2")
        .token("hf_carolreadonly")
        .send()
        .json();
    assert_eq!(carol["name"], "carol");
    assert_eq!(carol["auth"]["accessToken"]["role"], "read");
    let dave = s
        .req("GET", "/api/whoami-v2")
        .token("hf_dave")
        .send()
        .json();
    assert_eq!(dave["auth"]["accessToken"]["role"], "write");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let s = Server::start(&[]);
    assert_eq!(s.req("GET", "/api/whoami-v2").send().status, 401);
    assert!(s.terminate());
}

#[test]
fn unknown_flags_fail_with_status_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hub-server"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
