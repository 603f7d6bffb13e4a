#!/usr/bin/env bash
# Every test: unit, scenario and CLI tests, the wasm32 build of core, and (when the web crate
# exists) the page's browser tests. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A one-shot full run gains nothing from incremental caches, which were a fifth of its disk.
export CARGO_INCREMENTAL=0
df -h . | awk 'NR==2 { print "disk: " $4 " free before the builds" }'
echo "== cargo fmt --check, clippy -D warnings (native crates, then the web crate for wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --exclude wsus-doctor-web --all-targets --locked -- -D warnings
cargo clippy -p wsus-doctor-web --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p wsus-doctor --all-targets --target x86_64-pc-windows-gnu --locked -- -D warnings
echo "== cargo test (core, cli, scenario tests)"
cargo test --workspace --exclude wsus-doctor-web --locked
echo "== criterion benches compile"
cargo bench -q -p wsus-doctor-bench --bench core --no-run --locked
echo "== core builds for wasm32-unknown-unknown"
cargo build -p wsus-doctor-core --target wasm32-unknown-unknown --locked
echo "== fleet output ranked by DuckDB and a local Spark job as the fleet summary ranks it"
bash scripts/test-fleet.sh
echo "== the Windows build under Wine (--this-machine, collect)"
bash scripts/test-windows.sh
if [ -d web ]; then
  bash scripts/test-web.sh
fi
echo "== all tests passed ($(du -sh target | cut -f1) of builds in target/)"
