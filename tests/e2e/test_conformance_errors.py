"""API conformance of the error classes, through openstacksdk where it can send the request and over
plain HTTP where it cannot: 400 field errors, 404, 409, 405, 406 — each with Octavia's body
(`faultcode`, `faultstring`, `debuginfo`; spec api-v2.md §1 and §4), and the SDK's exception class
and `details` (its reading of `faultstring`)."""

from __future__ import annotations

import uuid
from typing import Any, Callable

import pytest
import requests
from openstack import connection, exceptions

from rig import Rig
from sdk import assert_fault, assert_sdk_fault, conn, octavia, raw, rig, settle  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")

RANDOM = str(uuid.uuid4())


@pytest.fixture(scope="module")
def tree(conn: connection.Connection, rig: Rig) -> dict[str, str]:
    """LB → listener (port 80) → default pool → member, + health monitor; all ACTIVE."""
    lbs = conn.load_balancer
    lb = lbs.create_load_balancer(name="err-lb", vip_subnet_id=rig.net.subnet_id).id
    settle(conn, lb)
    listener = lbs.create_listener(load_balancer_id=lb, protocol="HTTP", protocol_port=80).id
    settle(conn, lb)
    pool = lbs.create_pool(listener_id=listener, protocol="HTTP", lb_algorithm="ROUND_ROBIN").id
    settle(conn, lb)
    member = lbs.create_member(pool, address=rig.net.host(41), protocol_port=80).id
    settle(conn, lb)
    hm = lbs.create_health_monitor(pool_id=pool, type="TCP", delay=2, timeout=1, max_retries=1).id
    settle(conn, lb)
    other_pool = lbs.create_pool(loadbalancer_id=lb, protocol="HTTP", lb_algorithm="ROUND_ROBIN").id
    settle(conn, lb)
    return {"lb": lb, "listener": listener, "pool": pool, "member": member, "hm": hm, "other_pool": other_pool}


def sdk_error(call: Callable[[], Any], cls: type[Exception], status: int, contains: str | None = None) -> str:
    with pytest.raises(cls) as info:
        call()
    return assert_sdk_fault(info.value, status, contains)


# --------------------------------------------------------------------------- 400


def test_400_field_errors_through_sdk(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    lbs, bad = conn.load_balancer, exceptions.BadRequestException
    sdk_error(lambda: lbs.create_load_balancer(name="novip"), bad, 400,
              "VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.")
    sdk_error(lambda: lbs.create_listener(load_balancer_id=tree["lb"], protocol_port=81), bad, 400,
              "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing.")
    sdk_error(lambda: lbs.create_listener(load_balancer_id=tree["lb"], protocol="HTTP", protocol_port=0), bad, 400,
              "Invalid input for field/attribute protocol_port.")
    sdk_error(lambda: lbs.create_listener(load_balancer_id=tree["lb"], protocol="FTP", protocol_port=81), bad, 400,
              "Invalid input for field/attribute protocol.")
    sdk_error(lambda: lbs.create_pool(loadbalancer_id=tree["lb"], protocol="HTTP", lb_algorithm="RANDOM"), bad, 400,
              "Invalid input for field/attribute lb_algorithm.")
    sdk_error(lambda: lbs.create_member(tree["pool"], address="10.9.9.9", protocol_port=80, weight=257), bad, 400,
              "Invalid input for field/attribute weight.")
    sdk_error(lambda: lbs.create_member(tree["pool"], address="not-an-ip", protocol_port=80), bad, 400,
              "Invalid input for field/attribute address.")
    sdk_error(lambda: lbs.create_health_monitor(pool_id=tree["other_pool"], type="HTTP", delay=1, timeout=1,
                                                max_retries=11), bad, 400,
              "Invalid input for field/attribute max_retries.")
    sdk_error(lambda: lbs.update_load_balancer(tree["lb"], name="n" * 256), bad, 400,
              "Invalid input for field/attribute name.")


def test_400_unknown_and_read_only_attributes(rig: Rig, tree: dict[str, str]) -> None:
    """Over HTTP: the SDK never sends attributes it does not model."""
    text = assert_fault(raw(rig, "POST", "/loadbalancers",
                            {"loadbalancer": {"vip_subnet_id": rig.net.subnet_id, "bogus": 1}}), 400)
    assert "bogus" in text, text
    text = assert_fault(raw(rig, "PUT", f"/listeners/{tree['listener']}", {"listener": {"protocol_port": 81}}), 400)
    assert "protocol_port" in text, text
    assert_fault(raw(rig, "POST", "/listeners", None, headers={"Content-Type": "application/json"}), 400)
    r = requests.post(rig.endpoint + "/v2/lbaas/pools", data=b'{"pool": ', timeout=10,
                      headers={"Content-Type": "application/json", "Accept": "application/json"})
    assert_fault(r, 400)


# --------------------------------------------------------------------------- 404


def test_404_unknown_objects(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    lbs, nf = conn.load_balancer, exceptions.NotFoundException
    sdk_error(lambda: lbs.get_load_balancer(RANDOM), nf, 404, f"Load Balancer {RANDOM} not found.")
    sdk_error(lambda: lbs.get_listener(RANDOM), nf, 404, f"Listener {RANDOM} not found.")
    sdk_error(lambda: lbs.get_pool(RANDOM), nf, 404, f"Pool {RANDOM} not found.")
    sdk_error(lambda: lbs.get_member(RANDOM, tree["pool"]), nf, 404, f"Member {RANDOM} not found.")
    sdk_error(lambda: lbs.get_health_monitor(RANDOM), nf, 404, f"Health Monitor {RANDOM} not found.")
    sdk_error(lambda: lbs.update_listener(RANDOM, name="x"), nf, 404, f"Listener {RANDOM} not found.")
    sdk_error(lambda: lbs.delete_pool(RANDOM, ignore_missing=False), nf, 404, f"Pool {RANDOM} not found.")
    sdk_error(lambda: list(lbs.members(RANDOM)), nf, 404, f"Pool {RANDOM} not found.")
    # A member addressed under a pool it does not belong to.
    sdk_error(lambda: lbs.get_member(tree["member"], tree["other_pool"]), nf, 404,
              f"Member {tree['member']} not found.")
    # A parent that does not exist, named in the body.
    sdk_error(lambda: lbs.create_listener(load_balancer_id=RANDOM, protocol="HTTP", protocol_port=82), nf, 404,
              f"Load Balancer {RANDOM} not found.")
    assert lbs.delete_health_monitor(RANDOM, ignore_missing=True) is None


# --------------------------------------------------------------------------- 409


def test_409_immutable_while_pending(conn: connection.Connection, rig: Rig) -> None:
    """A change right after a create finds the LB PENDING_*: the LB itself answers
    LBPendingStateError, a child create ImmutableObject. Noop flows are fast, so each is tried
    until the pending window is hit once (it always is in practice on the first try)."""
    lbs = conn.load_balancer
    lb_error = child_error = None
    for attempt in range(10):
        lb = lbs.create_load_balancer(name=f"pending-{attempt}", vip_subnet_id=rig.net.subnet_id).id
        r = raw(rig, "PUT", f"/loadbalancers/{lb}", {"loadbalancer": {"name": "changed"}})
        if r.status_code == 409:
            lb_error = assert_fault(r, 409, f"Invalid state PENDING_CREATE of loadbalancer resource {lb}")
            settle(conn, lb)
            break
        assert r.status_code == 200, r.text
        settle(conn, lb)
    assert lb_error, "never caught a load balancer in PENDING_CREATE"
    for port in range(9100, 9110):
        lbs.create_listener(load_balancer_id=lb, protocol="TCP", protocol_port=port)
        try:
            lbs.create_listener(load_balancer_id=lb, protocol="TCP", protocol_port=port + 100)
        except exceptions.ConflictException as error:
            child_error = assert_sdk_fault(error, 409, f"Load Balancer {lb} is immutable and cannot be updated.")
            break
        finally:
            settle(conn, lb)
    assert child_error, "never caught a load balancer in PENDING_UPDATE"
    lbs.delete_load_balancer(lb, cascade=True)


def test_409_conflicts(conn: connection.Connection, rig: Rig, tree: dict[str, str]) -> None:
    lbs, conflict = conn.load_balancer, exceptions.ConflictException
    sdk_error(lambda: lbs.create_listener(load_balancer_id=tree["lb"], protocol="HTTP", protocol_port=80),
              conflict, 409, "already using")
    sdk_error(lambda: lbs.create_health_monitor(pool_id=tree["pool"], type="HTTP", delay=1, timeout=1,
                                                max_retries=1), conflict, 409, "already has a health monitor")
    sdk_error(lambda: lbs.create_member(tree["pool"], address=rig.net.host(41), protocol_port=80),
              conflict, 409, rig.net.host(41))
    # A listener that already has a default pool gets no second one.
    sdk_error(lambda: lbs.create_pool(listener_id=tree["listener"], protocol="HTTP", lb_algorithm="ROUND_ROBIN"),
              conflict, 409)
    # Nothing above changed the load balancer.
    assert lbs.get_load_balancer(tree["lb"]).provisioning_status == "ACTIVE"


# --------------------------------------------------------------------------- 405 / 406


@pytest.mark.parametrize("method,path", [
    ("PATCH", "/loadbalancers/{lb}"),
    ("POST", "/loadbalancers/{lb}"),
    ("DELETE", "/loadbalancers"),
    ("PUT", "/listeners"),
    ("POST", "/pools/{pool}"),
    ("PATCH", "/pools/{pool}/members/{member}"),
    ("DELETE", "/healthmonitors"),
])
def test_405_wrong_method(rig: Rig, tree: dict[str, str], method: str, path: str) -> None:
    assert_fault(raw(rig, method, path.format(**tree)), 405)


@pytest.mark.parametrize("accept,status", [
    ("text/html", 406),
    ("application/xml", 406),
    ("text/plain, text/html;q=0.5", 406),
    ("application/json", 200),
    ("application/json;q=0.9, text/html", 200),
    ("*/*", 200),
    ("application/*", 200),
])
def test_406_accept(rig: Rig, tree: dict[str, str], accept: str, status: int) -> None:
    r = requests.get(rig.endpoint + f"/v2/lbaas/loadbalancers/{tree['lb']}", headers={"Accept": accept}, timeout=10)
    assert r.status_code == status, r.text
    if status == 406:
        body = r.json()
        assert list(body) == ["errors"] and len(body["errors"]) == 1, body
        error = body["errors"][0]
        assert error["status"] == 406 and error["title"] == "Not Acceptable", body
        assert error["detail"] == "Only content type application/json is accepted.", body
        assert error["request_id"].startswith("req-"), body
    else:
        assert r.json()["loadbalancer"]["id"] == tree["lb"]


def test_no_accept_header_is_json(rig: Rig, tree: dict[str, str]) -> None:
    r = requests.get(rig.endpoint + "/v2/lbaas/loadbalancers", headers={"Accept": ""}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), r.text
