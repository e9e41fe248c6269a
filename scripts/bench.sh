#!/usr/bin/env bash
# Runs the benchmark (scripts/bench.py) as root: installs wrk and nginx-light if missing,
# makes sure the test dependencies and .venv exist, builds the two binaries only if they are
# missing (never while another swift build runs), then passes every argument to bench.py.
#   scripts/bench.sh                   all figures, JSON in state/bench-<timestamp>.json
#   scripts/bench.sh --figures 3       only the API throughput (noop drivers)
#   scripts/bench.sh --figures hb      only the health manager's heartbeat throughput (issue "Step 4"):
#                                      octavia bench-heartbeats on a release build, JSON in state/bench-hb-<timestamp>.json;
#                                      further arguments go to bench-heartbeats (e.g. --amphorae 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

# The heartbeat figure needs no root, data plane or debug binaries: a release build in its own
# scratch path (.build-release, so the shared debug build lock is not held) and one process.
if [ "${1:-}" = "--figures" ] && [ "${2:-}" = "hb" ]; then
    shift 2
    binary=.build-release/release/octavia
    if [ "${BENCH_NO_BUILD:-0}" != 1 ] && { [ ! -x "$binary" ] || [ -n "$(find Sources Package.swift -newer "$binary" -print -quit)" ]; }; then
        swift build -c release --product octavia --scratch-path .build-release
    fi
    mkdir -p state
    exec "$binary" bench-heartbeats --json "state/bench-hb-$(date +%Y%m%d-%H%M%S).json" "$@"
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "bench.sh: needs root (network namespaces)" >&2
    exit 2
fi

# wrk: the load generator of figure 4. nginx-light: the three member servers.
missing=()
for pkg in wrk nginx-light; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    echo "bench.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    # The distribution's nginx service is not used; members run their own instances.
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
fi

# haproxy, iproute2, .venv with requests and pytest (the e2e rig imports it).
./scripts/setup-test-deps.sh >/dev/null

# The two binaries: built when missing or older than the sources, but never while another
# swift build runs (other engineers build in this tree); stale binaries are then used as they are.
# BENCH_NO_BUILD=1 skips building.
missing_bin=0
[ -x .build/debug/octavia ] && [ -x .build/debug/amphora-agent ] || missing_bin=1
stale=""
if [ "$missing_bin" = 0 ]; then
    stale="$(find Sources Package.swift -type f \( -newer .build/debug/octavia -o -newer .build/debug/amphora-agent \) \
        -print -quit)"
fi
if [ "${BENCH_NO_BUILD:-0}" != 1 ] && { [ "$missing_bin" = 1 ] || [ -n "$stale" ]; }; then
    if pgrep -f swift-build >/dev/null; then
        if [ "$missing_bin" = 1 ]; then
            echo "bench.sh: .build/debug/octavia or amphora-agent is missing and another swift build is running;" \
                 "retry when it is done" >&2
            exit 2
        fi
        echo "bench.sh: binaries are older than $stale, but another swift build is running: using them as they are" >&2
    elif ! { swift build --product octavia && swift build --product amphora-agent; }; then
        [ "$missing_bin" = 1 ] && exit 2
        echo "bench.sh: swift build failed: using the existing binaries" >&2
    fi
fi

exec .venv/bin/python scripts/bench.py "$@"
