#!/usr/bin/env bash
# The local Hub's own speed, measured with curl on loopback: a 1 GiB LFS upload (one PUT to the
# signed storage URL the LFS batch API hands out) and download (resolve → 302 → storage), with
# the server's peak RSS (VmHWM). Usage: bench/hub-throughput.sh [MiB]  (default 1024)
set -euo pipefail
MIB="${1:-1024}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${HUB_SERVER_BIN:-$ROOT/target/release/hub-server}"
[ -x "$BIN" ] || (cd "$ROOT" && cargo build -q --release -p hub-server)
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

"$BIN" --data "$WORK/data" --multipart-threshold $((MIB * 1048576 + 1)) > "$WORK/out" 2>/dev/null &
PID=$!
for _ in $(seq 100); do [ -s "$WORK/out" ] && break; sleep 0.1; done
URL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$WORK/out")
TOKEN=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/out")
AUTH="Authorization: Bearer $TOKEN"

head -c $((MIB * 1048576)) /dev/urandom > "$WORK/blob"
OID=$(sha256sum "$WORK/blob" | cut -d' ' -f1)
SIZE=$(stat -c %s "$WORK/blob")
curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"tp","type":"model"}' "$URL/api/repos/create" > /dev/null
HREF=$(curl -sf -H "$AUTH" -H 'Content-Type: application/vnd.git-lfs+json' \
  -d "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"$OID\",\"size\":$SIZE}],\"hash_algo\":\"sha256\"}" \
  "$URL/test-user/tp.git/info/lfs/objects/batch" | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"][0]["actions"]["upload"]["href"])')
UP=$(curl -sf -T "$WORK/blob" -o /dev/null -w '%{speed_upload}' "$HREF")
printf '{"key":"header","value":{"summary":"tp"}}\n{"key":"lfsFile","value":{"path":"big.bin","algo":"sha256","oid":"%s","size":%s}}\n' "$OID" "$SIZE" |
  curl -sf -H "$AUTH" -H 'Content-Type: application/x-ndjson' --data-binary @- "$URL/api/models/test-user/tp/commit/main" > /dev/null
DOWN=$(curl -sfL -o "$WORK/back" -w '%{speed_download}' "$URL/test-user/tp/resolve/main/big.bin")
cmp -s "$WORK/blob" "$WORK/back" || { echo "downloaded bytes differ" >&2; exit 1; }
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
python3 - "$MIB" "$UP" "$DOWN" "$HWM" <<'PY'
import sys
mib, up, down, hwm = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"local Hub, {mib} MiB over loopback with curl: upload {up/1e6:.0f} MB/s, download {down/1e6:.0f} MB/s, server peak RSS {hwm/1024:.1f} MiB")
PY
