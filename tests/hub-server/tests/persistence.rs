//! `--data DIR`: state and blobs survive a restart, including a hard kill.

mod common;

use common::{add, remove_dir, temp_dir, Server};

#[test]
fn repos_commits_files_and_the_token_survive_a_restart() {
    let dir = temp_dir("persist");
    let d = dir.to_str().unwrap();
    let (token, head) = {
        let s = Server::start(&["--data", d]);
        let repo = s.create_model("kept", true);
        s.commit(
            &repo,
            "add",
            &[add("big.dat", &vec![7u8; 300_000]), add("x/y.txt", b"y")],
        );
        let head = s.head(&repo);
        let token = s.token.clone();
        // Killed (SIGKILL), so nothing relies on a clean exit.
        s.kill();
        (token, head)
    };
    assert!(dir.join("state.json").is_file());
    assert!(dir.join("blobs").read_dir().unwrap().count() >= 3);

    let s = Server::start(&["--data", d]);
    assert_eq!(s.token, token, "the seeded token is reused");
    assert_eq!(s.head("test-user/kept"), head);
    let r = s
        .authed("GET", "/test-user/kept/resolve/main/big.dat")
        .send();
    assert_eq!(r.body, vec![7u8; 300_000]);
    let r = s
        .authed("GET", "/test-user/kept/resolve/main/big.dat")
        .header("Range", "bytes=299990-")
        .send();
    assert_eq!((r.status, r.body.len()), (206, 10));
    assert_eq!(
        s.authed("GET", "/test-user/kept/resolve/main/x/y.txt")
            .send()
            .body,
        b"y"
    );
    assert_eq!(
        s.req("GET", "/api/models/test-user/kept").send().status,
        401,
        "still private"
    );
    assert!(s.terminate());
    remove_dir(&dir);
}
