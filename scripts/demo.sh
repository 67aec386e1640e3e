#!/usr/bin/env bash
# Builds Chartroom and opens it on a ready demo practice (synthetic patients,
# one login per role; see README.md). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
(cd ui && npm run build)
cargo build --release -p chartroom-desktop -p chartroom-cli --locked
data="${CHARTROOM_DEMO_DIR:-$HOME/.local/share/chartroom-demo}"
# Used only where there is no OS keyring: the demo practice's passphrase.
export CHARTROOM_PASSPHRASE="${CHARTROOM_PASSPHRASE:-demo-practice-passphrase}"
if [ ! -e "$data/chartroom.db" ]; then
  echo "creating the demo practice in $data ..."
  target/release/chartroom demo --data-dir "$data" --patients "${CHARTROOM_DEMO_PATIENTS:-2000}"
fi
echo "opening Chartroom on $data (logins: admin, desk, doctor, billing, manager; password chartroom-demo)"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display found: running on a virtual display (xvfb-run)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" target/release/chartroom-desktop --data-dir "$data"
fi
exec target/release/chartroom-desktop --data-dir "$data"
