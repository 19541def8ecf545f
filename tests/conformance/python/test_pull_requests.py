"""Pull requests and discussions: create_commit(create_pr=True), the PR in the discussions
listing, comments, closing, merging, a draft PR pushed to through `refs/pr/N`."""

from __future__ import annotations

import re

import pytest
from huggingface_hub import CommitOperationAdd
from huggingface_hub.errors import EntryNotFoundError

from common import PR_CONTENT, PR_PATH, RUN, download


@pytest.fixture()
def open_pr(api, fresh_repo) -> tuple[str, int]:
    """`fresh_repo` with one open pull request, "Propose notes" (adds pr/notes.txt):
    (repo id, PR number)."""
    info = api.create_commit(
        fresh_repo.repo_id,
        operations=[CommitOperationAdd(path_in_repo=PR_PATH, path_or_fileobj=PR_CONTENT)],
        commit_message="Propose notes",
        create_pr=True,
    )
    return fresh_repo.repo_id, info.pr_num


def test_create_commit_as_pull_request(api, hub, fresh_repo):
    repo_id = fresh_repo.repo_id
    main_before = api.repo_info(repo_id).sha
    info = api.create_commit(
        repo_id,
        operations=[CommitOperationAdd(path_in_repo=PR_PATH, path_or_fileobj=PR_CONTENT)],
        commit_message="Propose notes",
        create_pr=True,
    )
    assert info.pr_url is not None, info
    m = re.search(r"/discussions/(\d+)$", info.pr_url)
    assert m, info.pr_url
    assert info.pr_url == f"{hub.url}/{repo_id}/discussions/{m.group(1)}"
    assert info.pr_num == int(m.group(1))
    assert info.pr_revision == f"refs/pr/{info.pr_num}"
    refs = api.list_repo_refs(repo_id, include_pull_requests=True)
    prs = {p.ref: p.target_commit for p in refs.pull_requests or []}
    assert prs.get(info.pr_revision) == info.oid, refs
    assert api.repo_info(repo_id).sha == main_before, "main must not move"
    got = download(repo_id, PR_PATH, revision=info.pr_revision).read_bytes()
    assert got == PR_CONTENT
    with pytest.raises(EntryNotFoundError):
        download(repo_id, PR_PATH)


def test_pull_request_in_discussions(api, open_pr):
    repo_id, num = open_pr
    discussions = list(api.get_repo_discussions(repo_id))
    prs = [d for d in discussions if d.is_pull_request]
    assert [d.num for d in prs] == [num], discussions
    assert prs[0].status == "open" and prs[0].title == "Propose notes"


def test_pull_request_comment_close_merge(api, open_pr):
    repo_id, num = open_pr
    comment = api.comment_discussion(repo_id, num, "Looks good")
    assert comment.content == "Looks good"
    details = api.get_discussion_details(repo_id, num)
    assert details.is_pull_request and details.num == num
    assert any(getattr(e, "content", None) == "Looks good" for e in details.events), details.events
    # A second PR, closed without merging.
    other = api.create_commit(
        repo_id, operations=[CommitOperationAdd("closed.txt", b"never merged\n")],
        commit_message="To be closed", create_pr=True,
    )
    assert other.pr_num == num + 1
    api.change_discussion_status(repo_id, other.pr_num, "closed")
    assert api.get_discussion_details(repo_id, other.pr_num).status == "closed"
    # Merge the first one: main gains its file.
    api.merge_pull_request(repo_id, num)
    assert api.get_discussion_details(repo_id, num).status == "merged"
    assert download(repo_id, PR_PATH).read_bytes() == PR_CONTENT
    assert "closed.txt" not in api.list_repo_files(repo_id)


def test_discussion_and_draft_pull_request_then_push(api, hub):
    repo = f"{hub.user}/py-community-{RUN}"
    api.create_repo(repo)
    api.upload_file(path_or_fileobj=b"v1\n", path_in_repo="file.txt", repo_id=repo)
    disc = api.create_discussion(repo, "A question", description="Why?")
    assert not disc.is_pull_request and disc.status == "open"
    pr = api.create_pull_request(repo, "Draft change", description="WIP")
    assert pr.is_pull_request and pr.num == disc.num + 1
    assert pr.status in ("draft", "open")
    # Push to the PR ref.
    api.upload_file(path_or_fileobj=b"v2\n", path_in_repo="file.txt", repo_id=repo,
                    revision=pr.git_reference, commit_message="Change in PR")
    assert download(repo, "file.txt", revision=pr.git_reference).read_bytes() == b"v2\n"
    assert download(repo, "file.txt").read_bytes() == b"v1\n"
    prs = list(api.get_repo_discussions(repo, discussion_type="pull_request"))
    assert [d.num for d in prs] == [pr.num]
    discussions = list(api.get_repo_discussions(repo, discussion_type="discussion"))
    assert [d.num for d in discussions] == [disc.num]
    api.change_discussion_status(repo, disc.num, "closed")
    assert [d.num for d in api.get_repo_discussions(repo, discussion_status="open")] == [pr.num]
    if api.get_discussion_details(repo, pr.num).status == "draft":
        api.change_discussion_status(repo, pr.num, "open")  # a draft is published before merging
    assert api.get_discussion_details(repo, pr.num).status == "open"
    api.merge_pull_request(repo, pr.num)
    assert api.get_discussion_details(repo, pr.num).status == "merged"
    assert download(repo, "file.txt", force_download=True).read_bytes() == b"v2\n"
    api.delete_repo(repo)
