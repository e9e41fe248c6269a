"""Algorithms and session persistence, proven with real traffic through the VIP of ONE load
balancer: one HTTP listener per case (ports 8001..), all over the same three member namespaces.

ROUND_ROBIN spreads evenly; LEAST_CONNECTIONS avoids the member busy with a slow request;
SOURCE_IP (algorithm) and SOURCE_IP persistence keep each source address on one member;
HTTP_COOKIE and APP_COOKIE keep a client carrying the cookie on one member; SOURCE_IP_PORT is
refused by the amphora provider (501); persistence timeout/granularity are UDP-only (400).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Iterator

import pytest

from dataplane import Dataplane
from lbkit import HTTP_BATCH, LBKit, tally
from rig import Api, OctaviaProcess, Rig

MEMBERS = {"m1": 11, "m2": 12, "m3": 13}
#: Extra client source addresses for the per-source cases.
SOURCES = range(30, 42)


@pytest.fixture(scope="module")
def kit(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[LBKit]:
    kit = LBKit.create(rig, dataplane, api, "balancing")
    for name, last in MEMBERS.items():
        dataplane.start_member(name, rig.net.host(last))
    for last in SOURCES:
        subprocess.run(["ip", "-n", kit.client, "addr", "add", f"{rig.net.host(last)}/24", "dev", "eth0"], check=True)
    for name, last in MEMBERS.items():
        kit.wait_answer(f"{name} answering directly", host=rig.net.host(last))
    yield kit
    kit.delete_load_balancer()


def http_service(kit: LBKit, port: int, algorithm: str = "ROUND_ROBIN", members: tuple[str, ...] = tuple(MEMBERS),
                 **pool_fields: object) -> str:
    """HTTP listener on `port` with a default pool of `members`; waits until it answers."""
    listener = kit.listener("HTTP", port)
    pool = kit.pool("HTTP", algorithm, listener_id=listener, **pool_fields)
    for name in members:
        kit.member(pool, kit.rig.net.host(MEMBERS[name]), name=name)
    kit.wait_answer(f"listener {port} to answer", port=port)
    return pool


def per_source(kit: LBKit, port: int, count: int = 5) -> dict[str, set[str]]:
    """For each extra source address, which members answered `count` new connections."""
    specs = [{"port": port, "source": kit.rig.net.host(last), "count": count} for last in SOURCES]
    return {spec["source"]: set(tally(results)) for spec, results in zip(specs, kit.batch(specs))}


def test_round_robin_spreads_evenly(kit: LBKit) -> None:
    http_service(kit, 8001)
    counts = tally(kit.get(port=8001, count=30))
    assert counts == {"m1": 10, "m2": 10, "m3": 10}, counts


def test_least_connections_avoids_the_busy_member(kit: LBKit) -> None:
    http_service(kit, 8002, "LEAST_CONNECTIONS", members=("m1", "m2"))
    # One slow request holds a connection on one member for 4 s ...
    slow = subprocess.Popen(
        ["ip", "netns", "exec", kit.client, sys.executable, str(HTTP_BATCH),
         f'[{{"host": "{kit.vip}", "port": 8002, "path": "/slow?ms=4000", "timeout": 10}}]'],
        stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.8)
        # ... so every short request meanwhile goes to the other one (round robin would alternate).
        counts = tally(kit.get(port=8002, count=8))
    finally:
        out, _ = slow.communicate(timeout=20)
    busy = tally(json.loads(out)[0])
    assert len(busy) == 1 and set(busy) <= {"m1", "m2"}, busy
    other = ({"m1", "m2"} - set(busy)).pop()
    assert counts == {other: 8}, f"slow request on {busy}, short ones: {counts}"


def test_source_ip_algorithm_keeps_each_source_on_one_member(kit: LBKit) -> None:
    http_service(kit, 8003, "SOURCE_IP")
    seen = per_source(kit, 8003)
    assert all(len(members) == 1 for members in seen.values()), seen
    assert len(set().union(*seen.values())) >= 2, f"every source hashed to one member: {seen}"


def test_source_ip_port_is_refused_by_the_amphora_provider(kit: LBKit) -> None:
    r = kit.api.request("POST", "/pools", {"pool": {"loadbalancer_id": kit.lb_id, "protocol": "HTTP",
                                                    "lb_algorithm": "SOURCE_IP_PORT"}})
    assert r.status_code == 501, r.text
    assert "does not support" in r.text


def test_persistence_timeout_and_granularity_are_udp_only(kit: LBKit) -> None:
    r = kit.api.request("POST", "/pools", {"pool": {
        "loadbalancer_id": kit.lb_id, "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
        "session_persistence": {"type": "SOURCE_IP", "persistence_timeout": 60,
                                "persistence_granularity": "255.255.255.0"}}})
    assert r.status_code == 400, r.text


def test_source_ip_persistence_sticks_each_source(kit: LBKit) -> None:
    http_service(kit, 8004, session_persistence={"type": "SOURCE_IP"})
    seen = per_source(kit, 8004)
    assert all(len(members) == 1 for members in seen.values()), seen
    # Round robin placed the first connection of each source: the sources are spread.
    assert len(set().union(*seen.values())) == 3, f"first connections not spread: {seen}"


def test_http_cookie_keeps_a_client_on_one_member(kit: LBKit) -> None:
    pool = http_service(kit, 8005, session_persistence={"type": "HTTP_COOKIE"})
    members = {m["name"]: m["id"] for m in kit.api.get(f"/pools/{pool}/members").json()["members"]}
    first = kit.one(port=8005)
    assert first["headers"]["set-cookie"].startswith(f"SRV={members[first['body']]}"), first
    for _ in range(2):
        sticky = tally(kit.get(port=8005, count=12, cookie_jar=True))
        assert len(sticky) == 1 and set(sticky) <= set(MEMBERS), sticky
    # Without the cookie, round robin as usual.
    assert tally(kit.get(port=8005, count=12)) == {"m1": 4, "m2": 4, "m3": 4}


def test_app_cookie_keeps_the_cookie_on_the_member_that_set_it(kit: LBKit) -> None:
    http_service(kit, 8006, session_persistence={"type": "APP_COOKIE", "cookie_name": "JSESSIONID"})
    owners = {}
    for session in ("alpha", "beta", "gamma"):
        answer = kit.one(f"/setcookie?name=JSESSIONID&value={session}", port=8006)
        assert answer["headers"]["set-cookie"].startswith(f"JSESSIONID={session}"), answer
        owners[session] = answer["body"]
    assert set(owners.values()) == set(MEMBERS), f"round robin placed the sessions: {owners}"
    for session, owner in owners.items():
        counts = tally(kit.get(port=8006, count=8, headers={"Cookie": f"JSESSIONID={session}"}))
        assert counts == {owner: 8}, f"session {session} set by {owner}: {counts}"
    # An unknown session value is balanced normally.
    assert len(tally(kit.get(port=8006, count=6, headers={"Cookie": "JSESSIONID=unknown"}))) == 3
