"""Commits of regular files and commit operations: inline upload, odd paths, `parent_commit`,
copy, delete (file and folder), concurrent writers. LFS uploads are in test_lfs.py."""

from __future__ import annotations

import pytest
from huggingface_hub.errors import EntryNotFoundError

from common import (
    HEX40, LFS, LFS_PATH, REGULAR, REGULAR_PATH, RUN, download, expect_http_error, fmt,
    git_blob_sha1, hits, sha256,
)


def test_upload_regular_file(api, hub, empty_repo):
    repo_id = empty_repo.repo_id
    hub.clear_requests()
    title = "Add config.json"
    info = api.upload_file(
        path_or_fileobj=REGULAR, path_in_repo=REGULAR_PATH, repo_id=repo_id, commit_message=title
    )
    assert HEX40.match(info.oid), info.oid
    assert info.commit_url == f"{hub.url}/{repo_id}/commit/{info.oid}"
    entries = hub.requests()
    assert hits(entries, "POST", rf"/api/models/{repo_id}/preupload/main$"), fmt(entries)
    assert hits(entries, "POST", rf"/api/models/{repo_id}/commit/main$"), fmt(entries)
    assert not hits(entries, "POST", r"/info/lfs/objects/batch$"), (
        "a small text file must be uploaded inline (preupload said lfs?)\n" + fmt(entries)
    )
    [entry] = api.get_paths_info(repo_id, [REGULAR_PATH])
    assert entry.size == len(REGULAR)
    assert entry.blob_id == git_blob_sha1(REGULAR)
    assert entry.lfs is None
    assert api.repo_info(repo_id).sha == info.oid


def test_unicode_and_space_paths(api, empty_repo):
    repo_id = empty_repo.repo_id
    path = "dir with space/ünï cødé+#%.txt"
    data = "ünïcode ✓\n".encode()
    api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=repo_id, commit_message="Odd path")
    assert path in api.list_repo_files(repo_id)
    assert download(repo_id, path).read_bytes() == data
    [info] = api.get_paths_info(repo_id, [path])
    assert info.path == path and info.size == len(data)
    sub = [e.path for e in api.list_repo_tree(repo_id, path_in_repo="dir with space")]
    assert sub == [path], sub
    api.delete_file(path, repo_id, commit_message="Remove odd path")


def test_parent_commit_mismatch_is_412(api, fresh_repo):
    repo_id = fresh_repo.repo_id
    stale = fresh_repo.created_sha  # the initial commit, no longer main's head
    head = api.repo_info(repo_id).sha
    assert stale != head
    expect_http_error(
        lambda: api.upload_file(path_or_fileobj=b"late\n", path_in_repo="late.txt",
                                repo_id=repo_id, parent_commit=stale),
        412,
    )
    assert api.repo_info(repo_id).sha == head
    info = api.upload_file(path_or_fileobj=b"on time\n", path_in_repo="late.txt",
                           repo_id=repo_id, parent_commit=head, commit_message="With parent")
    assert api.repo_info(repo_id).sha == info.oid


def test_copy_and_delete_folder(api, fresh_repo):
    from huggingface_hub import CommitOperationCopy

    repo_id = fresh_repo.repo_id
    # An LFS copy is an `lfsFile` line without `size`; a regular copy is re-sent inline.
    api.create_commit(
        repo_id,
        operations=[
            CommitOperationCopy(src_path_in_repo=LFS_PATH, path_in_repo="copies/small.bin"),
            CommitOperationCopy(src_path_in_repo=REGULAR_PATH, path_in_repo="copies/config.json"),
        ],
        commit_message="Copy files",
    )
    infos = {e.path: e for e in api.get_paths_info(repo_id, ["copies/small.bin", "copies/config.json"])}
    assert infos["copies/small.bin"].lfs.sha256 == sha256(LFS)
    assert infos["copies/small.bin"].size == len(LFS)
    assert infos["copies/config.json"].blob_id == git_blob_sha1(REGULAR)
    assert download(repo_id, "copies/small.bin").read_bytes() == LFS
    api.delete_folder("copies", repo_id, commit_message="Remove copies")
    assert not [f for f in api.list_repo_files(repo_id) if f.startswith("copies/")]


def test_delete_file(api, repo_with_refs):
    repo_id = repo_with_refs.repo_id
    info = api.delete_file(REGULAR_PATH, repo_id, commit_message="Remove config.json")
    assert HEX40.match(info.oid)
    assert REGULAR_PATH not in api.list_repo_files(repo_id)
    with pytest.raises(EntryNotFoundError):
        download(repo_id, REGULAR_PATH, force_download=True)
    # Still there at the tag.
    got = download(repo_id, REGULAR_PATH, revision="v1.0", force_download=True)
    assert got.read_bytes() == REGULAR
    # Deleting it again: 404 EntryNotFound from the commit endpoint.
    with pytest.raises(EntryNotFoundError):
        api.delete_file(REGULAR_PATH, repo_id)


def test_concurrent_commits_are_all_kept(api, hub):
    from concurrent.futures import ThreadPoolExecutor

    repo = f"{hub.user}/py-concurrent-{RUN}"
    api.create_repo(repo)
    before = len(api.list_repo_commits(repo))
    n = 8

    def one(i):
        return api.upload_file(path_or_fileobj=f"writer {i}\n".encode(), path_in_repo=f"w/{i}.txt",
                               repo_id=repo, commit_message=f"writer {i}")

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(one, range(n)))
    assert len({r.oid for r in results}) == n
    files = set(api.list_repo_files(repo))
    assert {f"w/{i}.txt" for i in range(n)} <= files, files
    commits = api.list_repo_commits(repo)
    assert len(commits) == before + n
    assert {r.oid for r in results} <= {c.commit_id for c in commits}
    api.delete_repo(repo)
