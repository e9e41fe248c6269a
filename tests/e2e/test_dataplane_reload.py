"""Hitless changes: wrk drives keep-alive HTTP through the VIP (bounded: 25 s, 2 threads,
16 connections) while the test makes 20 API changes: create, update and delete of members, a
health monitor, an L7 policy and its rule, a second listener and its pool, and pool / listener
updates; each change reloads HAProxy through the master socket. Proof: wrk reports zero socket errors and zero non-2xx answers, and every change
took effect while it ran.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from typing import Callable, Iterator

import pytest

from dataplane import Dataplane
from lbkit import LBKit, tally
from rig import IN_CI, Api, OctaviaProcess, Rig

MEMBERS = {"m1": 11, "m2": 12, "m3": 13, "m4": 14, "g1": 15}
WRK_SECONDS = 25


@pytest.fixture(scope="module")
def kit(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[LBKit]:
    kit = LBKit.create(rig, dataplane, api, "reload")
    for name, last in MEMBERS.items():
        dataplane.start_member(name, rig.net.host(last))
    yield kit
    kit.delete_load_balancer()


def agent_log_count(kit: LBKit, needle: str) -> int:
    """Lines with `needle` in the logs of the run's amphora agents."""
    return sum(log.read_text(errors="replace").count(needle)
               for log in (kit.rig.state_dir / "amphorae").glob("*/agent.log"))


def parse_wrk(text: str) -> dict[str, float]:
    """requests, req/s, socket errors (sum) and non-2xx/3xx answers from wrk's report."""
    result = {"requests": 0.0, "req_per_s": 0.0, "socket_errors": 0.0, "non_2xx": 0.0}
    if m := re.search(r"(\d+) requests in", text):
        result["requests"] = float(m.group(1))
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        result["req_per_s"] = float(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        result["socket_errors"] = float(sum(int(g) for g in m.groups()))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        result["non_2xx"] = float(m.group(1))
    return result


def test_twenty_changes_under_load_fail_no_request(kit: LBKit, dataplane: Dataplane) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        if IN_CI:
            pytest.fail("wrk is not installed (scripts/setup-test-deps.sh installs it)", pytrace=False)
        pytest.skip("wrk is not installed")
    host = kit.rig.net.host
    listener = kit.listener("HTTP", 80)
    pool = kit.pool("HTTP", listener_id=listener)
    ids = {name: kit.member(pool, host(MEMBERS[name]), name=name) for name in ("m1", "m2", "m3")}
    other_pool = kit.pool("HTTP")
    kit.member(other_pool, host(MEMBERS["g1"]), name="g1")
    kit.wait_answer("the VIP")

    state: dict[str, str] = {}

    def member(name: str) -> Callable[[], None]:
        return lambda: ids.__setitem__(name, kit.member(pool, host(MEMBERS[name]), name=name))

    def update_member(name: str, **fields: object) -> Callable[[], None]:
        return lambda: kit.call("PUT", f"/pools/{pool}/members/{ids[name]}", {"member": fields})

    def delete_member(name: str) -> Callable[[], None]:
        return lambda: kit.call("DELETE", f"/pools/{pool}/members/{ids.pop(name)}")

    def add_policy() -> None:
        state["policy"] = kit.call("POST", "/l7policies", {"l7policy": {
            "listener_id": listener, "action": "REDIRECT_TO_POOL", "redirect_pool_id": other_pool}})["l7policy"]["id"]

    def add_rule() -> None:
        state["rule"] = kit.call("POST", f"/l7policies/{state['policy']}/rules", {"rule": {
            "type": "HEADER", "key": "X-Pool", "compare_type": "EQUAL_TO", "value": "g1"}})["rule"]["id"]

    def add_monitor() -> None:
        state["hm"] = kit.monitor(pool, "HTTP", delay=2, timeout=1, max_retries=2, max_retries_down=3, url_path="/")

    def add_listener() -> None:
        state["listener2"] = kit.listener("HTTP", 8080)

    def add_pool() -> None:
        state["pool3"] = kit.pool("HTTP", "SOURCE_IP", listener_id=state["listener2"])

    changes: list[tuple[str, Callable[[], None]]] = [
        ("member m4 created", member("m4")),
        ("member m1 weight 3", update_member("m1", weight=3)),
        ("health monitor created", add_monitor),
        ("member m4 weight 0 (drain)", update_member("m4", weight=0)),
        ("member m4 deleted", delete_member("m4")),
        ("L7 policy created", add_policy),
        ("L7 rule created", add_rule),
        ("L7 rule updated", lambda: kit.call("PUT", f"/l7policies/{state['policy']}/rules/{state['rule']}",
                                             {"rule": {"value": "green"}})),
        ("L7 policy updated", lambda: kit.call("PUT", f"/l7policies/{state['policy']}",
                                               {"l7policy": {"name": "renamed", "position": 1}})),
        ("health monitor updated", lambda: kit.call("PUT", f"/healthmonitors/{state['hm']}",
                                                    {"healthmonitor": {"delay": 1}})),
        ("listener 8080 created", add_listener),
        ("listener 80 updated", lambda: kit.call("PUT", f"/listeners/{listener}", {"listener": {
            "insert_headers": {"X-Forwarded-For": "true"}, "timeout_member_data": 30000}})),
        ("pool created on listener 8080", add_pool),
        ("health monitor deleted", lambda: kit.call("DELETE", f"/healthmonitors/{state['hm']}")),
        ("pool algorithm LEAST_CONNECTIONS", lambda: kit.call("PUT", f"/pools/{pool}", {"pool": {
            "lb_algorithm": "LEAST_CONNECTIONS"}})),
        ("L7 rule deleted", lambda: kit.call("DELETE", f"/l7policies/{state['policy']}/rules/{state['rule']}")),
        ("L7 policy deleted", lambda: kit.call("DELETE", f"/l7policies/{state['policy']}")),
        ("pool on listener 8080 deleted", lambda: kit.call("DELETE", f"/pools/{state['pool3']}")),
        ("listener 8080 deleted", lambda: kit.call("DELETE", f"/listeners/{state['listener2']}")),
        ("member m3 deleted", delete_member("m3")),
    ]
    assert len(changes) == 20

    reloads_before = agent_log_count(kit, "haproxy reloaded")
    proc = subprocess.Popen(
        ["ip", "netns", "exec", kit.client, wrk, "-t2", "-c16", f"-d{WRK_SECONDS}s", "-T5s", "--latency",
         f"http://{kit.vip}/"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = time.monotonic()
    done: list[str] = []
    try:
        time.sleep(2)
        for what, change in changes:
            change()
            done.append(what)
        changes_took = time.monotonic() - started
        assert proc.poll() is None, f"wrk ended before the changes did ({changes_took:.1f} s)"
        output, _ = proc.communicate(timeout=WRK_SECONDS + 30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    report = parse_wrk(output)
    print(f"reload under load: {len(done)} changes in {changes_took:.1f} s; wrk: {report}\n{output}")
    assert len(done) == 20
    assert report["requests"] > 1000, output
    assert report["socket_errors"] == 0, f"socket errors during reloads:\n{output}"
    assert report["non_2xx"] == 0, f"failed requests during reloads:\n{output}"
    # Every change went through a master-socket reload of the one HAProxy (never a restart).
    assert agent_log_count(kit, "haproxy reloaded") - reloads_before >= 20
    assert agent_log_count(kit, "haproxy started") == 1

    # The last configuration is the one served: m3 is gone, everything answers.
    counts = tally(kit.get(count=12))
    assert sum(counts.values()) == 12 and set(counts) <= {"m1", "m2"}, counts
