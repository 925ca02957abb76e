#!/usr/bin/env bash
# setup.sh — installs what the build and tests need on Debian 12 (apt as root or with sudo, then npm ci), once.
# Not a build step: it changes nothing when everything is present; where it cannot install, it names the packages and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have emcc || need+=(emscripten)
have cmake || need+=(cmake)
have g++ || need+=(g++)
have make || need+=(make)
have node || need+=(nodejs)
have npm || need+=(npm)
have chromium || need+=(chromium)
[ -f /usr/include/eigen3/Eigen/Dense ] || need+=(libeigen3-dev)
[ -f /usr/include/doctest/doctest.h ] || need+=(doctest-dev)
[ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
have clang++-14 || need+=(clang-14)
ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || need+=(libclang-rt-14-dev)
# the PyTorch-script test (tests/node/export-torch.test.mjs) runs the generated scripts with Debian's python3 + torch
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)

if ((${#need[@]})); then
  echo "setup: installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends "${need[@]}"
  elif have sudo && sudo -n true 2>/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  else
    echo "setup: missing packages and no root/sudo. Install them, then run again:" >&2
    echo "  apt-get install --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
fi

# npm packages (Chart.js, markdown-it, KaTeX, playwright-core …) from package-lock.json; re-run when the lock's content
# changes (not its age: a fresh checkout or git worktree makes the lock newer without changing it, and `npm ci` through a
# shared, symlinked node_modules would empty it for every checkout using it)
if ! cmp -s package-lock.json node_modules/.rnnlab-installed-lock; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.rnnlab-installed-lock
fi
