#!/usr/bin/env bash
# Set up everything annotator needs on this machine: the system libraries Qt loads, a virtual
# environment in .venv, and the project with its test extras. Safe to run again (fast when done).
set -euo pipefail
cd "$(dirname "$0")/.."

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
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
