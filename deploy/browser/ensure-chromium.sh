#!/usr/bin/env bash
# The browser tests drive the system Chromium (Debian package `chromium`); Playwright never
# downloads browsers here. Installs it when missing and allowed (root with apt-get), else says how.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ -n "${CHROMIUM_PATH:-}" ]; then echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing the Debian chromium package for the browser tests ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  "$chromium" --version 2>/dev/null | head -1
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium: install it (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
