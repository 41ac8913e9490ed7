#!/usr/bin/env bash
# Abuse run: a release `dangvu serve --demo` on loopback,
# 16 attackers with maximal searches and term-long reports, one cell secretary browsing.
# Usage: tools/load/abuse.sh [SECONDS] [ATTACKERS]
set -euo pipefail
secs=${1:-60}
attackers=${2:-16}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=18182
cargo build --release --manifest-path "$root/Cargo.toml" -q
"$root/target/release/dangvu" --data-dir "$work/data" serve --demo --bind 127.0.0.1:$port 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do curl -sf -o /dev/null http://127.0.0.1:$port/suc-khoe && break; sleep 1; done
python3 "$here/abuse.py" http://127.0.0.1:$port "$work/serve.log" "$server" "$secs" "$attackers"
