"""Typed errors: RepositoryNotFound, RevisionNotFound, (Remote)EntryNotFound with
X-Repo-Commit, GatedRepo, private repos hidden from others, DisabledRepo."""

from __future__ import annotations

import pytest
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from common import HEX40, RUN, download


def test_error_repository_not_found(api, hub):
    missing = f"{hub.user}/no-such-repo-{RUN}"
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info(missing)
    with pytest.raises(RepositoryNotFoundError):
        download(missing, "config.json")
    with pytest.raises(RepositoryNotFoundError):
        api.list_repo_files(missing)
    # Anonymous access to a missing repo is also RepositoryNotFoundError (401 or 404).
    with pytest.raises(RepositoryNotFoundError):
        download(missing, "config.json", token=False)


def test_error_revision_not_found(api, seeded):
    repo_id = seeded.repo_id
    with pytest.raises(RevisionNotFoundError):
        download(repo_id, ".gitattributes", revision="no-such-branch")
    with pytest.raises(RevisionNotFoundError):
        api.repo_info(repo_id, revision="no-such-branch")
    with pytest.raises(RevisionNotFoundError):
        api.list_repo_files(repo_id, revision="no-such-branch")


def test_error_entry_not_found(seeded):
    repo_id = seeded.repo_id
    with pytest.raises(RemoteEntryNotFoundError) as ei:
        download(repo_id, "no/such/file.txt")
    assert isinstance(ei.value, EntryNotFoundError)
    assert ei.value.response.status_code == 404
    assert HEX40.match(ei.value.response.headers.get("x-repo-commit", "")), (
        "EntryNotFound must carry X-Repo-Commit"
    )


def test_error_gated_repo(api, hub):
    other = hub.tokens.get("other-user")
    assert other, "server started with --user other-user"
    gated = f"{hub.user}/py-gated-{RUN}"
    api.create_repo(gated)
    api.upload_file(path_or_fileobj=b"secret\n", path_in_repo="file.txt", repo_id=gated)
    try:
        api.update_repo_settings(gated, gated="auto")
    except HfHubHTTPError as e:
        status = e.response.status_code if e.response is not None else None
        if status in (404, 405, 501):
            pytest.skip(
                f"hub-server does not support gating: PUT /api/models/{gated}/settings "
                f'{{"gated":"auto"}} answered {status}'
            )
        raise
    assert api.repo_info(gated).gated == "auto"
    # Logged in, not on the authorized list: 403 GatedRepo.
    with pytest.raises(GatedRepoError):
        download(gated, "file.txt", token=other)
    # Anonymous: 401 GatedRepo.
    with pytest.raises(GatedRepoError):
        download(gated, "file.txt", token=False)
    # auth_check (GET …/auth-check) says the same before any download.
    with pytest.raises(GatedRepoError):
        api.auth_check(gated, token=other)
    api.auth_check(gated)
    # The owner still reads it.
    assert download(gated, "file.txt").read_bytes() == b"secret\n"
    # Once granted (admin endpoint: the public API has no "accept access request" here).
    status, body = hub.admin("POST", "/__admin/grant", {"repo": gated, "user": "other-user"})
    if status == 200:
        api.auth_check(gated, token=other)
        got = download(gated, "file.txt", token=other, force_download=True)
        assert got.read_bytes() == b"secret\n"
    api.delete_repo(gated)


def test_error_private_repo(api, hub):
    other = hub.tokens.get("other-user")
    private = f"{hub.user}/py-private-{RUN}"
    api.create_repo(private, private=True)
    api.upload_file(path_or_fileobj=b"private\n", path_in_repo="file.txt", repo_id=private)
    assert api.repo_info(private).private is True
    # Another user and anonymous callers must not learn that it exists.
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info(private, token=other)
    with pytest.raises(RepositoryNotFoundError):
        api.auth_check(private, token=other)
    with pytest.raises(RepositoryNotFoundError):
        download(private, "file.txt", token=other)
    with pytest.raises(RepositoryNotFoundError):
        download(private, "file.txt", token=False)
    assert download(private, "file.txt").read_bytes() == b"private\n"
    api.update_repo_settings(private, private=False)
    assert download(private, "file.txt", token=other, force_download=True).read_bytes() == b"private\n"
    api.delete_repo(private)


def test_error_disabled_repo(api, hub):
    from huggingface_hub.errors import DisabledRepoError

    repo = f"{hub.user}/py-disabled-{RUN}"
    api.create_repo(repo)
    api.upload_file(path_or_fileobj=b"x\n", path_in_repo="file.txt", repo_id=repo)
    status, body = hub.admin("POST", "/__admin/disable", {"repo": repo})
    if status == 404 and not isinstance(body, dict):
        pytest.skip(f"hub-server has no POST /__admin/disable ({status})")
    assert status == 200, body
    from huggingface_hub.errors import LocalEntryNotFoundError

    with pytest.raises(DisabledRepoError):
        api.repo_info(repo)
    # hf_hub_download wraps HEAD errors other than repo/gated/revision/entry in
    # LocalEntryNotFoundError when nothing is cached; the cause is the typed error.
    with pytest.raises(LocalEntryNotFoundError) as ei:
        download(repo, "file.txt")
    assert isinstance(ei.value.__cause__, DisabledRepoError), repr(ei.value.__cause__)
    assert ei.value.__cause__.response.status_code == 403
    hub.admin("POST", "/__admin/disable", {"repo": repo, "disabled": False})
    assert download(repo, "file.txt").read_bytes() == b"x\n"
    api.delete_repo(repo)
