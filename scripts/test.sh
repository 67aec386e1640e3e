#!/usr/bin/env bash
# Runs every Chartroom check on a fresh Debian 12 machine: installs what is
# missing, then format, lints, unit and integration tests, the TypeScript
# bindings check, the real Secret Service keyring test, the no-network check
# and the end-to-end tests that drive the real desktop app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CARGO_PROFILE_DEV_DEBUG=0

step() { printf '\n==== %s\n' "$*"; }

step "set-up (system packages, tauri-driver, npm packages)"
bash scripts/setup-debian.sh

step "ui: typecheck and build"
(cd ui && npm run build && npm test)

step "rust: format"
cargo fmt --all -- --check

step "rust: clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust: unit and integration tests (also regenerates ui/src/bindings)"
# Every binding is regenerated from scratch, so a stale file left by a
# removed type shows up in the check below.
find ui/src/bindings -name '*.ts' -delete
cargo test --workspace --exclude chartroom-e2e --locked

step "TypeScript bindings are up to date"
if ! git diff --quiet -- ui/src/bindings || [ -n "$(git status --porcelain --untracked-files=all -- ui/src/bindings)" ]; then
  git status --short -- ui/src/bindings
  echo "ui/src/bindings is stale: run 'cargo test' and commit the regenerated files" >&2
  exit 1
fi

step "keyring: the real Secret Service (gnome-keyring on a private D-Bus session)"
# A throw-away keyring folder: the daemon creates a fresh login keyring,
# unlocked with this password, whatever keyrings the machine already has.
keyring_home=$(mktemp -d)
# The same package selection as the step above, so cargo reuses its build
# (`-p chartroom-keys` alone unifies features differently and rebuilt
# about 200 crates, five minutes).
XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c 'echo -n chartroom-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; cargo test --workspace --exclude chartroom-e2e --locked --test system_keyring -- --ignored'
rm -rf "$keyring_home"

step "no networking crates in the desktop app"
bash scripts/check-no-network.sh

step "end-to-end: the real desktop app under Xvfb via tauri-driver"
bash scripts/e2e.sh

echo
echo "all checks passed"
