#!/usr/bin/env bash
# Build the page: web/ compiled to wasm into www/pkg (a build output, not committed), and the
# single-file page www/wsus-doctor.html (the same wasm with no-modules glue, all inline).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building www/pkg with wasm-pack (release)"
(cd web && wasm-pack --quiet build --release --target web --out-dir ../www/pkg --no-typescript --no-pack)
rm -f www/pkg/.gitignore
echo "== building www/wsus-doctor.html (single file)"
(cd web && wasm-pack --quiet build --release --target no-modules --out-dir ../target/single-pkg --no-typescript --no-pack)
node scripts/build-single.mjs target/single-pkg www
