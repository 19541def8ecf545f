"""Starts one hub-server for the session and points huggingface_hub at it.

huggingface_hub reads HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET, HF_HOME… once, when it is
imported, so the server is started (and the environment set) in `pytest_configure`, before
pytest imports the test module. The `hub` fixture hands the running server to the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubserver  # noqa: E402

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
