#!/usr/bin/env bash
# Install everything the whole test suite needs (Python packages, Debian's Chromium for the
# browser tests, nginx for the scale-out test), then run it. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -r requirements-dev.txt
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Compile the numba kernels once (cached on disk) so that no test pays the compiler mid-run.
python -c "from playground import fastpath, vectorized; fastpath.warm_up(); vectorized.warm_up()"
exec python -m pytest -n 2 "$@"
