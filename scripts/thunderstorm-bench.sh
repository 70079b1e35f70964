#!/bin/bash
# Thunderstorm benchmark (issue 7), real host pipeline: `thor --thunderstorm` with signature-base
# (yara + ioc) against `thor -p` over the same small files with the same modules and threads.
#   samples/s of /api/check with 8 concurrent clients (wrk, loopback), in SLICES slices of SLICE
#   seconds, each after a direct `thor` scan of the same files (files/s): the two take turns,
#   samples/s of /api/checkAsync end to end (from the first upload until every result is there),
# repeated in rounds; then the service's RSS while a 1 GiB upload streams in.
# CPU-seconds are the service's (supervisor + workers), not the load generator's.
#   scripts/thunderstorm-bench.sh [BUILD_DIR]      (default .build/release; needs wrk)
#   ROUNDS=3 SLICES=4 SLICE=3 DURATION=20 SIGBASE=../shared/signature-base CORPUS=~/.cache/thor-bench/corpus/small
#   BENCH_TMP=/tmp (where the files, the uploads and the async queue go)
#   (SIGBASE is relative to the repository root; CORPUS is what ../shared/bench/make-corpus.sh builds)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-.build/release}"
THOR="$BUILD/thor"
[ -x "$THOR" ] || { echo "build first: swift build -c release"; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-20}"
SLICES="${SLICES:-4}"
SLICE="${SLICE:-3}"
THREADS="${THREADS:-$(nproc)}"
SIGBASE="$(cd "${SIGBASE:-../shared/signature-base}" 2>/dev/null && pwd)" || { echo "signature-base not found: set SIGBASE"; exit 1; }
CORPUS="${CORPUS:-$HOME/.cache/thor-bench/corpus/small}"
# The service's upload and queue folders go here too: async throughput depends on its file system
# (an ext4 without a journal makes every file create slower the more files were deleted lately).
WORK="$(mktemp -d -p "${BENCH_TMP:-${TMPDIR:-/tmp}}" ts-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
MODULES=(--modules yara,ioc --yara-dir "$SIGBASE/yara" --ioc-dir "$SIGBASE/iocs" --threads "$THREADS" --nocolor)

# The same small files (< 16 KiB) for every side.
mkdir -p "$WORK/files" "$WORK/empty"
(cd "$CORPUS" && find . -type f -size -16k -print0 | tar --null -T - -cf -) | tar -C "$WORK/files" -xf -
find "$WORK/files" -type f > "$WORK/list"
FILES=$(wc -l < "$WORK/list")
BYTES=$(find "$WORK/files" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

cpu_ticks() { # CPU of a process, its live children (the workers) and its reaped ones (recycled workers), in ticks
  local total=0 p
  total=$(awk '{print $14 + $15 + $16 + $17}' /proc/$1/stat)
  for p in $(pgrep -P "$1" || true); do
    [ -r /proc/$p/stat ] && total=$((total + $(awk '{print $14 + $15}' /proc/$p/stat)))
  done
  echo $total
}
own_ticks() { awk '{print $14 + $15}' /proc/$1/stat; } # the supervisor alone: all its threads, no workers
TICK=$(getconf CLK_TCK)

start_service() { # $1 = name; sets SERVICE, PORT
  mkdir -p "$WORK/$1.logs"
  "$THOR" --thunderstorm --server-port 0 --server-upload-dir "$WORK/$1.up" -e "$WORK/$1.logs" --nolog "${MODULES[@]}" \
      "${@:2}" > "$WORK/$1.out" 2>&1 &
  SERVICE=$!
  for _ in $(seq 1200); do grep -q "MESSAGE: Listening" "$WORK/$1.out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(sed -n 's/.*MESSAGE: Listening ADDRESS: [^ ]* PORT: \([0-9]*\).*/\1/p' "$WORK/$1.out" | head -1)
  [ -n "$PORT" ] || { echo "service did not start:"; tail -5 "$WORK/$1.out"; exit 1; }
}
# 8 clients (connections) posting the listed files round-robin. $1 = path and query, $2 = seconds.
# One wrk thread drives all 8: the generator shares the service's cores, and a second thread cost
# it 0.045 instead of 0.03 ms of CPU per request (measured), taken from the service.
load() {
  BENCH_LIST="$WORK/list" BENCH_PATH="$1" wrk -t 1 -c 8 -d "$2s" -s scripts/thunderstorm-bench.lua "http://127.0.0.1:$PORT"
}
# Every worker started and its rules loaded (a service runs warm).
warm_up() { load "/api/check?source=warm-up" 2 > /dev/null; }
stop_service() { kill -INT $SERVICE; wait $SERVICE 2>/dev/null || true; }
status() { curl -s "http://127.0.0.1:$PORT/api/status" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
rate() { python3 -c "print('%.1f' % ($1 / $2))"; }

echo "== $(nproc) cores, --threads $THREADS, $FILES files < 16 KiB ($BYTES bytes) from $CORPUS"
echo "== modules yara+ioc with $SIGBASE (yara dir and iocs), intense (as Thunderstorm)"
# Direct: walk, read, hash and scan from disk. Start-up and shutdown (module and rule loading)
# are not scanning, and the service has them before it listens: a run over an empty folder
# measures them, and is taken off.
direct_run() { # $1 = folder; prints "wall user+sys"
  rm -rf "$WORK/direct.logs"; mkdir -p "$WORK/direct.logs"
  # As the service: no resource checks, normal priority, every file in full.
  /usr/bin/time -f "%e %U %S" -o "$WORK/direct.time" "$THOR" -p "$1" --intense --nocpulimit --norescontrol --nolowprio --nolog -e "$WORK/direct.logs" "${MODULES[@]}" > "$WORK/direct.out" 2>&1 || true
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$WORK/direct.time"
}
sum() { python3 -c "print('%.2f' % ($1 + $2))"; }
for round in $(seq "$ROUNDS"); do
  # Direct and sync take turns in slices of a few seconds (a direct pass, then SLICE seconds of
  # /api/check), so that the drift of a shared machine's speed falls on both alike.
  start_service sync$round
  warm_up
  d_files=0; d_secs=0; d_cpu=0; s_requests=0; s_secs=0; s_ticks=0; s_own=0
  for slice in $(seq "$SLICES"); do
    read -r idle_wall idle_cpu < <(direct_run "$WORK/empty")
    read -r wall cpu < <(direct_run "$WORK/files")
    d_files=$((d_files + $(sed -n 's/.*FILES: \([0-9]*\).*/\1/p' "$WORK/direct.out" | tail -1)))
    d_secs=$(sum "$d_secs" "$wall - $idle_wall"); d_cpu=$(sum "$d_cpu" "$cpu - $idle_cpu")
    c0=$(cpu_ticks $SERVICE); s0=$(own_ticks $SERVICE)
    load "/api/check?source=bench" "$SLICE" > "$WORK/sync.wrk"
    c1=$(cpu_ticks $SERVICE); s1=$(own_ticks $SERVICE)
    grep -q 'non-200 answers: 0' "$WORK/sync.wrk" || { echo "sync answers other than 200:"; cat "$WORK/sync.wrk"; exit 1; }
    s_requests=$((s_requests + $(awk '/requests in/ {print $1}' "$WORK/sync.wrk")))
    s_secs=$(sum "$s_secs" "$(awk '/requests in/ {sub(/s,$/, "", $4); print $4}' "$WORK/sync.wrk")")
    s_ticks=$((s_ticks + c1 - c0)); s_own=$((s_own + s1 - s0))
  done
  stop_service
  echo "round $round direct : $d_files files in ${d_secs}s (start-up taken off) = $(rate "$d_files" "$d_secs") files/s (cpu $(python3 -c "print('%.2f' % ($d_cpu * 1000 / $d_files))") ms/file)"
  echo "round $round sync   : $s_requests samples in ${s_secs}s = $(rate "$s_requests" "$s_secs") samples/s (service cpu $(python3 -c "print('%.2f' % ($s_ticks * 1000 / $TICK / $s_requests))") ms/sample, of which the supervisor $(python3 -c "print('%.2f' % ($s_own * 1000 / $TICK / $s_requests))"))"
  DIRECT[$round]=$(rate "$d_files" "$d_secs")
  SYNC[$round]=$(rate "$s_requests" "$s_secs")

  # Async: 8 connections for DURATION seconds, then until every result is there.
  start_service async$round
  warm_up
  n0=$(status scanned_samples)
  c0=$(cpu_ticks $SERVICE)
  t0=$(date +%s.%N)
  load "/api/checkAsync?source=bench" "$DURATION" > "$WORK/async.wrk"
  while [ "$(status queued_async_requests)" != "0" ]; do sleep 0.1; done
  t1=$(date +%s.%N)
  c1=$(cpu_ticks $SERVICE)
  n=$(( $(status scanned_samples) - n0 ))
  secs=$(python3 -c "print('%.2f' % ($t1 - $t0))")
  echo "round $round async  : $n samples, all results in ${secs}s = $(rate "$n" "$secs") samples/s (accepted $(awk '/Requests\/sec/ {print $2}' "$WORK/async.wrk")/s, $(grep -o 'non-200 answers: [0-9]*' "$WORK/async.wrk"), service cpu $(rate $((c1 - c0)) "$TICK")s = $(python3 -c "print('%.2f' % (($c1 - $c0) * 1000 / $TICK / $n))") ms/sample)"
  ASYNC[$round]=$(rate "$n" "$secs")
  stop_service
  rm -rf "$WORK"/sync$round.up "$WORK"/async$round.up
done
python3 - "${DIRECT[*]}" "${SYNC[*]}" "${ASYNC[*]}" <<'PY'
import statistics, sys
d, s, a = ([float(x) for x in arg.split()] for arg in sys.argv[1:])
sync, async_ = [y / x for x, y in zip(d, s)], [y / x for x, y in zip(d, a)]
print("== per round sync/direct: " + ", ".join("%.2f" % r for r in sync) +
      "; async/direct: " + ", ".join("%.2f" % r for r in async_))
# Each round's ratio compares runs made in turn; their median is the figure (drift cancels in a round).
print("== median of the rounds: sync/direct %.0f%%, async/direct %.0f%% (median rates: direct %.1f files/s, sync %.1f samples/s, async %.1f samples/s)" % (
    100 * statistics.median(sync), 100 * statistics.median(async_),
    statistics.median(d), statistics.median(s), statistics.median(a)))
PY

echo "== RSS of the service while a 1 GiB file streams in (chunked, to /api/check)"
start_service big --server-max-upload $((2 << 30))
echo "RSS before: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVICE/status)"
( printf -- '--b\r\nContent-Disposition: form-data; name="file"; filename="/big/1GiB.bin"\r\n\r\n'
  head -c $((1 << 30)) /dev/zero
  printf -- '\r\n--b--\r\n' ) | curl -s -o "$WORK/big.json" -w "upload: HTTP %{http_code}, %{size_upload} bytes in %{time_total} s\n" \
     -H 'Content-Type: multipart/form-data; boundary=b' -X POST -T - "http://127.0.0.1:$PORT/api/check?source=big" &
CURL=$!
max=0
while kill -0 $CURL 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' /proc/$SERVICE/status)
  [ "$rss" -gt "$max" ] && max=$rss
  sleep 0.25
done
wait $CURL
echo "RSS max during upload+scan: $max kB; after: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVICE/status); answer: $(cat "$WORK/big.json")"
stop_service
