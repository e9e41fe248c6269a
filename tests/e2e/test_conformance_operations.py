"""API conformance of the operational routes (spec api-v2.md §5, §6, §8, §18): the status tree,
load balancer and listener statistics, load balancer failover, batch member update and the admin
amphora API, through openstacksdk and plain HTTP.

The routes landed while this suite was written, so no test carries sdk.NOT_YET; a test of a route
that does not exist yet gets that mark (strict xfail for RouteMissing only) until it lands.
"""

from __future__ import annotations

import uuid

import pytest
from openstack import connection, exceptions

from rig import Rig
from sdk import (RouteMissing, assert_fault, assert_sdk_fault, conn, octavia, raw, require_route, rig,  # noqa: F401
                 settle)

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")

RANDOM = str(uuid.uuid4())
STATS = {"bytes_in", "bytes_out", "active_connections", "total_connections", "request_errors"}


@pytest.fixture(scope="module")
def tree(conn: connection.Connection, rig: Rig) -> dict[str, str]:
    """LB → HTTP listener → default pool with a health monitor and one member; all ACTIVE."""
    lbs = conn.load_balancer
    lb = lbs.create_load_balancer(name="ops-lb", vip_subnet_id=rig.net.subnet_id).id
    settle(conn, lb)
    listener = lbs.create_listener(name="ops-l", load_balancer_id=lb, protocol="HTTP", protocol_port=80).id
    settle(conn, lb)
    pool = lbs.create_pool(name="ops-p", listener_id=listener, protocol="HTTP", lb_algorithm="ROUND_ROBIN").id
    settle(conn, lb)
    hm = lbs.create_health_monitor(name="ops-h", pool_id=pool, type="HTTP", delay=5, timeout=3, max_retries=2).id
    settle(conn, lb)
    member = lbs.create_member(pool, name="ops-m", address=rig.net.host(61), protocol_port=80).id
    settle(conn, lb)
    return {"lb": lb, "listener": listener, "pool": pool, "hm": hm, "member": member}


def test_status_tree(rig: Rig, tree: dict[str, str]) -> None:
    require_route(rig, f"/loadbalancers/{tree['lb']}/status")
    r = raw(rig, "GET", f"/loadbalancers/{tree['lb']}/status")
    assert r.status_code == 200, r.text
    lb = r.json()["statuses"]["loadbalancer"]
    assert set(lb) == {"id", "name", "operating_status", "provisioning_status", "listeners"}, lb
    assert (lb["id"], lb["name"], lb["provisioning_status"]) == (tree["lb"], "ops-lb", "ACTIVE"), lb
    [listener] = lb["listeners"]
    assert set(listener) == {"id", "name", "operating_status", "provisioning_status", "pools"}, listener
    assert listener["id"] == tree["listener"], listener
    [pool] = listener["pools"]
    assert set(pool) == {"id", "name", "operating_status", "provisioning_status", "health_monitor", "members"}, pool
    hm = pool["health_monitor"]
    assert set(hm) == {"id", "name", "type", "provisioning_status", "operating_status"}, hm
    assert (hm["id"], hm["type"]) == (tree["hm"], "HTTP"), hm
    [member] = pool["members"]
    assert set(member) == {"id", "name", "operating_status", "provisioning_status", "address", "protocol_port"}
    assert (member["id"], member["address"], member["protocol_port"]) == (tree["member"], rig.net.host(61), 80)
    assert raw(rig, "GET", f"/loadbalancers/{tree['lb']}/statuses").json() == r.json()
    assert_fault(raw(rig, "GET", f"/loadbalancers/{RANDOM}/status"), 404, f"Load Balancer {RANDOM} not found.")


def test_statistics(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    require_route(rig, f"/loadbalancers/{tree['lb']}/stats")
    r = raw(rig, "GET", f"/loadbalancers/{tree['lb']}/stats")
    assert r.status_code == 200 and set(r.json()["stats"]) == STATS, r.text
    assert all(isinstance(v, int) and v >= 0 for v in r.json()["stats"].values()), r.text
    stats = conn.load_balancer.get_load_balancer_statistics(tree["lb"])
    assert stats.bytes_in >= 0 and stats.total_connections >= 0
    require_route(rig, f"/listeners/{tree['listener']}/stats")
    r = raw(rig, "GET", f"/listeners/{tree['listener']}/stats")
    assert r.status_code == 200 and set(r.json()["stats"]) == STATS, r.text
    assert conn.load_balancer.get_listener_statistics(tree["listener"]).request_errors >= 0
    assert_fault(raw(rig, "GET", f"/listeners/{RANDOM}/stats"), 404, f"Listener {RANDOM} not found.")


def test_load_balancer_failover(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    require_route(rig, f"/loadbalancers/{tree['lb']}/failover")
    r = raw(rig, "PUT", f"/loadbalancers/{tree['lb']}/failover")
    assert r.status_code == 202 and not r.content, r.text
    # Right after the 202 the LB is PENDING_UPDATE (or already done with the noop drivers).
    again = raw(rig, "PUT", f"/loadbalancers/{tree['lb']}/failover")
    if again.status_code == 409:
        assert_fault(again, 409, f"Invalid state PENDING_UPDATE of loadbalancer resource {tree['lb']}")
    else:
        assert again.status_code == 202, again.text
    settle(conn, tree["lb"])
    conn.load_balancer.failover_load_balancer(tree["lb"])
    settle(conn, tree["lb"])
    assert_fault(raw(rig, "PUT", f"/loadbalancers/{RANDOM}/failover"), 404)


def test_batch_member_update(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    """PUT /pools/{id}/members: matched by (address, port); missing ones deleted unless additive_only."""
    pool, lbs = tree["pool"], conn.load_balancer
    path = f"/pools/{pool}/members"
    keep, new, other = rig.net.host(61), rig.net.host(62), rig.net.host(63)
    r = raw(rig, "PUT", path, {"members": [{"address": keep, "protocol_port": 80, "weight": 7},
                                           {"address": new, "protocol_port": 80, "name": "batch-new"}]})
    if r.status_code == 405:
        raise RouteMissing("no PUT /pools/{id}/members")
    assert r.status_code == 202 and not r.content, r.text
    settle(conn, tree["lb"])
    members = {(m.address, m.protocol_port): m for m in lbs.members(pool)}
    assert set(members) == {(keep, 80), (new, 80)}, members
    assert members[(keep, 80)].id == tree["member"] and members[(keep, 80)].weight == 7
    assert members[(new, 80)].name == "batch-new"

    r = raw(rig, "PUT", path + "?additive_only=true", {"members": [{"address": other, "protocol_port": 81}]})
    assert r.status_code == 202, r.text
    settle(conn, tree["lb"])
    assert {(m.address, m.protocol_port) for m in lbs.members(pool)} == {(keep, 80), (new, 80), (other, 81)}

    r = raw(rig, "PUT", path, {"members": [{"address": keep, "protocol_port": 80},
                                           {"address": keep, "protocol_port": 80}]})
    assert_fault(r, 400, "Member must be updated only once in the same request.")

    r = raw(rig, "PUT", path, {"members": [{"address": keep, "protocol_port": 80, "weight": 7}]})
    assert r.status_code == 202, r.text
    settle(conn, tree["lb"])
    assert [(m.address, m.protocol_port) for m in lbs.members(pool)] == [(keep, 80)]
    assert_fault(raw(rig, "PUT", f"/pools/{RANDOM}/members", {"members": []}), 404)


def test_amphorae(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    require_route(rig, "/octavia/amphorae")
    url = rig.endpoint + "/v2/octavia/amphorae"
    r = raw(rig, "GET", url, params={"loadbalancer_id": tree["lb"]})
    assert r.status_code == 200 and set(r.json()) == {"amphorae", "amphorae_links"}, r.text
    [amp] = r.json()["amphorae"]
    for key in ("id", "loadbalancer_id", "compute_id", "lb_network_ip", "vrrp_ip", "ha_ip", "vrrp_port_id",
                "ha_port_id", "cert_expiration", "cert_busy", "role", "status", "vrrp_interface", "vrrp_id",
                "vrrp_priority", "cached_zone", "created_at", "updated_at", "image_id", "compute_flavor"):
        assert key in amp, f"{key} missing from {amp}"
    assert (amp["loadbalancer_id"], amp["role"], amp["status"]) == (tree["lb"], "STANDALONE", "ALLOCATED"), amp
    assert [a.id for a in conn.load_balancer.amphorae(loadbalancer_id=tree["lb"])] == [amp["id"]]
    assert conn.load_balancer.get_amphora(amp["id"]).loadbalancer_id == tree["lb"]
    r = raw(rig, "GET", f"{url}/{amp['id']}?fields=id&fields=status")
    assert r.json() == {"amphora": {"id": amp["id"], "status": "ALLOCATED"}}, r.text

    r = raw(rig, "PUT", f"{url}/{amp['id']}/config")
    assert r.status_code == 202 and not r.content, r.text
    r = raw(rig, "GET", f"{url}/{amp['id']}/stats")
    assert r.status_code in (200, 404), r.text
    if r.status_code == 200:
        for row in r.json()["amphora_stats"]:
            assert STATS | {"id", "listener_id", "loadbalancer_id"} <= set(row), row
    # Only an amphora in ERROR may be deleted.
    assert_fault(raw(rig, "DELETE", f"{url}/{amp['id']}"), 409)
    assert_fault(raw(rig, "GET", f"{url}/{RANDOM}"), 404)

    r = raw(rig, "PUT", f"{url}/{amp['id']}/failover")
    assert r.status_code == 202 and not r.content, r.text
    settle(conn, tree["lb"])
    amps = list(conn.load_balancer.amphorae(loadbalancer_id=tree["lb"], status="ALLOCATED"))
    assert len(amps) == 1, amps
    with pytest.raises(exceptions.NotFoundException) as info:
        conn.load_balancer.get_amphora(RANDOM)
    assert_sdk_fault(info.value, 404)
