"""Amphora agent certificate rotation end to end: `octavia all-in-one`'s housekeeping renews the
agent server certificate of a real local amphora while wrk drives keep-alive HTTP through the VIP.

Agent certificates live 10 s (`[certificates] cert_validity_time`), housekeeping looks every second
and renews those with less than 6 s left, so the amphora gets a new certificate about every 4 s.
Proof: new mTLS connections to the agent see new serials (verified against the controller's CA),
`cert_expiration` moves forward, the controller still drives the agent after the first certificate
has expired, HAProxy keeps its processes, and wrk sees no socket error and no non-2xx answer.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from dataplane import Dataplane
from lbkit import LBKit
from rig import IN_CI, Api, OctaviaProcess, Rig
from test_dataplane_reload import parse_wrk

VALIDITY = 10
ROTATION_OPTIONS = "[house_keeping]\ncert_interval = 1\ncert_expiry_buffer = 6\n"
WRK_SECONDS = 16


@pytest.fixture(scope="module")
def rig(rig: Rig) -> Rig:
    """The shared rig (conftest) with 10 s agent certificates and a 1 s rotation check."""
    text = rig.config_path.read_text()
    assert "[certificates]\n" in text and "[house_keeping]" not in text
    text = text.replace("[certificates]\n", f"[certificates]\ncert_validity_time = {VALIDITY}\n", 1)
    rig.config_path.write_text(text + "\n" + ROTATION_OPTIONS)
    return rig


@pytest.fixture(scope="module")
def balancer(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[dict]:
    """One LB with an HTTP listener, a pool and one member, answering through the VIP."""
    kit = LBKit.create(rig, dataplane, api, "certrot")
    dataplane.start_member("m1", rig.net.host(11))
    listener = kit.listener("HTTP", 80)
    pool = kit.pool("HTTP", listener_id=listener)
    member = kit.member(pool, rig.net.host(11), name="m1")
    kit.wait_answer("the VIP")
    yield {"kit": kit, "pool": pool, "member": member}
    kit.delete_load_balancer()


def amphora(rig: Rig, lb_id: str) -> dict:
    r = requests.get(f"{rig.endpoint}/v2/octavia/amphorae", params={"loadbalancer_id": lb_id}, timeout=10)
    assert r.status_code == 200, r.text
    amphorae = r.json()["amphorae"]
    assert len(amphorae) == 1, amphorae
    return amphorae[0]


def served_serial(rig: Rig, agent_socket: str) -> str:
    """Serial of the certificate the agent presents to a new mTLS connection, verified by the CA."""
    certs = rig.state_dir / "certs"
    s_client = subprocess.run(
        ["openssl", "s_client", "-unix", agent_socket, "-cert", str(certs / "client.pem"), "-key",
         str(certs / "client.pem"), "-CAfile", str(certs / "ca.pem"), "-verify_return_error"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
    x509 = subprocess.run(["openssl", "x509", "-noout", "-serial"], input=s_client.stdout, capture_output=True,
                          text=True, timeout=10)
    assert x509.returncode == 0, f"no verified certificate from the agent: {s_client.stderr[-2000:]}"
    return x509.stdout.strip()


def haproxy_pids(namespace: str) -> set[int]:
    out = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True, check=True).stdout
    pids = set()
    for pid in out.split():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "haproxy":
                pids.add(int(pid))
        except OSError:
            pass
    return pids


def test_agent_certificate_rotates_under_load(rig: Rig, balancer: dict) -> None:
    kit: LBKit = balancer["kit"]
    wrk = shutil.which("wrk")
    if wrk is None:
        if IN_CI:
            pytest.fail("wrk is not installed (scripts/setup-test-deps.sh installs it)", pytrace=False)
        pytest.skip("wrk is not installed")
    amp = amphora(rig, kit.lb_id)
    assert amp["lb_network_ip"].startswith("unix:"), amp
    socket_path = amp["lb_network_ip"][len("unix:"):]
    haproxy = haproxy_pids(amp["compute_id"])
    assert haproxy, "no HAProxy in the amphora namespace"
    first_serial = served_serial(rig, socket_path)
    first_expiry = amp["cert_expiration"]
    started = time.monotonic()

    # Watch the agent's certificate and the recorded expiry while wrk runs (subprocess.run kills it on timeout).
    serials, expiries, stop = {first_serial}, {first_expiry}, threading.Event()
    problems: list[str] = []

    def watch() -> None:
        while not stop.wait(0.5):
            try:
                serials.add(served_serial(rig, socket_path))
                expiries.add(amphora(rig, kit.lb_id)["cert_expiration"])
            except (AssertionError, OSError, subprocess.SubprocessError, requests.RequestException) as error:
                problems.append(str(error))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        output = subprocess.run(
            ["ip", "netns", "exec", kit.client, wrk, "-t2", "-c8", f"-d{WRK_SECONDS}s", "-T5s", f"http://{kit.vip}/"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=WRK_SECONDS + 30).stdout
    finally:
        stop.set()
        watcher.join(timeout=30)

    report = parse_wrk(output)
    print(f"rotation under load: {len(serials)} certificates, expiries {sorted(expiries)}; wrk: {report}\n{output}")
    assert not problems, f"the agent stopped presenting a verifiable certificate: {problems[:3]}"
    # About one rotation every 4 s: at least two new certificates during the run.
    assert len(serials) >= 3, f"agent certificates seen: {serials}"
    assert max(expiries) > first_expiry
    assert report["requests"] > 0, output
    assert report["socket_errors"] == 0 and report["non_2xx"] == 0, output
    assert haproxy_pids(amp["compute_id"]) == haproxy, "HAProxy was restarted by a rotation"

    # The first certificate has long expired: the controller reaches the agent with the current one.
    assert time.monotonic() - started > VALIDITY
    kit.call("PUT", f"/pools/{balancer['pool']}/members/{balancer['member']}", {"member": {"weight": 2}})
    kit.wait_answer("the VIP after the change")
