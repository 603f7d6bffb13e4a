#!/usr/bin/env bash
# Run WSUS Doctor on a bundled example (CLI), then build the page and serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# only the example's evidence, not its `expect` file (that is for the tests)
ex=examples/xp-selfupdate-port80
echo "== wsus-doctor diagnose $ex/WindowsUpdate.log $ex/client-policy.reg $ex/u_ex091214-port80.log"
cargo run -q --release --locked -p wsus-doctor -- diagnose "$ex/WindowsUpdate.log" "$ex/client-policy.reg" "$ex/u_ex091214-port80.log" || true
bash scripts/build-web.sh
port=${PORT:-8000}
echo
echo "WSUS Doctor page: http://127.0.0.1:$port/   (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 --directory www "$port"
