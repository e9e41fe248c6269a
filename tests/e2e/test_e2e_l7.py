"""L7 through the VIP: a HEADER rule sends matching requests to a second pool, and a
REDIRECT_TO_URL policy answers 302 with its Location, all built with the `openstack` CLI."""

from __future__ import annotations

import json
import subprocess
import sys

from dataplane import Dataplane
from rig import Api, Cli, OctaviaProcess, Rig, wait_for

CLIENT_HOST = 10
BLUE, GREEN = ("blue", 21), ("green", 22)

# Runs inside the client namespace: one GET with optional headers, no redirect following.
REQUEST = r"""
import http.client, json, sys
host, path, headers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
conn = http.client.HTTPConnection(host, 80, timeout=3)
try:
    conn.request("GET", path, headers={"Connection": "close", **headers})
    r = conn.getresponse()
    print(json.dumps({"status": r.status, "location": r.getheader("Location"), "body": r.read().decode().strip()}))
except Exception as exc:
    print(json.dumps({"error": repr(exc)}))
"""


def get(client_ns: str, vip: str, path: str = "/", headers: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        ["ip", "netns", "exec", client_ns, sys.executable, "-c", REQUEST, vip, path, json.dumps(headers or {})],
        capture_output=True, text=True, timeout=30, check=True,
    )
    return json.loads(result.stdout)


def test_header_rule_routes_to_second_pool_and_redirect_answers_302(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api
) -> None:
    net = rig.net
    lb_id = cli.json("loadbalancer", "create", "--name", f"e2e-l7-{rig.run_id}", "--vip-subnet-id", net.subnet_id)["id"]
    api.wait_lb(lb_id)
    vip = cli.json("loadbalancer", "show", lb_id)["vip_address"]

    dataplane.wait_bridge()
    client = dataplane.add_host("client", net.host(CLIENT_HOST))
    for name, last in (BLUE, GREEN):
        dataplane.start_member(name, net.host(last))

    # --- listener with a default pool (blue) and a second pool (green)
    listener = cli.json("loadbalancer", "listener", "create", "--name", "l7-listener", "--protocol", "HTTP",
                        "--protocol-port", "80", lb_id)["id"]
    api.wait_lb(lb_id)
    pools: dict[str, str] = {}
    for (name, last), extra in ((BLUE, ("--listener", listener)), (GREEN, ("--loadbalancer", lb_id))):
        pools[name] = cli.json("loadbalancer", "pool", "create", "--name", name, "--lb-algorithm", "ROUND_ROBIN",
                               "--protocol", "HTTP", *extra)["id"]
        api.wait_lb(lb_id)
        cli.json("loadbalancer", "member", "create", "--name", name, "--subnet-id", net.subnet_id,
                 "--address", net.host(last), "--protocol-port", "80", pools[name])
        api.wait_lb(lb_id)
    wait_for("the VIP to answer from blue", lambda: get(client, vip).get("body") == "blue", 30)

    # --- HEADER rule: X-Tier: green goes to the green pool
    to_green = cli.json("loadbalancer", "l7policy", "create", "--name", "to-green", "--action", "REDIRECT_TO_POOL",
                        "--redirect-pool", pools["green"], listener)["id"]
    api.wait_lb(lb_id)
    rule = cli.json("loadbalancer", "l7rule", "create", "--type", "HEADER", "--key", "X-Tier", "--compare-type",
                    "EQUAL_TO", "--value", "green", to_green)
    api.wait_lb(lb_id)
    assert cli.json("loadbalancer", "l7rule", "show", to_green, rule["id"])["provisioning_status"] == "ACTIVE"
    assert cli.json("loadbalancer", "l7policy", "show", to_green)["provisioning_status"] == "ACTIVE"
    wait_for("X-Tier: green to reach green", lambda: get(client, vip, "/", {"X-Tier": "green"}).get("body") == "green", 30)
    for _ in range(5):
        assert get(client, vip, "/", {"X-Tier": "green"})["body"] == "green"
        assert get(client, vip, "/", {"X-Tier": "blue"})["body"] == "blue"
        assert get(client, vip)["body"] == "blue"

    # --- REDIRECT_TO_URL on a path prefix: 302 with the Location, position 1 in the list
    moved = cli.json("loadbalancer", "l7policy", "create", "--name", "moved", "--action", "REDIRECT_TO_URL",
                     "--redirect-url", "http://example.com/new", "--position", "1", listener)["id"]
    api.wait_lb(lb_id)
    cli.json("loadbalancer", "l7rule", "create", "--type", "PATH", "--compare-type", "STARTS_WITH", "--value", "/old",
             moved)
    api.wait_lb(lb_id)
    listed = cli.json("loadbalancer", "l7policy", "list")
    assert {p["id"]: p["position"] for p in listed if p["id"] in (moved, to_green)} == {moved: 1, to_green: 2}
    answer = wait_for("the redirect", lambda: (r := get(client, vip, "/old/page")).get("status") == 302 and r, 30)
    assert answer["location"] == "http://example.com/new"
    # The redirect wins over the pool rule; other paths are untouched.
    assert get(client, vip, "/old/x", {"X-Tier": "green"})["status"] == 302
    assert get(client, vip, "/new", {"X-Tier": "green"})["body"] == "green"

    # --- a pool a policy redirects to cannot be deleted; after the policy goes, it can
    deleted = cli.run("loadbalancer", "pool", "delete", pools["green"])
    assert deleted.returncode != 0 and "in use by L7 policy" in deleted.stderr, deleted.stderr
    cli.ok("loadbalancer", "l7policy", "delete", to_green)
    api.wait_lb(lb_id)
    wait_for("X-Tier: green back on blue", lambda: get(client, vip, "/", {"X-Tier": "green"}).get("body") == "blue", 30)
    assert [p["id"] for p in cli.json("loadbalancer", "l7policy", "list") if p["id"] in (moved, to_green)] == [moved]

    cli.ok("loadbalancer", "delete", "--cascade", lb_id)
    api.wait_lb_gone(lb_id)
