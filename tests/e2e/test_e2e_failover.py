"""Failover proof: a load balancer carrying real HTTP traffic is failed over with the `openstack`
CLI; a new amphora (new namespace) replaces the old one, and traffic flows again through the same
VIP (the VIP MAC is derived from the load balancer, so the client's ARP entry stays valid)."""

from __future__ import annotations

from dataplane import Dataplane, namespaces_with_prefix
from rig import Api, Cli, OctaviaProcess, Rig, wait_for

MEMBER_HOST = 21
CLIENT_HOST = 20


def test_failover_replaces_the_amphora_and_traffic_returns_on_the_same_vip(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    net = rig.net
    lb = cli.json("loadbalancer", "create", "--name", f"e2e-fo-{rig.run_id}", "--vip-subnet-id", net.subnet_id)
    lb_id = lb["id"]
    api.wait_lb(lb_id)
    vip = cli.json("loadbalancer", "show", lb_id)["vip_address"]

    dataplane.wait_bridge()
    client = dataplane.add_host("client", net.host(CLIENT_HOST))
    dataplane.start_member("m1", net.host(MEMBER_HOST))
    listener = cli.json("loadbalancer", "listener", "create", "--protocol", "HTTP", "--protocol-port", "80", lb_id)
    api.wait_lb(lb_id)
    pool = cli.json("loadbalancer", "pool", "create", "--lb-algorithm", "ROUND_ROBIN", "--listener", listener["id"],
                    "--protocol", "HTTP")
    api.wait_lb(lb_id)
    cli.json("loadbalancer", "member", "create", "--subnet-id", net.subnet_id, "--address", net.host(MEMBER_HOST),
             "--protocol-port", "80", pool["id"])
    api.wait_lb(lb_id)

    url = f"http://{vip}/"
    wait_for("the VIP to answer", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("body") == "m1", 30)
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
