#!/bin/bash
# Thunderstorm benchmark (issue 7): small-file samples/s with 8 concurrent clients on loopback for
# /api/check and /api/checkAsync, next to scanning the same files from disk with the same scanner;
# then the service's RSS while a 1 GiB upload streams in. Uses the test fixture server (release
# build) and wrk (apt-get install wrk).
#   scripts/thunderstorm-bench.sh [BUILD_DIR]   (default .build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release}/thunderstorm-testserver"
[ -x "$BIN" ] || { echo "build first: swift build -c release --product thunderstorm-testserver"; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
THREADS="${THREADS:-$(nproc)}"
DURATION="${DURATION:-10}"
WORK="$(mktemp -d /tmp/ts-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# 2000 small files (0.5-4 KiB); every 10th carries the fixture marker.
mkdir -p "$WORK/files"
python3 - "$WORK/files" <<'PY'
import os, random, sys
random.seed(7)
for i in range(2000):
    size = random.randint(512, 4096)
    data = bytes(random.getrandbits(8) for _ in range(size))
    if i % 10 == 0:
        data = data[:100] + b"THUNDERSTORM-TEST-MARKER" + data[100:]
    open(os.path.join(sys.argv[1], "f%04d.bin" % i), "wb").write(data)
PY
ls "$WORK"/files/* > "$WORK/list"
FILES=$(wc -l < "$WORK/list")

start_server() { # $1 = upload dir, rest = extra args
  local dir="$1"; shift
  "$BIN" --port 0 --upload-dir "$dir" --threads "$THREADS" "$@" > "$dir.out" 2>"$dir.err" &
  SERVER=$!
  for _ in $(seq 100); do grep -q LISTENING "$dir.out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(awk '/LISTENING/ {print $2}' "$dir.out")
}
status() { curl -s "http://127.0.0.1:$PORT/api/status" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

echo "== machine: $(nproc) cores; scan slots (--threads): $THREADS; $FILES files of 0.5-4 KiB"
echo "== direct scan from disk (same scanner, $THREADS concurrent scans, 5 passes)"
"$BIN" --bench-direct "$WORK/files" --threads "$THREADS" --repeat 5

echo "== /api/check, wrk 8 connections, ${DURATION}s"
start_server "$WORK/up-sync"
BENCH_LIST="$WORK/list" BENCH_PATH="/api/check?source=bench" wrk -t 2 -c 8 -d "${DURATION}s" -s scripts/thunderstorm-bench.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|requests in|non-200|Latency"
echo "scanned_samples=$(status scanned_samples) denied=$(status denied_requests)"
kill $SERVER; wait $SERVER 2>/dev/null || true

for mode in durable no-fsync; do
  echo "== /api/checkAsync ($mode queue), wrk 8 connections, ${DURATION}s, then until the queue drains"
  extra=(); [ $mode = no-fsync ] && extra=(--no-fsync)
  start_server "$WORK/up-async-$mode" "${extra[@]}"
  t0=$(date +%s.%N)
  BENCH_LIST="$WORK/list" BENCH_PATH="/api/checkAsync?source=bench" wrk -t 2 -c 8 -d "${DURATION}s" -s scripts/thunderstorm-bench.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|requests in|non-200"
  while [ "$(status queued_async_requests)" != "0" ]; do sleep 0.2; done
  t1=$(date +%s.%N)
  n=$(status scanned_samples)
  python3 -c "print('async end-to-end: %d samples scanned in %.2f s = %.1f samples/s' % ($n, $t1-$t0, $n/($t1-$t0)))"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

echo "== RSS while a 1 GiB file streams in (chunked, to /api/check)"
start_server "$WORK/up-big" --max-upload $((2 << 30))
echo "RSS before: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER/status)"
( printf -- '--b\r\nContent-Disposition: form-data; name="file"; filename="/big/1GiB.bin"\r\n\r\n'
  head -c $((1 << 30)) /dev/zero
  printf -- '\r\n--b--\r\n' ) | curl -s -o "$WORK/big.json" -w "upload: HTTP %{http_code}, %{size_upload} bytes in %{time_total} s\n" \
     -H 'Content-Type: multipart/form-data; boundary=b' -X POST -T - \
     "http://127.0.0.1:$PORT/api/check?source=big" &
CURL=$!
max=0
while kill -0 $CURL 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
  [ "$rss" -gt "$max" ] && max=$rss
  sleep 0.25
done
wait $CURL
echo "RSS max during upload+scan: $max kB; after: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER/status); answer: $(cat "$WORK/big.json")"
