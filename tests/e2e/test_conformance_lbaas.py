"""API conformance through openstacksdk: load balancers, listeners, pools, members, health monitors.

Runs against an all-in-one with the noop drivers (see sdk.py). Expected values follow
/work/shared/spec/api-v2.md (sections 3 to 9).

Two groups:
* CRUD of each resource through the SDK (create → 201 body, show, find, update → 200, delete → 404).
* List features on a population of three objects per resource (names `<run>-a/-b/-c`, all tagged
  with the run's tag): filters, sort, limit+marker following `*_links`, `fields`, the four tag filters.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

import pytest
from openstack import connection, exceptions

from rig import Rig
from sdk import assert_fault, assert_sdk_fault, conn, octavia, raw, rig, settle, wait_gone  # noqa: F401  (fixtures)

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PROJECT = "e2e-project"
# Tags of the population: a={red,x}, b={blue,x}, c={red,blue} (plus the run tag on all three).
TAGS = {"a": ["red", "x"], "b": ["blue", "x"], "c": ["red", "blue"]}


def common_fields(obj: dict[str, Any], status: str = "ACTIVE") -> None:
    """Fields every tagged, project-owned object renders (spec §1)."""
    assert UUID.match(obj["id"]), obj
    assert obj["project_id"] == PROJECT and obj["tenant_id"] == PROJECT, obj
    assert obj["provisioning_status"] == status, obj
    assert TIMESTAMP.match(obj["created_at"]), obj
    assert obj["updated_at"] is None or TIMESTAMP.match(obj["updated_at"]), obj
    assert isinstance(obj["tags"], list), obj


# --------------------------------------------------------------------------- population


@dataclass
class Population:
    run_tag: str
    prefix: str
    lb: dict[str, str]  # letter -> id
    listener: dict[str, str]
    pool: dict[str, str]
    member: dict[str, str]
    hm: dict[str, str]
    member_pool: str


@pytest.fixture(scope="module")
def pop(conn: connection.Connection, rig: Rig) -> Population:
    """Three of each resource. Children hang off load balancer `a`: three listeners, three pools
    (on the LB), three members in pool `a`, one health monitor per pool."""
    lbs = conn.load_balancer
    run_tag = "run-" + uuid.uuid4().hex[:8]
    prefix = run_tag
    ids: dict[str, dict[str, str]] = {k: {} for k in ("lb", "listener", "pool", "member", "hm")}
    for letter, tags in TAGS.items():
        lb = lbs.create_load_balancer(name=f"{prefix}-{letter}", vip_subnet_id=rig.net.subnet_id,
                                      tags=[run_tag] + tags, description=f"lb {letter}")
        ids["lb"][letter] = lb.id
    for lb_id in ids["lb"].values():
        settle(conn, lb_id)
    parent = ids["lb"]["a"]
    for i, (letter, tags) in enumerate(TAGS.items()):
        ids["listener"][letter] = lbs.create_listener(
            name=f"{prefix}-{letter}", load_balancer_id=parent, protocol="HTTP", protocol_port=8001 + i,
            tags=[run_tag] + tags).id
        settle(conn, parent)
    for letter, tags in TAGS.items():
        ids["pool"][letter] = lbs.create_pool(
            name=f"{prefix}-{letter}", loadbalancer_id=parent, protocol="HTTP", lb_algorithm="ROUND_ROBIN",
            tags=[run_tag] + tags).id
        settle(conn, parent)
    member_pool = ids["pool"]["a"]
    for i, (letter, tags) in enumerate(TAGS.items()):
        ids["member"][letter] = lbs.create_member(
            member_pool, name=f"{prefix}-{letter}", address=rig.net.host(21 + i), protocol_port=80,
            tags=[run_tag] + tags).id
        settle(conn, parent)
    for letter, tags in TAGS.items():
        ids["hm"][letter] = lbs.create_health_monitor(
            name=f"{prefix}-{letter}", pool_id=ids["pool"][letter], type="HTTP", delay=5, timeout=3,
            max_retries=2, tags=[run_tag] + tags).id
        settle(conn, parent)
    return Population(run_tag, prefix, ids["lb"], ids["listener"], ids["pool"], ids["member"], ids["hm"],
                      member_pool)


@dataclass(frozen=True)
class Kind:
    """How to reach one resource's collection through the SDK and over plain HTTP."""

    name: str
    plural: str  # the collection key in list bodies
    sdk_list: Callable[[connection.Connection, Population, dict[str, Any]], list[Any]]
    path: Callable[[Population], str]
    ids: Callable[[Population], dict[str, str]]


KINDS = [
    Kind("loadbalancer", "loadbalancers", lambda c, p, q: list(c.load_balancer.load_balancers(**q)),
         lambda p: "/loadbalancers", lambda p: p.lb),
    Kind("listener", "listeners", lambda c, p, q: list(c.load_balancer.listeners(**q)),
         lambda p: "/listeners", lambda p: p.listener),
    Kind("pool", "pools", lambda c, p, q: list(c.load_balancer.pools(**q)), lambda p: "/pools", lambda p: p.pool),
    Kind("member", "members", lambda c, p, q: list(c.load_balancer.members(p.member_pool, **q)),
         lambda p: f"/pools/{p.member_pool}/members", lambda p: p.member),
    Kind("healthmonitor", "healthmonitors", lambda c, p, q: list(c.load_balancer.health_monitors(**q)),
         lambda p: "/healthmonitors", lambda p: p.hm),
]
KIND_IDS = [k.name for k in KINDS]


def letters(pop: Population, kind: Kind, objects: list[Any]) -> list[str]:
    """Population letters of the listed objects, in list order (objects outside it are dropped)."""
    by_id = {v: k for k, v in kind.ids(pop).items()}
    out = []
    for o in objects:
        oid = o["id"] if isinstance(o, dict) else o.id
        if oid in by_id:
            out.append(by_id[oid])
    return out


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_filter_by_name(conn: connection.Connection, pop: Population, kind: Kind) -> None:
    got = kind.sdk_list(conn, pop, {"name": f"{pop.prefix}-b"})
    assert [o.id for o in got] == [kind.ids(pop)["b"]]
    assert kind.sdk_list(conn, pop, {"name": f"{pop.prefix}-nope"}) == []


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_filter_by_status(conn: connection.Connection, pop: Population, kind: Kind) -> None:
    active = kind.sdk_list(conn, pop, {"provisioning_status": "ACTIVE", "tags": pop.run_tag})
    assert sorted(letters(pop, kind, active)) == ["a", "b", "c"]
    assert all(o.provisioning_status == "ACTIVE" for o in active)
    assert kind.sdk_list(conn, pop, {"provisioning_status": "ERROR", "tags": pop.run_tag}) == []


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_filter_unknown_attribute_is_400(rig: Rig, pop: Population, kind: Kind) -> None:
    r = raw(rig, "GET", kind.path(pop), params={"bogus_attribute": "1"})
    assert r.status_code == 400, r.text
    assert r.json()["faultstring"] == "One or more arguments are either duplicate or invalid"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_sorting(rig: Rig, pop: Population, kind: Kind) -> None:
    """`sort_key`/`sort_dir` and `sort=k:dir` (the SDK does not pass sort params: plain HTTP)."""
    def order(params: dict[str, str]) -> list[str]:
        r = raw(rig, "GET", kind.path(pop), params={"tags": pop.run_tag, **params})
        assert r.status_code == 200, r.text
        return letters(pop, kind, r.json()[kind.plural])

    assert order({"sort_key": "name", "sort_dir": "desc"}) == ["c", "b", "a"]
    assert order({"sort_key": "name", "sort_dir": "asc"}) == ["a", "b", "c"]
    assert order({"sort_key": "name"}) == ["a", "b", "c"]
    assert order({"sort": "name:desc"}) == ["c", "b", "a"]
    assert order({"sort": "provisioning_status:asc,name:desc"}) == ["c", "b", "a"]
    assert order({"sort_key": "created_at,name", "sort_dir": "desc,desc"}) == \
        order({"sort": "created_at:desc,name:desc"})
    r = raw(rig, "GET", kind.path(pop), params={"sort_key": "bogus"})
    assert r.status_code == 400 and r.json()["faultstring"] == "Supplied sort key 'bogus' is not valid.", r.text


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_paging_follows_links(rig: Rig, conn: connection.Connection, pop: Population, kind: Kind) -> None:
    """limit=1 pages walked through `<plural>_links` rel=next; `previous` once a marker is given;
    the SDK's own paging (limit=1) yields every object once."""
    params = {"tags": pop.run_tag, "sort": "name:asc", "limit": "1"}
    r = raw(rig, "GET", kind.path(pop), params=params)
    seen: list[str] = []
    for _ in range(10):
        assert r.status_code == 200, r.text
        body = r.json()
        page = body[kind.plural]
        assert len(page) <= 1
        seen += letters(pop, kind, page)
        links = {link["rel"]: link["href"] for link in body[f"{kind.plural}_links"]}
        query = parse_qs(urlparse(r.url).query)
        if "marker" in query and page:
            assert "previous" in links, body
            prev = parse_qs(urlparse(links["previous"]).query)
            assert prev["page_reverse"] == ["True"] and prev["limit"] == ["1"], links
            assert prev["marker"] == [page[0]["id"]], links
        elif "marker" not in query:
            assert "previous" not in links, body
        if "next" not in links:
            break
        nxt = parse_qs(urlparse(links["next"]).query)
        assert nxt["limit"] == ["1"] and nxt["marker"] == [page[-1]["id"]], links
        assert urlparse(links["next"]).path == urlparse(r.url).path, links
        r = raw(rig, "GET", links["next"], params={"tags": pop.run_tag}
                if "tags" not in nxt else None)
    else:
        pytest.fail("paging did not end within 10 pages")
    assert seen == ["a", "b", "c"]

    # The page after b, asked for directly with the marker.
    r = raw(rig, "GET", kind.path(pop), params={**params, "marker": kind.ids(pop)["b"]})
    assert letters(pop, kind, r.json()[kind.plural]) == ["c"]
    # page_reverse from c walks back to b.
    r = raw(rig, "GET", kind.path(pop), params={**params, "marker": kind.ids(pop)["c"], "page_reverse": "True"})
    assert letters(pop, kind, r.json()[kind.plural]) == ["b"]

    sdk_seen = letters(pop, kind, kind.sdk_list(conn, pop, {"limit": 1, "tags": pop.run_tag}))
    assert sorted(sdk_seen) == ["a", "b", "c"]

    r = raw(rig, "GET", kind.path(pop), params={"marker": str(uuid.uuid4()), "limit": "1"})
    assert r.status_code == 400 and "Supplied pagination marker" in r.json()["faultstring"], r.text


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_and_show_fields(rig: Rig, pop: Population, kind: Kind) -> None:
    r = raw(rig, "GET", kind.path(pop) + "?fields=id&fields=name&tags=" + pop.run_tag)
    assert r.status_code == 200, r.text
    objects = r.json()[kind.plural]
    assert len(objects) == 3 and all(set(o) == {"id", "name"} for o in objects), objects
    r = raw(rig, "GET", kind.path(pop) + "?fields=id,provisioning_status&tags=" + pop.run_tag)
    assert all(set(o) == {"id", "provisioning_status"} for o in r.json()[kind.plural]), r.text
    one = kind.ids(pop)["a"]
    r = raw(rig, "GET", f"{kind.path(pop)}/{one}?fields=name")
    assert r.status_code == 200 and r.json() == {kind.name: {"name": f"{pop.prefix}-a"}}, r.text


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_list_tag_filters(conn: connection.Connection, rig: Rig, pop: Population, kind: Kind) -> None:
    """tags = has all; tags-any = has one; not-tags = lacks at least one; not-tags-any = has none.
    Through the SDK (its any_tags/not_tags/not_any_tags) and with repeated params over HTTP."""
    def sdk(**q: str) -> list[str]:
        return sorted(letters(pop, kind, kind.sdk_list(conn, pop, q)))

    assert sdk(tags="red,blue") == ["c"]
    assert sdk(tags="x") == ["a", "b"]
    assert sdk(any_tags="blue") == ["b", "c"]
    assert sdk(any_tags="red,blue") == ["a", "b", "c"]
    assert sdk(not_tags="red,blue") == ["a", "b"]
    assert sdk(not_any_tags="red") == ["b"]
    assert sdk(tags=pop.run_tag, not_any_tags="red,blue") == []

    r = raw(rig, "GET", kind.path(pop) + "?tags=red&tags=blue")
    assert r.status_code == 200 and letters(pop, kind, r.json()[kind.plural]) == ["c"], r.text
    r = raw(rig, "GET", kind.path(pop) + "?tags-any=x&tags-any=blue&sort=name:desc")
    assert letters(pop, kind, r.json()[kind.plural]) == ["c", "b", "a"], r.text


# --------------------------------------------------------------------------- CRUD


@pytest.fixture(scope="module")
def lb_b(conn: connection.Connection, rig: Rig) -> str:
    """A separate load balancer for the CRUD tests of children."""
    lb = conn.load_balancer.create_load_balancer(name="crud-parent", vip_subnet_id=rig.net.subnet_id)
    settle(conn, lb.id)
    return lb.id


def test_load_balancer_crud(conn: connection.Connection, rig: Rig) -> None:
    lbs = conn.load_balancer
    created = lbs.create_load_balancer(name="crud-lb", description="d1", vip_subnet_id=rig.net.subnet_id,
                                       tags=["t1"], admin_state_up=True)
    body = created.to_dict(computed=False)
    assert created.provisioning_status == "PENDING_CREATE" and created.operating_status == "OFFLINE", body
    assert created.vip_subnet_id == rig.net.subnet_id and created.vip_network_id, body
    assert created.vip_address and created.vip_port_id, body
    assert created.provider == "amphora" and created.listeners == [] and created.pools == [], body
    settle(conn, created.id)

    shown = raw(rig, "GET", f"/loadbalancers/{created.id}").json()["loadbalancer"]
    common_fields(shown)
    for key in ("name", "description", "admin_state_up", "vip_address", "vip_port_id", "vip_subnet_id",
                "vip_network_id", "vip_qos_policy_id", "provider", "flavor_id", "availability_zone",
                "listeners", "pools", "operating_status", "additional_vips"):
        assert key in shown, f"{key} missing from {shown}"
    assert shown["name"] == "crud-lb" and shown["tags"] == ["t1"] and shown["operating_status"] == "ONLINE", shown
    assert lbs.find_load_balancer("crud-lb").id == created.id
    assert lbs.find_load_balancer(created.id).id == created.id

    updated = lbs.update_load_balancer(created.id, name="crud-lb2", description="", tags=["t2", "t3"],
                                       admin_state_up=False)
    assert updated.name == "crud-lb2" and updated.provisioning_status == "PENDING_UPDATE", updated
    settle(conn, created.id)
    shown = lbs.get_load_balancer(created.id)
    assert (shown.name, shown.description, shown.tags, shown.is_admin_state_up) == ("crud-lb2", "", ["t2", "t3"], False)

    r = raw(rig, "PUT", f"/loadbalancers/{created.id}", {"loadbalancer": {"name": None, "description": None}})
    assert r.status_code == 200, r.text
    assert r.json()["loadbalancer"]["name"] == "" and r.json()["loadbalancer"]["description"] == "", r.text
    settle(conn, created.id)

    lbs.delete_load_balancer(created.id)
    wait_gone(conn, created.id)
    with pytest.raises(exceptions.NotFoundException) as info:
        lbs.get_load_balancer(created.id)
    assert_sdk_fault(info.value, 404, f"Load Balancer {created.id} not found.")
    assert lbs.find_load_balancer("crud-lb2") is None


def test_listener_crud(conn: connection.Connection, rig: Rig, lb_b: str) -> None:
    lbs = conn.load_balancer
    created = lbs.create_listener(name="crud-l", load_balancer_id=lb_b, protocol="HTTP", protocol_port=8080,
                                  tags=["t1"])
    assert created.provisioning_status == "PENDING_CREATE", created
    settle(conn, lb_b)
    shown = raw(rig, "GET", f"/listeners/{created.id}").json()["listener"]
    common_fields(shown)
    expected = {"name": "crud-l", "description": "", "protocol": "HTTP", "protocol_port": 8080,
                "admin_state_up": True, "connection_limit": -1, "default_pool_id": None,
                "default_tls_container_ref": None, "sni_container_refs": [], "insert_headers": {},
                "timeout_client_data": 50000, "timeout_member_connect": 5000, "timeout_member_data": 50000,
                "timeout_tcp_inspect": 0, "allowed_cidrs": None, "loadbalancers": [{"id": lb_b}],
                "l7policies": [], "client_authentication": "NONE"}
    assert {k: shown.get(k, "<missing>") for k in expected} == expected
    assert lbs.find_listener("crud-l").id == created.id
    lb = lbs.get_load_balancer(lb_b)
    assert {"id": created.id} in lb.listeners, lb.listeners

    updated = lbs.update_listener(created.id, name="crud-l2", connection_limit=100, timeout_client_data=1000,
                                  tags=["t2"])
    assert updated.name == "crud-l2" and updated.connection_limit == 100, updated
    settle(conn, lb_b)
    r = raw(rig, "PUT", f"/listeners/{created.id}", {"listener": {"connection_limit": None,
                                                                  "timeout_client_data": None}})
    assert r.status_code == 200, r.text
    assert r.json()["listener"]["connection_limit"] == -1, r.text
    assert r.json()["listener"]["timeout_client_data"] == 50000, r.text
    settle(conn, lb_b)
    assert lbs.get_listener(created.id).tags == ["t2"]

    lbs.delete_listener(created.id)
    settle(conn, lb_b)
    with pytest.raises(exceptions.NotFoundException) as info:
        lbs.get_listener(created.id)
    assert_sdk_fault(info.value, 404, f"Listener {created.id} not found.")


def test_pool_member_health_monitor_crud(conn: connection.Connection, rig: Rig, lb_b: str) -> None:
    lbs = conn.load_balancer
    listener = lbs.create_listener(name="crud-pl", load_balancer_id=lb_b, protocol="HTTP", protocol_port=8081)
    settle(conn, lb_b)
    pool = lbs.create_pool(name="crud-p", listener_id=listener.id, protocol="HTTP",
                           lb_algorithm="LEAST_CONNECTIONS",
                           session_persistence={"type": "APP_COOKIE", "cookie_name": "c"})
    settle(conn, lb_b)
    shown = raw(rig, "GET", f"/pools/{pool.id}").json()["pool"]
    common_fields(shown)
    expected = {"name": "crud-p", "description": "", "protocol": "HTTP", "lb_algorithm": "LEAST_CONNECTIONS",
                "admin_state_up": True, "listeners": [{"id": listener.id}], "loadbalancers": [{"id": lb_b}],
                "members": [], "healthmonitor_id": None, "tls_enabled": False}
    assert {k: shown.get(k, "<missing>") for k in expected} == expected
    assert shown["session_persistence"]["type"] == "APP_COOKIE", shown
    assert shown["session_persistence"]["cookie_name"] == "c", shown
    assert lbs.get_listener(listener.id).default_pool_id == pool.id

    member = lbs.create_member(pool.id, name="crud-m", address=rig.net.host(31), protocol_port=8000,
                               subnet_id=rig.net.subnet_id)
    assert member.provisioning_status == "PENDING_CREATE", member
    settle(conn, lb_b)
    m = raw(rig, "GET", f"/pools/{pool.id}/members/{member.id}").json()["member"]
    common_fields(m)
    expected = {"name": "crud-m", "address": rig.net.host(31), "protocol_port": 8000, "weight": 1,
                "backup": False, "admin_state_up": True, "subnet_id": rig.net.subnet_id,
                "monitor_address": None, "monitor_port": None, "operating_status": "NO_MONITOR"}
    assert {k: m.get(k, "<missing>") for k in expected} == expected
    assert lbs.find_member("crud-m", pool.id).id == member.id
    lbs.update_member(member.id, pool.id, weight=0, backup=True, name="crud-m2")
    settle(conn, lb_b)
    got = lbs.get_member(member.id, pool.id)
    assert (got.weight, got.backup, got.name) == (0, True, "crud-m2")
    r = raw(rig, "PUT", f"/pools/{pool.id}/members/{member.id}", {"member": {"weight": None, "backup": None}})
    assert r.status_code == 200 and (r.json()["member"]["weight"], r.json()["member"]["backup"]) == (1, False), r.text
    settle(conn, lb_b)

    hm = lbs.create_health_monitor(pool_id=pool.id, name="crud-h", type="HTTP", delay=5, timeout=3,
                                   max_retries=2)
    assert hm.provisioning_status == "PENDING_CREATE", hm
    settle(conn, lb_b)
    h = raw(rig, "GET", f"/healthmonitors/{hm.id}").json()["healthmonitor"]
    common_fields(h)
    expected = {"name": "crud-h", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2,
                "max_retries_down": 3, "http_method": "GET", "url_path": "/", "expected_codes": "200",
                "admin_state_up": True, "pools": [{"id": pool.id}]}
    assert {k: h.get(k, "<missing>") for k in expected} == expected
    assert lbs.get_pool(pool.id).health_monitor_id == hm.id
    lbs.update_health_monitor(hm.id, delay=7, url_path="/health", expected_codes="200-204", http_method="HEAD")
    settle(conn, lb_b)
    got_hm = lbs.get_health_monitor(hm.id)
    assert (got_hm.delay, got_hm.url_path, got_hm.expected_codes, got_hm.http_method) == \
        (7, "/health", "200-204", "HEAD")
    r = raw(rig, "PUT", f"/healthmonitors/{hm.id}",
            {"healthmonitor": {"url_path": None, "expected_codes": None, "http_method": None}})
    assert r.status_code == 200, r.text
    assert {k: r.json()["healthmonitor"][k] for k in ("url_path", "expected_codes", "http_method")} == \
        {"url_path": "/", "expected_codes": "200", "http_method": "GET"}
    settle(conn, lb_b)

    lbs.update_pool(pool.id, lb_algorithm="ROUND_ROBIN", name="crud-p2", session_persistence=None)
    settle(conn, lb_b)
    got_pool = lbs.get_pool(pool.id)
    assert (got_pool.lb_algorithm, got_pool.name, got_pool.session_persistence) == ("ROUND_ROBIN", "crud-p2", None)

    lbs.delete_health_monitor(hm.id)
    settle(conn, lb_b)
    with pytest.raises(exceptions.NotFoundException):
        lbs.get_health_monitor(hm.id)
    lbs.delete_member(member.id, pool.id)
    settle(conn, lb_b)
    with pytest.raises(exceptions.NotFoundException):
        lbs.get_member(member.id, pool.id)
    lbs.delete_pool(pool.id)
    settle(conn, lb_b)
    with pytest.raises(exceptions.NotFoundException):
        lbs.get_pool(pool.id)
    assert lbs.get_listener(listener.id).default_pool_id is None
    lbs.delete_listener(listener.id)
    settle(conn, lb_b)


def test_cascade_delete(conn: connection.Connection, rig: Rig, lb_b: str) -> None:
    """Non-cascade delete of an LB with children → 400; cascade removes the whole tree."""
    lbs = conn.load_balancer
    listener = lbs.create_listener(load_balancer_id=lb_b, protocol="TCP", protocol_port=9000)
    settle(conn, lb_b)
    pool = lbs.create_pool(listener_id=listener.id, protocol="TCP", lb_algorithm="SOURCE_IP")
    settle(conn, lb_b)
    r = raw(rig, "DELETE", f"/loadbalancers/{lb_b}")
    assert r.status_code == 400, r.text
    # Octavia raises ValidationException, whose template prefixes "Validation failure: ".
    assert r.json()["faultstring"] == f"Validation failure: Cannot delete Load Balancer {lb_b} - it has children", \
        r.text
    lbs.delete_load_balancer(lb_b, cascade=True)
    wait_gone(conn, lb_b)
    for get in (lambda: lbs.get_listener(listener.id), lambda: lbs.get_pool(pool.id)):
        with pytest.raises(exceptions.NotFoundException):
            get()


def test_vip_security_groups_and_additional_vips(conn: connection.Connection, rig: Rig) -> None:
    """vip_sg_ids are stored, shown and replaced by PUT (null clears them); additional_vips are
    validated like Octavia's (a subnet twice, an unknown subnet: 400). The rig has one subnet per network,
    so a valid additional VIP (and the amphora provider's 501 for it) is covered by LoadBalancerRuleTests."""
    sg1, sg2 = str(uuid.uuid4()), str(uuid.uuid4())
    r = raw(rig, "POST", "/loadbalancers", {"loadbalancer": {
        "name": "sg-lb", "vip_subnet_id": rig.net.subnet_id, "vip_sg_ids": [sg1], "project_id": PROJECT}})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    assert lb["vip_sg_ids"] == [sg1] and lb["additional_vips"] == [], lb
    settle(conn, lb["id"])
    assert conn.load_balancer.get_load_balancer(lb["id"]).to_dict()["vip_sg_ids"] == [sg1]

    r = raw(rig, "PUT", f"/loadbalancers/{lb['id']}", {"loadbalancer": {"vip_sg_ids": [sg2]}})
    assert r.status_code == 200 and r.json()["loadbalancer"]["vip_sg_ids"] == [sg2], r.text
    settle(conn, lb["id"])
    r = raw(rig, "PUT", f"/loadbalancers/{lb['id']}", {"loadbalancer": {"vip_sg_ids": None}})
    assert r.status_code == 200 and r.json()["loadbalancer"]["vip_sg_ids"] == [], r.text
    settle(conn, lb["id"])

    # Octavia's listener rule: no allowed_cidrs with custom security groups.
    r = raw(rig, "PUT", f"/loadbalancers/{lb['id']}", {"loadbalancer": {"vip_sg_ids": [sg1]}})
    assert r.status_code == 200, r.text
    settle(conn, lb["id"])
    r = raw(rig, "POST", "/listeners", {"listener": {"loadbalancer_id": lb["id"], "protocol": "TCP", "protocol_port": 80,
                                                     "allowed_cidrs": ["10.0.0.0/8"]}})
    assert_fault(r, 400, "Allowed CIDRs are not allowed when using custom VIP Security Groups.")

    twice = {"loadbalancer": {"vip_subnet_id": rig.net.subnet_id,
                              "additional_vips": [{"subnet_id": rig.net.subnet_id}]}}
    assert_fault(raw(rig, "POST", "/loadbalancers", twice), 400,
                 "Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.")
    missing = str(uuid.uuid4())
    r = raw(rig, "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": rig.net.subnet_id,
                                                              "additional_vips": [{"subnet_id": missing}]}})
    assert_fault(r, 400, f"Subnet {missing} not found")
    conn.load_balancer.delete_load_balancer(lb["id"])
    wait_gone(conn, lb["id"])
