#!/usr/bin/env bash
# Set up annotator on this machine: the system libraries Qt loads, a virtual environment in
# .venv, and the project installed editable into it. Safe to run again (fast when done).
#
#   bash scripts/setup.sh run    the app and what it needs at run time (what `make run` uses)
#   bash scripts/setup.sh test   that plus the test and lint tools, spaCy included (`make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
case "$what" in
  run) extras="" ;;
  test) extras="[test]" ;;
  *) echo "usage: scripts/setup.sh [run|test]" >&2; exit 2 ;;
esac

# Qt's offscreen and desktop platforms load these (see docs/decisions/0003-qt-pin.md).
QT_DEBS=(libglib2.0-0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
         libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${QT_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends --no-upgrade "${missing[@]}" >/dev/null
  else
    echo "setup: Qt needs: sudo apt-get install ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# One stamp per level and pyproject.toml: the test level holds everything the run level does.
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ -f ".venv/.installed-$what-$hash" ] || [ -f ".venv/.installed-test-$hash" ]; then
  exit 0
fi
echo "setup: installing annotator$extras into .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".$extras"
rm -f .venv/.installed-*
touch ".venv/.installed-$what-$hash"
