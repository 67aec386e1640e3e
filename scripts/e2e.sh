#!/usr/bin/env bash
# End-to-end tests: builds the UI and the desktop app, starts a virtual
# display, and runs tests/e2e, which drives the real window through
# tauri-driver and WebKitWebDriver. Screenshots land in target/e2e-screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
(cd ui && npm run build)
cargo build -p chartroom-desktop -p chartroom-cli --locked
mkdir -p target/e2e-screenshots
bash scripts/cups-pdf.sh
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" CHARTROOM_APP="$PWD/target/debug/chartroom-desktop" \
  cargo test -p chartroom-e2e --locked --no-fail-fast -- --test-threads=1
