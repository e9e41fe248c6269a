"""Health manager end to end: real amphorae send heartbeats (over the Unix datagram socket that
reaches out of their network namespaces) to `octavia all-in-one`'s health manager.

* a member's server stops → member ERROR and pool DEGRADED within a few heartbeat intervals;
  it comes back → ONLINE again;
* the amphora's agent and HAProxy are killed with SIGKILL (PIDs read from the amphora's pid files
  and its namespace, so only processes of this run) while a client sends requests → the health
  manager fails the amphora over on its own, traffic flows again, nothing is left behind;
* a heartbeat built by OpenStack Octavia's own Python code is accepted (skipped when the `octavia`
  package is not installed in the test venv, failed under CI=true);
* GET /metrics of the all-in-one, and of an `octavia health-manager` started alone on the same
  database, shows heartbeats received/accepted, a forged datagram's rejection, the processing
  latency histogram and (all-in-one, after the kill) failovers started and succeeded.

Short intervals: heartbeat_interval 1 s, heartbeat_timeout 4 s, health_check_interval 1 s.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import zlib
import signal
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from dataplane import Dataplane, namespaces_with_prefix, process_alive, sh
from rig import OCTAVIA_BIN, Api, Cli, OctaviaProcess, Rig, check_prerequisites, free_port, free_udp_port, wait_for

CLIENT_HOST = 20
MEMBER1_HOST = 21
MEMBER2_HOST = 22

HEALTH_OPTIONS = "heartbeat_interval = 1\nheartbeat_timeout = 4\nhealth_check_interval = 1\n"


@pytest.fixture(scope="module")
def metrics_port() -> int:
    """The all-in-one's `[metrics] all_in_one_port`."""
    return free_port()


@pytest.fixture(scope="module")
def rig(metrics_port: int) -> Iterator[Rig]:
    """The shared rig with short health-manager intervals and the metrics endpoint on."""
    check_prerequisites()
    base = Path(tempfile.mkdtemp(prefix="octavia-e2e-"))
    rig = Rig.create(base)
    text = rig.config_path.read_text()
    assert "[health_manager]\n" in text
    text = text.replace("[health_manager]\n", "[health_manager]\n" + HEALTH_OPTIONS, 1)
    rig.config_path.write_text(text + f"\n[metrics]\nall_in_one_port = {metrics_port}\n")
    yield rig
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def balancer(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, cli: Cli, api: Api) -> dict:
    """One LB: HTTP listener, pool with an HTTP monitor (delay 1 s) and two members, and a client."""
    net = rig.net
    lb = cli.json("loadbalancer", "create", "--name", f"e2e-hm-{rig.run_id}", "--vip-subnet-id", net.subnet_id)
    api.wait_lb(lb["id"])
    dataplane.wait_bridge()
    client = dataplane.add_host("client", net.host(CLIENT_HOST))
    dataplane.start_member("m1", net.host(MEMBER1_HOST))
    dataplane.start_member("m2", net.host(MEMBER2_HOST))
    listener = cli.json("loadbalancer", "listener", "create", "--protocol", "HTTP", "--protocol-port", "80", lb["id"])
    api.wait_lb(lb["id"])
    pool = cli.json("loadbalancer", "pool", "create", "--lb-algorithm", "ROUND_ROBIN", "--listener", listener["id"],
                    "--protocol", "HTTP")
    api.wait_lb(lb["id"])
    cli.json("loadbalancer", "healthmonitor", "create", "--delay", "1", "--timeout", "1", "--max-retries", "1",
             "--type", "HTTP", pool["id"])
    api.wait_lb(lb["id"])
    members = {}
    for name, host in (("m1", MEMBER1_HOST), ("m2", MEMBER2_HOST)):
        members[name] = cli.json("loadbalancer", "member", "create", "--subnet-id", net.subnet_id, "--address",
                                 net.host(host), "--protocol-port", "80", pool["id"])["id"]
        api.wait_lb(lb["id"])
    vip = cli.json("loadbalancer", "show", lb["id"])["vip_address"]
    url = f"http://{vip}/"
    wait_for("the VIP to answer", lambda: dataplane.probe(client, url, 1, 1.0)[0].get("body") in ("m1", "m2"), 30)
    return {"lb": lb["id"], "pool": pool["id"], "listener": listener["id"], "members": members, "client": client, "url": url}


def statuses(api: Api, lb_id: str) -> dict[str, str]:
    """Operating statuses from `GET .../status`: keys lb, listener, pool, and member names by id."""
    tree = api.get(f"/loadbalancers/{lb_id}/status").json()["statuses"]["loadbalancer"]
    out = {"lb": tree["operating_status"]}
    for listener in tree["listeners"]:
        out["listener"] = listener["operating_status"]
        for pool in listener["pools"]:
            out["pool"] = pool["operating_status"]
            for member in pool["members"]:
                out[member["id"]] = member["operating_status"]
    return out


def test_member_down_then_up_is_reported(rig: Rig, balancer: dict, dataplane: Dataplane, api: Api) -> None:
    lb_id, m1, m2 = balancer["lb"], balancer["members"]["m1"], balancer["members"]["m2"]

    def all_online() -> bool:
        s = statuses(api, lb_id)
        return s.get(m1) == s.get(m2) == s.get("pool") == s.get("listener") == s.get("lb") == "ONLINE"

    wait_for("heartbeats to report everything ONLINE", all_online, 20, 0.5)

    dataplane.stop_member("m2")
    started = time.monotonic()

    def m2_error() -> bool:
        s = statuses(api, lb_id)
        return s.get(m2) == "ERROR" and s.get("pool") == "DEGRADED" and s.get(m1) == "ONLINE"

    # HAProxy needs ~2 s (inter 1 s, fall) to see it, then at most one heartbeat interval plus a flush.
    wait_for("member ERROR and pool DEGRADED", m2_error, 10, 0.25)
    print(f"member DOWN reported after {time.monotonic() - started:.1f} s")
    assert statuses(api, lb_id)["lb"] == "DEGRADED"

    dataplane.start_member("m2", rig.net.host(MEMBER2_HOST), host=dataplane.ns("m2"), key="m2-again")
    wait_for("member ONLINE again", all_online, 10, 0.25)


def amphora_pids(rig: Rig, amphora_id: str, lb_id: str) -> tuple[int, int, list[int]]:
    """The agent's and HAProxy master's PIDs from the amphora's pid files, and every PID in its namespace."""
    amphora_dir = rig.state_dir / "amphorae" / amphora_id
    agent = int((amphora_dir / "agent.pid").read_text().split()[0])
    haproxy = int((amphora_dir / "octavia" / lb_id / f"{lb_id}.pid").read_text().split()[0])
    namespace = rig.amp_prefix + amphora_id
    in_namespace = [int(p) for p in sh("ip", "netns", "pids", namespace).stdout.split() if p.isdigit()]
    assert agent in in_namespace and haproxy in in_namespace, (agent, haproxy, in_namespace)
    return agent, haproxy, in_namespace


class Prober:
    """A client that keeps sending requests through the VIP from its namespace, one per connection."""

    def __init__(self, dataplane: Dataplane, client: str, url: str) -> None:
        self.dataplane, self.client, self.url = dataplane, client, url
        self.results: list[tuple[float, bool]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            for result in self.dataplane.probe(self.client, self.url, 5, 0.5):
                self.results.append((time.monotonic(), result.get("status") == 200))

    def __enter__(self) -> "Prober":
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


def test_killed_amphora_is_failed_over_automatically(
    rig: Rig, balancer: dict, dataplane: Dataplane, cli: Cli, api: Api, octavia: OctaviaProcess
) -> None:
    lb_id = balancer["lb"]
    before = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
    assert len(before) == 1 and before[0]["status"] == "ALLOCATED", before
    old = before[0]["id"]
    old_namespace = rig.amp_prefix + old
    agent, haproxy, in_namespace = amphora_pids(rig, old, lb_id)

    with Prober(dataplane, balancer["client"], balancer["url"]) as prober:
        wait_for("the client to get answers", lambda: any(ok for _, ok in prober.results), 15, 0.2)
        killed_at = time.monotonic()
        for pid in [agent, haproxy] + [p for p in in_namespace if p not in (agent, haproxy)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        def replaced() -> list | None:
            amps = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)
            return amps if len(amps) == 1 and amps[0]["id"] != old and amps[0]["status"] == "ALLOCATED" else None

        after = wait_for("the health manager to replace the amphora", replaced, 90, 1.0)
        api.wait_lb(lb_id)
        wait_for("traffic through the VIP again",
                 lambda: any(ok for t, ok in prober.results if t > killed_at + 1 and ok), 60, 0.5)
        recovered_at = min(t for t, ok in prober.results if t > killed_at + 1 and ok)
    print(f"automatic failover: traffic back {recovered_at - killed_at:.1f} s after the kill")

    failures = [t for t, ok in prober.results if not ok and t > killed_at]
    assert failures, "the client never noticed the dead amphora (were the right processes killed?)"
    counts = dataplane.tally(dataplane.probe(balancer["client"], balancer["url"], 10))
    assert set(counts) <= {"m1", "m2"} and sum(counts.values()) == 10, counts

    assert after[0]["id"] != old
    assert old_namespace not in namespaces_with_prefix(rig.amp_prefix)
    assert [rig.amp_prefix + after[0]["id"]] == namespaces_with_prefix(rig.amp_prefix)
    assert not any(process_alive(pid) for pid in in_namespace), "a killed amphora process is still alive"
    log = octavia.log_tail(400000)
    assert "amphora heartbeat timed out, failing it over" in log and old in log
    # The old amphora is gone from the amphora list, not left in ERROR.
    assert all(a["id"] != old for a in cli.json("loadbalancer", "amphora", "list"))


def test_heartbeat_from_octavias_own_python_code_is_accepted(rig: Rig, balancer: dict, cli: Cli, api: Api) -> None:
    try:
        from octavia.amphorae.backends.health_daemon import status_message  # type: ignore[import-not-found]
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the octavia package is required under CI (scripts/setup-test-deps.sh): {exc}")
        pytest.skip(f"octavia (OpenStack) is not installed in the test venv: {exc}")
    lb_id, pool_id, listener_id = balancer["lb"], balancer["pool"], balancer["listener"]
    amphora = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", lb_id)[0]["id"]
    m1, m2 = balancer["members"]["m1"], balancer["members"]["m2"]
    # What Octavia's health_daemon.build_stats_message returns: m2 reported DRAIN (UP at weight 0).
    message = {
        "id": amphora, "seq": 1, "ver": 3,
        "listeners": {listener_id: {"status": "OPEN",
                                    "stats": {"tx": 0, "rx": 0, "conns": 0, "totconns": 0, "ereq": 0}}},
        "pools": {f"{pool_id}:{listener_id}": {"status": "UP", "members": {m1: "UP", m2: "DRAIN"}}},
    }
    datagram = status_message.wrap_envelope(message, f"e2e-{rig.run_id}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def draining() -> bool:
        # The real amphora reports m2 UP again every second, so keep sending and catch the DRAINING moment.
        sock.sendto(datagram, ("127.0.0.1", rig.health_port))
        time.sleep(0.2)
        return statuses(api, lb_id).get(m2) == "DRAINING"

    with sock:
        wait_for("Octavia's own heartbeat to mark m2 DRAINING", draining, 10, 0.01)
    wait_for("the amphora's own heartbeat to put m2 back ONLINE", lambda: statuses(api, lb_id).get(m2) == "ONLINE", 10, 0.2)


# --- metrics ---------------------------------------------------------------------------------------

def scrape(port: int) -> dict[str, float]:
    """GET /metrics as {sample name with labels: value} (comments dropped)."""
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def total(samples: dict[str, float], name: str) -> float:
    """Sum of a metric over all its label sets."""
    return sum(v for k, v in samples.items() if k == name or k.startswith(name + "{"))


def forged_datagram() -> bytes:
    """A heartbeat envelope signed with the wrong key (zlib JSON + HMAC-SHA256 hex, as Octavia's)."""
    body = zlib.compress(json.dumps({"id": "forged", "seq": 1, "ver": 3, "listeners": {}, "pools": {}}).encode())
    return body + hmac.new(b"not-the-key", body, hashlib.sha256).hexdigest().encode()


def send_udp(port: int, datagram: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(datagram, ("127.0.0.1", port))


def assert_heartbeat_metrics(port: int, health_port: int, what: str) -> dict[str, float]:
    """Heartbeats accepted, a forged one rejected as such, and the latency histogram, on one endpoint."""
    wait_for(f"{what}: accepted heartbeats in /metrics",
             lambda: total(scrape(port), "octavia_health_heartbeats_accepted_total") > 0, 20, 0.5)
    def bad_hmac(samples: dict[str, float]) -> float:
        return sum(v for k, v in samples.items()
                   if k.startswith("octavia_health_heartbeats_rejected_total{") and 'reason="invalid_hmac"' in k)

    before = bad_hmac(scrape(port))

    def rejected() -> dict[str, float] | None:
        send_udp(health_port, forged_datagram())
        time.sleep(0.2)
        samples = scrape(port)
        return samples if bad_hmac(samples) > before else None

    samples = wait_for(f"{what}: the forged datagram counted as rejected (invalid_hmac)", rejected, 10, 0.1)
    reasons = {k for k, v in samples.items() if k.startswith("octavia_health_heartbeats_rejected_total{") and v > 0}
    received = total(samples, "octavia_health_heartbeats_received_total")
    assert received >= total(samples, "octavia_health_heartbeats_accepted_total") + 1, samples
    assert total(samples, "octavia_health_heartbeat_processing_seconds_count") > 0, samples
    assert any(k.startswith("octavia_health_heartbeat_processing_seconds_bucket{") for k in samples), samples
    print(f"{what}: received {received:.0f}, rejected by reason {sorted(reasons)}")
    return samples


def test_all_in_one_metrics_show_heartbeats_rejects_latency_and_failovers(
    rig: Rig, balancer: dict, metrics_port: int, octavia: OctaviaProcess
) -> None:
    samples = assert_heartbeat_metrics(metrics_port, rig.health_port, "all-in-one")
    # The kill -9 test ran first in this module: the sweep started a failover and the worker finished it.
    assert total(samples, "octavia_health_failovers_started_total") >= 1, samples
    assert total(samples, "octavia_failovers_started_total") >= 1, samples
    assert total(samples, "octavia_failovers_succeeded_total") >= 1, samples
    assert total(samples, "octavia_failovers_failed_total") == 0, samples


def test_health_manager_alone_serves_its_own_metrics(rig: Rig, balancer: dict, cli: Cli) -> None:
    """`octavia health-manager` on the same database, its own UDP and metrics ports; noop drivers so
    it touches neither the local network nor the all-in-one's heartbeat socket, and a long
    heartbeat_timeout so its sweep never competes with the all-in-one's."""
    hm_udp, hm_metrics = free_udp_port(), free_port()
    text = rig.config_path.read_text()
    text = text.replace(f"bind_port = {rig.health_port}\n", f"bind_port = {hm_udp}\n", 1)
    text = text.replace("heartbeat_timeout = 4\n", "heartbeat_timeout = 3600\n", 1)
    text = text.replace("loadbalancer_topology = SINGLE\n", "loadbalancer_topology = SINGLE\n"
                        "compute_driver = compute_noop_driver\nnetwork_driver = network_noop_driver\n", 1)
    text += f"health_manager_port = {hm_metrics}\n"
    assert f"bind_port = {hm_udp}" in text and "heartbeat_timeout = 3600" in text and "compute_noop_driver" in text
    config = rig.state_dir / "health-manager-alone.conf"
    config.write_text(text)
    log_path = rig.state_dir / "health-manager-alone.log"
    rig.logs.append(log_path)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(OCTAVIA_BIN), "health-manager", "--config-file", str(config)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=rig.state_dir,
                                start_new_session=True)
    try:
        def up() -> bool:
            assert proc.poll() is None, f"octavia health-manager exited with {proc.returncode}"
            try:
                return "octavia_health_heartbeats_received_total" in requests.get(
                    f"http://127.0.0.1:{hm_metrics}/metrics", timeout=2).text
            except requests.RequestException:
                return False

        wait_for("octavia health-manager's /metrics", up, 30, 0.2)
        # The real amphora reports to the all-in-one; send this one the same state, signed with the real key.
        amphora = cli.json("loadbalancer", "amphora", "list", "--loadbalancer", balancer["lb"])[0]["id"]
        pool, listener = balancer["pool"], balancer["listener"]
        message = {"id": amphora, "seq": 1, "ver": 3,
                   "listeners": {listener: {"status": "OPEN", "stats": {"tx": 0, "rx": 0, "conns": 0, "totconns": 0,
                                                                        "ereq": 0}}},
                   "pools": {f"{pool}:{listener}": {"status": "UP",
                                                    "members": {m: "UP" for m in balancer["members"].values()}}}}
        body = zlib.compress(json.dumps(message).encode())
        genuine = body + hmac.new(f"e2e-{rig.run_id}".encode(), body, hashlib.sha256).hexdigest().encode()

        def accepted() -> bool:
            send_udp(hm_udp, genuine)
            time.sleep(0.2)
            return total(scrape(hm_metrics), "octavia_health_heartbeats_accepted_total") > 0

        wait_for("the standalone health manager to accept a heartbeat", accepted, 10, 0.1)
        assert_heartbeat_metrics(hm_metrics, hm_udp, "health-manager alone")
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    assert proc.returncode in (0, -signal.SIGTERM), f"octavia health-manager exited with {proc.returncode}"
