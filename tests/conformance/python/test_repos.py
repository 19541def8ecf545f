"""Repos: create (and 409 when it exists), types other than model, move, delete, and a server
restart that keeps them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from huggingface_hub.errors import RepositoryNotFoundError

import hubserver
from common import HEX40, LFS, LFS_PATH, REGULAR, RUN, download, expect_http_error, fmt, hits


def test_create_repo(api, hub, new_repo_id):
    repo_id = new_repo_id
    url = api.create_repo(repo_id)
    assert url.repo_id == repo_id
    assert url.repo_type == "model"
    assert str(url) == f"{hub.url}/{repo_id}"
    info = api.repo_info(repo_id)
    assert info.id == repo_id
    assert HEX40.match(info.sha), info.sha
    assert info.private is False


def test_create_repo_exists_409_and_exist_ok(api, empty_repo):
    repo_id = empty_repo.repo_id
    err = expect_http_error(lambda: api.create_repo(repo_id), 409)
    body = err.response.json()
    assert body.get("url", "").endswith(f"/{repo_id}"), body
    url = api.create_repo(repo_id, exist_ok=True)
    assert url.repo_id == repo_id
    # exist_ok must not have created a second repo or touched the first one.
    assert api.repo_info(repo_id).sha == empty_repo.created_sha


@pytest.mark.parametrize("repo_type", ["dataset", "space"])
def test_other_repo_types_roundtrip(api, hub, repo_type):
    rid = f"{hub.user}/py-{repo_type}-{RUN}"
    url = api.create_repo(rid, repo_type=repo_type,
                          **({"space_sdk": "static"} if repo_type == "space" else {}))
    assert str(url) == f"{hub.url}/{repo_type}s/{rid}"
    api.upload_file(path_or_fileobj=REGULAR, path_in_repo="data.json", repo_id=rid, repo_type=repo_type)
    api.upload_file(path_or_fileobj=LFS, path_in_repo="data.bin", repo_id=rid, repo_type=repo_type)
    assert {"data.json", "data.bin"} <= set(api.list_repo_files(rid, repo_type=repo_type))
    assert download(rid, "data.bin", repo_type=repo_type).read_bytes() == LFS
    assert download(rid, "data.json", repo_type=repo_type).read_bytes() == REGULAR
    # The same name as a model does not exist.
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info(rid)
    api.delete_repo(rid, repo_type=repo_type)
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info(rid, repo_type=repo_type)


def test_move_repo_old_name_redirects(api, hub):
    old = f"{hub.user}/py-move-a-{RUN}"
    new = f"{hub.user}/py-move-b-{RUN}"
    api.create_repo(old)
    api.upload_file(path_or_fileobj=LFS, path_in_repo="w.bin", repo_id=old)
    api.move_repo(old, new)
    assert api.repo_info(new).id == new
    # Downloads by the old name follow the Hub's relative redirect.
    hub.clear_requests()
    assert download(old, "w.bin").read_bytes() == LFS
    heads = hits(hub.requests(), "HEAD", rf"^/{old}/resolve/")
    assert heads and heads[0]["status"] in (301, 302, 307, 308), fmt(hub.requests())
    api.delete_repo(new)


def test_delete_repo(api, hub, fresh_repo):
    repo_id = fresh_repo.repo_id
    api.delete_repo(repo_id)
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info(repo_id)
    with pytest.raises(RepositoryNotFoundError):
        api.delete_repo(repo_id)
    api.delete_repo(repo_id, missing_ok=True)
    assert repo_id not in [m.id for m in api.list_models(author=hub.user)]


def test_restart_with_data_dir_keeps_everything(tmp_path):
    """Another server on its own --data dir: upload, restart (new ports), read it all back."""
    from huggingface_hub import HfApi as _HfApi

    data = tmp_path / "data"
    a = hubserver.start_with_data(data)
    try:
        api = _HfApi(endpoint=a.url, token=a.token)
        repo = f"{a.user}/persist-{RUN}"
        api.create_repo(repo)
        api.upload_file(path_or_fileobj=LFS, path_in_repo="w.bin", repo_id=repo)
        api.upload_file(path_or_fileobj=REGULAR, path_in_repo="c.json", repo_id=repo)
        head = api.repo_info(repo).sha
    finally:
        a.stop(keep=True)
    shutil.rmtree(a.workdir, ignore_errors=True)
    b = hubserver.start_with_data(data)
    try:
        assert b.token == a.token, "the seeded token survives a restart"
        api = _HfApi(endpoint=b.url, token=b.token)
        assert api.repo_info(repo).sha == head
        cache = tmp_path / "cache"
        got = api.hf_hub_download(repo, "w.bin", cache_dir=cache)
        assert Path(got).read_bytes() == LFS
        meta = api.get_hf_file_metadata(url=f"{b.url}/{repo}/resolve/main/w.bin")
        if b.storage_url:
            assert meta.location.startswith(b.storage_url), "signed URLs use the new storage origin"
        assert Path(api.hf_hub_download(repo, "c.json", cache_dir=cache)).read_bytes() == REGULAR
    finally:
        b.stop()


def test_duplicate_repo(api, hub, fresh_repo):
    """duplicate_repo: the copy keeps history and files under the new id; visibility as asked or as
    the source; 409 unless exist_ok; no to_id is the caller's namespace (whoami)."""
    from huggingface_hub import HfApi as _HfApi

    src = fresh_repo.repo_id
    to = f"{hub.user}/py-dup-{RUN}"
    url = api.duplicate_repo(src, to, private=True)
    assert str(url) == f"{hub.url}/{to}" and url.repo_id == to
    info = api.model_info(to)
    assert info.private is True
    assert [c.commit_id for c in api.list_repo_commits(to)] == [c.commit_id for c in api.list_repo_commits(src)]
    assert download(to, LFS_PATH).read_bytes() == download(src, LFS_PATH).read_bytes()
    err = expect_http_error(lambda: api.duplicate_repo(src, to), 409)
    assert err.response.json()["url"].endswith(f"/{to}")
    assert api.duplicate_repo(src, to, exist_ok=True).repo_id == to
    # No to_id: the source's name in the namespace of the token's owner; public as the source.
    other = _HfApi(endpoint=hub.url, token=hub.tokens["other-user"])
    theirs = other.duplicate_repo(src)
    assert theirs.repo_id == f"other-user/{src.split('/')[1]}"
    assert api.model_info(theirs.repo_id).private is False
    # Another user's namespace is refused; a missing source is a 404.
    expect_http_error(lambda: other.duplicate_repo(src, f"{hub.user}/py-dup-x-{RUN}"), 403)
    with pytest.raises(RepositoryNotFoundError):
        api.duplicate_repo(f"{hub.user}/py-no-such-{RUN}", f"{hub.user}/py-dup-y-{RUN}")
    # A Space, with the Space-only settings huggingface_hub sends.
    space = f"{hub.user}/py-dup-space-{RUN}"
    api.create_repo(space, repo_type="space", space_sdk="static")
    copy = api.duplicate_repo(space, f"{space}-copy", repo_type="space", visibility="protected",
                              space_hardware="t4-small", space_sleep_time=3600,
                              space_secrets=[{"key": "K", "value": "v"}],
                              space_variables=[{"key": "A", "value": "1", "description": "d"}])
    assert copy.repo_type == "space" and copy.repo_id == f"{space}-copy"
    for rid, kind in [(to, None), (theirs.repo_id, None), (f"{space}-copy", "space"), (space, "space")]:
        (other if rid.startswith("other-user/") else api).delete_repo(rid, repo_type=kind)
