"""Listener options and pool protocols, proven with real traffic through the VIP of ONE load
balancer: insert_headers reach the member, allowed_cidrs refuses other sources (and follows
updates), connection_limit queues the connections above it, the member-connect / member-data /
client-data timeouts cut where configured, TCP listeners carry any byte stream, and PROXY /
PROXYV2 pools hand the client address to a member that parses the header.
(HTTPS pass-through is proven in test_dataplane_members.py, with its HTTPS monitor.)
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

MEMBER = ("m1", 11)
PROXY_MEMBER = ("pm", 12)
OUTSIDER = 30  # a second client address, outside the allowed CIDR
NOBODY = 250  # no namespace holds this address: connects to it time out

# Runs in the client namespace: connect, send nothing, report when (and how) the VIP hangs up.
IDLE_CLIENT = r"""
import json, socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=15)
start = time.monotonic()
try:
    data = s.recv(4096)
    print(json.dumps({"closed_after": time.monotonic() - start, "data": data.decode(errors="replace")[:40]}))
except Exception as exc:
    print(json.dumps({"error": repr(exc), "after": time.monotonic() - start}))
"""


@pytest.fixture(scope="module")
def kit(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[LBKit]:
    kit = LBKit.create(rig, dataplane, api, "listener")
    dataplane.start_member(MEMBER[0], rig.net.host(MEMBER[1]))
    dataplane.start_member(PROXY_MEMBER[0], rig.net.host(PROXY_MEMBER[1]), args=("--proxy",))
    subprocess.run(["ip", "-n", kit.client, "addr", "add", f"{rig.net.host(OUTSIDER)}/24", "dev", "eth0"], check=True)
    kit.wait_answer("m1 answering directly", host=rig.net.host(MEMBER[1]))
    kit.wait_answer("pm answering directly", host=rig.net.host(PROXY_MEMBER[1]))
    yield kit
    kit.delete_load_balancer()


def service(kit: LBKit, protocol: str, port: int, pool_protocol: str | None = None, member: tuple[str, int] = MEMBER,
            member_address: str | None = None, **listener_fields: object) -> tuple[str, str]:
    listener = kit.listener(protocol, port, **listener_fields)
    pool = kit.pool(pool_protocol or protocol, listener_id=listener)
    kit.member(pool, member_address or kit.rig.net.host(member[1]), name=member[0])
    return listener, pool


def test_insert_headers_reach_the_member(kit: LBKit) -> None:
    service(kit, "HTTP", 8001, insert_headers={"X-Forwarded-For": "true", "X-Forwarded-Port": "true",
                                               "X-Forwarded-Proto": "true"})
    echo = json.loads(kit.wait_answer("the listener", "/echo", port=8001)["body"])
    headers = {k.lower(): v for k, v in echo["headers"].items()}
    assert headers["x-forwarded-for"] == kit.rig.net.host(10), headers
    assert headers["x-forwarded-port"] == "8001", headers
    assert headers["x-forwarded-proto"] == "http", headers
    # Without insert_headers the member sees none of them.
    service(kit, "HTTP", 8002)
    plain = json.loads(kit.wait_answer("the plain listener", "/echo", port=8002)["body"])
    assert not {"x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"} & {k.lower() for k in plain["headers"]}


def test_allowed_cidrs_refuses_other_sources_and_follows_updates(kit: LBKit) -> None:
    inside, outside = kit.rig.net.host(10), kit.rig.net.host(OUTSIDER)
    listener, _ = service(kit, "HTTP", 8003, allowed_cidrs=[f"{inside}/32"])
    kit.wait_answer("the allowed client", port=8003, source=inside)
    allowed, refused = kit.batch([{"port": 8003, "source": inside, "count": 3},
                                  {"port": 8003, "source": outside, "count": 3}])
    assert tally(allowed) == {"m1": 3}
    assert tally(refused) == {"error": 3}, f"a source outside allowed_cidrs got through: {refused}"
    # The same rule holds for a TCP listener.
    service(kit, "TCP", 8004, allowed_cidrs=[f"{inside}/32"])
    kit.wait_answer("the allowed TCP client", port=8004, source=inside)
    assert tally(kit.get(port=8004, source=outside, count=2)) == {"error": 2}
    # Widening the list lets the outsider in; clearing it lets everyone in.
    kit.call("PUT", f"/listeners/{listener}", {"listener": {"allowed_cidrs": [f"{inside}/32", f"{outside}/32"]}})
    assert tally(kit.get(port=8003, source=outside, count=2)) == {"m1": 2}
    kit.call("PUT", f"/listeners/{listener}", {"listener": {"allowed_cidrs": [f"{kit.rig.net.host(99)}/32"]}})
    assert tally(kit.get(port=8003, source=inside, count=2)) == {"error": 2}
    kit.call("PUT", f"/listeners/{listener}", {"listener": {"allowed_cidrs": None}})
    assert tally(kit.get(port=8003, source=outside, count=2)) == {"m1": 2}


def test_connection_limit_queues_connections_above_it(kit: LBKit) -> None:
    service(kit, "HTTP", 8005, connection_limit=1)
    kit.wait_answer("the limited listener", port=8005)
    spec = json.dumps([{"host": kit.vip, "port": 8005, "path": "/slow?ms=1500", "timeout": 15}])
    started = time.monotonic()
    procs = [subprocess.Popen(["ip", "netns", "exec", kit.client, sys.executable, str(HTTP_BATCH), spec],
                              stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [json.loads(p.communicate(timeout=30)[0])[0][0] for p in procs]
    elapsed = time.monotonic() - started
    assert all(o.get("status") == 200 for o in outputs), outputs
    # One connection at a time: three 1.5 s requests take at least 4.5 s (unlimited: about 1.5 s).
    assert elapsed >= 4.2, f"3 slow requests through connection_limit=1 took only {elapsed:.1f} s"


def test_timeouts_cut_where_configured(kit: LBKit) -> None:
    # timeout_member_data: a member slower than 1 s gets a 504 from HAProxy.
    service(kit, "HTTP", 8006, timeout_member_data=1000)
    kit.wait_answer("the listener", port=8006)
    assert kit.one("/slow?ms=300", port=8006)["status"] == 200
    answer = kit.one("/slow?ms=3000", port=8006, timeout=10)
    assert answer.get("status") == 504, answer

    # timeout_member_connect: a member address nobody answers; 500 ms per try, not 5 s.
    service(kit, "HTTP", 8007, member_address=kit.rig.net.host(NOBODY), timeout_member_connect=500)
    started = time.monotonic()
    answer = kit.one(port=8007, timeout=30)
    took = time.monotonic() - started
    assert answer.get("status") == 503, answer
    assert took < 4, f"member connect timeout 500 ms (4 tries) took {took:.1f} s"

    # timeout_client_data: a client that sends nothing is dropped after 1 s.
    service(kit, "HTTP", 8008, timeout_client_data=1000)
    kit.wait_answer("the listener", port=8008)
    result = subprocess.run(["ip", "netns", "exec", kit.client, sys.executable, "-c", IDLE_CLIENT, kit.vip, "8008"],
                            capture_output=True, text=True, timeout=30, check=True)
    idle = json.loads(result.stdout)
    after = idle.get("closed_after", idle.get("after", 99))
    assert 0.8 <= after <= 4, f"idle client was dropped after {after:.1f} s: {idle}"


def test_tcp_listener_carries_any_stream(kit: LBKit) -> None:
    service(kit, "TCP", 8009, member_address=kit.rig.net.host(MEMBER[1]))
    kit.wait_answer("the TCP listener", port=8009)
    echo = json.loads(kit.one("/echo", port=8009)["body"])
    # No HTTP processing: the member sees HAProxy's address and no added headers.
    assert "X-Forwarded-For" not in echo["headers"]
    assert tally(kit.get(port=8009, count=5)) == {"m1": 5}


def test_proxy_pool_sends_v1_header(kit: LBKit) -> None:
    service(kit, "HTTP", 8010, pool_protocol="PROXY", member=PROXY_MEMBER)
    echo = json.loads(kit.wait_answer("the PROXY pool", "/echo", port=8010)["body"])
    assert echo["proxy"]["version"] == 1, echo
    assert echo["proxy"]["src"] == kit.rig.net.host(10) and echo["proxy"]["dst"] == kit.vip, echo
    assert echo["proxy"]["dst_port"] == 8010


def test_proxyv2_pool_sends_v2_header(kit: LBKit) -> None:
    for protocol, port in (("TCP", 8011), ("HTTP", 8012)):
        service(kit, protocol, port, pool_protocol="PROXYV2", member=PROXY_MEMBER)
        echo = json.loads(kit.wait_answer(f"the PROXYV2 pool under {protocol}", "/echo", port=port)["body"])
        assert echo["proxy"]["version"] == 2 and echo["proxy"]["command"] == "PROXY", echo
        assert echo["proxy"]["src"] == kit.rig.net.host(10) and echo["proxy"]["dst"] == kit.vip, echo
        assert echo["proxy"]["dst_port"] == port
