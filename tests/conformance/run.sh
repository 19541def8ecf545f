#!/usr/bin/env bash
# Conformance: the official clients (huggingface_hub from PyPI, @huggingface/hub from npm)
# against tests/hub-server. Installs the clients (setup.sh), builds nothing: it expects
# target/debug/hub-server (`cargo build -p hub-server`) or $HUB_SERVER_BIN.
# Runs both suites even when the first fails; exits non-zero if either fails.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export HUB_SERVER_BIN="${HUB_SERVER_BIN:-$ROOT/target/debug/hub-server}"

"$HERE/setup.sh" || { echo "conformance: setup failed" >&2; exit 1; }
if [ ! -x "$HUB_SERVER_BIN" ]; then
  echo "conformance: $HUB_SERVER_BIN not found; run \`cargo build -p hub-server\` first" >&2
  exit 1
fi

py_log="$(mktemp)"; js_log="$(mktemp)"; x_log="$(mktemp)"
trap 'rm -f "$py_log" "$js_log" "$x_log"' EXIT

echo "== huggingface_hub (pytest) =="
# Every python/test_*.py (one file per subject; the shared repos are fixtures in conftest.py).
(cd "$HERE/python" && "$ROOT/.venv/bin/python" -m pytest . \
   -p no:cacheprovider -rfEsxX --color=no) 2>&1 | tee "$py_log"
py_rc=${PIPESTATUS[0]}

echo
echo "== @huggingface/hub (node --test) =="
(cd "$HERE/js" && node --test --test-reporter=spec official-js.test.mjs official-js-oauth.test.mjs) 2>&1 | tee "$js_log"
js_rc=${PIPESTATUS[0]}

echo
echo "== hubwasm ↔ huggingface_hub (node --test) =="
if [ -f "$ROOT/js/dist/node.js" ]; then
  (cd "$HERE/js" && node --test --test-reporter=spec hubwasm-cross.test.mjs) 2>&1 | tee "$x_log"
  x_rc=${PIPESTATUS[0]}
else
  echo "js/dist/node.js not built (make build): cross-check not run" | tee "$x_log"
  x_rc=1
fi

echo
echo "== conformance summary =="
echo "python: $(grep -E '^=+ .*(passed|failed|error|skipped).* in [0-9.]+s' "$py_log" | tail -1 | sed -E 's/^=+ //; s/ =+$//')  (exit $py_rc)"
echo "node:   $(grep -E '^ℹ (tests|pass|fail|skipped|todo) ' "$js_log" | tr '\n' ' ')(exit $js_rc)"
echo "cross:  $(grep -E '^ℹ (tests|pass|fail|skipped|todo) ' "$x_log" | tr '\n' ' ')(exit $x_rc)"
[ "$py_rc" = 0 ] && [ "$js_rc" = 0 ] && [ "$x_rc" = 0 ]
