#!/usr/bin/env bash
# Installs what is missing, builds a release program folder in ./dist, and scans FOLDER with the
# shipped signatures. Usage: scripts/quickstart.sh FOLDER
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/quickstart.sh FOLDER}
scripts/install-deps.sh
scripts/make-program-folder.sh dist
mkdir -p logs
dist/thor -p "$target" -e logs --json
