#!/usr/bin/env bash
# Runs the ctrecord commands of the README's quick start: everything after the build step of
# the first `cmake --build` line, with ./build/bin/ctrecord replaced by this build's binary and
# the /tmp output folder by one of our own.
set -euo pipefail
src=$1 cli=$2 out=$3
line=$(grep -m1 -- '&& cmake --build build' "$src/README.md")
[ -n "$line" ] || { echo "README: quick-start line not found"; exit 1; }
cmds=${line#*cmake --build build -j && }
[ "$cmds" != "$line" ] || { echo "README: no command after the build step"; exit 1; }
case "$cmds" in *"ctrecord evm"*) ;; *) echo "README: the main job is not ctrecord evm"; exit 1;; esac
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cmds=${cmds//.\/build\/bin\/ctrecord/$cli}
cmds=${cmds//\/tmp\/erc20-transfer.trace/$out}
echo "+ $cmds"
(cd "$src" && eval "$cmds")
test -f "$out/trace.json" && test -d "$out/files"
(cd "$src" && eval "$cmds") >/dev/null   # runs again over its own output (--force)
