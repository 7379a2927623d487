#!/usr/bin/env bash
# Everything a fresh clone needs before it can run or test Tongban. Safe to run again: each step
# is skipped when what it would install is already there and unchanged.
#   - Debian packages (only when running as root): CJK fonts for pages and PDFs, the Pango/HarfBuzz libraries
#     WeasyPrint renders PDFs with, Chromium for browser tests.
#   - .venv/ from the machine's Python >= 3.11 with the locked dependencies (requirements/lock.txt).
#   - front-end assets from the npm registry, pinned by frontend/package-lock.json.
#   - compiled translations (.mo) from the committed .po files.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

debian_packages=(chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || say "note: Debian package $p is missing and we are not root; install it with: sudo apt-get install $p"
  done
fi

pick_python() {
  for py in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null || continue
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  return 1
}

lock_sum=$(sha256sum requirements/pip.txt requirements/lock.txt pyproject.toml | sha256sum | cut -c1-16)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.tongban-lock 2>/dev/null)" != "$lock_sum" ]; then
  py=$(pick_python) || { echo "Tongban needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
  say "creating .venv with $($py --version) and the locked dependencies"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.txt \
    2> >(grep -v "^WARNING: Location" >&2)
  # (the grep drops pip's notes about package folders this machine's pip configuration names but lacks)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt \
    2> >(grep -v "^WARNING: Location" >&2)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
    2> >(grep -v -e "^WARNING: Location" -e "BuildBackendWarning" -e "^\s*!!" >&2)
  echo "$lock_sum" > .venv/.tongban-lock
fi

npm_sum=$(sha256sum frontend/package-lock.json | cut -c1-16)
if [ "$(cat frontend/node_modules/.tongban-lock 2>/dev/null)" != "$npm_sum" ]; then
  command -v npm >/dev/null || { echo "Tongban needs Node.js with npm to install its pinned front-end assets" >&2; exit 1; }
  say "installing pinned front-end assets (npm ci)"
  (cd frontend && npm ci --silent --no-audit --no-fund)
  echo "$npm_sum" > frontend/node_modules/.tongban-lock
fi

.venv/bin/tongban compile_translations --quiet
