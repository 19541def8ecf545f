"""Downloads from the seeded repo: hf_hub_download (regular, LFS basic, LFS multipart) with its
cache and request pattern, file metadata and existence checks, HfFileSystem, snapshot_download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common import (
    BIG_PATH, LFS_PATH, REGULAR_PATH, RUN, assert_no_token_to_storage, download, fmt,
    git_blob_sha1, hits, sha256, storage_entries,
)


def _check_download(hub, repo_id, path, data, cache: Path, lfs: bool):
    hub.clear_requests()
    local = download(repo_id, path, cache_dir=cache)
    assert local.read_bytes() == data, f"{path}: bytes differ"
    assert sha256(local.read_bytes()) == sha256(data)
    # The cache names the blob by its etag: sha256 for LFS, git blob sha1 otherwise.
    blob = local.resolve().name
    assert blob == (sha256(data) if lfs else git_blob_sha1(data)), blob
    entries = hub.requests()
    heads = hits(entries, "HEAD", rf"^/{repo_id}/resolve/main/{re.escape(path)}$")
    assert heads, fmt(entries)
    if lfs:
        assert heads[0]["status"] == 302, "LFS resolve must redirect\n" + fmt(entries)
        gets = [e for e in storage_entries(hub, entries) if e["method"] == "GET"]
        assert gets and gets[-1]["status"] in (200, 206), fmt(entries)
        assert_no_token_to_storage(hub, entries)
    else:
        assert heads[0]["status"] == 200, fmt(entries)
    # A second call is served from the cache after a HEAD only.
    hub.clear_requests()
    assert download(repo_id, path, cache_dir=cache).read_bytes() == data
    again = hub.requests()
    assert not [e for e in again if e["method"] == "GET"], fmt(again)


def test_download_regular(hub, seeded, tmp_path):
    path = REGULAR_PATH
    _check_download(hub, seeded.repo_id, path, seeded.files[path], tmp_path / "cache", lfs=False)


def test_download_lfs_basic(hub, seeded, tmp_path):
    path = LFS_PATH
    _check_download(hub, seeded.repo_id, path, seeded.files[path], tmp_path / "cache", lfs=True)


def test_download_lfs_multipart(hub, seeded, tmp_path):
    path = BIG_PATH
    if path not in seeded.files:
        pytest.skip("hub-server has no multipart flags, so the seeded repo has no big.bin")
    _check_download(hub, seeded.repo_id, path, seeded.files[path], tmp_path / "cache", lfs=True)


def test_file_metadata_and_exists(api, hub, seeded):
    from huggingface_hub import hf_hub_url

    repo_id = seeded.repo_id
    lfs = seeded.files[LFS_PATH]
    head = api.repo_info(repo_id).sha
    meta = api.get_hf_file_metadata(url=hf_hub_url(repo_id, LFS_PATH))
    assert meta.etag == sha256(lfs)
    assert meta.size == len(lfs)
    assert meta.commit_hash == head
    if hub.storage_url:
        assert meta.location.startswith(hub.storage_url + "/"), meta.location
    assert api.file_exists(repo_id, LFS_PATH)
    assert not api.file_exists(repo_id, "nope.txt")
    assert api.repo_exists(repo_id)
    assert not api.repo_exists(f"{hub.user}/nope-{RUN}")
    assert api.revision_exists(repo_id, "main")
    assert not api.revision_exists(repo_id, "nope")


def test_hf_file_system(hub, seeded):
    from huggingface_hub import HfFileSystem

    repo_id = seeded.repo_id
    regular, lfs = seeded.files[REGULAR_PATH], seeded.files[LFS_PATH]
    fs = HfFileSystem(endpoint=hub.url, token=hub.token, skip_instance_cache=True)
    root = fs.ls(repo_id, detail=False)
    assert f"{repo_id}/{REGULAR_PATH}" in root and f"{repo_id}/weights" in root, root
    info = fs.info(f"{repo_id}/{LFS_PATH}")
    assert info["size"] == len(lfs) and info["lfs"]["sha256"] == sha256(lfs)
    with fs.open(f"{repo_id}/{LFS_PATH}", "rb", block_size=4096) as f:
        f.seek(100_000)
        assert f.read(5000) == lfs[100_000:105_000]
    assert fs.cat_file(f"{repo_id}/{REGULAR_PATH}") == regular
    assert fs.cat_file(f"{repo_id}/{REGULAR_PATH}", start=2, end=10) == regular[2:10]
    assert fs.cat_file(f"{repo_id}/{LFS_PATH}", start=10, end=30) == lfs[10:30]
    assert sorted(fs.glob(f"{repo_id}/**/*.bin")) == sorted(
        f"{repo_id}/{p}" for p in seeded.files if p.endswith(".bin")
    )


def test_snapshot_download(api, seeded, tmp_path):
    from huggingface_hub import snapshot_download

    repo_id = seeded.repo_id
    folder = Path(snapshot_download(repo_id, local_dir=tmp_path / "snap"))
    remote = set(api.list_repo_files(repo_id))
    local = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
             if p.is_file() and ".cache" not in p.parts}
    assert local == remote
    for path, data in seeded.files.items():
        assert (folder / path).read_bytes() == data, path
    report = api.verify_repo_checksums(repo_id, local_dir=folder)
    assert report.mismatches == [] and report.missing_paths == [], report
