#!/usr/bin/env bash
# The test suite: installs what is missing (system packages, the real Thunderstorm client in a
# venv), builds everything (the tests run the built `thor` and its modules), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/setup-test-venv.sh
swift build
swift test
