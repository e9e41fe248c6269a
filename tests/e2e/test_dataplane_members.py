"""Members and health monitors, proven with real traffic through the VIP of ONE load balancer.

Members: weight 0 drains, weights share traffic, backup serves only when no other member can,
admin down takes a member out. Monitors (one listener+pool each): HTTP with method, url_path,
expected_codes, http_version and domain_name as the member sees them, retries-down timing, the
check timeout;
HTTPS over an HTTPS pass-through listener; TLS-HELLO; TCP on a member's monitor_port; HTTP on a
member's monitor_address; PING. Each takes a dead member out and brings it back.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Iterator

import pytest

from dataplane import Dataplane
from lbkit import LBKit, make_certificate, tally
from rig import Api, OctaviaProcess, Rig, wait_for

MEMBERS = {"m1": 11, "m2": 12, "m3": 13}
CHECKER = ("checker", 14)


@pytest.fixture(scope="module")
def kit(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[LBKit]:
    kit = LBKit.create(rig, dataplane, api, "members")
    for name, last in (*MEMBERS.items(), CHECKER):
        dataplane.start_member(name, rig.net.host(last))
    for name, last in (*MEMBERS.items(), CHECKER):
        kit.wait_answer(f"{name} answering directly", host=rig.net.host(last))
    yield kit
    kit.delete_load_balancer()


def addr(kit: LBKit, name: str) -> str:
    return kit.rig.net.host(MEMBERS[name])


def service(kit: LBKit, port: int, members: dict[str, dict], protocol: str = "HTTP", pool_protocol: str | None = None,
            member_port: int = 80) -> tuple[str, dict[str, str]]:
    """Listener on `port`, default pool with `members` (name -> extra member fields)."""
    listener = kit.listener(protocol, port)
    pool = kit.pool(pool_protocol or protocol, listener_id=listener)
    ids = {name: kit.member(pool, addr(kit, name), member_port, name=name, **fields) for name, fields in members.items()}
    return pool, ids


def wait_counts(kit: LBKit, what: str, wanted: set[str], port: int, timeout: float = 30, **spec: object) -> None:
    """Polls 6 requests until exactly the members `wanted` answer them (all 200)."""
    wait_for(what, lambda: (c := tally(kit.get(port=port, count=6, timeout=2, **spec))) and set(c) == wanted and c,
             timeout, 0.3)


def test_weight_zero_drains_and_weights_share(kit: LBKit) -> None:
    pool, ids = service(kit, 8001, {"m1": {}, "m2": {}, "m3": {"weight": 0}})
    wait_counts(kit, "the listener", {"m1", "m2"}, 8001)
    counts = tally(kit.get(port=8001, count=30))
    assert counts == {"m1": 15, "m2": 15}, f"m3 has weight 0: {counts}"
    kit.call("PUT", f"/pools/{pool}/members/{ids['m1']}", {"member": {"weight": 2}})
    kit.call("PUT", f"/pools/{pool}/members/{ids['m3']}", {"member": {"weight": 1}})
    counts = tally(kit.get(port=8001, count=40))
    assert counts == {"m1": 20, "m2": 10, "m3": 10}, f"weights 2/1/1: {counts}"


def test_backup_member_serves_only_when_no_other_can_and_admin_down_removes(kit: LBKit) -> None:
    pool, ids = service(kit, 8002, {"m1": {}, "m2": {"admin_state_up": False}, "m3": {"backup": True}})
    wait_counts(kit, "the listener", {"m1"}, 8002)
    assert tally(kit.get(port=8002, count=12)) == {"m1": 12}, "admin-down m2 and backup m3 must get nothing"
    kit.call("PUT", f"/pools/{pool}/members/{ids['m1']}", {"member": {"admin_state_up": False}})
    assert tally(kit.get(port=8002, count=6)) == {"m3": 6}, "with m1 and m2 down the backup serves"
    kit.call("PUT", f"/pools/{pool}/members/{ids['m2']}", {"member": {"admin_state_up": True}})
    assert tally(kit.get(port=8002, count=6)) == {"m2": 6}, "m2 back up: the backup steps aside"


def test_http_monitor_options_reach_the_member_and_codes_decide(kit: LBKit) -> None:
    pool, _ = service(kit, 8003, {"m1": {}, "m2": {}})
    kit.monitor(pool, "HTTP", delay=1, timeout=1, max_retries=2, max_retries_down=3, http_method="POST",
                url_path="/hc/app?deep=1", expected_codes="200-202", http_version=1.1, domain_name="health.example")
    wait_counts(kit, "both members up", {"m1", "m2"}, 8003)
    check = wait_for("a health check on m1", lambda: json.loads(kit.direct(addr(kit, "m1"), "/control/last-check")["body"]),
                     10, 0.3)
    assert check == {"method": "POST", "path": "/hc/app?deep=1", "version": "HTTP/1.1", "host": "health.example"}

    # 500 is outside 200-202: after 3 failed checks 1 s apart, m1 is out.
    kit.direct(addr(kit, "m1"), "/control/health?code=500")
    started = time.monotonic()
    wait_counts(kit, "m1 out after 500s", {"m2"}, 8003)
    took = time.monotonic() - started
    assert 1.5 <= took <= 15, f"max_retries_down=3 at delay 1 s took {took:.1f} s"
    # 202 is inside the range: m1 comes back.
    kit.direct(addr(kit, "m1"), "/control/health?code=202")
    wait_counts(kit, "m1 back with 202", {"m1", "m2"}, 8003)
    # An answer slower than the monitor's 1 s timeout counts as a failure too.
    kit.direct(addr(kit, "m1"), "/control/health?code=200&delay_ms=2500")
    wait_counts(kit, "m1 out: its checks time out", {"m2"}, 8003)
    kit.direct(addr(kit, "m1"), "/control/health?code=200")
    wait_counts(kit, "m1 back with fast answers", {"m1", "m2"}, 8003)


def test_https_passthrough_with_https_monitor(kit: LBKit, dataplane: Dataplane) -> None:
    cert, key = make_certificate(kit.rig.state_dir)
    for name in ("m1", "m2"):
        dataplane.start_member(name, addr(kit, name), 443, args=("--tls", cert, key),
                               host=dataplane.ns(name), key=f"{name}-tls")
    pool, _ = service(kit, 8443, {"m1": {}, "m2": {}}, protocol="HTTPS", member_port=443)
    kit.monitor(pool, "HTTPS", url_path="/hc", expected_codes="200")
    # The client's TLS goes through untouched: each member answers with its own certificate's session.
    wait_counts(kit, "both TLS members through the VIP", {"m1", "m2"}, 8443, tls=True)
    dataplane.stop_member("m1-tls")
    wait_counts(kit, "m1 out (TLS server stopped)", {"m2"}, 8443, tls=True)
    dataplane.start_member("m1", addr(kit, "m1"), 443, args=("--tls", cert, key), host=dataplane.ns("m1"), key="m1-tls")
    wait_counts(kit, "m1 back", {"m1", "m2"}, 8443, tls=True)


def test_tls_hello_monitor(kit: LBKit, dataplane: Dataplane) -> None:
    cert, key = make_certificate(kit.rig.state_dir)
    for name in ("m1", "m2"):
        if dataplane.procs.get(f"{name}-tls") is None or dataplane.procs[f"{name}-tls"].poll() is not None:
            dataplane.start_member(name, addr(kit, name), 443, args=("--tls", cert, key),
                                   host=dataplane.ns(name), key=f"{name}-tls")
    pool, _ = service(kit, 8444, {"m1": {}, "m2": {}}, protocol="HTTPS", pool_protocol="TCP", member_port=443)
    # m3 answers plain HTTP on its port: a TCP connect check would pass it, a TLS hello must not.
    kit.member(pool, addr(kit, "m3"), 80, name="m3-plain")
    kit.monitor(pool, "TLS-HELLO")
    wait_counts(kit, "both TLS members", {"m1", "m2"}, 8444, tls=True)
    assert tally(kit.get(port=8444, count=12, tls=True)) == {"m1": 6, "m2": 6}, "the plain member must be out"
    dataplane.stop_member("m2-tls")
    wait_counts(kit, "m2 out (TLS server stopped)", {"m1"}, 8444, tls=True)
    dataplane.start_member("m2", addr(kit, "m2"), 443, args=("--tls", cert, key), host=dataplane.ns("m2"), key="m2-tls")
    wait_counts(kit, "m2 back", {"m1", "m2"}, 8444, tls=True)


def test_tcp_monitor_on_monitor_port(kit: LBKit, dataplane: Dataplane) -> None:
    # m1 is checked on 8081 (a second server in its namespace), m2 on its traffic port.
    dataplane.start_member("m1", addr(kit, "m1"), 8081, host=dataplane.ns("m1"), key="m1-mon")
    pool, _ = service(kit, 8004, {"m1": {"monitor_port": 8081}, "m2": {}}, protocol="TCP")
    kit.monitor(pool, "TCP")
    wait_counts(kit, "both members", {"m1", "m2"}, 8004)
    dataplane.stop_member("m1-mon")
    wait_counts(kit, "m1 out: its monitor port is closed though port 80 answers", {"m2"}, 8004)
    dataplane.start_member("m1", addr(kit, "m1"), 8081, host=dataplane.ns("m1"), key="m1-mon")
    wait_counts(kit, "m1 back", {"m1", "m2"}, 8004)


def test_http_monitor_on_monitor_address(kit: LBKit, dataplane: Dataplane) -> None:
    checker = kit.rig.net.host(CHECKER[1])
    pool, _ = service(kit, 8005, {"m1": {}, "m3": {"monitor_address": checker}})
    kit.monitor(pool, "HTTP", url_path="/")
    wait_counts(kit, "both members", {"m1", "m3"}, 8005)
    dataplane.stop_member("checker")
    wait_counts(kit, "m3 out: its monitor address stopped answering", {"m1"}, 8005)
    dataplane.start_member("checker", checker, host=dataplane.ns("checker"))
    wait_counts(kit, "m3 back", {"m1", "m3"}, 8005)


def test_ping_monitor(kit: LBKit, dataplane: Dataplane) -> None:
    pool, _ = service(kit, 8006, {"m2": {}, "m3": {}})
    kit.monitor(pool, "PING")
    wait_counts(kit, "both members", {"m2", "m3"}, 8006)
    # m3's link goes down: echo requests go unanswered (and so would traffic).
    subprocess.run(["ip", "-n", dataplane.ns("m3"), "link", "set", "eth0", "down"], check=True)
    try:
        wait_counts(kit, "m3 out (no echo reply)", {"m2"}, 8006)
    finally:
        subprocess.run(["ip", "-n", dataplane.ns("m3"), "link", "set", "eth0", "up"], check=True)
    wait_counts(kit, "m3 back", {"m2", "m3"}, 8006)
