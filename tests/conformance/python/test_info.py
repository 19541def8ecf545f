"""Repo info, search and likes: model_info / dataset_info / space_info (card data, tags,
pipeline_tag, library_name from a committed README; `expand`; `revision`), list_models /
list_datasets / list_spaces (search, author, filter, pipeline_tag, sort by likes and downloads,
limit, expand, cardData; pages of --page-size), unlike, list_repo_likers, list_liked_repos.

The Hub no longer lets scripts like a repo (huggingface_hub has no `like`), so likes are made
with a raw `POST /api/{type}s/{repo}/like`; likes and downloads for sorting are set through the
server's `POST /__admin/stats`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from common import HEX40, RUN, expect_http_error, fmt, hits

CARD_V1 = f"""---
license: mit
library_name: transformers
pipeline_tag: text-classification
language:
- en
datasets:
- stanfordnlp/imdb
tags:
- info-{RUN}
---
# A model card

Text after the front matter.
"""
CARD_V2 = CARD_V1.replace("text-classification", "fill-mask")
V1_TAGS = [
    "transformers",
    "text-classification",
    f"info-{RUN}",
    "en",
    "dataset:stanfordnlp/imdb",
    "license:mit",
    "region:us",
]


def _readme(api, repo_id: str, text: str, repo_type: str | None = None) -> str:
    info = api.upload_file(
        path_or_fileobj=text.encode(), path_in_repo="README.md", repo_id=repo_id,
        repo_type=repo_type, commit_message="README",
    )
    return info.oid


def _like(hub, repo_id: str, token: str | None, repo_type: str = "model", method: str = "POST"):
    req = urllib.request.Request(f"{hub.url}/api/{repo_type}s/{repo_id}/like", method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def _stats(hub, repo_id: str, repo_type: str = "model", **counters) -> dict:
    status, body = hub.admin("POST", "/__admin/stats", {"repo": repo_id, "type": repo_type, **counters})
    assert status == 200, f"/__admin/stats {repo_id} {counters}: {status} {body}"
    return body


@pytest.fixture()
def cleanup(api):
    made: list[tuple[str, str]] = []
    yield made
    for repo_id, repo_type in made:
        api.delete_repo(repo_id, repo_type=repo_type, missing_ok=True)


def _create(api, cleanup, repo_id: str, repo_type: str = "model", **kw) -> str:
    api.create_repo(repo_id, repo_type=repo_type, **kw)
    cleanup.append((repo_id, repo_type))
    return repo_id


# ------------------------------------------------------------------ info ----


def test_model_info_card_data_tags_pipeline_and_library(api, hub, cleanup):
    from huggingface_hub import ModelCardData

    repo_id = _create(api, cleanup, f"{hub.user}/py-info-card-{RUN}")
    bare = api.model_info(repo_id)
    assert bare.card_data is None and bare.pipeline_tag is None and bare.library_name is None
    assert bare.tags == ["region:us"]
    assert bare.likes == 0 and bare.downloads == 0 and bare.downloads_all_time == 0

    v1 = _readme(api, repo_id, CARD_V1)
    info = api.model_info(repo_id)
    assert info.sha == v1
    assert isinstance(info.card_data, ModelCardData), info.card_data
    assert info.card_data.license == "mit" and info.card_data.datasets == ["stanfordnlp/imdb"]
    assert info.card_data.tags == [f"info-{RUN}"]
    assert info.tags == V1_TAGS, info.tags
    assert info.pipeline_tag == "text-classification"
    assert info.library_name == "transformers"

    v2 = _readme(api, repo_id, CARD_V2)
    assert api.model_info(repo_id).pipeline_tag == "fill-mask"
    # The card at the requested revision, not at main.
    old = api.model_info(repo_id, revision=v1)
    assert old.sha == v1 and old.pipeline_tag == "text-classification" and old.tags == V1_TAGS
    assert api.model_info(repo_id, revision="main").sha == v2


def test_model_info_expand(api, hub, cleanup):
    from huggingface_hub.errors import BadRequestError

    repo_id = _create(api, cleanup, f"{hub.user}/py-info-expand-{RUN}")
    v1 = _readme(api, repo_id, CARD_V1)
    _readme(api, repo_id, CARD_V2)
    _stats(hub, repo_id, downloads=42, downloadsAllTime=420, likes=3)

    info = api.model_info(repo_id, expand=["pipeline_tag", "cardData", "likes", "downloadsAllTime"])
    assert info.pipeline_tag == "fill-mask" and info.card_data.license == "mit"
    assert info.likes == 3 and info.downloads_all_time == 420
    # Only the listed fields come back.
    assert info.sha is None and info.author is None and info.downloads is None
    assert info.tags is None and info.siblings is None and info.last_modified is None

    at_v1 = api.model_info(repo_id, revision=v1, expand=["sha", "tags", "library_name"])
    assert at_v1.sha == v1 and at_v1.tags == V1_TAGS and at_v1.library_name == "transformers"
    assert at_v1.pipeline_tag is None

    every = api.model_info(repo_id, expand=[
        "author", "createdAt", "lastModified", "private", "gated", "disabled", "downloads",
        "usedStorage", "trendingScore", "siblings", "config", "safetensors", "spaces",
    ])
    assert every.author == hub.user and every.private is False and every.gated is False
    assert every.disabled is False and every.downloads == 42 and every.trending_score == 0
    assert every.created_at is not None and every.last_modified is not None
    assert every.used_storage > 0 and {s.rfilename for s in every.siblings} == {".gitattributes", "README.md"}

    for bad in (["foo"], ["sdk"], ["pipeline_tag", "nope"]):
        err = expect_http_error(lambda: api.model_info(repo_id, expand=bad), 400)
        assert isinstance(err, BadRequestError), type(err)
        assert '"expand" must be one of' in str(err)


def test_dataset_info_and_space_info(api, hub, cleanup):
    ds = _create(api, cleanup, f"{hub.user}/py-info-ds-{RUN}", repo_type="dataset")
    _readme(api, ds, "---\nlicense: cc-by-4.0\nlanguage: [en]\ntask_categories: [translation]\n"
                     f"tags: [ds-{RUN}]\npaperswithcode_id: none-{RUN}\n---\n", repo_type="dataset")
    info = api.dataset_info(ds)
    assert info.tags == ["task_categories:translation", "language:en", "license:cc-by-4.0",
                         f"ds-{RUN}", "region:us"], info.tags
    assert info.card_data.license == "cc-by-4.0" and info.paperswithcode_id == f"none-{RUN}"
    assert info.downloads == 0 and info.likes == 0 and HEX40.match(info.sha)
    _stats(hub, ds, repo_type="dataset", downloads=7)
    small = api.dataset_info(ds, expand=["downloads", "tags"])
    assert small.downloads == 7 and small.tags == info.tags and small.sha is None
    expect_http_error(lambda: api.dataset_info(ds, expand=["pipeline_tag"]), 400)

    sp = _create(api, cleanup, f"{hub.user}/py-info-space-{RUN}", repo_type="space", space_sdk="gradio")
    first = api.space_info(sp)
    assert first.sdk == "gradio" and first.tags == ["gradio", "region:us"], first.tags
    assert first.subdomain == f"{hub.user}-py-info-space-{RUN}" and first.card_data is None
    sha = _readme(api, sp, f"---\nsdk: static\ntags: [sp-{RUN}]\nmodels: [{hub.user}/m]\n---\n",
                  repo_type="space")
    info = api.space_info(sp, expand=["sdk", "tags", "models", "subdomain", "cardData"])
    assert info.sdk == "static" and info.tags == ["static", f"sp-{RUN}", "region:us"]
    assert info.models == [f"{hub.user}/m"] and info.card_data.tags == [f"sp-{RUN}"]
    assert info.subdomain == first.subdomain and info.sha is None
    assert api.space_info(sp, revision=sha).sdk == "static"
    expect_http_error(lambda: api.space_info(sp, expand=["downloads"]), 400)


def test_readme_metadata_is_validated_before_the_commit(api, hub, cleanup):
    """huggingface_hub posts a README.md to /api/validate-yaml before committing it."""
    from huggingface_hub import CommitOperationAdd

    repo_id = _create(api, cleanup, f"{hub.user}/py-info-validate-{RUN}")
    head = api.model_info(repo_id).sha
    hub.clear_requests()
    with pytest.raises(ValueError, match="Invalid metadata in README.md"):
        api.create_commit(repo_id, commit_message="bad card", operations=[
            CommitOperationAdd("README.md", b"---\nmodel-index: foo\n---\n"),
            CommitOperationAdd("file.txt", b"content"),
        ])
    entries = hub.requests()
    assert [e["path"] for e in entries] == ["/api/validate-yaml"], fmt(entries)
    assert api.model_info(repo_id).sha == head, "nothing committed"
    with pytest.warns(UserWarning, match="empty or missing yaml metadata"):
        api.upload_file(path_or_fileobj=b"# no metadata\n", path_in_repo="README.md", repo_id=repo_id)
    info = api.model_info(repo_id)
    assert info.sha != head and info.card_data is None


# -------------------------------------------------------------- listings ----


def _catalogue(api, hub, cleanup) -> tuple[str, list[str]]:
    """Four models tagged `cat-{RUN}` (three with a card of their own), likes and downloads set:
    by likes a3 > a1 > a0 > a2, by downloads a2 > a0 > a3 > a1."""
    tag = f"cat-{RUN}"
    names = [f"{hub.user}/py-info-cat-{RUN}-{i}" for i in range(4)]
    pipes = ["text-classification", "fill-mask", "fill-mask", "text-generation"]
    counters = [(5, 100), (10, 1), (0, 1000), (50, 50)]
    for name, pipe, (likes, downloads) in zip(names, pipes, counters):
        _create(api, cleanup, name)
        license_ = "mit" if pipe != "text-generation" else "apache-2.0"
        _readme(api, name, f"---\npipeline_tag: {pipe}\nlibrary_name: transformers\n"
                           f"license: {license_}\ntags: [{tag}]\n---\n")
        _stats(hub, name, likes=likes, downloads=downloads)
    return tag, names


def test_list_models_search_filter_sort_and_pages(api, hub, cleanup):
    tag, names = _catalogue(api, hub, cleanup)
    hub.clear_requests()
    found = list(api.list_models(search=f"py-info-cat-{RUN}"))
    assert sorted(m.id for m in found) == sorted(names)
    assert all(m.pipeline_tag and m.tags[-1] == "region:us" for m in found), found
    pages = hits(hub.requests(), "GET", r"^/api/models$")
    if "--page-size" in hub.flags:
        assert len(pages) >= 2 and "cursor=" in (pages[-1].get("query") or ""), fmt(pages)

    by_likes = list(api.list_models(filter=tag, sort="likes"))
    assert [m.id for m in by_likes] == [names[3], names[1], names[0], names[2]]
    assert [m.likes for m in by_likes] == [50, 10, 5, 0]
    by_downloads = list(api.list_models(filter=tag, sort="downloads"))
    assert [m.id for m in by_downloads] == [names[2], names[0], names[3], names[1]]
    assert [m.downloads for m in by_downloads] == [1000, 100, 50, 1]
    assert [m.id for m in api.list_models(filter=tag, sort="likes", limit=2)] == [names[3], names[1]]

    assert sorted(m.id for m in api.list_models(filter=[tag, "license:mit"])) == sorted(names[:3])
    assert sorted(m.id for m in api.list_models(filter=tag, pipeline_tag="fill-mask")) == sorted(names[1:3])
    assert [m.id for m in api.list_models(filter=[tag, "text-generation"])] == [names[3]]
    assert sorted(m.id for m in api.list_models(author=hub.user, search=f"cat-{RUN}-")) == sorted(names)
    assert list(api.list_models(author="nobody-at-all", filter=tag)) == []
    assert list(api.list_models(filter=[tag, "no-such-tag"])) == []

    expanded = list(api.list_models(filter=tag, sort="likes", expand=["likes", "pipeline_tag", "cardData"]))
    top = expanded[0]
    assert top.likes == 50 and top.pipeline_tag == "text-generation" and top.card_data.license == "apache-2.0"
    assert top.downloads is None and top.sha is None and top.tags is None
    with_card = list(api.list_models(filter=tag, cardData=True, limit=1))
    assert with_card[0].card_data is not None and with_card[0].tags is not None
    expect_http_error(lambda: list(api.list_models(filter=tag, expand=["foo"])), 400)


def test_list_datasets_and_spaces(api, hub, cleanup):
    dss = [f"{hub.user}/py-info-dsl-{RUN}-{i}" for i in range(2)]
    for i, ds in enumerate(dss):
        _create(api, cleanup, ds, repo_type="dataset")
        lang = ["en", "fr"][i]
        _readme(api, ds, f"---\nlanguage: [{lang}]\ntask_categories: [translation]\ntags: [dsl-{RUN}]\n---\n",
                repo_type="dataset")
        _stats(hub, ds, repo_type="dataset", likes=i, downloads=10 - i)
    assert [d.id for d in api.list_datasets(filter=f"dsl-{RUN}", language="fr")] == [dss[1]]
    assert sorted(d.id for d in api.list_datasets(task_categories="translation", search=f"dsl-{RUN}")) == sorted(dss)
    assert [d.id for d in api.list_datasets(filter=f"dsl-{RUN}", sort="likes")] == [dss[1], dss[0]]
    assert [d.id for d in api.list_datasets(filter=f"dsl-{RUN}", sort="downloads")] == dss
    small = list(api.list_datasets(filter=f"dsl-{RUN}", expand=["downloads"], sort="downloads"))
    assert [d.downloads for d in small] == [10, 9] and small[0].tags is None

    sps = [f"{hub.user}/py-info-spl-{RUN}-{i}" for i in range(2)]
    for i, sp in enumerate(sps):
        _create(api, cleanup, sp, repo_type="space", space_sdk=["gradio", "static"][i])
        _readme(api, sp, f"---\nsdk: {['gradio', 'static'][i]}\ntags: [spl-{RUN}]\n"
                         f"models: [{dss[0] if i == 0 else dss[1]}]\n---\n", repo_type="space")
        _stats(hub, sp, repo_type="space", likes=10 * i)
    assert [s.id for s in api.list_spaces(filter=[f"spl-{RUN}", "gradio"])] == [sps[0]]
    assert [s.id for s in api.list_spaces(filter=f"spl-{RUN}", sort="likes")] == [sps[1], sps[0]]
    assert [s.id for s in api.list_spaces(search=f"spl-{RUN}", models=dss[1])] == [sps[1]]
    spaces = list(api.list_spaces(author=hub.user, search=f"spl-{RUN}", expand=["sdk", "likes"], sort="likes"))
    assert [(s.sdk, s.likes) for s in spaces] == [("static", 10), ("gradio", 0)]


# ----------------------------------------------------------------- likes ----


def test_likes_unlike_likers_and_liked_repos(api, hub, cleanup):
    from huggingface_hub.errors import RepositoryNotFoundError

    other = hub.tokens.get("other-user")
    if not other:
        pytest.skip("server started without --user other-user")
    repos = [_create(api, cleanup, f"{hub.user}/py-info-like-{RUN}-{i}") for i in range(4)]
    ds = _create(api, cleanup, f"{hub.user}/py-info-like-ds-{RUN}", repo_type="dataset")
    private = _create(api, cleanup, f"{hub.user}/py-info-like-priv-{RUN}", private=True)

    assert _like(hub, repos[0], None)[0] == 401, "anonymous"
    for repo_id in repos:
        assert _like(hub, repo_id, hub.token) == (200, {"success": True})
    assert _like(hub, repos[0], hub.token)[0] == 200, "liking twice is fine"
    assert _like(hub, repos[0], other)[0] == 200
    assert _like(hub, ds, other, repo_type="dataset")[0] == 200
    assert _like(hub, private, hub.token)[0] == 200, "the owner may like a private repo"
    assert _like(hub, private, other)[0] == 404, "others cannot see it"

    assert api.model_info(repos[0]).likes == 2
    likers = list(api.list_repo_likers(repos[0]))
    assert [u.username for u in likers] == ["other-user", hub.user], likers
    assert likers[0].fullname and likers[0].avatar_url.endswith(".svg")
    assert [u.username for u in api.list_repo_likers(ds, repo_type="dataset")] == ["other-user"]

    hub.clear_requests()
    mine = api.list_liked_repos()  # the user from whoami
    assert mine.user == hub.user
    assert set(repos) <= set(mine.models) and private not in mine.models, mine
    if "--page-size" in hub.flags:
        pages = hits(hub.requests(), "GET", rf"^/api/users/{hub.user}/likes$")
        assert len(pages) >= 2, fmt(pages)
    theirs = api.list_liked_repos("other-user", token=False)
    assert theirs.models == [repos[0]] and theirs.datasets == [ds] and theirs.total == 2

    api.unlike(repos[0])
    api.unlike(repos[0])  # unliking twice is fine
    assert [u.username for u in api.list_repo_likers(repos[0])] == ["other-user"]
    assert repos[0] not in api.list_liked_repos().models
    assert api.model_info(repos[0]).likes == 1
    api.unlike(ds, repo_type="dataset", token=other)
    assert api.list_liked_repos("other-user").datasets == []

    with pytest.raises(RepositoryNotFoundError):
        api.unlike(f"{hub.user}/py-info-missing-{RUN}")
    expect_http_error(lambda: api.unlike(repos[1], token=False), 401)
    with pytest.raises(RepositoryNotFoundError):
        list(api.list_repo_likers(private, token=other))
    listed = list(api.list_models(search=f"py-info-like-{RUN}-", expand=["likes"]))
    assert sorted(m.likes for m in listed) == [1, 1, 1, 1], listed
