#!/usr/bin/env bash
# Host benchmarks (release build): walking + one read + MD5/SHA1/SHA256 with no modules, next to
# coreutils on the same tree; then isolated workers vs in-process with the yara and ioc modules.
# Usage: scripts/bench-host.sh CORPUS_DIR [YARA_RULES_DIR] [IOC_DIR]
# Prints one line per run: wall and CPU seconds (GNU time), MB/s over wall and per CPU-second, the
# isolated runs' worker CPU seconds and MB per worker CPU-second, peak RSS. REPEAT=N runs the
# whole set N times (interleaved); on a shared machine, keep other benchmarks from running meanwhile
# (e.g. `flock /tmp/bench.lock scripts/bench-host.sh ...`).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:?usage: scripts/bench-host.sh CORPUS_DIR [YARA_RULES_DIR] [IOC_DIR]}
rules=${2:-}
iocs=${3:-}
swift build -c release >/dev/null
thor="$(swift build -c release --show-bin-path)/thor"
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$corpus" -type f | wc -l)
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null   # warm the page cache
empty=$(mktemp -d)

measure() {
    local label=$1; shift
    local timing output
    timing=$(mktemp)
    output=$(mktemp)
    /usr/bin/time -o "$timing" -f '%e %U %S %M' "$@" >"$output" 2>&1 || true
    read -r wall user sys rss <"$timing"
    # Isolated thor runs print their workers' CPU seconds on a debug line (--debug).
    workers=$(grep -o 'WORKERS: [0-9.]*' "$output" | awk '{print $2}' || true)
    rm -f "$timing" "$output"
    awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" -v f="$files" -v k="${workers:-0}" 'BEGIN {
        cpu = u + s; printf "%-34s wall=%6.2fs cpu=%6.2fs %7.0f files/s %7.1f MB/s %7.1f MB/cpu-s", l, w, cpu, f / w, b / 1e6 / w, b / 1e6 / cpu
        if (k > 0) printf " workers=%6.2fs %6.1f MB/worker-cpu-s", k, b / 1e6 / k
        printf " rss=%6.1f MB\n", r / 1024 }'
}

echo "corpus: $corpus ($files files, $((bytes / 1000000)) MB)"
for ((rep = 1; rep <= ${REPEAT:-1}; rep++)); do
    for t in 1 2; do
        measure "thor no modules, threads $t" "$thor" --plugin-dir "$empty" --modules "" --intense --max_file_size 40000000 -p "$corpus" --nolog --nocolor --nocpulimit --nolowprio --debug --threads "$t"
        measure "thor no modules, in-process $t" "$thor" --no-isolation --plugin-dir "$empty" --modules "" --intense --max_file_size 40000000 -p "$corpus" --nolog --nocolor --nocpulimit --nolowprio --threads "$t"
    done
    measure "find | xargs sha256sum" sh -c "find '$corpus' -type f -print0 | xargs -0 sha256sum"
    measure "find | xargs md5sum" sh -c "find '$corpus' -type f -print0 | xargs -0 md5sum"
done
if [[ -n $rules ]]; then
    extra=(--yara-dir "$rules")
    [[ -n $iocs ]] && extra+=(--ioc-dir "$iocs")
    "$thor" --modules yara,ioc "${extra[@]}" -p "$empty" --nolog --nocolor >/dev/null 2>&1 || true  # fill the rules cache
    for t in 1 2; do
        measure "yara+ioc isolated, threads $t" "$thor" --modules yara,ioc "${extra[@]}" --intense -p "$corpus" --nolog --nocolor --nocpulimit --nolowprio --debug --threads "$t"
        measure "yara+ioc in-process, threads $t" "$thor" --no-isolation --modules yara,ioc "${extra[@]}" --intense -p "$corpus" --nolog --nocolor --nocpulimit --nolowprio --threads "$t"
    done
fi
rmdir "$empty"
