#!/usr/bin/env bash
# The sign-in service's browser tests (make e2e): Debian's chromium and chromium-driver
# (installed with apt-get when missing), Selenium and the next-auth vectors' generator
# dependencies in a virtual environment under .build-e2e/, the example built, then
# Tests/E2E/test_signin_service.py (in the browser), test_signin_hardening.py (over HTTP: limits,
# headers, cookies by default, ORIGIN and --secure) and test_device_bound.py (device-bound sessions
# in Chromium over https; its throw-away CA is trusted through certutil, from libnss3-tools, also
# installed with apt-get when missing). Screenshots go to .build-e2e/screenshots/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v certutil >/dev/null || missing+=(libnss3-tools)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "installing ${missing[*]} with apt-get"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "missing: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
venv=.build-e2e/venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check "selenium>=4.20,<5" "joserfc>=1.0,<2" "cryptography>=42"
(cd Examples/SignInService && swift build --scratch-path .build)
cd Tests/E2E && "$root/$venv/bin/python" -m unittest -v test_signin_service test_signin_hardening test_device_bound
