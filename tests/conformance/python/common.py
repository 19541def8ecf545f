"""What the test files share: the seeded content, hashes, and checks on the server's request log.

Imported by conftest.py before huggingface_hub reads its environment (see conftest), so this
module must not import huggingface_hub at module level: the two helpers that need it import it
when they are called.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
JS_DIR = HERE.parent / "js"
HEX40 = re.compile(r"^[0-9a-f]{40}$")

# One id per session: every repo a test creates carries it, so names never collide with an
# earlier run on a long-lived server (CONFORMANCE_HUB_JSON).
RUN = uuid.uuid4().hex[:8]

# ---------------------------------------------------------------- data ----


def pseudo_random(n: int, seed: int | str) -> bytes:
    """Deterministic incompressible bytes; contains NULs, so the server sees a binary sample."""
    return random.Random(seed).randbytes(n)


def unique_bytes(n: int, label: str) -> bytes:
    """Binary content no other test uploads to this server. The server stores LFS objects by
    sha256 for every repo at once and answers the batch call with no upload action for an
    object it already has, so a test that asserts the upload requests needs content of its own."""
    return pseudo_random(n, seed=f"{RUN}:{label}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# The seeded repo's files (conftest.py `seeded`): a regular file, a small LFS file in a folder,
# and an LFS file big enough for a multipart upload (3 parts with hubserver.CHUNK_SIZE).
REGULAR_PATH = "config.json"
REGULAR = json.dumps({"model_type": "conformance", "hidden_size": 8}, indent=2).encode() + b"\n"
LFS_PATH = "weights/small.bin"
LFS = pseudo_random(200 * 1024, seed=1)
BIG_PATH = "big.bin"
BIG = pseudo_random(11 * 1024 * 1024 + 12345, seed=2)
PR_PATH = "pr/notes.txt"
PR_CONTENT = b"opened as a pull request\n"

# The commits that seed a repo, in order: (title, path, content).
SEED_COMMITS = (
    ("Add config.json", REGULAR_PATH, REGULAR),
    ("Add small LFS file", LFS_PATH, LFS),
    ("Add big LFS file (multipart)", BIG_PATH, BIG),
)

# ----------------------------------------------------- the request log ----


def hits(entries, method, pattern):
    rx = re.compile(pattern)
    return [e for e in entries if e["method"] == method and rx.search(e["path"])]


def storage_entries(hub, entries):
    return [e for e in entries if hub.is_storage(e)]


def assert_no_token_to_storage(hub, entries):
    leaked = [e for e in storage_entries(hub, entries) if e.get("auth")]
    assert not leaked, f"Authorization header sent to the storage origin: {leaked}"


def fmt(entries) -> str:
    return "\n".join(
        f"  {e['method']} {e['path']}{'?' + e['query'] if e.get('query') else ''} -> {e['status']}"
        f"{' (auth)' if e.get('auth') else ''}"
        for e in entries
    )


# ------------------------------------------------------------- client ----


def expect_http_error(fn, status: int):
    """Runs `fn`, which must raise HfHubHTTPError with this status; returns the error."""
    import pytest
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError) as ei:
        fn()
    assert ei.value.response is not None
    assert ei.value.response.status_code == status, (
        f"expected HTTP {status}, got {ei.value.response.status_code}: {ei.value}"
    )
    return ei.value


def download(repo_id: str, filename: str, **kw) -> Path:
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(repo_id, filename, **kw))
