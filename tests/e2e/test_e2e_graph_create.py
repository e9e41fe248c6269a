"""One POST builds a whole load balancer (listener, pool, members, health monitor): when it is
ACTIVE every sub-object is ACTIVE too and HTTP traffic is spread over the members through the VIP."""

from __future__ import annotations

from dataplane import Dataplane, namespaces_with_prefix
from rig import Api, Cli, OctaviaProcess, Rig, wait_for

MEMBERS = {"g1": 21, "g2": 22}
CLIENT_HOST = 20


def test_single_call_create_serves_traffic(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    net = rig.net
    dataplane.wait_bridge()
    client = dataplane.add_host("gclient", net.host(CLIENT_HOST))
    for name, last in MEMBERS.items():
        dataplane.start_member(name, net.host(last))

    # --- the whole graph in one request
    body = {"loadbalancer": {
        "name": f"e2e-graph-{rig.run_id}", "vip_subnet_id": net.subnet_id,
        "listeners": [{"name": "web", "protocol": "HTTP", "protocol_port": 80, "default_pool": {"name": "web-pool"}}],
        "pools": [{
            "name": "web-pool", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
            "healthmonitor": {"type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "url_path": "/"},
            "members": [{"name": name, "address": net.host(last), "protocol_port": 80, "subnet_id": net.subnet_id}
                        for name, last in MEMBERS.items()],
        }],
    }}
    r = api.request("POST", "/loadbalancers", body)
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    lb_id = lb["id"]
    assert lb["listeners"][0]["default_pool_id"] == lb["pools"][0]["id"]
    assert len(lb["pools"][0]["members"]) == 2
    assert lb["pools"][0]["healthmonitor"]["type"] == "HTTP"
    api.wait_lb(lb_id)

    # --- every sub-object settled with the load balancer
    listener = cli.json("loadbalancer", "listener", "show", lb["listeners"][0]["id"])
    assert (listener["provisioning_status"], listener["operating_status"]) == ("ACTIVE", "ONLINE")
    pool = cli.json("loadbalancer", "pool", "show", lb["pools"][0]["id"])
    assert pool["provisioning_status"] == "ACTIVE"
    hm = cli.json("loadbalancer", "healthmonitor", "show", lb["pools"][0]["healthmonitor"]["id"])
    assert hm["provisioning_status"] == "ACTIVE"
    for member in cli.json("loadbalancer", "member", "list", pool["id"]):
        assert member["provisioning_status"] == "ACTIVE"

    # --- traffic through the VIP reaches both members
    vip = cli.json("loadbalancer", "show", lb_id)["vip_address"]
    url = f"http://{vip}/"
    wait_for("the VIP to answer 200", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("status") == 200, 30)
    counts = dataplane.tally(dataplane.probe(client, url, 20))
    assert set(counts) == set(MEMBERS), f"unexpected answers: {counts}"
    for name in MEMBERS:
        assert 8 <= counts[name] <= 12, f"{name} answered {counts[name]} of 20: {counts}"

    # --- cascade delete leaves no amphora behind
    cli.ok("loadbalancer", "delete", "--cascade", lb_id)
    api.wait_lb_gone(lb_id)
    wait_for("amphora namespaces to be gone", lambda: not namespaces_with_prefix(rig.amp_prefix) or None, 5, 0.2)
