#!/bin/sh
# Installs the real Thunderstorm client (thunderstormapi 0.2.0 from PyPI) into a venv for the
# Thunderstorm tests. The venv's place is $THUNDERSTORM_VENV, default /tmp/thunderstorm-venv: the
# tests read the same variable with the same default (ClientTests.venv) and skip the client tests
# when bin/thunderstorm-cli is missing there.
set -eu
VENV="${THUNDERSTORM_VENV:-/tmp/thunderstorm-venv}"
if [ ! -x "$VENV/bin/thunderstorm-cli" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check thunderstormapi==0.2.0
fi
"$VENV/bin/thunderstorm-cli" --help >/dev/null
echo "thunderstorm-cli ready in $VENV"
