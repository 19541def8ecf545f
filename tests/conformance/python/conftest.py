"""Starts one hub-server for the session, points huggingface_hub at it, and provides the repos
the tests work on.

huggingface_hub reads HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET, HF_HOME… once, when it is
imported, so the server is started (and the environment set) in `pytest_configure`, before
pytest imports the test modules; nothing here imports huggingface_hub at module level. The
`hub` fixture hands the running server to the tests.

Repos, so that any test runs alone (`pytest test_x.py::test_y`) and in any order:

- `seeded`: one repo for the session with `config.json`, `weights/small.bin` (LFS) and
  `big.bin` (LFS multipart), one commit each. Read-only: a test that changes a repo takes one
  of the function-scoped repos below.
- `fresh_repo`: a new repo with the same seeded content, for one test.
- `repo_with_refs`: `fresh_repo` plus a branch `dev` with one commit of its own and a tag
  `v1.0` on main.
- `empty_repo`: a new repo with only its initial commit; `new_repo_id`: a name, not created.

Each function-scoped repo is deleted after its test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubserver  # noqa: E402
from common import BIG_PATH, HEX40, RUN, SEED_COMMITS  # noqa: E402

_HUB: hubserver.Hub | None = None
_HF_HOME: str | None = None


def pytest_configure(config):
    global _HUB, _HF_HOME
    external = os.environ.get("CONFORMANCE_HUB_JSON")
    if external:
        info = json.loads(external)
        _HUB = hubserver.Hub(
            url=info["url"].rstrip("/"),
            token=info["token"],
            user=info["user"],
            tokens=info.get("tokens", {}),
            storage_url=info.get("storageUrl"),
            flags=set(info.get("flags", [])),
            startup=info,
        )
    else:
        _HUB = hubserver.start()
        hubserver.wait_ready(_HUB)
    _HF_HOME = tempfile.mkdtemp(prefix="hf-home-")
    for var in ("HF_HUB_OFFLINE", "HF_HUB_CACHE", "HF_XET_CACHE", "HUGGINGFACE_HUB_CACHE",
                "HF_TOKEN_PATH", "HF_HUB_DISABLE_IMPLICIT_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        os.environ.pop(var, None)
    os.environ.update(
        {
            "HF_ENDPOINT": _HUB.url,
            "HF_TOKEN": _HUB.token,
            "HF_HUB_DISABLE_XET": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "HF_HUB_ETAG_TIMEOUT": "30",
            "HF_HUB_DOWNLOAD_TIMEOUT": "60",
            "HF_HOME": _HF_HOME,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    if "huggingface_hub" in sys.modules:
        raise RuntimeError("huggingface_hub was imported before its environment was set")


def pytest_unconfigure(config):
    if _HUB is not None:
        _HUB.stop()
    if _HF_HOME:
        shutil.rmtree(_HF_HOME, ignore_errors=True)


def pytest_report_header(config):
    if _HUB is None:
        return None
    return [
        f"hub-server: {_HUB.url} (storage: {_HUB.storage_url or 'not announced'})",
        f"hub-server flags: {' '.join(sorted(_HUB.flags))}",
    ]


@pytest.fixture(scope="session")
def hub() -> hubserver.Hub:
    assert _HUB is not None
    return _HUB


@pytest.fixture(scope="session")
def hf_home() -> Path:
    assert _HF_HOME is not None
    return Path(_HF_HOME)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the server's stderr to the report."""
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed and _HUB is not None:
        tail = _HUB.stderr_tail()
        if tail:
            rep.sections.append(("hub-server stderr (tail)", tail))


# --------------------------------------------------------------- repos ----


@dataclass
class Repo:
    """A repo a test works on, and what was done to it before the test began."""

    repo_id: str
    created_sha: str  # main's head right after create_repo (the initial commit)
    files: dict[str, bytes] = field(default_factory=dict)  # on main: path -> content
    oids: dict[str, str] = field(default_factory=dict)  # path -> the commit that added it
    commits: list[str] = field(default_factory=list)  # titles on main after the initial commit, oldest first
    dev: str | None = None  # repo_with_refs: the commit on branch `dev`


def create_empty(api, repo_id: str) -> Repo:
    api.create_repo(repo_id)
    sha = api.repo_info(repo_id).sha
    assert HEX40.match(sha), f"create_repo({repo_id}): head {sha!r}"
    return Repo(repo_id=repo_id, created_sha=sha)


def seed(api, hub, repo_id: str) -> Repo:
    """Creates `repo_id` and commits the seeded files to main, one commit each. `big.bin` needs
    the server's multipart flags (without them the multipart steps are skipped)."""
    repo = create_empty(api, repo_id)
    for title, path, data in SEED_COMMITS:
        if path == BIG_PATH and not hub.has_multipart_flags:
            continue
        info = api.upload_file(
            path_or_fileobj=data, path_in_repo=path, repo_id=repo_id, commit_message=title
        )
        repo.files[path] = data
        repo.oids[path] = info.oid
        repo.commits.append(title)
    return repo


@pytest.fixture(scope="session")
def api(hub):
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub.url, token=hub.token)


@pytest.fixture(scope="session")
def seeded(api, hub) -> Repo:
    """The session's seeded repo. Tests must not change it."""
    repo = seed(api, hub, f"{hub.user}/py-conformance-{RUN}")
    yield repo
    api.delete_repo(repo.repo_id, missing_ok=True)


@pytest.fixture()
def new_repo_id(api, hub, request) -> str:
    """A model repo name of this test's own (`{user}/py-<test name>-{RUN}`), deleted afterwards
    if the test created it."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower().removeprefix("test_")).strip("-")
    repo_id = f"{hub.user}/py-{slug[:48]}-{RUN}"
    yield repo_id
    api.delete_repo(repo_id, missing_ok=True)


@pytest.fixture()
def empty_repo(api, new_repo_id) -> Repo:
    return create_empty(api, new_repo_id)


@pytest.fixture()
def fresh_repo(api, hub, new_repo_id) -> Repo:
    return seed(api, hub, new_repo_id)


@pytest.fixture()
def repo_with_refs(api, fresh_repo) -> Repo:
    """`fresh_repo` with branch `dev` (main's head plus a commit "Commit on dev" adding
    `dev.txt`) and tag `v1.0` on main's head."""
    r = fresh_repo
    api.create_branch(r.repo_id, branch="dev")
    info = api.upload_file(
        path_or_fileobj=b"dev only\n", path_in_repo="dev.txt", repo_id=r.repo_id,
        revision="dev", commit_message="Commit on dev",
    )
    api.create_tag(r.repo_id, tag="v1.0", tag_message="first release")
    r.dev = info.oid
    return r
