"""Refs and history: branches (with a slash, from a revision, main cannot be deleted), tags,
list_repo_refs, list_repo_commits."""

from __future__ import annotations

import pytest
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

from common import HEX40, REGULAR, REGULAR_PATH, download, expect_http_error


def test_create_branch(api, fresh_repo):
    repo_id = fresh_repo.repo_id
    head = api.repo_info(repo_id).sha
    api.create_branch(repo_id, branch="dev")
    expect_http_error(lambda: api.create_branch(repo_id, branch="dev"), 409)
    api.create_branch(repo_id, branch="dev", exist_ok=True)
    refs = api.list_repo_refs(repo_id)
    dev = [b for b in refs.branches if b.name == "dev"]
    assert dev and dev[0].ref == "refs/heads/dev" and dev[0].target_commit == head, refs
    # A commit on dev moves dev only.
    info = api.upload_file(
        path_or_fileobj=b"dev only\n", path_in_repo="dev.txt", repo_id=repo_id,
        revision="dev", commit_message="Commit on dev",
    )
    assert api.repo_info(repo_id, revision="dev").sha == info.oid
    assert api.repo_info(repo_id).sha == head
    assert download(repo_id, "dev.txt", revision="dev").read_bytes() == b"dev only\n"
    with pytest.raises(EntryNotFoundError):
        download(repo_id, "dev.txt")
    # A branch name with a slash travels as one %2F-encoded segment.
    api.create_branch(repo_id, branch="feature/x")
    api.upload_file(path_or_fileobj=b"feature\n", path_in_repo="feature.txt", repo_id=repo_id,
                    revision="feature/x", commit_message="On feature/x")
    assert download(repo_id, "feature.txt", revision="feature/x").read_bytes() == b"feature\n"
    assert "feature.txt" in api.list_repo_files(repo_id, revision="feature/x")
    api.delete_branch(repo_id, branch="feature/x")
    # Branch from an explicit revision.
    api.create_branch(repo_id, branch="from-dev", revision="dev")
    assert api.repo_info(repo_id, revision="from-dev").sha == info.oid
    api.delete_branch(repo_id, branch="from-dev")
    with pytest.raises(HfHubHTTPError) as ei:
        api.delete_branch(repo_id, branch="main")
    assert 400 <= ei.value.response.status_code < 500, "deleting main must be refused"
    assert api.repo_info(repo_id).sha == head
    assert "from-dev" not in [b.name for b in api.list_repo_refs(repo_id).branches]


def test_create_tag(api, fresh_repo):
    repo_id = fresh_repo.repo_id
    head = api.repo_info(repo_id).sha
    api.create_tag(repo_id, tag="v1.0", tag_message="first release")
    expect_http_error(lambda: api.create_tag(repo_id, tag="v1.0"), 409)
    api.create_tag(repo_id, tag="v1.0", exist_ok=True)
    tags = {t.name: t for t in api.list_repo_refs(repo_id).tags}
    assert "v1.0" in tags, tags
    assert tags["v1.0"].ref == "refs/tags/v1.0" and tags["v1.0"].target_commit == head
    assert download(repo_id, REGULAR_PATH, revision="v1.0").read_bytes() == REGULAR
    assert api.repo_info(repo_id, revision="v1.0").sha == head
    api.create_tag(repo_id, tag="tmp-tag")
    api.delete_tag(repo_id, tag="tmp-tag")
    assert "tmp-tag" not in [t.name for t in api.list_repo_refs(repo_id).tags]


def test_list_repo_refs(api, repo_with_refs):
    repo_id = repo_with_refs.repo_id
    refs = api.list_repo_refs(repo_id)
    branches = {b.name: b.target_commit for b in refs.branches}
    assert branches == {"main": api.repo_info(repo_id).sha, "dev": repo_with_refs.dev}, branches
    assert {t.name for t in refs.tags} == {"v1.0"}
    assert refs.pull_requests is None  # not asked for
    for b in refs.branches:
        assert HEX40.match(b.target_commit)


def test_list_repo_commits(api, repo_with_refs):
    repo_id = repo_with_refs.repo_id
    titles_on_main = repo_with_refs.commits  # oldest first
    commits = api.list_repo_commits(repo_id)
    titles = [c.title for c in commits]
    assert titles[: len(titles_on_main)] == list(reversed(titles_on_main)), titles
    assert len(commits) == len(titles_on_main) + 1, "plus the initial commit"
    assert commits[0].commit_id == api.repo_info(repo_id).sha
    assert len({c.commit_id for c in commits}) == len(commits)
    for c in commits:
        assert HEX40.match(c.commit_id), c
        assert c.created_at is not None
    dates = [c.created_at for c in commits]
    assert dates == sorted(dates, reverse=True), "newest first"
    dev = api.list_repo_commits(repo_id, revision="dev")
    assert dev[0].title == "Commit on dev" and dev[0].commit_id == repo_with_refs.dev
    assert [c.commit_id for c in dev[1:]] == [
        c.commit_id for c in commits if c.title != "Commit on dev"
    ][-(len(dev) - 1):]
