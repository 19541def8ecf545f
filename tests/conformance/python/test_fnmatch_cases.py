"""The path-pattern table hubwasm's `js/src/glob.ts` is tested against
(`js/test/fixtures/fnmatch-cases.json`, checked by `js/test/glob.test.mjs`) holds Python's own
answers: `match` is `fnmatch.fnmatchcase(path, pattern)`, `filter` is whether huggingface_hub's
`filter_repo_objects` keeps the path with `allow_patterns=[pattern]` (it reads `\\` as `/` and
appends `*` to a pattern ending in `/`), and the path is dropped with `ignore_patterns=[pattern]`
exactly when it is kept with `allow_patterns`. No server involved."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

from huggingface_hub.utils import filter_repo_objects

from common import HERE

TABLE = HERE.parents[2] / "js" / "test" / "fixtures" / "fnmatch-cases.json"
CASES = json.loads(TABLE.read_text(encoding="utf-8"))


def _disagreements(answer) -> str:
    """One line per row where `answer(row)` is not None (Python's differing answer)."""
    rows = [(r, answer(r)) for r in CASES]
    return "\n".join(f"  pattern {r['pattern']!r}, path {r['path']!r}: the table says "
                     f"match={r['match']} filter={r['filter']}, Python {got}"
                     for r, got in rows if got is not None)


def test_table_has_cases_of_each_kind():
    assert len(CASES) >= 100
    assert any(r["match"] != r["filter"] for r in CASES), "rows where huggingface_hub's additions matter"
    assert {type(r["match"]) for r in CASES} == {bool} and {type(r["filter"]) for r in CASES} == {bool}


def test_fnmatchcase_agrees_with_the_table():
    def answer(r):
        got = fnmatchcase(r["path"], r["pattern"])
        return None if got == r["match"] else f"match={got}"

    bad = _disagreements(answer)
    assert not bad, "fnmatch.fnmatchcase disagrees with fnmatch-cases.json:\n" + bad


def test_filter_repo_objects_agrees_with_the_table():
    def answer(r):
        kept = bool(list(filter_repo_objects([r["path"]], allow_patterns=[r["pattern"]])))
        not_ignored = bool(list(filter_repo_objects([r["path"]], ignore_patterns=[r["pattern"]])))
        if kept == r["filter"] and not_ignored != r["filter"]:
            return None
        return f"keeps it with allow_patterns: {kept}, with ignore_patterns: {not_ignored}"

    bad = _disagreements(answer)
    assert not bad, "filter_repo_objects disagrees with fnmatch-cases.json:\n" + bad
