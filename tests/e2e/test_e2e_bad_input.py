"""Bad input against the real API: every case gets the right 4xx with Octavia's error body,
and nothing is written (the lists are unchanged afterwards)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from dataplane import namespaces_with_prefix
from rig import Api, OctaviaProcess, Rig, wait_for

RANDOM_ID = str(uuid.uuid4())
# Fields that may change on their own (health checks, status updates) while the cases run.
VOLATILE = {"operating_status", "updated_at"}
COLLECTIONS = ["loadbalancers", "listeners", "pools", "healthmonitors"]


def snapshot(api: Api, tree: dict[str, str]) -> dict[str, Any]:
    def strip(objs: list[dict]) -> list[dict]:
        return sorted(({k: v for k, v in o.items() if k not in VOLATILE} for o in objs), key=lambda o: o["id"])

    snap = {}
    for collection in COLLECTIONS:
        r = api.get(f"/{collection}")
        assert r.status_code == 200, r.text
        snap[collection] = strip(r.json()[collection])
    r = api.get(f"/pools/{tree['pool']}/members")
    assert r.status_code == 200, r.text
    snap["members"] = strip(r.json()["members"])
    return snap


@pytest.fixture(scope="module")
def tree(rig: Rig, octavia: OctaviaProcess, api: Api) -> dict[str, Any]:
    """One valid LB → listener → pool → member + health monitor, all ACTIVE, and a snapshot of the lists."""

    def create(path: str, key: str, body: dict) -> str:
        r = api.request("POST", path, {key: body})
        assert r.status_code == 201, f"POST {path}: {r.status_code} {r.text}"
        return r.json()[key]["id"]

    lb = create("/loadbalancers", "loadbalancer", {"name": "e2e-bad-input", "vip_subnet_id": rig.net.subnet_id})
    api.wait_lb(lb)
    listener = create("/listeners", "listener",
                      {"loadbalancer_id": lb, "protocol": "HTTP", "protocol_port": 80, "name": "l1"})
    api.wait_lb(lb)
    pool = create("/pools", "pool",
                  {"listener_id": listener, "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "name": "p1"})
    api.wait_lb(lb)
    member = create(f"/pools/{pool}/members", "member",
                    {"address": rig.net.host(11), "protocol_port": 80, "subnet_id": rig.net.subnet_id, "name": "m1"})
    api.wait_lb(lb)
    hm = create("/healthmonitors", "healthmonitor",
                {"pool_id": pool, "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "name": "hm1"})
    api.wait_lb(lb)
    ids = {"lb": lb, "listener": listener, "pool": pool, "member": member, "hm": hm,
           "subnet": rig.net.subnet_id, "rand": RANDOM_ID}
    return {"ids": ids, "before": snapshot(api, ids)}


# (case id, method, path, JSON body or raw text, expected status). Paths and bodies use
# {lb} {listener} {pool} {member} {hm} {subnet} {rand} placeholders.
RAW = object()
CASES: list[tuple[str, str, str, Any, int]] = [
    # --- load balancers
    ("lb-invalid-json", "POST", "/loadbalancers", (RAW, '{"loadbalancer": {"name": '), 400),
    ("lb-body-not-object", "POST", "/loadbalancers", (RAW, '["loadbalancer"]'), 400),
    ("lb-no-root-key", "POST", "/loadbalancers", {"vip_subnet_id": "{subnet}"}, 400),
    ("lb-missing-vip", "POST", "/loadbalancers", {"loadbalancer": {"name": "x"}}, 400),
    ("lb-unknown-attribute", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": "{subnet}", "bogus": 1}}, 400),
    ("lb-name-wrong-type", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": "{subnet}", "name": ["x"]}}, 400),
    ("lb-subnet-wrong-type", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": 12345}}, 400),
    ("lb-subnet-bad-uuid", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": "not-a-uuid"}}, 400),
    ("lb-subnet-unknown", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": "{rand}"}}, 400),
    ("lb-name-too-long", "POST", "/loadbalancers", {"loadbalancer": {"vip_subnet_id": "{subnet}", "name": "n" * 256}}, 400),
    ("lb-show-unknown", "GET", "/loadbalancers/{rand}", None, 404),
    ("lb-show-bad-uuid", "GET", "/loadbalancers/not-a-uuid", None, 404),
    ("lb-update-unknown", "PUT", "/loadbalancers/{rand}", {"loadbalancer": {"name": "y"}}, 404),
    ("lb-delete-unknown", "DELETE", "/loadbalancers/{rand}", None, 404),
    ("lb-update-invalid-json", "PUT", "/loadbalancers/{lb}", (RAW, "{"), 400),
    ("lb-update-unknown-attribute", "PUT", "/loadbalancers/{lb}", {"loadbalancer": {"bogus": True}}, 400),
    ("lb-update-read-only-vip", "PUT", "/loadbalancers/{lb}", {"loadbalancer": {"vip_subnet_id": "{subnet}"}}, 400),
    ("lb-update-wrong-type", "PUT", "/loadbalancers/{lb}", {"loadbalancer": {"name": 5}}, 400),
    # --- listeners
    ("listener-invalid-json", "POST", "/listeners", (RAW, "not json"), 400),
    ("listener-missing-protocol", "POST", "/listeners", {"listener": {"loadbalancer_id": "{lb}", "protocol_port": 81}}, 400),
    ("listener-missing-lb", "POST", "/listeners", {"listener": {"protocol": "HTTP", "protocol_port": 81}}, 400),
    ("listener-bad-protocol", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "FTP", "protocol_port": 81}}, 400),
    ("listener-port-wrong-type", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": "eighty"}}, 400),
    ("listener-port-out-of-range", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 70000}}, 400),
    ("listener-unknown-attribute", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 81, "bogus": "x"}}, 400),
    ("listener-lb-bad-uuid", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "not-a-uuid", "protocol": "HTTP", "protocol_port": 81}}, 400),
    ("listener-lb-unknown", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{rand}", "protocol": "HTTP", "protocol_port": 81}}, 404),
    ("listener-duplicate-port", "POST", "/listeners",
     {"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 80}}, 409),
    ("listener-show-unknown", "GET", "/listeners/{rand}", None, 404),
    ("listener-update-unknown", "PUT", "/listeners/{rand}", {"listener": {"name": "y"}}, 404),
    ("listener-delete-unknown", "DELETE", "/listeners/{rand}", None, 404),
    ("listener-update-unknown-attribute", "PUT", "/listeners/{listener}", {"listener": {"bogus": 1}}, 400),
    ("listener-update-read-only-port", "PUT", "/listeners/{listener}", {"listener": {"protocol_port": 81}}, 400),
    # --- pools
    ("pool-invalid-json", "POST", "/pools", (RAW, "{]"), 400),
    ("pool-missing-algorithm", "POST", "/pools", {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP"}}, 400),
    ("pool-bad-algorithm", "POST", "/pools",
     {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "RANDOM"}}, 400),
    ("pool-missing-parent", "POST", "/pools", {"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}, 400),
    ("pool-unknown-attribute", "POST", "/pools",
     {"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "bogus": 1}}, 400),
    ("pool-listener-unknown", "POST", "/pools",
     {"pool": {"listener_id": "{rand}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}, 404),
    ("pool-lb-unknown", "POST", "/pools",
     {"pool": {"loadbalancer_id": "{rand}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}, 404),
    ("pool-show-unknown", "GET", "/pools/{rand}", None, 404),
    ("pool-update-unknown", "PUT", "/pools/{rand}", {"pool": {"name": "y"}}, 404),
    ("pool-delete-unknown", "DELETE", "/pools/{rand}", None, 404),
    ("pool-update-wrong-type", "PUT", "/pools/{pool}", {"pool": {"admin_state_up": "sometimes"}}, 400),
    # --- members
    ("member-invalid-json", "POST", "/pools/{pool}/members", (RAW, "{\"member\": "), 400),
    ("member-missing-address", "POST", "/pools/{pool}/members", {"member": {"protocol_port": 80}}, 400),
    ("member-bad-address", "POST", "/pools/{pool}/members", {"member": {"address": "not-an-ip", "protocol_port": 80}}, 400),
    ("member-port-zero", "POST", "/pools/{pool}/members", {"member": {"address": "10.0.0.5", "protocol_port": 0}}, 400),
    ("member-weight-too-big", "POST", "/pools/{pool}/members",
     {"member": {"address": "10.0.0.5", "protocol_port": 80, "weight": 1000}}, 400),
    ("member-subnet-bad-uuid", "POST", "/pools/{pool}/members",
     {"member": {"address": "10.0.0.5", "protocol_port": 80, "subnet_id": "nope"}}, 400),
    ("member-unknown-attribute", "POST", "/pools/{pool}/members",
     {"member": {"address": "10.0.0.5", "protocol_port": 80, "bogus": 1}}, 400),
    ("member-pool-unknown", "POST", "/pools/{rand}/members", {"member": {"address": "10.0.0.5", "protocol_port": 80}}, 404),
    ("member-list-pool-unknown", "GET", "/pools/{rand}/members", None, 404),
    ("member-show-unknown", "GET", "/pools/{pool}/members/{rand}", None, 404),
    ("member-update-unknown", "PUT", "/pools/{pool}/members/{rand}", {"member": {"name": "y"}}, 404),
    ("member-delete-unknown", "DELETE", "/pools/{pool}/members/{rand}", None, 404),
    ("member-update-read-only-address", "PUT", "/pools/{pool}/members/{member}", {"member": {"address": "10.0.0.9"}}, 400),
    # --- health monitors
    ("hm-invalid-json", "POST", "/healthmonitors", (RAW, "}"), 400),
    ("hm-missing-type", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "delay": 1, "timeout": 1, "max_retries": 1}}, 400),
    ("hm-bad-type", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "FOO", "delay": 1, "timeout": 1, "max_retries": 1}}, 400),
    ("hm-delay-wrong-type", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": "x", "timeout": 1, "max_retries": 1}}, 400),
    ("hm-retries-out-of-range", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 0}}, 400),
    ("hm-unknown-attribute", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "bogus": 1}}, 400),
    ("hm-pool-unknown", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{rand}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1}}, 404),
    ("hm-second-on-pool", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1}}, 409),
    ("hm-show-unknown", "GET", "/healthmonitors/{rand}", None, 404),
    ("hm-update-unknown", "PUT", "/healthmonitors/{rand}", {"healthmonitor": {"name": "y"}}, 404),
    ("hm-delete-unknown", "DELETE", "/healthmonitors/{rand}", None, 404),
    ("hm-update-read-only-type", "PUT", "/healthmonitors/{hm}", {"healthmonitor": {"type": "TCP"}}, 400),
    ("hm-expected-codes-non-ascii-digits", "POST", "/healthmonitors",
     {"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1,
                        "expected_codes": "\u0662\u0660\u0660"}}, 400),
    # --- list queries that once trapped (sort=: killed the daemon) or could: all 400, never a crash
    ("list-sort-colon", "GET", "/loadbalancers?sort=:", None, 400),
    ("list-sort-double-colon", "GET", "/loadbalancers?sort=::", None, 400),
    ("list-sort-comma", "GET", "/loadbalancers?sort=,", None, 400),
    ("list-sort-empty-key", "GET", "/loadbalancers?sort=:asc", None, 400),
    ("list-sort-empty-dir", "GET", "/loadbalancers?sort=name:", None, 400),
    ("list-sort-bad-dir", "GET", "/loadbalancers?sort=name:up", None, 400),
    ("list-sort-three-parts", "GET", "/loadbalancers?sort=name:asc:desc", None, 400),
    ("list-sort-unicode-key", "GET", "/loadbalancers?sort=%C3%A9%F0%9F%92%A5", None, 400),
    ("list-sort-dir-without-key", "GET", "/loadbalancers?sort_dir=desc", None, 400),
    ("list-sort-more-dirs-than-keys", "GET", "/loadbalancers?sort_key=name&sort_dir=asc,desc", None, 400),
    ("list-sort-key-empty-item", "GET", "/loadbalancers?sort_key=name,,id", None, 400),
    ("list-limit-empty", "GET", "/loadbalancers?limit=", None, 400),
    ("list-limit-minus", "GET", "/loadbalancers?limit=-", None, 400),
    ("list-limit-fraction", "GET", "/loadbalancers?limit=1.5", None, 400),
    ("list-limit-unicode-digit", "GET", "/loadbalancers?limit=%D9%A1", None, 400),
    ("list-marker-empty", "GET", "/loadbalancers?marker=", None, 400),
    ("list-marker-unicode", "GET", "/loadbalancers?marker=%C3%A9", None, 400),
    ("list-marker-unknown-reverse", "GET", "/loadbalancers?marker={rand}&limit=1&page_reverse=true", None, 400),
    ("list-filter-int-overflow", "GET", "/listeners?protocol_port=99999999999999999999", None, 400),
    ("list-filter-empty-name", "GET", "/loadbalancers?=x", None, 400),
    ("list-filter-duplicate", "GET", "/loadbalancers?name=a&name=b", None, 400),
    ("show-unicode-id", "GET", "/loadbalancers/%C3%A9", None, 404),
    ("members-nul-pool-id", "GET", "/pools/%00/members", None, 404),
    # --- bodies at the edges of JSON
    ("lb-deeply-nested-array", "POST", "/loadbalancers", (RAW, "[" * 100_000 + "]" * 100_000), 400),
    ("lb-deeply-nested-object", "POST", "/loadbalancers",
     (RAW, '{"loadbalancer": ' + '{"a": ' * 5_000 + "1" + "}" * 5_001), 400),
    ("listener-port-huge-number", "POST", "/listeners",
     (RAW, '{"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 99999999999999999999999}}'), 400),
    ("listener-port-overflowing-float", "POST", "/listeners",
     (RAW, '{"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 1e400}}'), 400),
]

# Odd but valid list queries: answered with 200 (and the daemon stays up).
ACCEPTED_QUERIES = [
    "limit=-1", "limit=0", "limit=99999999999999999999", "limit=infinite", "limit=1&limit=2",
    "page_reverse=maybe", "fields=", "sort=", "sort=name&sort=id:desc", "sort_key=name,id&sort_dir=desc",
    "name=%C3%A9%F0%9F%92%A5", "name=%00", "tags=",
]

def not_found_resource(method: str, url: str) -> str | None:
    """The resource name Octavia puts in the 404 of a direct GET/PUT/DELETE on an unknown id."""
    if method not in ("GET", "PUT", "DELETE") or not url.endswith("/" + RANDOM_ID):
        return None
    parts = url.strip("/").split("/")
    if len(parts) == 4 and parts[2] == "members":
        return "Member"
    if len(parts) == 2:
        return {"loadbalancers": "Load Balancer", "listeners": "Listener", "pools": "Pool",
                "healthmonitors": "Health Monitor"}[parts[0]]
    return None


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, v in ids.items():
            value = value.replace("{" + key + "}", v)
        return value
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


def check_case(api: Api, ids: dict[str, str], method: str, path: str, body: Any, expected: int) -> str | None:
    """Sends one bad request; returns what was wrong with the answer, or None."""
    url = fill(path, ids)
    if isinstance(body, tuple) and body[0] is RAW:
        r = api.request(method, url, raw=fill(body[1], ids))
    else:
        r = api.request(method, url, fill(body, ids))
    where = f"{method} {url} -> {r.status_code} {r.text[:300]!r}"
    if r.status_code != expected:
        return f"expected {expected}: {where}"
    if not r.headers.get("Content-Type", "").startswith("application/json"):
        return f"Content-Type {r.headers.get('Content-Type')!r}: {where}"
    try:
        payload = r.json()
    except ValueError:
        return f"body is not JSON: {where}"
    if not isinstance(payload, dict) or set(payload) != {"faultcode", "faultstring", "debuginfo"}:
        return f"body keys are not faultcode/faultstring/debuginfo: {where}"
    if payload["faultcode"] != "Client" or payload["debuginfo"] is not None:
        return f"faultcode must be 'Client' and debuginfo null: {where}"
    if not isinstance(payload["faultstring"], str) or not payload["faultstring"]:
        return f"empty faultstring: {where}"
    resource = not_found_resource(method, url)
    if expected == 404 and resource and payload["faultstring"] != f"{resource} {RANDOM_ID} not found.":
        return f"faultstring should be '{resource} {RANDOM_ID} not found.': {where}"
    return None


def assert_alive(rig: Rig, octavia: OctaviaProcess) -> None:
    """The octavia process has not exited and still answers `GET /`."""
    assert octavia.proc is not None
    code = octavia.proc.poll()
    assert code is None, f"octavia exited with {code} during the bad-input cases:\n{octavia.log_tail(5000)}"
    r = requests.get(rig.endpoint + "/", timeout=10)
    assert r.status_code == 200, f"GET / -> {r.status_code} {r.text[:300]!r}"


def test_bad_requests_are_rejected(rig: Rig, octavia: OctaviaProcess, api: Api, tree: dict[str, Any]) -> None:
    """Every case in CASES; one report lists every case that got a wrong answer. The process
    must survive them all (one request that traps would kill the whole daemon)."""
    problems = []
    for case_id, method, path, body, expected in CASES:
        try:
            problem = check_case(api, tree["ids"], method, path, body, expected)
        except requests.RequestException as error:
            problem = f"no answer ({type(error).__name__}: {error})"
        if problem:
            problems.append(f"[{case_id}] {problem}")
    assert_alive(rig, octavia)
    assert not problems, f"{len(problems)} of {len(CASES)} bad requests got a wrong answer:\n" + "\n".join(problems)


def test_odd_list_queries_are_answered(rig: Rig, octavia: OctaviaProcess, api: Api, tree: dict[str, Any]) -> None:
    """Odd but valid list queries get a 200 with a list, and the process survives them."""
    problems = []
    for query in ACCEPTED_QUERIES:
        try:
            r = api.get(f"/loadbalancers?{query}")
            if r.status_code != 200 or not isinstance(r.json().get("loadbalancers"), list):
                problems.append(f"?{query} -> {r.status_code} {r.text[:300]!r}")
        except (requests.RequestException, ValueError) as error:
            problems.append(f"?{query} -> {type(error).__name__}: {error}")
    assert_alive(rig, octavia)
    assert not problems, "odd list queries got a wrong answer:\n" + "\n".join(problems)


def test_nothing_was_written(api: Api, tree: dict[str, Any]) -> None:
    """Runs after the cases (file order): the lists are as they were before them."""
    api.wait_lb(tree["ids"]["lb"], timeout=30)
    after = snapshot(api, tree["ids"])
    assert after == tree["before"]


def test_cleanup_tree(api: Api, tree: dict[str, Any], rig: Rig) -> None:
    """The valid tree can still be deleted in one call."""
    lb = tree["ids"]["lb"]
    r = api.request("DELETE", f"/loadbalancers/{lb}?cascade=true")
    assert r.status_code == 204, r.text
    api.wait_lb_gone(lb)
    wait_for("amphora namespaces to be gone", lambda: not namespaces_with_prefix(rig.amp_prefix) or None, 10, 0.2)
