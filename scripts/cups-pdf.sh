#!/usr/bin/env bash
# Starts the print service (CUPS) if it is not running and makes sure the
# virtual PDF printer the records-out tests print to exists: the queue
# `ChartroomPDF` on the cups-pdf backend, which writes each job to ~/PDF.
# Installed by scripts/setup-debian.sh (cups, cups-client, cups-pdf).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# `lpstat -r` exits 0 whether or not the scheduler runs: read what it says.
running() { lpstat -r 2>/dev/null | grep -q "scheduler is running"; }
if ! running; then
  $SUDO cupsd
  for _ in $(seq 1 50); do running && break; sleep 0.2; done
  running || { echo "cups-pdf: the CUPS scheduler (cupsd) did not start" >&2; exit 1; }
fi
if ! lpstat -e 2>/dev/null | grep -qx ChartroomPDF; then
  ppd=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null || ls /usr/share/ppd/cups-pdf/*.ppd | head -1)
  $SUDO lpadmin -p ChartroomPDF -v cups-pdf:/ -E -P "$ppd"
  $SUDO cupsenable ChartroomPDF
  $SUDO cupsaccept ChartroomPDF
fi
lpstat -e | grep -qx ChartroomPDF || { echo "cups-pdf: the queue ChartroomPDF was not made" >&2; exit 1; }
echo "cups-pdf: queue ChartroomPDF ready (jobs are written to ~/PDF)"
