#!/usr/bin/env bash
# Latency in the real window: builds the UI and the release app (unless
# CHARTROOM_APP names a built chartroom-desktop, with the `chartroom` CLI
# beside it), starts a virtual display and runs the ignored benchmark
# tests/e2e/tests/bench_latency.rs (100,000-patient demo practice; keystroke
# to painted search results, click to painted chart summary). Figures are
# printed and written to target/e2e-screenshots/bench-latency.txt; see
# BENCHMARKS.md. Uses tauri-driver's fixed ports: run one e2e job at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
target="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${CHARTROOM_APP:-}" ]; then
  (cd ui && npm run build)
  cargo build --release -p chartroom-desktop -p chartroom-cli --locked
  CHARTROOM_APP="$target/release/chartroom-desktop"
fi
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" CHARTROOM_APP="$CHARTROOM_APP" \
  cargo test -p chartroom-e2e --locked --test bench_latency -- --ignored --nocapture
