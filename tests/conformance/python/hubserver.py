"""Starts tests/hub-server and talks to its admin endpoints (stdlib only, so it can be
imported before huggingface_hub reads its environment variables)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_BIN = REPO_ROOT / "target" / "debug" / "hub-server"

# Sizes for the multipart step: with these flags a ~11 MiB file needs 3 parts (4+4+3 MiB).
MULTIPART_THRESHOLD = 4 * 1024 * 1024
CHUNK_SIZE = 4 * 1024 * 1024


def server_bin() -> Path:
    return Path(os.environ.get("HUB_SERVER_BIN") or DEFAULT_BIN)


def server_flags(binary: Path) -> set[str]:
    """The `--flags` the binary documents in `--help`, so steps can depend on what exists."""
    out = subprocess.run([str(binary), "--help"], capture_output=True, text=True, timeout=30)
    text = out.stdout + out.stderr
    return {tok.rstrip(",=") for tok in text.split() if tok.startswith("--")}


@dataclass
class Hub:
    url: str
    token: str
    user: str
    tokens: dict = field(default_factory=dict)
    storage_url: str | None = None
    flags: set = field(default_factory=set)
    startup: dict = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    workdir: Path | None = None
    stderr_path: Path | None = None

    # ---- capabilities ----
    @property
    def has_multipart_flags(self) -> bool:
        return {"--multipart-threshold", "--chunk-size"} <= self.flags

    @property
    def has_faults(self) -> bool:
        return "--faults" in self.flags

    # ---- admin helpers (no token; 127.0.0.1 only) ----
    def admin(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json"} if data else {},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b"null")
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def add_fault(self, **rule) -> int:
        status, body = self.admin("POST", "/__admin/faults", rule)
        assert status == 200, f"POST /__admin/faults {rule} -> {status} {body}"
        return body["ids"][0]

    def fault_hits(self, rule_id: int) -> int:
        status, body = self.admin("GET", "/__admin/faults")
        assert status == 200, body
        rules = body.get("rules", body) if isinstance(body, dict) else body
        [rule] = [r for r in rules if r["id"] == rule_id]
        return rule["hits"]

    def clear_faults(self) -> None:
        if self.has_faults:
            self.admin("DELETE", "/__admin/faults")

    # ---- admin request log ----
    def _admin(self, method: str) -> list | dict:
        req = urllib.request.Request(self.url + "/__admin/requests", method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def requests(self) -> list[dict]:
        return self._admin("GET")

    def clear_requests(self) -> None:
        self._admin("DELETE")

    def is_storage(self, entry: dict) -> bool:
        """Whether a logged request went to the storage origin rather than the Hub API."""
        for key in ("origin", "listener", "server", "host"):
            v = entry.get(key)
            if isinstance(v, str):
                if self.storage_url and urlsplit(self.storage_url).netloc in v:
                    return True
                if v.lower() in ("storage", "cdn", "lfs"):
                    return True
                if urlsplit(self.url).netloc in v or v.lower() in ("hub", "api"):
                    return False
        # Fallback when the log has no origin field: storage URLs are the ones that are not
        # Hub routes (API, resolve/raw, LFS batch).
        path = entry.get("path", "")
        if path.startswith("/api/") or "/resolve/" in path or "/raw/" in path:
            return False
        if path.endswith(".git/info/lfs/objects/batch"):
            return False
        return True

    def stderr_tail(self, n: int = 40) -> str:
        if not self.stderr_path or not self.stderr_path.exists():
            return ""
        lines = self.stderr_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])

    def stop(self, keep: bool = False) -> None:
        """Stops the server; `keep` leaves its work dir (logs) in place."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.workdir and not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_with_data(data_dir: Path) -> Hub:
    """A plain server (no extra users) on a caller-owned --data dir, for restart tests."""
    return start(users=(), data_dir=data_dir)


def start(
    extra_args: list[str] | None = None,
    users: tuple[str, ...] = ("other-user",),
    data_dir: Path | None = None,
) -> Hub:
    binary = server_bin()
    if not binary.is_file():
        raise RuntimeError(
            f"hub-server binary not found at {binary}: run `cargo build -p hub-server` "
            "or set HUB_SERVER_BIN"
        )
    flags = server_flags(binary)
    workdir = Path(tempfile.mkdtemp(prefix="hub-conformance-"))
    args = [str(binary), "--port", "0", "--data", str(data_dir or workdir / "data")]
    for u in users:
        args += ["--user", u]
    if {"--multipart-threshold", "--chunk-size"} <= flags:
        args += ["--multipart-threshold", str(MULTIPART_THRESHOLD), "--chunk-size", str(CHUNK_SIZE)]
    if "--faults" in flags:
        args.append("--faults")
    if "--page-size" in flags and os.environ.get("CONFORMANCE_PAGE_SIZE", "3") != "0":
        # Small pages, so every listing the clients make must follow `Link: rel="next"`.
        args += ["--page-size", os.environ.get("CONFORMANCE_PAGE_SIZE", "3")]
    if "--verbose" in flags:
        args.append("--verbose")
    args += extra_args or []
    stderr_path = workdir / "hub-server.stderr"
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=open(stderr_path, "wb"),
        stdin=subprocess.DEVNULL,
    )
    first = _read_first_line(proc, timeout=30)
    if not first:
        proc.kill()
        raise RuntimeError(
            f"hub-server printed no startup line: {stderr_path.read_text(errors='replace')}"
        )
    info = json.loads(first)
    # Keep draining stdout so the server can never block on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return Hub(
        url=info["url"].rstrip("/"),
        token=info["token"],
        user=info["user"],
        tokens=info.get("tokens", {}),
        storage_url=info.get("storageUrl"),
        flags=flags,
        startup=info,
        proc=proc,
        workdir=workdir,
        stderr_path=stderr_path,
    )


def _read_first_line(proc: subprocess.Popen, timeout: float) -> str:
    box: list[bytes] = []
    t = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    t.start()
    t.join(timeout)
    if not box:
        return ""
    return box[0].decode().strip()


def wait_ready(hub: Hub, timeout: float = 10) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            hub.requests()
            return
        except (urllib.error.URLError, ConnectionError):
            if time.time() > deadline:
                raise
            time.sleep(0.05)
