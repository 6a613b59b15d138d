#!/usr/bin/env bash
# Headless Chromium for the report's browser tests (tests/test_report_browser.py): Debian's
# chromium package, driven by Playwright's Python client pointed at /usr/bin/chromium (no
# browser is downloaded by Playwright). Run as root on a Debian machine (CI does, from
# .ci/run); elsewhere it says what it could not do and the browser tests are skipped, unless
# REPRINTS_REQUIRE_BROWSER=1 makes them fail.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
as_root=()
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
fi
if { [ "$(id -u)" != 0 ] && [ ${#as_root[@]} = 0 ]; } || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: chromium is not installed and this is not root (or sudo) on Debian;" \
       "the browser tests will be skipped (install the 'chromium' package to run them)" >&2
  exit 0
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
chromium --version
