"""Listings: a repo's files and tree (with folders, LFS info, `expand`), paths-info,
model_info(files_metadata), Link pagination, and the model search."""

from __future__ import annotations

import math
import os

import pytest

from common import (
    HEX40, LFS_PATH, REGULAR_PATH, RUN, fmt, git_blob_sha1, hits, sha256,
)


def test_list_repo_files_and_tree(api, seeded):
    repo_id = seeded.repo_id
    expected = seeded.files
    files = api.list_repo_files(repo_id)
    assert set(files) == {".gitattributes", *expected}, files
    tree = {e.path: e for e in api.list_repo_tree(repo_id, recursive=True)}
    for path, data in expected.items():
        e = tree[path]
        assert type(e).__name__ == "RepoFile", e
        assert e.size == len(data)
        if path == REGULAR_PATH:
            assert e.lfs is None and e.blob_id == git_blob_sha1(data)
        else:
            assert e.lfs is not None and e.lfs.sha256 == sha256(data), e
    assert type(tree["weights"]).__name__ == "RepoFolder"
    top = {e.path: type(e).__name__ for e in api.list_repo_tree(repo_id)}
    assert top.get("weights") == "RepoFolder" and LFS_PATH not in top, top
    sub = [e.path for e in api.list_repo_tree(repo_id, path_in_repo="weights")]
    assert sub == [LFS_PATH], sub


def test_listings_follow_link_pagination(api, hub, seeded):
    repo_id = seeded.repo_id
    size = int(os.environ.get("CONFORMANCE_PAGE_SIZE", "3"))
    if "--page-size" not in hub.flags or size == 0:
        pytest.skip("server not started with a small --page-size")
    hub.clear_requests()
    files = api.list_repo_files(repo_id)
    commits = api.list_repo_commits(repo_id)
    entries = hub.requests()
    tree = hits(entries, "GET", rf"^/api/models/{repo_id}/tree/")
    assert len(tree) == math.ceil((len(files) + 1) / size) or len(tree) >= 2, fmt(entries)
    assert all("cursor=" in (e.get("query") or "") for e in tree[1:]), fmt(tree)
    if len(commits) > size:
        pages = hits(entries, "GET", rf"^/api/models/{repo_id}/commits/")
        assert len(pages) >= 2, fmt(entries)


def test_tree_expand_last_commit_and_security(api, seeded):
    repo_id = seeded.repo_id
    by_path = {e.path: e for e in api.list_repo_tree(repo_id, recursive=True, expand=True)}
    reg, lfs = by_path[REGULAR_PATH], by_path[LFS_PATH]
    assert reg.last_commit is not None and reg.last_commit.oid == seeded.oids[REGULAR_PATH], reg
    assert reg.last_commit.title == "Add config.json"
    assert lfs.last_commit.oid == seeded.oids[LFS_PATH], lfs
    # huggingface_hub indexes securityFileStatus["avScan"] and ["pickleImportScan"].
    assert reg.security is not None and reg.security.status == "safe"
    assert reg.security.av_scan is not None  # pickleImportScan may be null (not a pickle)
    [info] = api.get_paths_info(repo_id, [LFS_PATH], expand=True)
    assert info.last_commit.oid == seeded.oids[LFS_PATH]


def test_model_info_files_metadata(api, seeded):
    repo_id = seeded.repo_id
    regular, lfs = seeded.files[REGULAR_PATH], seeded.files[LFS_PATH]
    info = api.model_info(repo_id, files_metadata=True)
    sib = {s.rfilename: s for s in info.siblings}
    assert sib[REGULAR_PATH].size == len(regular) and sib[REGULAR_PATH].blob_id == git_blob_sha1(regular)
    assert sib[LFS_PATH].lfs is not None and sib[LFS_PATH].lfs.sha256 == sha256(lfs)
    assert sib[LFS_PATH].lfs.size == len(lfs)
    assert info.sha == api.repo_info(repo_id).sha and info.last_modified is not None


def test_list_models(api, hub, seeded):
    repo_id = seeded.repo_id
    mine = [m.id for m in api.list_models(author=hub.user)]
    assert repo_id in mine, mine
    found = [m.id for m in api.list_models(search=repo_id.split("/", 1)[1])]
    assert found == [repo_id], found
    assert [m.id for m in api.list_models(author="nobody-at-all")] == []


def test_search_listings(api, hub):
    names = [f"{hub.user}/py-search-{RUN}-{i}" for i in range(4)]
    for n in names:
        api.create_repo(n)
    found = [m.id for m in api.list_models(search=f"py-search-{RUN}")]
    assert sorted(found) == sorted(names)
    limited = list(api.list_models(search=f"py-search-{RUN}", limit=2))
    assert len(limited) == 2
    newest = [m.id for m in api.list_models(search=f"py-search-{RUN}", sort="created_at")]
    assert newest == list(reversed(names)), newest
    full = list(api.list_models(search=f"py-search-{RUN}-0", full=True))
    assert [m.id for m in full] == [names[0]] and full[0].siblings is not None
    expanded = list(api.list_models(search=f"py-search-{RUN}-1", expand=["private", "sha"]))
    assert expanded[0].private is False and HEX40.match(expanded[0].sha)
    for n in names:
        api.delete_repo(n)
    assert list(api.list_models(search=f"py-search-{RUN}")) == []
