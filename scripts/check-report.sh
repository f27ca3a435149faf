#!/usr/bin/env bash
# Opens an HTML report in headless Chromium (Debian's chromium package), fails on any console error
# or failed image load, and saves a screenshot to look at.
#   scripts/check-report.sh calibra-out/demo/index.html /tmp/report.png
set -euo pipefail
page="$(realpath "$1")"
shot="${2:-/tmp/calibra-report.png}"
profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --allow-file-access-from-files)
chromium "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1400,2400 --screenshot="$shot" \
  "file://$page" 2>"$log" >/dev/null
# Images that fail to load are replaced by their alt text; count how many decoded.
images="$(chromium "${flags[@]}" --virtual-time-budget=3000 --dump-dom "file://$page" 2>/dev/null \
  | grep -c '<img' || true)"
if grep -E "CONSOLE|Uncaught|Failed to load|ERR_FILE_NOT_FOUND" "$log"; then
  echo "console errors in $page" >&2
  exit 1
fi
echo "no console errors; $images images; screenshot: $shot"
