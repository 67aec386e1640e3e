#!/usr/bin/env bash
# Fails when the desktop app or the CLI depends on an HTTP, WebSocket or TLS
# client crate. Chartroom never talks to a network; records leave the
# practice only as PDFs the user asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='^(reqwest|hyper|hyper-util|ureq|isahc|curl|attohttpc|surf|tungstenite|tokio-tungstenite|h2|native-tls|rustls|quinn|tauri-plugin-http|tauri-plugin-websocket|tauri-plugin-updater) '
status=0
for pkg in chartroom-desktop chartroom-cli; do
  found=$(cargo tree -p "$pkg" -e normal --prefix none --locked 2>/dev/null | sort -u | grep -E "$banned" || true)
  if [ -n "$found" ]; then
    echo "$pkg depends on networking crates:" >&2
    echo "$found" >&2
    status=1
  else
    echo "$pkg: no networking crates ($(cargo tree -p "$pkg" -e normal --prefix none --locked | sort -u | wc -l) crates checked)"
  fi
done
exit $status
