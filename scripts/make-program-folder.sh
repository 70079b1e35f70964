#!/usr/bin/env bash
# Builds in release mode and lays out a program folder: thor, plugins/*.so, signatures/, config/.
# Usage: scripts/make-program-folder.sh DEST
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: scripts/make-program-folder.sh DEST}
swift build -c release
bin=$(swift build -c release --show-bin-path)
mkdir -p "$dest/plugins" "$dest/custom-signatures"
cp "$bin/thor" "$dest/"
for lib in "$bin"/libthor-*.so; do
    [[ -e $lib ]] && cp "$lib" "$dest/plugins/"
done
rm -rf "$dest/signatures" "$dest/config"
cp -r Signatures "$dest/signatures"
cp -r config "$dest/config"
chmod -R go-w "$dest"
echo "program folder ready: $dest"
