#!/usr/bin/env bash
# Set-up and run in one step; safe to run again (it only installs what is missing or changed).
#
#   bash bootstrap.sh demo     set up, then run the demo against the bundled mock PACER site
#   bash bootstrap.sh test     set up, then run the whole test suite
#   bash bootstrap.sh ARGS...  set up, then run `pacer-verify ARGS...`
#
# It makes .venv, installs the project with its test tools, and makes sure a Chromium is there:
# Playwright's own (`playwright install chromium`), or, where that cannot download (a closed
# network), the distribution's chromium-headless-shell / chromium packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP="$VENV/.setup-stamp"
say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

# What to install: the test tools for everything; `test` adds the interop extra (juriscraper, another
# PACER client the suite runs against the mock), which the demo does not need.
EXTRAS='.[test]'
if [ "${1:-demo}" = test ]; then EXTRAS='.[test,interop]'; fi

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
      say "python3-venv is missing; installing it"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv "$VENV"
    fi
  fi
  local want full
  want=$( (cat pyproject.toml; echo "$EXTRAS") | sha256sum | cut -d' ' -f1)
  full=$( (cat pyproject.toml; echo '.[test,interop]') | sha256sum | cut -d' ' -f1)
  # A venv set up for the tests (the extras included) serves the demo too: no reinstall between the two.
  if [ ! -f "$STAMP" ] || { [ "$(cat "$STAMP")" != "$want" ] && [ "$(cat "$STAMP")" != "$full" ]; }; then
    say "installing pacer-verify and its test tools ($EXTRAS) into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -U pip >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$EXTRAS" >&2
    echo "$want" > "$STAMP"
  fi
}

browser_ok() { "$VENV/bin/pacer-verify" doctor >/dev/null 2>&1; }

ensure_browser() {
  browser_ok && return 0
  say "no usable Chromium yet; trying 'playwright install chromium'"
  if timeout 600 "$VENV/bin/python" -m playwright install chromium >/dev/null 2>&1 && browser_ok; then
    return 0
  fi
  if command -v apt-get >/dev/null 2>&1; then
    say "Playwright could not download its browser; installing the distribution's Chromium"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    # The headless shell measured ~3x less CPU per account than full Chromium; full Chromium is
    # for --headed runs. Either alone is enough.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell chromium >/dev/null \
      || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || true
  fi
  if ! browser_ok; then
    "$VENV/bin/pacer-verify" doctor || true
    say "could not provide a browser: install Chromium or Chrome and set PACER_VERIFY_BROWSER to it"
    exit 3
  fi
}

# Byte-code for the project's own modules, written once: where PYTHONDONTWRITEBYTECODE is set (some
# CI images set it), every pacer-verify the tests start would otherwise compile them all again.
compile_project() { "$VENV/bin/python" -m compileall -q -j 0 verifier flows >/dev/null 2>&1 || true; }

ensure_venv
ensure_browser
compile_project

case "${1:-demo}" in
  demo) shift || true; exec "$VENV/bin/pacer-verify" demo "$@" ;;
  test) shift; exec "$VENV/bin/python" -m pytest "$@" ;;
  *) exec "$VENV/bin/pacer-verify" "$@" ;;
esac
