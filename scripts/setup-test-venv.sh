#!/bin/sh
# Installs the real Thunderstorm client (thunderstormapi 0.2.0 from PyPI) into a venv for the
# Thunderstorm tests. The tests look in $THUNDERSTORM_VENV (default /tmp/thunderstorm-venv) and skip
# the client tests when bin/thunderstorm-cli is missing there.
set -eu
VENV="${1:-${THUNDERSTORM_VENV:-/tmp/thunderstorm-venv}}"
if [ ! -x "$VENV/bin/thunderstorm-cli" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check thunderstormapi==0.2.0
fi
"$VENV/bin/thunderstorm-cli" --help >/dev/null
echo "thunderstorm-cli ready in $VENV"
