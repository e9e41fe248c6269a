"""schemathesis against a noop-driver all-in-one, driven by the API's own `GET /v2/openapi.json`.

The rule under test: bad input gets a 4xx with Octavia's error body, never a 5xx. The run is
bounded (few examples per operation, one spelling of each collection, a wall-clock limit) and
uses the noop compute/network/amphora drivers, so nothing reaches a data plane. Afterwards the
server must still answer `GET /` and its SQLite database must pass `PRAGMA integrity_check`.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

from rig import OctaviaProcess, Rig
from sdk import octavia, rig  # noqa: F401  (pytest fixtures: noop drivers)

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
#: The same handlers are mounted under /v2, /v2.0, /v2/lbaas and /v2.0/lbaas (and the Neutron
#: look-ups under three prefixes): fuzzing one spelling of each keeps the run short.
INCLUDE = r"^/($|v2$|v2/openapi\.json$|v2/lbaas/|v2/octavia/|v2\.0/networks|v2\.0/subnets)"
#: Time budget of the fuzzing (schemathesis' --max-time) and the hard wall-clock bound of the run.
#: Raise OCTAVIA_FUZZ_TIME (and OCTAVIA_FUZZ_EXAMPLES, OCTAVIA_FUZZ_SEED) for a longer bug hunt.
FUZZ_TIME = int(os.environ.get("OCTAVIA_FUZZ_TIME", "60"))
RUN_TIMEOUT = FUZZ_TIME + 40
#: Octavia's own 5xx for valid input a provider refuses (ProviderUnsupportedOptionError → 501),
#: e.g. SOURCE_IP_PORT on the amphora provider: Octavia answers exactly this, so it is not a bug.
PROVIDER_UNSUPPORTED = "does not support a requested option"


def decode(body: object) -> str:
    if isinstance(body, dict) and "$base64" in body:
        return base64.b64decode(body["$base64"]).decode("utf-8", "replace")
    return "" if body is None else str(body)


def interactions(report: Path) -> list[dict]:
    """Every request/response pair recorded in schemathesis' NDJSON event stream."""
    found: dict[str, dict] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in (node.get("interactions") or {}).items() if isinstance(node.get("interactions"), dict) else []:
                if isinstance(value, dict) and "response" in value:
                    found[key] = value
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    with report.open() as events:
        for line in events:
            walk(json.loads(line))
    return list(found.values())


def server_errors(report: Path) -> tuple[int, list[str]]:
    """(responses seen, description of every 5xx that is not Octavia's provider 501)."""
    seen = interactions(report)
    problems = []
    for item in seen:
        response = item.get("response") or {}
        status = response.get("status_code", 0)
        body = decode(response.get("content"))
        if status < 500 or (status == 501 and PROVIDER_UNSUPPORTED in body):
            continue
        request = item["request"]
        problems.append(f"{request['method']} {request['uri']} {decode(request.get('body'))[:2000]}\n"
                        f"  -> {status} {body[:2000]}")
    return len(seen), sorted(set(problems))


def post(rig: Rig, path: str, body: dict) -> dict:
    """Creates one object under /v2/lbaas and returns it (waiting for the load balancer to settle)."""
    url = rig.endpoint + "/v2/lbaas" + path
    r = requests.post(url, json=body, headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 201, f"POST {path}: {r.status_code} {r.text[:500]}"
    return next(iter(r.json().values()))


def settle(rig: Rig, lb_id: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r = requests.get(f"{rig.endpoint}/v2/lbaas/loadbalancers/{lb_id}", timeout=10)
        if r.json()["loadbalancer"]["provisioning_status"] == "ACTIVE":
            return
        time.sleep(0.1)
    raise AssertionError(f"load balancer {lb_id} did not become ACTIVE")


def seed(rig: Rig) -> dict[str, dict[str, str]]:
    """One object of every kind, so the `{id}` operations reach real rows instead of 404.
    Returns path regex → path parameters for schemathesis' config."""
    lb = post(rig, "/loadbalancers", {"loadbalancer": {"name": "fuzz", "vip_subnet_id": rig.net.subnet_id}})
    settle(rig, lb["id"])
    listener = post(rig, "/listeners", {"listener": {"loadbalancer_id": lb["id"], "protocol": "HTTP",
                                                     "protocol_port": 80}})
    settle(rig, lb["id"])
    pool = post(rig, "/pools", {"pool": {"listener_id": listener["id"], "protocol": "HTTP",
                                         "lb_algorithm": "ROUND_ROBIN"}})
    settle(rig, lb["id"])
    member = post(rig, f"/pools/{pool['id']}/members", {"member": {"address": rig.net.host(50), "protocol_port": 8080}})
    settle(rig, lb["id"])
    monitor = post(rig, "/healthmonitors", {"healthmonitor": {"pool_id": pool["id"], "type": "HTTP", "delay": 5,
                                                              "timeout": 3, "max_retries": 3}})
    settle(rig, lb["id"])
    policy = post(rig, "/l7policies", {"l7policy": {"listener_id": listener["id"], "action": "REJECT"}})
    settle(rig, lb["id"])
    rule = post(rig, f"/l7policies/{policy['id']}/rules", {"rule": {"type": "PATH", "compare_type": "STARTS_WITH",
                                                                    "value": "/x"}})
    settle(rig, lb["id"])
    profile = post(rig, "/flavorprofiles", {"flavorprofile": {"name": "fuzz", "provider_name": "amphora",
                                                              "flavor_data": "{}"}})
    flavor = post(rig, "/flavors", {"flavor": {"name": "fuzz", "flavor_profile_id": profile["id"]}})
    zone_profile = post(rig, "/availabilityzoneprofiles", {"availability_zone_profile": {
        "name": "fuzz", "provider_name": "amphora", "availability_zone_data": "{}"}})
    zone = post(rig, "/availabilityzones", {"availability_zone": {
        "name": "fuzz", "availability_zone_profile_id": zone_profile["id"]}})
    amphorae = requests.get(rig.endpoint + "/v2/octavia/amphorae", timeout=10).json().get("amphorae", [])
    ids = {
        "loadbalancers": lb["id"], "listeners": listener["id"], "pools": pool["id"], "healthmonitors": monitor["id"],
        "l7policies": policy["id"], "flavors": flavor["id"], "flavorprofiles": profile["id"],
        "availabilityzones": zone["name"], "availabilityzoneprofiles": zone_profile["id"],
        "quotas": "e2e-project", "providers": "amphora",
    }
    operations = {rf"^/v2/lbaas/{name}/\{{id\}}": {"path.id": value} for name, value in ids.items()}
    operations[r"^/v2/lbaas/pools/\{id\}/members/"] = {"path.id": pool["id"], "path.member_id": member["id"]}
    operations[r"^/v2/lbaas/l7policies/\{id\}/rules/"] = {"path.id": policy["id"], "path.rule_id": rule["id"]}
    operations[r"^/v2\.0/networks/\{id\}"] = {"path.id": rig.net.network_id}
    operations[r"^/v2\.0/subnets/\{id\}"] = {"path.id": rig.net.subnet_id}
    if amphorae:
        operations[r"^/v2/octavia/amphorae/\{id\}"] = {"path.id": amphorae[0]["id"]}
    return operations


def write_config(path: Path, operations: dict[str, dict[str, str]]) -> None:
    """schemathesis.toml: fixed path parameters per operation; the more specific entries come first."""
    lines = []
    for regex, parameters in sorted(operations.items(), key=lambda item: -len(item[1])):
        lines.append("[[operations]]")
        lines.append(f"include-path-regex = {json.dumps(regex)}")
        lines.append("parameters = { " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}"
                                                   for k, v in parameters.items()) + " }")
        lines.append("")
    path.write_text("\n".join(lines))


def test_no_server_errors_and_database_intact(rig: Rig, octavia: OctaviaProcess, tmp_path: Path) -> None:
    assert SCHEMATHESIS.exists(), f"{SCHEMATHESIS} is missing (run scripts/setup-test-deps.sh)"
    report = tmp_path / "schemathesis.ndjson"
    config = tmp_path / "schemathesis.toml"
    write_config(config, seed(rig))
    print(config.read_text())
    command = [
        str(SCHEMATHESIS), "--config-file", str(config), "run", rig.endpoint + "/v2/openapi.json",
        "--checks", os.environ.get("OCTAVIA_FUZZ_CHECKS", "not_a_server_error"),
        "--include-path-regex", INCLUDE,
        "--phases", os.environ.get("OCTAVIA_FUZZ_PHASES", "examples,coverage,fuzzing"),
        "--max-examples", os.environ.get("OCTAVIA_FUZZ_EXAMPLES", "10"),
        "--max-time", str(FUZZ_TIME),
        "--workers", "4",
        "--request-timeout", "10",
        "--header", "Accept: application/json",
        "--suppress-health-check", "all",
        "--continue-on-failure",
        "--no-color",
        "--seed", os.environ.get("OCTAVIA_FUZZ_SEED", "20261126"),
        "--report", "ndjson", "--report-ndjson-path", str(report),
    ]
    started = time.monotonic()
    # cwd: schemathesis keeps its example database in ./.schemathesis; keep it out of the repository.
    result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    print(output[-20000:])
    print(f"schemathesis ran {elapsed:.1f} s, exit {result.returncode}")

    alive = requests.get(rig.endpoint + "/", headers={"Accept": "application/json"}, timeout=10)
    assert alive.status_code == 200, f"GET / after fuzzing: {alive.status_code} {alive.text[:300]!r}"

    database = rig.state_dir / "octavia.db"
    assert database.exists(), database
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
    assert integrity == [("ok",)], f"integrity_check: {integrity}"

    assert report.exists(), f"schemathesis wrote no report (exit {result.returncode}):\n{output[-15000:]}"
    seen, problems = server_errors(report)
    print(f"{seen} responses recorded")
    assert seen > 500, f"schemathesis barely ran (exit {result.returncode}):\n{output[-15000:]}"
    assert not problems, "5xx responses:\n" + "\n".join(problems)
