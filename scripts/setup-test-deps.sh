#!/usr/bin/env bash
# Installs what Swift Octavia needs to run and to be tested on Debian 12, as root.
# Idempotent: apt runs only when a package is missing; the venv is made once.
set -euo pipefail
cd "$(dirname "$0")/.."

# haproxy: the load balancer inside each local amphora.
# iproute2: ip netns / veth / bridges (local compute and network drivers, e2e tests).
# procps: sysctl inside amphora namespaces (ip_nonlocal_bind), ps for debugging.
# iputils-arping: gratuitous ARP when a VIP appears (see shared notes on stale ARP).
# curl: the README walk-through and manual checks from a client namespace.
# python3-venv: the venv that holds the openstack CLI and pytest.
# zlib1g-dev: zlib headers for the CZlib module (heartbeat envelope compression).
# openssl: `octavia certificate add --pkcs12`/encrypted keys and the API's CA/CRL checks; test certificates.
# python3-dev, gcc: headers, libpython and a compiler for building uwsgi (serves Keystone in tests/e2e/test_e2e_keystone.py).
# wrk: load through the VIP while tests/e2e/test_dataplane_reload.py changes the LB (bounded: -d25s -c16).
PACKAGES=(haproxy iproute2 procps iputils-arping iputils-ping curl python3-venv python3-dev gcc zlib1g-dev openssl wrk)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    echo "setup-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    # The distribution's haproxy service is not used; amphorae run their own instances.
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        systemctl disable --now haproxy >/dev/null 2>&1 || true
    fi
fi

# The Debian interpreter is used on purpose (python3-venv belongs to it).
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
    echo "setup-test-deps: creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import openstackclient, octaviaclient, octavia_lib, pytest, pytest_timeout, requests, schemathesis" 2>/dev/null \
    || [ ! -x "$VENV/bin/openstack" ]; then
    echo "setup-test-deps: installing Python packages into $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        python-openstackclient python-octaviaclient openstacksdk octavia-lib pytest pytest-timeout requests schemathesis
fi
# OpenStack Octavia itself, only so tests/e2e/test_e2e_health.py can send a heartbeat built by its own
# status_message.wrap_envelope (19.0.0 installs cleanly on Python 3.11).
if ! "$VENV/bin/python" -c "from octavia.amphorae.backends.health_daemon import status_message" 2>/dev/null; then
    echo "setup-test-deps: installing octavia into $VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check octavia==19.0.0
fi
# Keystone (tests/e2e/keystone.py): its own venv, since its pins differ from the client tools'.
# PATH is narrowed while pip builds uwsgi so it links the Debian libpython the venv runs on
# (a pyenv python3-config earlier on PATH gives a uwsgi that cannot import the venv's modules).
KS_VENV=.venv-keystone
if [ ! -x "$KS_VENV/bin/keystone-manage" ] || [ ! -x "$KS_VENV/bin/uwsgi" ]; then
    echo "setup-test-deps: installing keystone and uwsgi into $KS_VENV"
    [ -x "$KS_VENV/bin/python" ] || "$PYTHON" -m venv "$KS_VENV"
    PATH="$PWD/$KS_VENV/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$KS_VENV/bin/pip" install --quiet \
        --disable-pip-version-check --no-cache-dir keystone uwsgi
fi
echo "setup-test-deps: ok"
