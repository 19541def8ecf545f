"""Scripted failures (hub-server --faults, POST /__admin/faults): the official client must
retry what it retries, resume what it resumes, and surface the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from huggingface_hub import hf_hub_download

from common import (
    BIG, LFS, RUN, assert_no_token_to_storage, download, expect_http_error, fmt, hits,
    storage_entries, unique_bytes,
)

@pytest.fixture()
def faults(hub):
    if not hub.has_faults:
        pytest.skip("hub-server has no --faults flag (fault injection not implemented)")
    hub.clear_faults()
    yield hub
    hub.clear_faults()


@pytest.fixture(scope="module")
def fault_repo(api, hub):
    repo = f"{hub.user}/py-faults-{RUN}"
    api.create_repo(repo)
    api.upload_file(path_or_fileobj=LFS, path_in_repo="lfs.bin", repo_id=repo)
    api.upload_file(path_or_fileobj=BIG, path_in_repo="big.bin", repo_id=repo)
    yield repo
    api.delete_repo(repo, missing_ok=True)


def test_fault_429_on_preupload_is_retried_after_retry_after(api, faults, fault_repo):
    import time

    faults.add_fault(method="POST", path=f"/api/models/{fault_repo}/preupload/*",
                     times=1, status=429, retryAfter=1)
    faults.clear_requests()
    started = time.monotonic()
    api.upload_file(path_or_fileobj=b"after 429\n", path_in_repo="a.txt", repo_id=fault_repo)
    elapsed = time.monotonic() - started
    entries = faults.requests()
    pre = hits(entries, "POST", r"/preupload/")
    assert [e["status"] for e in pre] == [429, 200], fmt(entries)
    assert elapsed >= 1.0, f"the client must wait Retry-After (1 s) before retrying ({elapsed:.2f}s)"


def test_fault_503_on_storage_put_is_retried(api, faults, fault_repo):
    faults.add_fault(method="PUT", origin="storage", times=2, status=503, retryAfter=1)
    faults.clear_requests()
    data = unique_bytes(64 * 1024, "fault-503")  # not yet stored: the client must PUT it
    api.upload_file(path_or_fileobj=data, path_in_repo="retried.bin", repo_id=fault_repo)
    entries = faults.requests()
    puts = [e for e in storage_entries(faults, entries) if e["method"] == "PUT"]
    assert [e["status"] for e in puts] == [503, 503, 200], fmt(entries)
    assert_no_token_to_storage(faults, entries)
    assert download(fault_repo, "retried.bin").read_bytes() == data


def test_fault_500_on_commit_is_not_retried(api, faults, fault_repo):
    faults.add_fault(method="POST", path=f"/api/models/{fault_repo}/commit/*", times=1, status=500)
    faults.clear_requests()
    head = api.repo_info(fault_repo).sha
    err = expect_http_error(
        lambda: api.upload_file(path_or_fileobj=b"x\n", path_in_repo="b.txt", repo_id=fault_repo), 500
    )
    assert err.request_id, "X-Request-Id must reach the error"
    commits = hits(faults.requests(), "POST", r"/commit/")
    assert len(commits) == 1, "a commit is never retried blindly\n" + fmt(commits)
    assert api.repo_info(fault_repo).sha == head
    # The rule fired once; the same upload now goes through.
    api.upload_file(path_or_fileobj=b"x\n", path_in_repo="b.txt", repo_id=fault_repo)
    assert "b.txt" in api.list_repo_files(fault_repo)


def test_fault_cut_download_is_resumed_with_range(faults, fault_repo):
    # The client writes in 10 MiB chunks, so cut past the first one: it then resumes with
    # `Range: bytes=<10 MiB>-` on the storage URL.
    cut = 10 * 1024 * 1024 + 512 * 1024
    faults.add_fault(method="GET", origin="storage", times=1, cutAfterBytes=cut)
    faults.clear_requests()
    local = download(fault_repo, "big.bin", force_download=True)
    assert local.read_bytes() == BIG
    entries = faults.requests()
    gets = [e for e in storage_entries(faults, entries) if e["method"] == "GET"]
    assert len(gets) == 2, "one cut GET, one resumed GET\n" + fmt(entries)
    assert not gets[0].get("range")
    m = re.fullmatch(r"bytes=(\d+)-", gets[1].get("range") or "")
    assert m and 0 < int(m.group(1)) <= cut, gets[1]
    assert gets[1]["status"] == 206, fmt(entries)


def test_fault_corrupt_download_is_caught_by_verify_repo_checksums(api, faults, fault_repo, tmp_path):
    faults.add_fault(method="GET", origin="storage", times=1, corrupt={"offset": 1000, "length": 16})
    local = Path(hf_hub_download(fault_repo, "lfs.bin", local_dir=tmp_path, force_download=True))
    got = local.read_bytes()
    assert len(got) == len(LFS), "same size: hf_hub_download only checks the size"
    assert got != LFS and got[:1000] == LFS[:1000] and got[1016:] == LFS[1016:]
    report = api.verify_repo_checksums(fault_repo, local_dir=tmp_path)
    assert [m["path"] for m in report.mismatches] == ["lfs.bin"], report
    # Without the fault the same call repairs it.
    hf_hub_download(fault_repo, "lfs.bin", local_dir=tmp_path, force_download=True)
    assert local.read_bytes() == LFS
    assert api.verify_repo_checksums(fault_repo, local_dir=tmp_path).mismatches == []


def test_fault_latency_on_head_falls_back_to_cache(faults, fault_repo, monkeypatch):
    import time

    from huggingface_hub import constants

    # HF_HUB_ETAG_TIMEOUT (set for the session) would override the per-call etag_timeout.
    monkeypatch.setattr(constants, "HF_HUB_ETAG_TIMEOUT", constants.DEFAULT_ETAG_TIMEOUT)
    cached = download(fault_repo, "lfs.bin")
    rule = faults.add_fault(method="HEAD", path=f"/{fault_repo}/resolve/**", times=1, latencyMs=3000)
    started = time.monotonic()
    again = download(fault_repo, "lfs.bin", etag_timeout=0.5)
    elapsed = time.monotonic() - started
    assert faults.fault_hits(rule) == 1, "the HEAD reached the server and was delayed"
    assert again == cached and again.read_bytes() == LFS
    assert elapsed < 2.5, f"the client should give up on the slow HEAD and use its cache ({elapsed:.2f}s)"
