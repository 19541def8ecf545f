#!/usr/bin/env bash
# Installs the official clients used by the conformance suite. Idempotent, and quick when
# nothing changed: the venv is rebuilt only when requirements.txt changed, `npm ci` runs only
# when js/package-lock.json changed.
#   .venv/                       (repo root, gitignored) huggingface_hub + pytest, pinned
#   tests/conformance/js/node_modules/   @huggingface/hub, pinned by package-lock.json
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv"
REQ="$HERE/requirements.txt"
PY="${PYTHON:-python3}"

sum() { sha256sum "$1" | cut -d' ' -f1; }

# ---- Python ----
want="$(sum "$REQ")"
stamp="$VENV/.conformance-requirements.sha256"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating $VENV with $($PY --version 2>&1)"
  if ! "$PY" -m venv --clear "$VENV" 2>/dev/null; then
    # Debian's system python needs python3-venv for ensurepip.
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq python3-venv
    fi
    "$PY" -m venv --clear "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
  echo "$want" > "$stamp"
fi
"$VENV/bin/python" - <<'PY'
import huggingface_hub, pytest
print(f"setup: huggingface_hub {huggingface_hub.__version__}, pytest {pytest.__version__}")
PY

# ---- Node ----
command -v node >/dev/null || { echo "setup: node is required (Node >= 20)" >&2; exit 1; }
cd "$HERE/js"
want="$(sum package-lock.json)"
stamp="node_modules/.conformance-lock.sha256"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
echo "setup: @huggingface/hub $(node -p 'require("./node_modules/@huggingface/hub/package.json").version'), node $(node --version)"
