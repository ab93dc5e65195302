#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them all.
#   bash scripts/test.sh            # unit, AppTest and browser tests
#   bash scripts/test.sh -m browser # only the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PIP_ROOT_USER_ACTION=ignore python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian's Chromium (never `playwright install`, which downloads its own browser) and
# PostgreSQL, which the class-store tests start themselves as an unprivileged user.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_if_needed=""
  [ "$(id -u)" -eq 0 ] || sudo_if_needed="sudo"
  $sudo_if_needed apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y "${missing[@]}"
fi

python -m pytest "$@"
