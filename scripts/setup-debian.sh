#!/usr/bin/env bash
# Installs everything Chartroom needs on a fresh Debian 12 machine:
# system packages (build, headless test, keyring), the Rust tools the tests
# use, and the UI's npm packages. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(
  # build the Tauri shell
  libwebkit2gtk-4.1-dev libssl-dev pkg-config build-essential curl file
  # run and test it headless
  xvfb xauth webkit2gtk-driver poppler-utils qpdf imagemagick
  # a real Secret Service for the keyring tests
  gnome-keyring dbus-x11 libsecret-1-0
  # fonts for the UI and screenshots
  fonts-dejavu-core
  # I/O errors injected into the app's system calls (the fault harness)
  strace
  # the print service records are printed through, and a virtual PDF
  # printer the tests print to (scripts/cups-pdf.sh starts it)
  cups cups-client printer-driver-cups-pdf
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi
if ! command -v node >/dev/null 2>&1; then
  echo "setup: installing nodejs"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs npm
fi

echo "setup: npm packages for ui/"
(cd ui && npm ci --no-audit --no-fund)
echo "setup: done"
