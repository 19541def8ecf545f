"""Cross-checks on one server: Python uploads, @huggingface/hub downloads, and the other way
round; and the JS client's cache read by the Python client offline. The JS side runs as a child
process (js/cross.mjs) pointed at this session's server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from huggingface_hub import hf_hub_download

from common import (
    BIG, HEX40, JS_DIR, LFS, REGULAR, RUN, download, git_blob_sha1, sha256,
)

CROSS_FILES = {
    "regular": ("cross/config.json", REGULAR),
    "lfs_basic": ("cross/small.bin", LFS),
    "lfs_multipart": ("cross/big.bin", BIG),
}


def node_cross(hub, *args: str) -> dict:
    node = shutil.which("node")
    assert node, "node is required for the cross-checks"
    script = JS_DIR / "cross.mjs"
    assert (JS_DIR / "node_modules" / "@huggingface" / "hub").is_dir(), (
        "run tests/conformance/setup.sh first"
    )
    env = {**os.environ, "HUB_URL": hub.url, "HUB_TOKEN": hub.token}
    out = subprocess.run(
        [node, str(script), *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, f"cross.mjs {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cross_repos(api, hub):
    py_repo = f"{hub.user}/py-to-js-{RUN}"
    js_repo = f"{hub.user}/js-to-py-{RUN}"
    api.create_repo(py_repo)
    api.create_repo(js_repo)
    yield py_repo, js_repo
    for r in (py_repo, js_repo):
        api.delete_repo(r, missing_ok=True)


def _multipart_guard(hub, kind):
    if kind == "lfs_multipart" and not hub.has_multipart_flags:
        pytest.skip("hub-server has no --multipart-threshold/--chunk-size flags (no multipart)")


@pytest.mark.parametrize("kind", list(CROSS_FILES))
def test_cross_python_uploads_js_downloads(api, hub, cross_repos, kind, tmp_path):
    _multipart_guard(hub, kind)
    py_repo, _ = cross_repos
    path, data = CROSS_FILES[kind]
    api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=py_repo)
    out_file = tmp_path / "js-download"
    got = node_cross(hub, "download", py_repo, path, str(out_file))
    assert got["size"] == len(data)
    assert got["sha256"] == sha256(data)
    assert out_file.read_bytes() == data, "byte-for-byte"


@pytest.mark.parametrize("kind", list(CROSS_FILES))
def test_cross_js_uploads_python_downloads(api, hub, cross_repos, kind, tmp_path):
    _multipart_guard(hub, kind)
    _, js_repo = cross_repos
    path, data = CROSS_FILES[kind]
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    res = node_cross(hub, "upload", js_repo, path, str(src))
    assert HEX40.match(res["commit"]), res
    local = download(js_repo, path, force_download=True)
    assert local.read_bytes() == data, "byte-for-byte"
    [entry] = api.get_paths_info(js_repo, [path])
    if kind == "regular":
        assert entry.lfs is None
    else:
        assert entry.lfs is not None and entry.lfs.sha256 == sha256(data)


@pytest.mark.parametrize("kind", ["regular", "lfs_basic"])
def test_cross_js_cache_is_read_by_python_offline(api, hub, cross_repos, kind, tmp_path):
    """@huggingface/hub's downloadFileToCacheDir writes the shared HF cache layout; the Python
    client must find the file there with local_files_only (no request to the server).

    Pinned to the head commit: without a commit id, the JS client names the snapshot after
    the file's lastCommit and writes no refs/, so the two clients only meet on a commit id."""
    py_repo, _ = cross_repos
    path, data = CROSS_FILES[kind]
    if path not in api.list_repo_files(py_repo):
        api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=py_repo)
    head = api.repo_info(py_repo).sha
    cache = tmp_path / "cache"
    res = node_cross(hub, "cache", py_repo, path, str(cache), head)
    assert Path(res["file"]).read_bytes() == data
    assert f"/snapshots/{head}/" in res["file"], res
    hub.clear_requests()
    local = Path(hf_hub_download(py_repo, path, revision=head, cache_dir=cache, local_files_only=True))
    assert local.read_bytes() == data
    assert local.resolve().name == (git_blob_sha1(data) if kind == "regular" else sha256(data))
    assert hub.requests() == [], "local_files_only must not touch the network"


def test_cross_js_snapshot_is_read_by_python_offline(api, hub, cross_repos, tmp_path):
    """@huggingface/hub's snapshotDownload (refs/main + snapshots/<sha>) is a cache that
    Python's snapshot_download and hf_hub_download use offline."""
    from huggingface_hub import snapshot_download

    py_repo, _ = cross_repos
    for kind in ("regular", "lfs_basic"):
        path, data = CROSS_FILES[kind]
        if path not in api.list_repo_files(py_repo):
            api.upload_file(path_or_fileobj=data, path_in_repo=path, repo_id=py_repo)
    head = api.repo_info(py_repo).sha
    cache = tmp_path / "cache"
    res = node_cross(hub, "snapshot", py_repo, "-", str(cache))
    assert res["folder"].endswith(f"/snapshots/{head}"), res
    hub.clear_requests()
    folder = Path(snapshot_download(py_repo, cache_dir=cache, local_files_only=True))
    assert folder.name == head
    for kind in ("regular", "lfs_basic"):
        path, data = CROSS_FILES[kind]
        assert (folder / path).read_bytes() == data
        local = Path(hf_hub_download(py_repo, path, cache_dir=cache, local_files_only=True))
        assert local.read_bytes() == data
    assert hub.requests() == [], "local_files_only must not touch the network"
