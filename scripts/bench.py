#!/usr/bin/env python3
"""Benchmark: prints the figures for the closing note of issue #1 (numbers only, no assertions).

Figures (each printed with how it was measured):
  1. POST /v2/lbaas/loadbalancers -> ACTIVE with a real local amphora (N sequential creates).
  2. listener + pool + 3 members -> first HTTP 200 through the VIP from a client namespace.
  3. API requests/s (create/show/list/delete) at concurrency 1 and 8, on a SECOND all-in-one
     with the noop drivers, so namespaces do not bound the API.
  4. wrk through the VIP vs the same HAProxy binary with a minimal hand-written config.

It reuses the e2e rig (tests/e2e/rig.py, tests/e2e/dataplane.py). Every namespace and process
it creates carries the run's unique prefix or was started here; cleanup kills by PID only and
runs on failure, Ctrl-C, SIGTERM and when the overall time budget runs out.

Run it through scripts/bench.sh (installs wrk/nginx-light, uses .venv), as root.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import pytest  # noqa: E402  (the rig's wait_for fails through pytest.fail)
import requests  # noqa: E402

from dataplane import Dataplane, namespaces_with_prefix, sh  # noqa: E402
from rig import AGENT_BIN, OCTAVIA_BIN, OctaviaProcess, Rig, wait_for  # noqa: E402

# The rig's wait_for/start report problems with pytest.fail, which is a BaseException.
RigFailure = pytest.fail.Exception

CLIENT_HOST, BASELINE_HOST = 10, 20
MEMBERS = {"m1": 11, "m2": 12, "m3": 13}
NOOP_DRIVERS = ("compute_driver = compute_noop_driver\n"
                "network_driver = network_noop_driver\n"
                "amphora_driver = amphora_noop_driver\n")


class BudgetExceeded(BaseException):
    """The whole run went over --budget seconds (a BaseException: it ends the run, not one figure)."""


class Interrupted(BaseException):
    """SIGTERM (Ctrl-C arrives as KeyboardInterrupt)."""


# --------------------------------------------------------------------------- rigs


@dataclass
class BenchRig(Rig):
    """The e2e rig's config with `debug = false` and the default [job_queue] (as scripts/run.sh)."""

    debug: bool = False
    haproxy_max_connections: int | None = None

    def render_config(self) -> str:
        text = super().render_config()
        if not self.debug:
            text = text.replace("debug = true", "debug = false", 1)
        if self.haproxy_max_connections is not None:
            text = text.replace("[local_compute]\n",
                                f"[local_compute]\nhaproxy_max_connections = {self.haproxy_max_connections}\n", 1)
        return re.sub(r"\[job_queue\]\n(?:[^\[\n][^\n]*\n)*\n?", "", text)


@dataclass
class NoopBenchRig(BenchRig):
    """Same, with Octavia's noop compute/network/amphora drivers: nothing is built on the host."""

    def render_config(self) -> str:
        return super().render_config().replace("[controller_worker]\n", "[controller_worker]\n" + NOOP_DRIVERS, 1)


def log_errors(rig: Rig, limit: int = 4) -> list[str]:
    """The last `error` lines of the run's octavia logs: where a failing figure broke."""
    lines: list[str] = []
    for path in rig.logs:
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        lines += [line.strip() for line in text.splitlines() if " error " in line or "error=" in line]
    return lines[-limit:]


def make_rig(cls: type[BenchRig], base: Path, debug: bool, haproxy_max_connections: int | None = None) -> BenchRig:
    rig = cls.create(base)
    rig.debug, rig.haproxy_max_connections = debug, haproxy_max_connections
    rig.config_path.write_text(rig.render_config())
    return rig


# --------------------------------------------------------------------------- helpers


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": round(statistics.median(values), 1), "min": round(min(values), 1),
            "max": round(max(values), 1)}


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100 * (len(sorted_values) - 1)))))
    return sorted_values[k]


class Client:
    """Plain requests against /v2/lbaas (the path the brief names)."""

    def __init__(self, rig: Rig, session: requests.Session | None = None) -> None:
        self.base = rig.endpoint + "/v2/lbaas"
        self.s = session or requests.Session()
        self.s.headers.update({"Accept": "application/json"})

    def post(self, path: str, body: Any) -> requests.Response:
        return self.s.post(self.base + path, json=body, timeout=30)

    def get(self, path: str) -> requests.Response:
        return self.s.get(self.base + path, timeout=30)

    def delete(self, path: str) -> requests.Response:
        return self.s.delete(self.base + path, timeout=30)

    def lb_status(self, lb_id: str) -> str | None:
        r = self.get(f"/loadbalancers/{lb_id}")
        if r.status_code == 404:
            return None
        r.raise_for_status()
        return r.json()["loadbalancer"]["provisioning_status"]

    def wait_lb(self, lb_id: str, wanted: str | None, timeout: float, interval: float) -> float:
        """Polls GET every `interval` until the LB is `wanted` (None = gone); returns the monotonic time seen."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.lb_status(lb_id)
            now = time.monotonic()
            if status == wanted:
                return now
            if status == "ERROR":
                raise RuntimeError(f"load balancer {lb_id} went to ERROR (waiting for {wanted or 'deleted'})")
            if now > deadline:
                raise RuntimeError(f"load balancer {lb_id} not {wanted or 'deleted'} after {timeout:.0f}s "
                                   f"(last status {status})")
            time.sleep(interval)

    def create_child(self, path: str, body: Any, lb_id: str, timeout: float, interval: float) -> dict:
        """POST a child object (retrying 409 while the LB is busy), then wait for the LB to be ACTIVE;
        fails if the child itself ended in ERROR (the LB goes back to ACTIVE after a failed change)."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.post(path, body)
            if r.status_code == 409 and time.monotonic() < deadline:
                time.sleep(interval)
                continue
            if r.status_code not in (200, 201, 202):
                raise RuntimeError(f"POST {path} -> {r.status_code}: {r.text[:300]}")
            obj = next(iter(r.json().values()))
            self.wait_lb(lb_id, "ACTIVE", max(1.0, deadline - time.monotonic()), interval)
            shown = self.get(f"{path}/{obj['id']}")
            status = next(iter(shown.json().values())).get("provisioning_status") if shown.ok else shown.status_code
            if status != "ACTIVE":
                raise RuntimeError(f"POST {path}: LB is ACTIVE again but the new object is {status}")
            return obj


# --------------------------------------------------------------------------- figure 1


def figure1(rig: Rig, count: int, timeout: float) -> dict:
    """N sequential creates on the real drivers; each polled every 50 ms, then cascade-deleted."""
    c = Client(rig)
    times, delete_times = [], []
    for i in range(count):
        t0 = time.monotonic()
        r = c.post("/loadbalancers", {"loadbalancer": {"name": f"bench-f1-{i}", "vip_subnet_id": rig.net.subnet_id}})
        if r.status_code not in (201, 202):
            raise RuntimeError(f"create #{i}: POST -> {r.status_code}: {r.text[:300]}")
        lb_id = r.json()["loadbalancer"]["id"]
        try:
            t1 = c.wait_lb(lb_id, "ACTIVE", timeout, 0.05)
        except RuntimeError as exc:
            raise RuntimeError(f"create #{i} ({len(times)} succeeded before): {exc}") from None
        times.append(ms(t1 - t0))
        t2 = time.monotonic()
        r = c.delete(f"/loadbalancers/{lb_id}?cascade=true")
        if r.status_code not in (202, 204):
            raise RuntimeError(f"delete #{i}: DELETE -> {r.status_code}: {r.text[:300]}")
        delete_times.append(ms(c.wait_lb(lb_id, None, timeout, 0.05) - t2))
        print(f"  create #{i + 1}: {times[-1]:.0f} ms to ACTIVE, cascade delete {delete_times[-1]:.0f} ms to 404",
              flush=True)
    return {
        "method": f"{count} sequential POST /v2/lbaas/loadbalancers (vip_subnet_id of the local subnet, topology "
                  "SINGLE, real local amphora: netns + agent + HAProxy); time from sending the POST to the first "
                  "GET (polled every 50 ms) showing provisioning_status ACTIVE; each LB is then deleted with "
                  "cascade=true and waited for (404) before the next create",
        "create_to_active_ms": summary(times),
        "cascade_delete_to_404_ms": summary(delete_times),
        "samples_ms": times,
    }


# --------------------------------------------------------------------------- figure 2 and 4 topology

NGINX_CONF = """worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    keepalive_requests 100000;
    server {{
        listen {address}:80;
        location / {{ return 200 "{name}\\n"; }}
    }}
}}
"""

# A prober run inside the client namespace: a GET every `interval` until the first 200.
PROBER = r"""
import http.client, json, sys, time
host, interval, deadline = sys.argv[1], float(sys.argv[2]), time.monotonic() + float(sys.argv[3])
print(json.dumps({"ready": time.monotonic()}), flush=True)
attempts, last = 0, None
while time.monotonic() < deadline:
    started = time.monotonic()
    attempts += 1
    conn = http.client.HTTPConnection(host, 80, timeout=1.0)
    try:
        conn.request("GET", "/", headers={"Connection": "close"})
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace").strip()[:100]
        if resp.status == 200:
            print(json.dumps({"first_200": time.monotonic(), "attempts": attempts, "body": body}), flush=True)
            sys.exit(0)
        last = "HTTP %d" % resp.status
    except Exception as exc:
        last = type(exc).__name__
    finally:
        conn.close()
    time.sleep(max(0.0, interval - (time.monotonic() - started)))
print(json.dumps({"timeout": True, "attempts": attempts, "last": last}), flush=True)
sys.exit(1)
"""


class Topology:
    """Client + 3 nginx members on the run's bridge (through the e2e Dataplane, so its cleanup covers them)."""

    def __init__(self, rig: Rig, plane: Dataplane) -> None:
        self.rig, self.plane = rig, plane
        self.client = ""
        self.baseline_ns = ""
        self.baseline_address = rig.net.host(BASELINE_HOST)

    def start(self) -> None:
        rig, plane, net = self.rig, self.plane, self.rig.net
        plane.wait_bridge()
        self.client = plane.add_host("client", net.host(CLIENT_HOST))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        for name, last in MEMBERS.items():
            address = net.host(last)
            ns = plane.add_host(name, address)
            d = rig.state_dir / f"nginx-{name}"
            (d / "tmp").mkdir(parents=True, exist_ok=True)
            (d / "nginx.conf").write_text(NGINX_CONF.format(dir=d, address=address, name=name))
            log = open(rig.state_dir / f"member-{name}.log", "wb")
            # Foreground master, so the PID we hold is nginx's own; workers die with the namespace cleanup.
            plane.procs[name] = subprocess.Popen(
                ["ip", "netns", "exec", ns, nginx, "-p", str(d), "-c", str(d / "nginx.conf"), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
        for name, last in MEMBERS.items():
            wait_for(f"nginx member {name} answering", lambda last=last, name=name:
                     plane.probe(self.client, f"http://{net.host(last)}/", 1, 1.0)[0].get("body") == name, 20, 0.2)

    def probe_first_200(self, host: str, interval: float, timeout: float) -> subprocess.Popen[str]:
        """Starts the prober; returns once it is running (its first line is read)."""
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.client, sys.executable, "-c", PROBER, host, str(interval), str(timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()
        return proc

    def start_baseline(self, haproxy: str) -> dict:
        """The same HAProxy binary, hand-written minimal config, own namespace on the same bridge."""
        rig, plane = self.rig, self.plane
        self.baseline_ns = plane.add_host("base", self.baseline_address)
        servers = "\n".join(f"    server {n} {rig.net.host(last)}:80" for n, last in MEMBERS.items())
        cfg = rig.state_dir / "minimal.cfg"
        cfg.write_text(f"""defaults
    mode http
    timeout connect 5s
    timeout client 50s
    timeout server 50s
frontend fe
    bind {self.baseline_address}:80
    default_backend be
backend be
    balance roundrobin
{servers}
""")
        log = open(rig.state_dir / "baseline-haproxy.log", "wb")
        plane.procs["baseline-haproxy"] = subprocess.Popen(
            ["ip", "netns", "exec", self.baseline_ns, haproxy, "-db", "-f", str(cfg)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        wait_for("baseline haproxy answering", lambda: plane.probe(self.client, f"http://{self.baseline_address}/",
                                                                     1, 1.0)[0].get("status") == 200, 20, 0.2)
        return {"binary": haproxy, "config": cfg.read_text()}


def amphora_haproxy(rig: Rig) -> tuple[str | None, list[str], str | None]:
    """(binary, argv, config text) of the HAProxy running in the run's amphora namespace, from /proc."""
    for ns in namespaces_with_prefix(rig.amp_prefix):
        for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
            try:
                exe = os.readlink(f"/proc/{pid}/exe")
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").rstrip("\0").split("\0")
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                continue
            if "haproxy" not in Path(exe).name:
                continue
            text = None
            if "-f" in argv[:-1]:
                try:
                    # Through /proc/<pid>/root: the agent may give HAProxy its own mount namespace.
                    path = Path(cwd) / argv[argv.index("-f") + 1]
                    text = (Path(f"/proc/{pid}/root") / str(path).lstrip("/")).read_text()
                except OSError as exc:
                    text = f"(unreadable: {exc})"
            return exe, argv, text
    return None, [], None


# --------------------------------------------------------------------------- figure 2


def figure2(rig: Rig, topo: Topology, timeout: float) -> tuple[dict, str, str]:
    """Listener + pool + 3 members on an ACTIVE LB until the first 200; returns (result, lb_id, vip)."""
    c = Client(rig)
    r = c.post("/loadbalancers", {"loadbalancer": {"name": "bench-f2", "vip_subnet_id": rig.net.subnet_id}})
    if r.status_code not in (201, 202):
        raise RuntimeError(f"create LB: POST -> {r.status_code}: {r.text[:300]}")
    lb = r.json()["loadbalancer"]
    lb_id = lb["id"]
    c.wait_lb(lb_id, "ACTIVE", timeout, 0.05)
    vip = c.get(f"/loadbalancers/{lb_id}").json()["loadbalancer"]["vip_address"]

    prober = topo.probe_first_200(vip, 0.02, timeout)
    t0 = time.monotonic()
    marks: dict[str, float] = {}
    listener = c.create_child("/listeners", {"listener": {"name": "bench-l", "protocol": "HTTP", "protocol_port": 80,
                                                          "loadbalancer_id": lb_id}}, lb_id, timeout, 0.02)
    marks["listener_active"] = time.monotonic()
    pool = c.create_child("/pools", {"pool": {"name": "bench-p", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                              "listener_id": listener["id"]}}, lb_id, timeout, 0.02)
    marks["pool_active"] = time.monotonic()
    for name, last in MEMBERS.items():
        c.create_child(f"/pools/{pool['id']}/members",
                       {"member": {"name": name, "address": rig.net.host(last), "protocol_port": 80,
                                   "subnet_id": rig.net.subnet_id}}, lb_id, timeout, 0.02)
        marks[f"member_{name}_active"] = time.monotonic()
    try:
        out, err = prober.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        prober.kill()
        out, err = prober.communicate()
    result = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    if "first_200" not in result:
        raise RuntimeError(f"no 200 through the VIP {vip} within {timeout:.0f}s: {result} {err[-300:]}")
    return {
        "method": "on an ACTIVE LB (real amphora) with 3 nginx members already answering: POST listener (HTTP:80), "
                  "wait ACTIVE, POST pool (HTTP, ROUND_ROBIN), wait ACTIVE, POST 3 members one by one, each waited "
                  "ACTIVE (GET every 20 ms; a 409 while busy is retried every 20 ms); a prober in the client "
                  "namespace sends GET http://VIP/ on a new connection every 20 ms. t0 = just before the listener "
                  "POST; times are CLOCK_MONOTONIC in both processes",
        "first_200_ms": ms(result["first_200"] - t0),
        "all_api_objects_active_ms": ms(max(marks.values()) - t0),
        "steps_ms": {k: ms(v - t0) for k, v in marks.items()},
        "prober_attempts": result["attempts"],
        "first_body": result["body"],
    }, lb_id, vip


# --------------------------------------------------------------------------- figure 3


def concurrent(op: Callable[[requests.Session, Any], tuple[bool, str]], items: list[Any], concurrency: int,
               time_limit: float) -> dict:
    """Runs op over items with `concurrency` threads (one requests.Session each), bounded by time."""
    lock, stop = threading.Lock(), threading.Event()
    queue = list(reversed(items))
    latencies: list[float] = []
    errors: Counter[str] = Counter()

    def worker() -> None:
        with requests.Session() as s:
            s.headers.update({"Accept": "application/json"})
            while not stop.is_set():
                with lock:
                    if not queue:
                        return
                    item = queue.pop()
                t = time.perf_counter()
                try:
                    ok, what = op(s, item)
                except requests.RequestException as exc:
                    ok, what = False, type(exc).__name__
                dt = time.perf_counter() - t
                with lock:
                    if ok:
                        latencies.append(dt)
                    else:
                        errors[what] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.perf_counter()))
    finally:
        stop.set()
    for t in threads:
        t.join(35)  # at most one request (30 s timeout) in flight per thread
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "concurrency": concurrency, "requested": len(items), "ok": len(latencies), "errors": dict(errors),
        "seconds": round(elapsed, 3), "req_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "latency_ms_p50": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
        "latency_ms_p99": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        "time_bounded": len(latencies) + sum(errors.values()) < len(items),
    }


def wait_settled(c: Client, timeout: float) -> dict[str, int]:
    """Waits until no LB is PENDING_*; returns counts by provisioning_status."""
    deadline = time.monotonic() + timeout
    while True:
        r = c.get("/loadbalancers?fields=id,provisioning_status&limit=1000")
        r.raise_for_status()
        counts = Counter(lb["provisioning_status"] for lb in r.json()["loadbalancers"])
        if not any(k.startswith("PENDING") for k in counts) or time.monotonic() > deadline:
            return dict(counts)
        time.sleep(0.2)


def figure3(rig: Rig, count: int, time_limit: float) -> dict:
    base = rig.endpoint + "/v2/lbaas/loadbalancers"
    subnet = rig.net.subnet_id
    created: dict[int, list[str]] = {1: [], 8: []}
    seed: list[str] = []

    def create_into(bucket: list[str]) -> Callable[[requests.Session, Any], tuple[bool, str]]:
        def op(s: requests.Session, i: Any) -> tuple[bool, str]:
            r = s.post(base, json={"loadbalancer": {"name": f"bench-f3-{i}", "vip_subnet_id": subnet}}, timeout=30)
            if r.status_code in (201, 202):
                bucket.append(r.json()["loadbalancer"]["id"])  # list.append is atomic
                return True, ""
            return False, f"HTTP {r.status_code}"
        return op

    def show(s: requests.Session, lb_id: Any) -> tuple[bool, str]:
        r = s.get(f"{base}/{lb_id}", timeout=30)
        return r.status_code == 200, f"HTTP {r.status_code}"

    list_sizes: Counter[int] = Counter()

    def list_op(s: requests.Session, _: Any) -> tuple[bool, str]:
        r = s.get(f"{base}?limit=100", timeout=30)
        if r.status_code != 200:
            return False, f"HTTP {r.status_code}"
        list_sizes[len(r.json()["loadbalancers"])] += 1
        return True, ""

    def delete(s: requests.Session, lb_id: Any) -> tuple[bool, str]:
        r = s.delete(f"{base}/{lb_id}", timeout=30)
        return r.status_code in (202, 204), f"HTTP {r.status_code}"

    c = Client(rig)
    results: list[dict] = []

    def record(op: str, res: dict, note: str = "") -> None:
        res = {"op": op, **res, **({"note": note} if note else {})}
        results.append(res)
        print(f"  {op:7} c={res['concurrency']}: {res['ok']}/{res['requested']} ok in {res['seconds']}s = "
              f"{res['req_per_s']} req/s (p50 {res['latency_ms_p50']} ms, p99 {res['latency_ms_p99']} ms)"
              f"{' errors ' + str(res['errors']) if res['errors'] else ''}", flush=True)

    # 100 LBs that exist during show/list; created at c=8, not measured.
    concurrent(create_into(seed), [f"seed-{i}" for i in range(100)], 8, 120)
    settled = wait_settled(c, 60)
    present = sum(settled.values())
    for conc in (1, 8):
        record("show", concurrent(show, [seed[i % len(seed)] for i in range(count)], conc, time_limit),
               f"{present} LBs present")
    for conc in (1, 8):
        record("list", concurrent(list_op, list(range(count)), conc, time_limit),
               f"GET ?limit=100 with {present} LBs present")
    for conc in (1, 8):
        record("create", concurrent(create_into(created[conc]), [f"c{conc}-{i}" for i in range(count)], conc,
                                    time_limit), "201 = accepted (PENDING_CREATE); the worker builds it afterwards")
    settled = wait_settled(c, 120)
    for conc in (1, 8):
        record("delete", concurrent(delete, created[conc], conc, time_limit),
               "204 = accepted (PENDING_DELETE) on ACTIVE LBs made by the create phase")
    # Unmeasured: the seed LBs and anything left.
    concurrent(delete, seed, 8, 120)
    return {
        "method": "second `octavia all-in-one` with compute_noop_driver / network_noop_driver / amphora_noop_driver "
                  "(nothing is built on the host, so the API is not bounded by namespaces). Python threads, one "
                  "requests.Session (keep-alive) per thread, a fixed count per op, each phase also bounded by time. "
                  "100 seed LBs are created first (unmeasured) for show/list; list = GET "
                  "/v2/lbaas/loadbalancers?limit=100. create/delete measure the API answer (201/204), not the "
                  "worker's job. The Python client runs on the same CPUs as the server",
        "count_per_op": count,
        "time_limit_per_phase_s": time_limit,
        "lbs_present_for_show_list": present,
        "list_page_sizes": dict(list_sizes),
        "status_before_delete": settled,
        "results": results,
    }


# --------------------------------------------------------------------------- figure 5

def vm_kib(pid: int, key: str) -> int | None:
    """VmRSS / VmHWM of a process in KiB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def seed_load_balancers(db: Path, project: str, subnet: str, count: int) -> None:
    """Writes `count` ACTIVE load balancers straight into the (migrated) SQLite file while the
    server is stopped: 10,000 creates through the API would measure the worker, not the list."""
    import sqlite3
    import uuid as uuidlib
    now = time.time()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO load_balancer (id, project_id, name, description, admin_state_up, provisioning_status, "
            "operating_status, vip_address, vip_network_id, vip_subnet_id, vip_port_id, provider, topology, tags, "
            "created_at) VALUES (?, ?, ?, NULL, 1, ?, 'ONLINE', ?, NULL, ?, NULL, 'amphora', 'SINGLE', '[]', ?)",
            [(str(uuidlib.uuid4()), project, f"lb-{i:05d}", "ACTIVE" if i % 10 else "ERROR",
              f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", subnet, now + i * 0.001) for i in range(count)])


def figure5(rig: Rig, count: int, requests_per_run: int, time_limit: float) -> dict:
    """List with filter + sort + limit over a big table, at concurrency 8, and the API's memory."""
    proc = OctaviaProcess(rig)
    proc.start()
    proc.stop()  # migrations applied; now seed the stopped database
    seed_load_balancers(rig.state_dir / "octavia.db", "bench-project", rig.net.subnet_id, count)
    proc = OctaviaProcess(rig)
    proc.start()
    try:
        pid = proc.proc.pid
        rss_before = vm_kib(pid, "VmRSS")
        base = rig.endpoint + "/v2/lbaas/loadbalancers"
        query = "?provisioning_status=ACTIVE&sort=name:desc&limit=100"
        sizes: Counter[int] = Counter()

        def list_op(s: requests.Session, _: Any) -> tuple[bool, str]:
            r = s.get(base + query, timeout=30)
            if r.status_code != 200:
                return False, f"HTTP {r.status_code}"
            sizes[len(r.json()["loadbalancers"])] += 1
            return True, ""

        marker_pages: list[int] = []

        def deep_page(s: requests.Session, i: Any) -> tuple[bool, str]:
            # A page far into the table: marker = the 100*i-th LB of the whole sorted walk.
            r = s.get(f"{base}?limit=100&marker={i}", timeout=30)
            if r.status_code != 200:
                return False, f"HTTP {r.status_code}"
            marker_pages.append(len(r.json()["loadbalancers"]))
            return True, ""

        result = concurrent(list_op, list(range(requests_per_run)), 8, time_limit)
        ids = [lb["id"] for lb in requests.get(f"{base}?fields=id&limit=infinite", timeout=60).json()["loadbalancers"]]
        markers = [ids[(i * 997) % len(ids)] for i in range(requests_per_run)]
        deep = concurrent(deep_page, markers, 8, time_limit)
        return {
            "method": f"noop all-in-one; {count} LBs written straight into its SQLite file while it was stopped "
                      f"(90% ACTIVE); then GET {query} with 8 threads (one keep-alive session each), and "
                      "GET ?limit=100&marker=<an id deep in the table> with 8 threads; memory from /proc/<pid>/status "
                      "of the octavia process (VmRSS before, VmHWM = peak resident set since start)",
            "load_balancers": count,
            "filter_sort_limit": result,
            "page_sizes": dict(sizes),
            "marker_pages": deep,
            "rss_kib_before": rss_before,
            "rss_kib_peak": vm_kib(pid, "VmHWM"),
        }
    finally:
        proc.stop()


# --------------------------------------------------------------------------- figure 4

UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(text: str) -> dict:
    def latency(p: str) -> float | None:
        m = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        return round(float(m.group(1)) * UNIT[m.group(2)], 3) if m else None

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "req_per_s": float(rps.group(1)) if rps else None,
        "requests": int(total.group(1)) if total else None,
        "p50_ms": latency("50"), "p99_ms": latency("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": dict(zip(("connect", "read", "write", "timeout"), map(int, sock.groups()))) if sock else {},
    }


def figure4(rig: Rig, topo: Topology, vip: str, rounds: int, duration: int) -> dict:
    exe, amp_argv, amp_config_text = amphora_haproxy(rig)
    haproxy = exe or shutil.which("haproxy") or "/usr/sbin/haproxy"
    baseline = topo.start_baseline(haproxy)
    targets = {"ours": vip, "baseline": topo.baseline_address}
    runs: dict[str, list[dict]] = {"ours": [], "baseline": []}
    for rnd in range(rounds):
        for name, host in targets.items():
            p = subprocess.run(["ip", "netns", "exec", topo.client, "wrk", "-t2", "-c32", f"-d{duration}s",
                                "--latency", f"http://{host}/"], capture_output=True, text=True,
                               timeout=duration + 60)
            if p.returncode != 0:
                raise RuntimeError(f"wrk against {name} -> rc {p.returncode}: {p.stderr[-300:]}")
            runs[name].append(parse_wrk(p.stdout))
            r = runs[name][-1]
            print(f"  round {rnd + 1} {name:8}: {r['req_per_s']} req/s p50 {r['p50_ms']} ms p99 {r['p99_ms']} ms "
                  f"non-2xx {r['non_2xx']} sock {r['socket_errors']}", flush=True)

    def agg(name: str) -> dict:
        rs = runs[name]
        socket_errors: Counter[str] = Counter()
        for r in rs:
            socket_errors.update(r["socket_errors"])
        return {
            "median_req_per_s": statistics.median(r["req_per_s"] for r in rs),
            "median_p50_ms": statistics.median(r["p50_ms"] for r in rs),
            "median_p99_ms": statistics.median(r["p99_ms"] for r in rs),
            "non_2xx_total": sum(r["non_2xx"] for r in rs),
            "socket_errors_total": dict(socket_errors),
            "rounds": rs,
        }

    ours, base = agg("ours"), agg("baseline")
    return {
        "method": f"wrk -t2 -c32 -d{duration}s --latency http://<target>/ from the client namespace; targets "
                  f"interleaved (ours, baseline) x {rounds} rounds; ours = the VIP of the LB from figure 2 "
                  "(listener HTTP:80, ROUND_ROBIN pool, 3 nginx members, amphora HAProxy config as rendered); "
                  "baseline = the same HAProxy binary, `haproxy -db -f minimal.cfg` in its own namespace on the same "
                  "bridge, mode http, balance roundrobin, the 3 servers, only the 3 timeouts added; members are "
                  "nginx `return 200 \"mN\\n\"`, one worker each; everything shares the same CPUs",
        "haproxy_binary": haproxy,
        "haproxy_binary_from": "amphora process /proc/<pid>/exe" if exe else "PATH (amphora HAProxy not found)",
        "ours": ours,
        "baseline": base,
        "ratio_req_per_s": round(ours["median_req_per_s"] / base["median_req_per_s"], 3)
        if base["median_req_per_s"] else None,
        "amphora_haproxy_argv": amp_argv,
        "baseline_config": baseline["config"],
        "amphora_config": amp_config_text,
    }


# --------------------------------------------------------------------------- output


def print_table(report: dict) -> None:
    f = report["figures"]
    print("\n" + "=" * 100)
    print(f"Swift Octavia benchmark  {report['started']}  host: {report['host']['cpus']} CPUs, "
          f"load avg {report['host']['loadavg_start']} -> {report['host'].get('loadavg_end')}")
    print("=" * 100)
    b = report["binaries"]
    print(f"binaries: octavia {b['octavia_mtime']}, amphora-agent {b['amphora_agent_mtime']}"
          f"{' (OLDER THAN THE SOURCES)' if b['older_than_sources'] else ''}; git HEAD {report['git_head']}")
    if report["config_overrides"]:
        print(f"config overrides (real all-in-one): {report['config_overrides']}")

    def failed(key: str) -> bool:
        if key not in f:
            print("  (not run: run aborted)" if "aborted" in report else "  (not run)")
            return True
        if "error" in f[key]:
            print(f"  FAILED: {f[key]['error']}")
            return True
        return False

    print("\n[1] POST /v2/lbaas/loadbalancers -> ACTIVE, real local amphora")
    if not failed("1"):
        x = f["1"]
        s, d = x["create_to_active_ms"], x["cascade_delete_to_404_ms"]
        print(f"  create -> ACTIVE: median {s['median']:.0f} ms (min {s['min']:.0f}, max {s['max']:.0f}), n={s['n']}")
        print(f"  cascade delete -> 404: median {d['median']:.0f} ms (min {d['min']:.0f}, max {d['max']:.0f})")
        print(f"  how: {x['method']}")

    print("\n[2] listener + pool + 3 members -> first HTTP 200 through the VIP")
    if not failed("2"):
        x = f["2"]
        print(f"  first 200 after {x['first_200_ms']:.0f} ms (all API objects ACTIVE after "
              f"{x['all_api_objects_active_ms']:.0f} ms; steps {x['steps_ms']})")
        print(f"  how: {x['method']}")

    print("\n[3] API requests/s (NOOP DRIVERS: a second all-in-one, nothing built on the host)")
    if not failed("3"):
        x = f["3"]
        print(f"  {'op':8}{'conc':>5}{'ok/req':>11}{'seconds':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors")
        for r in x["results"]:
            print(f"  {r['op']:8}{r['concurrency']:>5}{str(r['ok']) + '/' + str(r['requested']):>11}"
                  f"{r['seconds']:>9.2f}{r['req_per_s']:>9.1f}{r['latency_ms_p50'] or 0:>9.2f}"
                  f"{r['latency_ms_p99'] or 0:>9.2f}  {r['errors'] or ''}")
        print(f"  list page sizes seen: {x['list_page_sizes']}; LBs present for show/list: "
              f"{x['lbs_present_for_show_list']}")
        print(f"  how: {x['method']}")

    print("\n[5] list with filter + sort + limit on a big table (NOOP DRIVERS), concurrency 8")
    if "5" in f and not failed("5"):
        x = f["5"]
        for label, r in (("filter+sort+limit", x["filter_sort_limit"]), ("deep marker page", x["marker_pages"])):
            print(f"  {label:18} {r['ok']}/{r['requested']} ok, {r['req_per_s']} req/s, p50 {r['latency_ms_p50']} ms, "
                  f"p99 {r['latency_ms_p99']} ms {r['errors'] or ''}")
        print(f"  {x['load_balancers']} LBs; page sizes {x['page_sizes']}; API process RSS {x['rss_kib_before']} KiB "
              f"before, peak {x['rss_kib_peak']} KiB")
        print(f"  how: {x['method']}")

    print("\n[4] HTTP through the VIP vs the same HAProxy with a minimal config (wrk)")
    if not failed("4"):
        x = f["4"]
        print(f"  {'target':10}{'median req/s':>14}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  socket errors")
        for name in ("ours", "baseline"):
            a = x[name]
            print(f"  {name:10}{a['median_req_per_s']:>14.0f}{a['median_p50_ms']:>9.2f}{a['median_p99_ms']:>9.2f}"
                  f"{a['non_2xx_total']:>9}  {a['socket_errors_total'] or 0}")
        print(f"  ratio ours/baseline (median req/s): {x['ratio_req_per_s']}")
        print(f"  haproxy: {x['haproxy_binary']} ({x['haproxy_binary_from']})")
        print(f"  how: {x['method']}")
    print()


# --------------------------------------------------------------------------- main


def newest_source_mtime() -> float:
    paths = [REPO / "Package.swift", *(REPO / "Sources").rglob("*.swift")]
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def octavia_version(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(st.st_mtime))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="JSON output (default state/bench-<timestamp>.json)")
    ap.add_argument("--figures", default="1,2,3,4,5", help="which figures to run, e.g. 3 or 1,2,4 (default all)")
    ap.add_argument("--big-table", type=int, default=10000, help="figure 5: load balancers in the table")
    ap.add_argument("--creates", type=int, default=10, help="figure 1: sequential creates (default 10)")
    ap.add_argument("--api-count", type=int, default=200, help="figure 3: requests per op and concurrency")
    ap.add_argument("--api-phase-seconds", type=float, default=20, help="figure 3: time bound per phase")
    ap.add_argument("--rounds", type=int, default=3, help="figure 4: interleaved wrk rounds per target")
    ap.add_argument("--wrk-seconds", type=int, default=5, help="figure 4: wrk -d")
    ap.add_argument("--timeout", type=float, default=60, help="figures 1/2: bound for one LB to become ACTIVE")
    ap.add_argument("--budget", type=float, default=570, help="whole run bound in seconds (default 570)")
    ap.add_argument("--haproxy-max-connections", type=int, metavar="N",
                    help="set [local_compute] haproxy_max_connections (default: the product's default)")
    ap.add_argument("--debug-logs", action="store_true", help="run octavia with debug = true")
    ap.add_argument("--keep", action="store_true", help="keep the state directories (logs) even on success")
    args = ap.parse_args()
    figures = {x.strip() for x in args.figures.split(",") if x.strip()}

    if os.geteuid() != 0:
        print("bench.py needs root (network namespaces); run scripts/bench.sh", file=sys.stderr)
        return 2
    for binary in [OCTAVIA_BIN] + ([AGENT_BIN] if figures & {"1", "2", "4"} else []):
        if not binary.exists():
            print(f"{binary} is missing: swift build --product octavia --product amphora-agent", file=sys.stderr)
            return 2
    need = (["wrk", "nginx"] if "4" in figures else []) + (["haproxy"] if figures & {"1", "2", "4"} else [])
    missing = [b for b in need if not (shutil.which(b) or Path("/usr/sbin", b).exists())]
    if missing:
        print(f"missing tools: {missing} (scripts/bench.sh installs them)", file=sys.stderr)
        return 2

    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = args.out or REPO / "state" / f"bench-{stamp}.json"
    base = Path(tempfile.mkdtemp(prefix="octavia-bench-"))
    report: dict[str, Any] = {
        "started": stamp,
        "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:]),
        "host": {"cpus": os.cpu_count(), "loadavg_start": " ".join(Path("/proc/loadavg").read_text().split()[:3])},
        "binaries": {"octavia": str(OCTAVIA_BIN), "octavia_mtime": octavia_version(OCTAVIA_BIN),
                     "amphora_agent": str(AGENT_BIN), "amphora_agent_mtime": octavia_version(AGENT_BIN),
                     "older_than_sources": any(not b.exists() or b.stat().st_mtime < newest_source_mtime()
                                               for b in (OCTAVIA_BIN, AGENT_BIN))},
        "config_overrides": ({"local_compute.haproxy_max_connections": args.haproxy_max_connections}
                             if args.haproxy_max_connections is not None else {}),
        "git_head": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                   text=True).stdout.strip(),
        "figures": {},
    }
    planes: list[Dataplane] = []
    procs: list[OctaviaProcess] = []
    ok = True

    def on_alarm(*_: object) -> None:
        raise BudgetExceeded(f"whole run exceeded --budget {args.budget:.0f}s")

    def on_term(*_: object) -> None:
        raise Interrupted("SIGTERM")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored
    signal.setitimer(signal.ITIMER_REAL, args.budget)

    def start_octavia(rig: Rig) -> OctaviaProcess:
        plane = Dataplane(rig)
        planes.append(plane)  # before start: cleanup covers a half-started run
        proc = OctaviaProcess(rig)
        procs.append(proc)
        proc.start()
        return proc

    def run_figure(key: str, fn: Callable[[], dict], rig: Rig | None = None) -> dict | None:
        nonlocal ok
        print(f"\n--- {'starting the real all-in-one' if key == 'start' else 'figure ' + key}", flush=True)
        try:
            result = fn()
        except (Exception, RigFailure) as exc:  # a figure that fails is reported, the others still run
            ok = False
            msg = str(exc).strip() or type(exc).__name__
            report["figures"][key] = {"error": msg[:4000]}
            print(f"  figure {key} FAILED: {msg[:2000]}", flush=True)
            if rig is not None and (lines := log_errors(rig)):
                report["figures"][key]["octavia_log_errors"] = lines
                print("  octavia log (last errors):\n    " + "\n    ".join(lines), flush=True)
            if not isinstance(exc, (RuntimeError, RigFailure)):
                traceback.print_exc()
            return None
        report["figures"][key] = result
        return result

    try:
        if "3" in figures:
            rig3 = make_rig(NoopBenchRig, base, args.debug_logs)
            print(f"noop all-in-one: {rig3.endpoint} (state {rig3.state_dir})", flush=True)

            def fig3() -> dict:
                proc = start_octavia(rig3)
                root = requests.get(rig3.endpoint + "/", timeout=5)
                print(f"  GET / -> {root.status_code}", flush=True)
                try:
                    return figure3(rig3, args.api_count, args.api_phase_seconds)
                finally:
                    proc.stop()

            run_figure("3", fig3, rig3)

        if "5" in figures:
            rig5 = make_rig(NoopBenchRig, base, args.debug_logs)
            print(f"noop all-in-one for the big list: {rig5.endpoint} (state {rig5.state_dir})", flush=True)
            run_figure("5", lambda: figure5(rig5, args.big_table, args.api_count * 2, args.api_phase_seconds), rig5)

        if figures & {"1", "2", "4"}:
            rig = make_rig(BenchRig, base, args.debug_logs, args.haproxy_max_connections)
            print(f"real all-in-one: {rig.endpoint} (state {rig.state_dir}, namespaces {rig.prefix}*)", flush=True)

            def start_real() -> dict:
                start_octavia(rig)
                return {"ok": True}

            if run_figure("start", start_real, rig) is not None:
                report["figures"].pop("start")
                if "1" in figures:
                    run_figure("1", lambda: figure1(rig, args.creates, args.timeout), rig)
                if figures & {"2", "4"}:
                    topo = Topology(rig, planes[-1])
                    state: dict[str, str] = {}

                    def fig2() -> dict:
                        topo.start()
                        result, state["lb"], state["vip"] = figure2(rig, topo, args.timeout)
                        return result

                    run_figure("2", fig2, rig)
                    if "4" in figures:
                        if "vip" in state:
                            run_figure("4", lambda: figure4(rig, topo, state["vip"], args.rounds, args.wrk_seconds),
                                       rig)
                        else:
                            report["figures"]["4"] = {"error": "needs the serving LB of figure 2, which failed"}
            else:
                error = report["figures"].pop("start")["error"]
                for key in sorted(figures & {"1", "2", "4"}):
                    report["figures"][key] = {"error": f"real all-in-one did not start: {error}"}
    except (KeyboardInterrupt, Interrupted, BudgetExceeded) as exc:
        ok = False
        report["aborted"] = f"{type(exc).__name__}: {exc}"
        print(f"\naborted: {report['aborted']}; cleaning up", file=sys.stderr, flush=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        # Cleanup must not be interrupted by a second Ctrl-C / SIGTERM.
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        problems: list[str] = []
        for proc in procs:
            try:
                proc.stop()
            except Exception as exc:  # noqa: BLE001
                problems.append(f"stopping octavia: {exc}")
        for plane in planes:
            problems += plane.cleanup()
        if problems:
            ok = False
            report["cleanup_problems"] = problems
            print("cleanup problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        if args.keep:
            report["state_dir_kept"] = str(base)
            print(f"state (octavia logs, configs) kept in {base}", file=sys.stderr)
        else:
            if not ok:  # keep what explains the failure, in the git-ignored state/
                logs = out.with_name(out.stem + "-logs")
                for f in base.rglob("*"):
                    if f.is_file() and f.suffix in (".log", ".conf", ".cfg") and f.stat().st_size < 50_000_000:
                        target = logs / f.relative_to(base)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(f, target)
                report["logs"] = str(logs)
                print(f"octavia/member logs and configs copied to {logs}", file=sys.stderr)
            shutil.rmtree(base, ignore_errors=True)
        signal.signal(signal.SIGINT, old_int)

    report["host"]["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print_table(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"JSON: {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
