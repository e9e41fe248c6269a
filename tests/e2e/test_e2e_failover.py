"""Failover proof: a load balancer carrying real HTTP traffic is failed over with the `openstack`
CLI; a new amphora (new namespace) replaces the old one, and traffic flows again through the same
VIP (the VIP MAC is derived from the load balancer, so the client's ARP entry stays valid).

A failover whose replacement cannot boot (the module's agent command refuses to start while a
marker file exists) leaves the load balancer and the old amphora in ERROR, no namespace of the
half-built replacement, and the old amphora still serving; a second failover repairs it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from dataplane import Dataplane, namespaces_with_prefix
from rig import Api, Cli, OctaviaProcess, Rig, check_prerequisites, wait_for

MEMBER_HOST = 21
CLIENT_HOST = 20
BROKEN_MEMBER_HOST = 31
BROKEN_CLIENT_HOST = 30


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    """The shared rig, with an agent command that refuses to start while `refuse-agent` exists."""
    check_prerequisites()
    base = Path(tempfile.mkdtemp(prefix="octavia-e2e-"))
    rig = Rig.create(base)
    marker = rig.state_dir / "refuse-agent"
    gate = rig.state_dir / "gated-agent.sh"
    gate.write_text(f"#!/bin/sh\nif [ -e '{marker}' ]; then echo 'agent start refused: {marker} exists' >&2; exit 1; fi\n"
                    f"exec '{rig.agent_command}' \"$@\"\n")
    gate.chmod(0o755)
    rig.agent_command = str(gate)
    rig.config_path.write_text(rig.render_config())
    yield rig
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(base, ignore_errors=True)


def serving_lb(rig: Rig, dataplane: Dataplane, cli: Cli, api: Api, name: str, hosts: tuple[int, int]) -> tuple[str, str, str]:
    """An LB built with the CLI (HTTP listener, pool, one member `name` at host hosts[1]) answering a
    client `<name>-client` at hosts[0]; returns (lb id, client namespace, VIP URL)."""
    net = rig.net
    lb_id = cli.json("loadbalancer", "create", "--name", f"e2e-{name}-{rig.run_id}", "--vip-subnet-id", net.subnet_id)["id"]
    api.wait_lb(lb_id)
    vip = cli.json("loadbalancer", "show", lb_id)["vip_address"]
    dataplane.wait_bridge()
    client = dataplane.add_host(f"{name}-client", net.host(hosts[0]))
    dataplane.start_member(name, net.host(hosts[1]))
    listener = cli.json("loadbalancer", "listener", "create", "--protocol", "HTTP", "--protocol-port", "80", lb_id)
    api.wait_lb(lb_id)
    pool = cli.json("loadbalancer", "pool", "create", "--lb-algorithm", "ROUND_ROBIN", "--listener", listener["id"],
                    "--protocol", "HTTP")
    api.wait_lb(lb_id)
    cli.json("loadbalancer", "member", "create", "--subnet-id", net.subnet_id, "--address", net.host(hosts[1]),
             "--protocol-port", "80", pool["id"])
    api.wait_lb(lb_id)
    url = f"http://{vip}/"
    wait_for("the VIP to answer", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("body") == name, 30)
    return lb_id, client, url


def test_failover_replaces_the_amphora_and_traffic_returns_on_the_same_vip(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    lb_id, client, url = serving_lb(rig, dataplane, cli, api, "m1", (CLIENT_HOST, MEMBER_HOST))
    vip = cli.json("loadbalancer", "show", lb_id)["vip_address"]
    before = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert len(before) == 1 and before[0]["status"] == "ALLOCATED", before
    old_namespaces = set(namespaces_with_prefix(rig.amp_prefix))
    assert len(old_namespaces) == 1, old_namespaces

    cli.ok("loadbalancer", "failover", lb_id)
    api.wait_lb(lb_id)

    after = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert len(after) == 1 and after[0]["status"] == "ALLOCATED", after
    assert after[0]["id"] != before[0]["id"], "the amphora was not replaced"
    new_namespaces = set(namespaces_with_prefix(rig.amp_prefix))
    assert len(new_namespaces) == 1 and new_namespaces != old_namespaces, (old_namespaces, new_namespaces)
    assert cli.json("loadbalancer", "show", lb_id)["vip_address"] == vip

    # The client keeps its ARP entry: same VIP, same MAC, new amphora behind it.
    wait_for("the VIP to answer again", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("body") == "m1", 30)
    counts = dataplane.tally(dataplane.probe(client, url, 20))
    assert counts == {"m1": 20}, f"after failover: {counts}"

    cli.ok("loadbalancer", "delete", "--cascade", lb_id)
    api.wait_lb_gone(lb_id)
    wait_for("amphora namespaces to be gone", lambda: not namespaces_with_prefix(rig.amp_prefix) or None, 5, 0.2)


def test_failed_failover_leaves_error_nothing_leaked_and_a_second_failover_repairs(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    lb_id, client, url = serving_lb(rig, dataplane, cli, api, "mb", (BROKEN_CLIENT_HOST, BROKEN_MEMBER_HOST))
    old = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert len(old) == 1 and old[0]["status"] == "ALLOCATED", old
    old_namespace = rig.amp_prefix + old[0]["id"]
    before = set(namespaces_with_prefix(rig.amp_prefix))
    assert old_namespace in before, before

    marker = rig.state_dir / "refuse-agent"
    marker.touch()
    try:
        cli.ok("loadbalancer", "failover", lb_id)
        api.wait_lb(lb_id, "ERROR")
    finally:
        marker.unlink()
    # Octavia: the amphora being replaced goes to ERROR with the LB; the replacement is gone.
    amphorae = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert [(a["id"], a["status"]) for a in amphorae] == [(old[0]["id"], "ERROR")], amphorae
    assert set(namespaces_with_prefix(rig.amp_prefix)) == before, "the half-built replacement left a namespace"
    assert "agent start refused" in octavia.log_tail(400000)
    # Nothing stopped the old amphora: it still answers on the VIP.
    assert dataplane.tally(dataplane.probe(client, url, 5)) == {"mb": 5}

    cli.ok("loadbalancer", "failover", lb_id)
    api.wait_lb(lb_id)
    after = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert len(after) == 1 and after[0]["status"] == "ALLOCATED" and after[0]["id"] != old[0]["id"], after
    assert set(namespaces_with_prefix(rig.amp_prefix)) == (before - {old_namespace}) | {rig.amp_prefix + after[0]["id"]}
    wait_for("the VIP to answer from the repaired LB",
             lambda: dataplane.probe(client, url, 1, 1.0)[0].get("body") == "mb", 30)
    assert dataplane.tally(dataplane.probe(client, url, 10)) == {"mb": 10}

    cli.ok("loadbalancer", "delete", "--cascade", lb_id)
    api.wait_lb_gone(lb_id)
