"""The proof: a load balancer built with the real `openstack` CLI spreads real HTTP traffic over
three member namespaces, follows member removal and health-check failure, and leaves nothing
behind after a cascade delete."""

from __future__ import annotations

import time

import pytest

from dataplane import Dataplane, namespaces_with_prefix, processes_referencing
from rig import Api, Cli, CliError, OctaviaProcess, Rig, wait_for

MEMBERS = {"m1": 11, "m2": 12, "m3": 13}
CLIENT_HOST = 10


def wait_active(api: Api, cli: Cli, lb_id: str, kind: str | None = None, args: tuple[str, ...] = ()) -> dict | None:
    """Waits for the LB to be ACTIVE, then (if given) checks the child object is ACTIVE via the CLI."""
    api.wait_lb(lb_id)
    if kind is None:
        return None
    obj = wait_for(
        f"{kind} ACTIVE",
        lambda: (o := cli.json("loadbalancer", kind, "show", *args))["provisioning_status"] == "ACTIVE" and o,
        30,
    )
    return obj


def test_traffic_round_robin_member_delete_health_and_cascade_delete(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    net = rig.net

    # --- load balancer on the local subnet (by UUID, as a user would)
    lb = cli.json("loadbalancer", "create", "--name", f"e2e-lb-{rig.run_id}", "--vip-subnet-id", net.subnet_id)
    lb_id = lb["id"]
    assert lb["provisioning_status"] == "PENDING_CREATE"
    assert lb["vip_subnet_id"] == net.subnet_id
    api.wait_lb(lb_id)
    lb = cli.json("loadbalancer", "show", lb_id)
    assert lb["provisioning_status"] == "ACTIVE"
    vip = lb["vip_address"]
    assert vip and vip.startswith(f"10.231.{net.third_octet}."), f"VIP {vip!r} is not on {net.cidr}"
    amp_namespaces = namespaces_with_prefix(rig.amp_prefix)
    assert len(amp_namespaces) == 1, f"expected one amphora namespace, found {amp_namespaces}"

    # --- test hosts on the network's bridge: a client and three members answering their name
    dataplane.wait_bridge()
    client = dataplane.add_host("client", net.host(CLIENT_HOST))
    for name, last in MEMBERS.items():
        dataplane.start_member(name, net.host(last))
    for name, last in MEMBERS.items():
        wait_for(
            f"member {name} answering directly",
            lambda last=last, name=name: dataplane.probe(client, f"http://{net.host(last)}/", 1, 1.0)[0].get("body") == name,
            20,
        )

    # --- listener, pool, members, health monitor; ACTIVE after each
    listener = cli.json("loadbalancer", "listener", "create", "--name", "e2e-listener", "--protocol", "HTTP",
                        "--protocol-port", "80", lb_id)
    wait_active(api, cli, lb_id, "listener", (listener["id"],))
    pool = cli.json("loadbalancer", "pool", "create", "--name", "e2e-pool", "--lb-algorithm", "ROUND_ROBIN",
                    "--listener", listener["id"], "--protocol", "HTTP")
    wait_active(api, cli, lb_id, "pool", (pool["id"],))
    member_ids: dict[str, str] = {}
    for name, last in MEMBERS.items():
        member = cli.json("loadbalancer", "member", "create", "--name", name, "--subnet-id", net.subnet_id,
                          "--address", net.host(last), "--protocol-port", "80", pool["id"])
        member_ids[name] = member["id"]
        wait_active(api, cli, lb_id, "member", (pool["id"], member["id"]))
    hm = cli.json("loadbalancer", "healthmonitor", "create", "--name", "e2e-hm", "--delay", "1", "--timeout", "1",
                  "--max-retries", "1", "--max-retries-down", "1", "--type", "HTTP", "--url-path", "/", pool["id"])
    wait_active(api, cli, lb_id, "healthmonitor", (hm["id"],))

    url = f"http://{vip}/"
    wait_for("the VIP to answer 200", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("status") == 200, 30)

    # --- 60 new connections: round robin gives each member 20 (± 2)
    counts = dataplane.tally(dataplane.probe(client, url, 60))
    assert set(counts) == set(MEMBERS), f"unexpected answers: {counts}"
    for name in MEMBERS:
        assert 18 <= counts[name] <= 22, f"{name} answered {counts[name]} of 60: {counts}"

    # --- delete m3: it gets no more traffic
    cli.ok("loadbalancer", "member", "delete", pool["id"], member_ids["m3"])
    api.wait_lb(lb_id)
    remaining = {m["id"] for m in cli.json("loadbalancer", "member", "list", pool["id"])}
    assert member_ids["m3"] not in remaining
    counts = dataplane.tally(dataplane.probe(client, url, 30))
    assert counts["m3"] == 0, f"deleted member m3 still answered: {counts}"
    assert set(counts) == {"m1", "m2"}, f"unexpected answers: {counts}"
    for name in ("m1", "m2"):
        assert 13 <= counts[name] <= 17, f"{name} answered {counts[name]} of 30: {counts}"

    # --- stop m2's server: the health monitor takes it out, everything goes to m1
    dataplane.stop_member("m2")
    wait_for(
        "the health monitor to take m2 out (6 answers in a row from m1)",
        lambda: dataplane.tally(dataplane.probe(client, url, 6, 2.0)) == {"m1": 6},
        30,
        0.5,
    )
    counts = dataplane.tally(dataplane.probe(client, url, 30))
    assert counts == {"m1": 30}, f"expected every answer from m1: {counts}"
    # Member operating_status in the API comes from amphora heartbeats: the health manager is a later step.

    # --- cascade delete: the LB disappears, and so do its amphora namespace and processes
    cli.ok("loadbalancer", "delete", "--cascade", lb_id)
    api.wait_lb_gone(lb_id)
    with pytest.raises(CliError):
        cli.json("loadbalancer", "show", lb_id)
    wait_for("amphora namespaces to be gone", lambda: not namespaces_with_prefix(rig.amp_prefix) or None, 5, 0.2)

    octavia_pid = octavia.proc.pid if octavia.proc else -1

    def leftover_amphora_processes() -> list[tuple[int, str]]:
        return [
            (pid, cmd) for pid, cmd in processes_referencing([str(rig.state_dir), rig.amp_prefix])
            if pid != octavia_pid and ("haproxy" in cmd or "amphora-agent" in cmd)
        ]

    deadline = time.monotonic() + 5
    while leftover_amphora_processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert leftover_amphora_processes() == [], "haproxy/amphora-agent processes left after delete"
