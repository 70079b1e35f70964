#!/usr/bin/env bash
# Installs the system packages the build and the tests need (Debian 12), only when missing.
set -euo pipefail

packages=(libyara-dev libssl-dev zlib1g-dev libarchive-dev libarchive-tools gcab openssl yara make gcc util-linux python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    echo "installing: ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
