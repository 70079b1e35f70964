#!/usr/bin/env bash
# YARA parity (issue 3): scans the positive set that ../shared/bench/make-positives.sh builds with
# `thor --modules yara --intense` and signature-base's rule files, and compares the (file, rule)
# pairs with the libyara 4.2.3 reference in ../shared/bench/expected/positives.matches.jsonl.
# The starter rules shipped in Signatures/yara load too; their pairs are counted apart.
# Prints the pair counts and every missing or extra pair; exits 1 when they differ.
#   scripts/yara-parity.sh [BUILD_DIR]     (default .build/release)
#   POSITIVES=~/.cache/thor-bench/corpus/positives SIGBASE=../shared/signature-base
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-.build/release}"
POSITIVES="${POSITIVES:-$HOME/.cache/thor-bench/corpus/positives}"
SIGBASE="${SIGBASE:-../shared/signature-base}"
EXPECTED="${EXPECTED:-../shared/bench/expected/positives.matches.jsonl}"
for need in "$BUILD/thor" "$POSITIVES" "$SIGBASE/yara" "$EXPECTED"; do
  [ -e "$need" ] || { echo "missing: $need (build with swift build -c release; positives from make-positives.sh)"; exit 2; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Every matching rule of a file (--max-reasons 0), whatever its score (--min 0 --notice 0).
"$BUILD/thor" --modules yara --intense --yara-dir "$SIGBASE/yara" -p "$POSITIVES" -e "$out" --jsonfile "$out/scan.json" \
    --max-reasons 0 --min 0 --notice 0 --nocolor --nocpulimit --nolowprio > "$out/console.txt" 2>&1 || true
grep -m1 "YARA file rules" "$out/console.txt" || true
python3 - "$out/scan.json" "$EXPECTED" "$POSITIVES" Signatures/yara <<'PY'
import json, os, re, sys
log, expected_path, root, shipped_dir = sys.argv[1:]
shipped = set()
for name in os.listdir(shipped_dir):
    text = open(os.path.join(shipped_dir, name), encoding="utf-8").read()
    shipped.update(re.findall(r"^\s*(?:(?:private|global)\s+)*rule\s+(\w+)", text, re.M))
ours, starter = set(), 0
for line in open(log, encoding="utf-8"):
    event = json.loads(line)
    if event.get("type") != "THOR finding":
        continue
    path = os.path.relpath(event["subject"]["path"], root)
    for reason in event.get("reasons", []):
        rule = reason["signature"]["rule_name"]
        if rule in shipped:
            starter += 1
        else:
            ours.add((path, rule))
expected = set()
for line in open(expected_path, encoding="utf-8"):
    record = json.loads(line)
    expected.update((record["path"], rule) for rule in record["rules"])
present = {p for p, _ in expected if os.path.exists(os.path.join(root, p))}
reachable = {pair for pair in expected if pair[0] in present}
missing, extra = sorted(reachable - ours), sorted(ours - expected)
print(f"reference pairs {len(expected)} ({len(expected) - len(reachable)} on files absent from this positive set); "
      f"ours {len(ours)} (+{starter} of the shipped starter rules); matching {len(reachable & ours)}; missing {len(missing)}; extra {len(extra)}")
for pair in missing:
    print("missing", *pair)
for pair in extra:
    print("extra  ", *pair)
sys.exit(1 if missing or extra else 0)
PY
