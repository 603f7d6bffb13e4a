#!/usr/bin/env bash
# Run WSUS Doctor on a bundled example (CLI), then build the page and serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== wsus-doctor diagnose examples/xp-selfupdate-port80/*"
cargo run -q --release --locked -p wsus-doctor -- diagnose examples/xp-selfupdate-port80/* || true
bash scripts/build-web.sh
port=${PORT:-8000}
echo
echo "WSUS Doctor page: http://127.0.0.1:$port/   (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 --directory www "$port"
