// src/glob.ts (the allowPatterns / ignorePatterns of snapshotDownload) against Python's answers.
// test/fixtures/fnmatch-cases.json holds, for each pattern and path, what Python's
// fnmatch.fnmatchcase answers (`match`) and whether huggingface_hub's filter_repo_objects keeps the
// path with allow_patterns=[pattern] (`filter`); tests/conformance/python/test_fnmatch_cases.py
// checks those answers against Python itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { importBuilt } from "./support/runner.mjs";

const { fnmatchcase, filterPaths } = await importBuilt(
  new URL("../dist/glob.js", import.meta.url),
  "build the package first (`make build-js`, or `npx tsc -p tsconfig.json` in js/).",
);
const cases = JSON.parse(readFileSync(new URL("./fixtures/fnmatch-cases.json", import.meta.url), "utf8"));

/** Rows where `answer(row)` differs from `row[key]`, one line each. */
function disagreements(key, answer) {
  return cases
    .map((r) => ({ r, got: answer(r) }))
    .filter(({ r, got }) => got !== r[key])
    .map(({ r, got }) => `  pattern ${JSON.stringify(r.pattern)}, path ${JSON.stringify(r.path)}: Python ${r[key]}, hubwasm ${got}${r.note ? ` (${r.note})` : ""}`)
    .join("\n");
}

test("the table covers plain fnmatch and huggingface_hub's additions", () => {
  assert.ok(cases.length >= 100, `${cases.length} rows`);
  assert.ok(cases.some((r) => r.match !== r.filter));
});

test("fnmatchcase answers as Python's fnmatch.fnmatchcase", () => {
  const bad = disagreements("match", (r) => fnmatchcase(r.path, r.pattern));
  assert.equal(bad, "", `fnmatchcase disagrees with Python:\n${bad}`);
});

test("filterPaths(allow) keeps a path as filter_repo_objects(allow_patterns) does", () => {
  const bad = disagreements("filter", (r) => filterPaths(r.pattern, undefined)(r.path));
  assert.equal(bad, "", `filterPaths(allow) disagrees with Python:\n${bad}`);
});

test("filterPaths(undefined, ignore) drops exactly the paths the allow list would keep", () => {
  const bad = disagreements("filter", (r) => !filterPaths(undefined, r.pattern)(r.path));
  assert.equal(bad, "", `filterPaths(ignore) disagrees with Python:\n${bad}`);
});

test("filterPaths: a path must match one allowed pattern and no ignored one", () => {
  const paths = ["config.json", "model.safetensors", "nested/a.txt", "nested/b.bin", "notes.txt"];
  const keep = (allow, ignore) => paths.filter(filterPaths(allow, ignore));
  assert.deepEqual(keep(undefined, undefined), paths);
  assert.deepEqual(keep("*.txt", undefined), ["nested/a.txt", "notes.txt"]);
  assert.deepEqual(keep(["*.json", "nested/"], undefined), ["config.json", "nested/a.txt", "nested/b.bin"]);
  assert.deepEqual(keep(["*.json", "nested/"], "*.bin"), ["config.json", "nested/a.txt"]);
  assert.deepEqual(keep(undefined, ["nested/", "*.json"]), ["model.safetensors", "notes.txt"]);
  assert.deepEqual(keep([], undefined), [], "an empty allow list keeps nothing, as in Python");
});
