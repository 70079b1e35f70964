#!/usr/bin/env bash
# The test suite: installs what is missing, builds everything (the tests run the built `thor`
# and its modules), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build
swift test
