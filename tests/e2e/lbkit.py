"""Shared by the tests/e2e/test_dataplane_*.py modules: one load balancer per module, built
through the REST API (faster than the CLI for dozens of objects), a client namespace, batched
requests from it (http_batch.py), and test certificates for TLS members.

Every address used is on the run's own /24 inside the run's own namespaces.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dataplane import Dataplane
from rig import Api, Rig, wait_for

HERE = Path(__file__).resolve().parent
HTTP_BATCH = HERE / "http_batch.py"
CLIENT_HOST = 10


class LBKit:
    """A load balancer of the module's run and the calls the data-plane tests make on it."""

    def __init__(self, rig: Rig, dataplane: Dataplane, api: Api, lb_id: str, vip: str, client: str) -> None:
        self.rig, self.dataplane, self.api = rig, dataplane, api
        self.lb_id, self.vip, self.client = lb_id, vip, client

    @classmethod
    def create(cls, rig: Rig, dataplane: Dataplane, api: Api, name: str) -> "LBKit":
        r = api.request("POST", "/loadbalancers",
                        {"loadbalancer": {"name": f"{name}-{rig.run_id}", "vip_subnet_id": rig.net.subnet_id}})
        assert r.status_code == 201, r.text
        lb_id = r.json()["loadbalancer"]["id"]
        api.wait_lb(lb_id)
        vip = api.get(f"/loadbalancers/{lb_id}").json()["loadbalancer"]["vip_address"]
        dataplane.wait_bridge()
        client = dataplane.add_host("client", rig.net.host(CLIENT_HOST))
        return cls(rig, dataplane, api, lb_id, vip, client)

    # --- API: every change waits for the load balancer to be ACTIVE again
    def call(self, method: str, path: str, body: Any = None, expect: int | None = None) -> dict:
        r = self.api.request(method, path, body)
        wanted = expect or {"POST": 201, "PUT": 200, "DELETE": 204}[method]
        assert r.status_code == wanted, f"{method} {path} -> {r.status_code}: {r.text}"
        if r.status_code < 300:
            self.api.wait_lb(self.lb_id)
        return r.json() if r.content else {}

    def listener(self, protocol: str, port: int, **fields: Any) -> str:
        body = {"listener": {"loadbalancer_id": self.lb_id, "protocol": protocol, "protocol_port": port, **fields}}
        return self.call("POST", "/listeners", body)["listener"]["id"]

    def pool(self, protocol: str, algorithm: str = "ROUND_ROBIN", **fields: Any) -> str:
        body = {"pool": {"protocol": protocol, "lb_algorithm": algorithm, **fields}}
        if "listener_id" not in fields:
            body["pool"]["loadbalancer_id"] = self.lb_id
        return self.call("POST", "/pools", body)["pool"]["id"]

    def member(self, pool: str, address: str, port: int = 80, **fields: Any) -> str:
        body = {"member": {"address": address, "protocol_port": port, "subnet_id": self.rig.net.subnet_id, **fields}}
        return self.call("POST", f"/pools/{pool}/members", body)["member"]["id"]

    def monitor(self, pool: str, type_: str, delay: int = 1, timeout: int = 1, max_retries: int = 1,
                max_retries_down: int = 1, **fields: Any) -> str:
        body = {"healthmonitor": {"pool_id": pool, "type": type_, "delay": delay, "timeout": timeout,
                                  "max_retries": max_retries, "max_retries_down": max_retries_down, **fields}}
        return self.call("POST", "/healthmonitors", body)["healthmonitor"]["id"]

    def policy(self, listener: str, action: str, rules: list[dict], **fields: Any) -> str:
        body = {"l7policy": {"listener_id": listener, "action": action, **fields}}
        policy = self.call("POST", "/l7policies", body)["l7policy"]["id"]
        for rule in rules:
            self.call("POST", f"/l7policies/{policy}/rules", {"rule": rule})
        return policy

    def delete_load_balancer(self) -> None:
        """Cascade delete; returns when the API answers 404 for it."""
        r = self.api.request("DELETE", f"/loadbalancers/{self.lb_id}?cascade=true")
        assert r.status_code == 204, r.text
        self.api.wait_lb_gone(self.lb_id)

    # --- traffic from the client namespace
    def batch(self, specs: list[dict], namespace: str | None = None) -> list[list[dict]]:
        """Runs http_batch.py in the client (or `namespace`); hosts default to the VIP."""
        specs = [{"host": self.vip, **s} for s in specs]
        budget = 30 + sum(s.get("count", 1) * (s.get("timeout", 5) + 1) for s in specs)
        result = subprocess.run(
            ["ip", "netns", "exec", namespace or self.client, sys.executable, str(HTTP_BATCH), json.dumps(specs)],
            capture_output=True, text=True, timeout=budget)
        if result.returncode != 0:
            pytest.fail(f"http_batch failed: {result.stderr}", pytrace=False)
        return json.loads(result.stdout)

    def get(self, path: str = "/", **spec: Any) -> list[dict]:
        """`count` (default 1) requests of one kind."""
        return self.batch([{"path": path, **spec}])[0]

    def one(self, path: str = "/", **spec: Any) -> dict:
        return self.get(path, **spec)[0]

    def wait_answer(self, what: str, path: str = "/", check: Any = None, timeout: float = 30, **spec: Any) -> dict:
        """Polls one request until `check(result)` (default: status 200) holds."""
        check = check or (lambda r: r.get("status") == 200)
        return wait_for(what, lambda: (r := self.one(path, timeout=2, **spec)) and check(r) and r, timeout, 0.3)

    def direct(self, address: str, path: str, port: int = 80) -> dict:
        """One request straight to a member (bypassing the VIP), e.g. to /control endpoints."""
        return self.batch([{"host": address, "port": port, "path": path}])[0][0]


#: Counts answers by body; failures count as `error` / `http-<status>`.
tally = Dataplane.tally


def make_certificate(directory: Path, name: str = "member") -> tuple[str, str]:
    """A self-signed certificate and key for TLS members (never verified by HAProxy here)."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                        "-out", str(cert), "-days", "2", "-subj", f"/CN={name}"],
                       check=True, capture_output=True, timeout=60)
    return str(cert), str(key)
