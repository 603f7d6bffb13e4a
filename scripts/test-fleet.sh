#!/usr/bin/env bash
# The fleet's records as the data platforms read them (issue 22): on a generated share,
# (a) DuckDB over `wsus-doctor fleet --format ndjson`, and (b) a Spark job in local mode that
# pipes each machine's bundle path through `wsus-doctor diagnose --format ndjson` (RDD.pipe)
# and aggregates with Spark SQL. Both must rank causes exactly as the fleet summary does.
# Installs what it needs once: duckdb and pyspark from PyPI, Java only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
machines=${FLEET_MACHINES:-400}

python3 -c 'import duckdb, pyspark' 2>/dev/null || python3 -m pip install -q duckdb pyspark
if ! command -v java >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null ||
    { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
fi
cargo build -q --release -p wsus-doctor -p wsus-doctor-bench

dir=$(mktemp -d /tmp/wsus-doctor-fleet.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$repo/target/release/wsus-doctor-bench" fleet --machines "$machines" --size 32KB --server-size 1MB --out "$dir"
# exit 1 only says some machine has an error finding
(cd "$dir" && "$repo/target/release/wsus-doctor" fleet --format ndjson --summary summary.json share > fleet.ndjson) || [ $? -eq 1 ]
SPARK_LOCAL_IP=127.0.0.1 python3 scripts/fleet-platforms.py "$dir" "$repo/target/release/wsus-doctor"
