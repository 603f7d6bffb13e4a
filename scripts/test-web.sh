#!/usr/bin/env bash
# The page's tests: wasm-bindgen-test in headless Chromium, then a release build of www/ and
# the end-to-end browser tests (which also refresh docs/screenshot.png).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== web crate tests in headless Chromium (wasm-bindgen-test)"
(cd web && CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome)
bash scripts/build-web.sh
echo "== end-to-end tests (playwright-core + Debian chromium)"
(cd tests/e2e && npm ci --no-audit --no-fund --silent && node e2e.mjs && node fleet.mjs)
