#!/usr/bin/env bash
# Install what building and testing WSUS Doctor needs, idempotently (skips what is there).
# Works on a bare machine of this workplace: crates.io, npm and Debian's packages only.
set -euo pipefail
cd "$(dirname "$0")/.."

need_web=${WSUS_DOCTOR_WEB:-1}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32 target"; rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || { echo "setup: adding $c"; rustup component add "$c"; }
done

# The Windows build (wsus-doctor.exe) and its test under Wine (scripts/test-windows.sh):
# Rust's Windows standard library, Debian's mingw-w64 linker (named in .cargo/config.toml) and Wine.
if [ "${WSUS_DOCTOR_WINDOWS:-1}" = 1 ]; then
  if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    echo "setup: adding the x86_64-pc-windows-gnu target"; rustup target add x86_64-pc-windows-gnu
  fi
  missing=""
  command -v x86_64-w64-mingw32-gcc >/dev/null || missing="$missing gcc-mingw-w64-x86-64"
  [ -x /usr/lib/wine/wine64 ] || missing="$missing wine64"
  if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

[ "$need_web" = 1 ] || exit 0

# wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
if ! command -v wasm-pack >/dev/null; then
  echo "setup: installing wasm-pack"; cargo install wasm-pack
fi
if [ -n "$wb_version" ] && ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  echo "setup: installing wasm-bindgen-cli $wb_version"; cargo install wasm-bindgen-cli --version "$wb_version" --force
fi
if ! wasm-opt --version 2>/dev/null | grep -qE 'version (1[2-9][0-9])'; then
  echo "setup: installing binaryen (wasm-opt) from npm"; npm install -g binaryen >/dev/null
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "setup: installing chromium and chromedriver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
