#!/usr/bin/env bash
# Build the page: web/ compiled to wasm into www/pkg (a build output, not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building www/pkg with wasm-pack (release)"
(cd web && wasm-pack --quiet build --release --target web --out-dir ../www/pkg --no-typescript --no-pack)
rm -f www/pkg/.gitignore
