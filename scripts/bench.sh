#!/usr/bin/env bash
# Side-by-side speed of `wsus-doctor diagnose --format json` against what an admin would
# otherwise reach for, on the same generated files in the same run: `rg -c` (the scan floor),
# an awk one-liner counting error statuses on /selfupdate, and goaccess / lnav where installed.
# Prints MB/s, ratios and peak memory (/usr/bin/time -v). Usage: scripts/bench.sh [IIS size] [WU size]
# (or scripts/bench.sh --callgrind [BASELINE_BINARY] [SIZE]: the instruction-count guard below)
set -euo pipefail
cd "$(dirname "$0")/.."

# Opt-in instruction-count guard (never run by CI; callgrind is slow and needs valgrind):
#   scripts/bench.sh --callgrind [BASELINE_BINARY] [SIZE]
# counts the instructions (valgrind --tool=callgrind, the stable measure on a noisy host) that
# `wsus-doctor diagnose` spends on a generated classic WindowsUpdate.log (20 MB by default, seed
# fixed), with this tree's release build and, when given, a baseline binary (e.g. a release build
# of the commit before a refactor). It fails when this build needs more than 3% more instructions
# than the baseline: layout changes (issue 16) must not slow the per-line path.
if [ "${1:-}" = "--callgrind" ]; then
  base=${2:-}
  size=${3:-20000000}
  command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install -y valgrind"; exit 2; }
  cargo build -q --release --locked -p wsus-doctor -p wsus-doctor-bench
  mkdir -p target/bench
  log=target/bench/callgrind-wulog-$size.log
  [ -s "$log" ] || target/release/wsus-doctor-bench wulog --size "$size" --out "$log"
  count() {
    local out=target/bench/callgrind.out
    valgrind --tool=callgrind --callgrind-out-file="$out" "$1" diagnose "$log" >/dev/null 2>target/bench/callgrind.err || true
    grep -m1 '^summary:' "$out" | awk '{print $2}'
  }
  now=$(count target/release/wsus-doctor)
  echo "this build: $now instructions ($(basename "$log"))"
  if [ -n "$base" ]; then
    was=$(count "$base")
    echo "baseline:   $was instructions ($base)"
    awk -v a="$was" -v b="$now" 'BEGIN{ d = (b - a) * 100 / a; printf "change: %+.2f%% (limit +3%%)\n", d; exit !(d <= 3) }'
  fi
  exit 0
fi
# Fleet (issue 22): `wsus-doctor fleet` over a generated collection share of N machines (folders
# and zips, a few collected twice, the server's IIS log beside them), on one core and on all,
# against `rg -c` over the same tree (the floor: it reads the same bytes and parses nothing; it
# does not open the zips). Machines/s, MB/s (of the share on disk) and peak memory, best of 3.
# Alone: scripts/bench.sh --fleet [MACHINES] (default 10000); in the full run, FLEET_MACHINES.
fleet_bench() {
  local n=$1 root=/tmp/wsus-doctor-bench-fleet-$1 doc=target/release/wsus-doctor
  [ -d "$root/share" ] || target/release/wsus-doctor-bench fleet --machines "$n" --size 32KB --server-size 20MB --out "$root"
  local bytes mb cores
  bytes=$(du -sb "$root/share" | cut -f1); mb=$(( bytes / 1048576 )); cores=$(nproc)
  echo "== fleet: $n machines, $mb MB in $(find "$root/share" -type f | wc -l) files ($cores cores)"
  find "$root/share" -type f -exec cat {} + > /dev/null
  fleet_one() {
    local name=$1; shift
    local best=999999 rss=0 out t
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$root/time.out" "$@" > "$root/out.ndjson" 2>/dev/null || true
      out=$(tail -1 "$root/time.out"); t=${out% *}
      if awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=${out#* }; fi
    done
    awk -v nm="$name" -v t="$best" -v n="$n" -v mb="$mb" -v rss="$rss" 'BEGIN{ if (t < 0.005) t = 0.005; printf "  %-40s %7.2f s %8.0f machines/s %7.0f MB/s %8.1f MB peak\n", nm, t, n / t, mb / t, rss / 1024 }'
  }
  fleet_one "fleet --format ndjson --jobs 1" $doc fleet --format ndjson --jobs 1 "$root/share"
  fleet_one "fleet --format ndjson (all $cores cores)" $doc fleet --format ndjson "$root/share"
  echo "  records: $(wc -l < "$root/out.ndjson") lines of NDJSON ($(( $(stat -c %s "$root/out.ndjson") / 1048576 )) MB)"
  fleet_one "fleet --format json (summary only)" $doc fleet --format json "$root/share"
  if command -v rg >/dev/null; then
    fleet_one "rg -c -j1 0x8 (same tree)" rg -c -j1 0x8 "$root/share"
    fleet_one "rg -c 0x8 (same tree, all cores)" rg -c 0x8 "$root/share"
  else
    fleet_one "grep -rc 0x8 (same tree)" grep -rc 0x8 "$root/share"
  fi
}
if [ "${1:-}" = "--fleet" ]; then
  if [ ! -x /usr/bin/time ]; then SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq time >/dev/null; fi
  cargo build -q --release --locked -p wsus-doctor -p wsus-doctor-bench
  fleet_bench "${2:-10000}"
  exit 0
fi
iis_size=${1:-1GB}
wu_size=${2:-300MB}
dir=target/bench
mkdir -p "$dir"

if ! command -v rg >/dev/null || [ ! -x /usr/bin/time ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq ripgrep time >/dev/null
fi
cargo build -q --release --locked -p wsus-doctor -p wsus-doctor-bench
gen=target/release/wsus-doctor-bench
doc=target/release/wsus-doctor
iis=$dir/u_ex-$iis_size.log; wu=$dir/WindowsUpdate-$wu_size.log; wu10=$dir/WindowsUpdate10-$wu_size.log
[ -s "$iis" ] || $gen iis --size "$iis_size" --out "$iis"
[ -s "$wu" ] || $gen wulog --size "$wu_size" --out "$wu"
[ -s "$wu10" ] || $gen wulog10 --size "$wu_size" --out "$wu10"

# run NAME FILE CMD...: best of 3 warm runs; prints seconds, MB/s and peak RSS
declare -A SECS MBPS
run() {
  local name=$1 file=$2; shift 2
  local mb best=999999 rss=0 out t
  mb=$(( $(stat -c %s "$file") / 1048576 ))
  cat "$file" > /dev/null
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time.out" "$@" > /dev/null 2>/dev/null || true
    out=$(tail -1 "$dir/time.out")
    t=${out% *}; rss=${out#* }
    if awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  SECS[$name]=$best
  MBPS[$name]=$(awk -v t="$best" -v mb="$mb" 'BEGIN{ if (t < 0.005) t = 0.005; print mb / t }')
  awk -v n="$name" -v t="$best" -v mb="$mb" -v rss="$rss" 'BEGIN{ if (t < 0.005) t = 0.005; printf "  %-34s %7.2f s %8.0f MB/s %8.1f MB peak\n", n, t, mb / t, rss / 1024 }'
}
ratio() { awk -v a="${SECS[$1]}" -v b="${SECS[$2]}" -v l="$3" 'BEGIN{ printf "  %-52s %6.2f\n", l, b / a }'; }

echo "== IIS log $iis ($(( $(stat -c %s "$iis") / 1048576 )) MB), one core, warm page cache"
run "wsus-doctor diagnose --format json" "$iis" $doc diagnose --format json "$iis"
run "rg -c selfupdate" "$iis" rg -j1 -c selfupdate "$iis"
run "awk error statuses on /selfupdate" "$iis" awk '$5 ~ /^\/selfupdate/ && $11 >= 400 { n++ } END { print n + 0 }' "$iis"
if command -v goaccess >/dev/null; then
  # goaccess's W3C preset expects another field order; spell out the one our #Fields header has
  # (checked: every request parsed as valid, see the JSON's general.valid_requests)
  run "goaccess (W3C, explicit format)" "$iis" goaccess "$iis" --log-format='%d %t %^ %m %U %q %^ %^ %h %u %s %^ %^ %L' \
    --date-format=%Y-%m-%d --time-format=%H:%M:%S --no-progress -o "$dir/goaccess.json"
  python3 -c "import json,sys; g=json.load(open('$dir/goaccess.json'))['general']; sys.exit(0 if g['valid_requests'] > 0 else 1)" \
    || echo "  (goaccess parsed no request: its figure is not a real parse)"
fi
if command -v lnav >/dev/null; then
  run "lnav (headless index + count)" "$iis" lnav -n -c ';SELECT count(*) FROM access_log' "$iis"
fi
echo "  ratios (wsus-doctor speed relative to each; >1 = wsus-doctor faster):"
ratio "wsus-doctor diagnose --format json" "rg -c selfupdate" "vs rg -c (target >= 0.20)"
ratio "wsus-doctor diagnose --format json" "awk error statuses on /selfupdate" "vs the awk one-liner (target >= 1.0)"
[ -n "${SECS[goaccess (W3C, explicit format)]:-}" ] && ratio "wsus-doctor diagnose --format json" "goaccess (W3C, explicit format)" "vs goaccess"
[ -n "${SECS[lnav (headless index + count)]:-}" ] && ratio "wsus-doctor diagnose --format json" "lnav (headless index + count)" "vs lnav"

for f in "$wu" "$wu10"; do
  echo "== $(basename "$f") ($(( $(stat -c %s "$f") / 1048576 )) MB) (target >= 300 MB/s)"
  run "wsus-doctor diagnose --format json" "$f" $doc diagnose --format json "$f"
  [ "$f" = "$wu" ] && classic_mbps=${MBPS[wsus-doctor diagnose --format json]}
  run "rg -c 0x8" "$f" rg -j1 -c 0x8 "$f"
  ratio "wsus-doctor diagnose --format json" "rg -c 0x8" "vs rg -c"
done

# Adversarial evidence (issue 11): each shape at 100 MB; targets: peak < 64 MB, and no slower than
# a tenth of the normal classic log above.
hostile_size=${HOSTILE_SIZE:-100MB}
echo "== adversarial evidence, $hostile_size each (targets: peak < 64 MB, >= 0.1x the classic log's speed)"
# the binary fronts too: ETL events whose schemas declare ~1 GB of empty arrays, a zip naming one
# compressed member thousands of times, an event log whose template repeats a value thousands of
# times in every record (EVTX is held whole: past 512 MB it is refused unread)
for h in distinct-codes code-lines iis-combos reg-values reg-hex pspath kind-switch date-lines reg-keys titles etl-empty-arrays zip-overlap evtx-template-repeat; do
  case $h in etl-*) ext=etl ;; zip-*) ext=zip ;; evtx-*) ext=evtx ;; *) ext=txt ;; esac
  f=$dir/hostile-$h-$hostile_size.$ext
  [ -s "$f" ] || $gen hostile --hostile "$h" --size "$hostile_size" --out "$f"
  run "$h" "$f" $doc diagnose --format json "$f"
  awk -v h="${MBPS[$h]}" -v c="$classic_mbps" 'BEGIN{ printf "  %-52s %6.2f\n", "speed relative to the classic log (target >= 0.10)", h / c }'
done

# Windows Update ETL traces: the same events as the Windows 10 log above (seed 42), as ETL. The
# baselines are the decoded text of the same events, and the Python `etl-parser` (the decoder
# the tests check against) on a 20 MB slice when it is installed.
etl=$dir/WindowsUpdate-$wu_size.etl
[ -s "$etl" ] || $gen etl --size "$wu_size" --out "$etl"
etltext=$dir/WindowsUpdate-of-etl.log
[ -s "$etltext" ] || $gen wulog10 --size $(( $(stat -c %s "$etl") * 2 / 5 )) --out "$etltext"
echo "== $(basename "$etl") ($(( $(stat -c %s "$etl") / 1048576 )) MB ETL; its text $(( $(stat -c %s "$etltext") / 1048576 )) MB)"
run "wsus-doctor diagnose --format json" "$etl" $doc diagnose --format json "$etl"
run "wsus-doctor on the same events as text" "$etltext" $doc diagnose --format json "$etltext"
ratio "wsus-doctor diagnose --format json" "wsus-doctor on the same events as text" "ETL vs the same events as text (per event; >1 = ETL faster)"
if python3 -c "import etl.etl" 2>/dev/null; then
  head -c $(( 20 * 1048576 )) "$etl" > "$dir/slice.etl"
  run "wsus-doctor, 20 MB slice" "$dir/slice.etl" $doc diagnose --format json "$dir/slice.etl"
  run "etl-parser (Python), 20 MB slice" "$dir/slice.etl" python3 scripts/etl-reference.py "$dir/slice.etl"
  ratio "wsus-doctor, 20 MB slice" "etl-parser (Python), 20 MB slice" "vs etl-parser"
fi

# The page: the same diagnosis in wasm in headless Chromium on a 50 MB log, vs native.
if command -v chromium >/dev/null && command -v node >/dev/null; then
  bash scripts/build-web.sh >/dev/null
  (cd tests/e2e && npm ci --no-audit --no-fund --silent)
  web50=$dir/WindowsUpdate-50MB.log
  [ -s "$web50" ] || $gen wulog --size 50MB --out "$web50"
  node tests/e2e/bench-web.mjs "$web50"
fi

fleet_bench "${FLEET_MACHINES:-10000}"
