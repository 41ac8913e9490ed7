#!/usr/bin/env bash
# Load run: signed-in users mixing reads and writes against a release `dangvu serve --demo`
# on loopback, with wrk (Debian package `wrk`) in a second process; prints wrk's figures and the
# server's resident memory every 10 seconds. Usage: tools/load/run.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
secs=${1:-180}
conns=${2:-16}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=18181
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 1; }
cargo build --release --manifest-path "$root/Cargo.toml" -q
"$root/target/release/dangvu" --data-dir "$work/data" serve --demo --bind 127.0.0.1:$port 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; { grep -E "WARN|ERROR" "$work/serve.log" || true; } | tail -20; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:$port/suc-khoe && break; sleep 1; done
cd "$work"
python3 "$here/setup.py" http://127.0.0.1:$port "$work/serve.log"
( while kill -0 $server 2>/dev/null; do
    echo "rss $(awk '/VmRSS/ {print $2}' /proc/$server/status) kB, wal $(stat -c %s data/dangvu.sqlite3-wal 2>/dev/null || echo 0) B"
    sleep 10
  done ) &
wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s "$work/mix.lua" --latency http://127.0.0.1:$port
