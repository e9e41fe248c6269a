#!/usr/bin/env bash
# Installs the dependencies, builds (debug: the same build the tests use, so no second
# full build), writes ./state/octavia.conf if missing, and runs the all-in-one service
# in the foreground on 127.0.0.1:9876 with auth_strategy = noauth.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
STATE="$REPO/state"

./scripts/setup-test-deps.sh
swift build

mkdir -p "$STATE/amphorae" "$STATE/certs"
CONF="$STATE/octavia.conf"
if [ ! -f "$CONF" ]; then
    cat > "$CONF" <<CONF
# Written by scripts/run.sh; edit freely, it is not overwritten.
[DEFAULT]
debug = false

[api_settings]
bind_host = 127.0.0.1
bind_port = 9876
auth_strategy = noauth

[database]
connection = sqlite:///$STATE/octavia.db

[controller_worker]
loadbalancer_topology = SINGLE

[certificates]
storage_path = $STATE/certs

[noauth]
default_project_id = default

[local_compute]
state_path = $STATE/amphorae
agent_command = $REPO/.build/debug/amphora-agent
namespace_prefix = octavia-amp-

[local_networking]
switch_namespace = octavia-sw

# One local network. Its bridge is br-<first 12 hex digits of network_id> inside the
# switch namespace: here br-0b3c54b88a5e in octavia-sw.
[local_network:public]
network_id = 0b3c54b8-8a5e-4a4e-9a43-5f0c1d2e3f40
subnet_id = 6f1d2c3b-4a5e-4f60-8b7a-9c0d1e2f3a4b
subnet_name = public-subnet
cidr = 10.199.0.0/24
gateway = 10.199.0.1
allocation_pool_start = 10.199.0.100
allocation_pool_end = 10.199.0.199
CONF
    echo "run.sh: wrote $CONF"
fi

exec "$REPO/.build/debug/octavia" all-in-one --config-file "$CONF"
