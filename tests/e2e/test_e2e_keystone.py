"""auth_strategy = keystone against a real Keystone (tests/e2e/keystone.py) and a noop-driver
all-in-one: password auth through the service catalog (no endpoint override) with the openstack
CLI and openstacksdk, Octavia's default RBAC per role, tenant isolation, quotas (also under 20
parallel creates), 401/503 behaviour, policy-file overrides and start-up errors, and the
requests/s of a cached-token GET against noauth.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from openstack import connection, exceptions

from keystone import Keystone, require_keystone
from rig import IN_CI, OCTAVIA_BIN, OPENSTACK_BIN, OctaviaProcess, Rig, check_prerequisites
from sdk import NoopRig, assert_sdk_fault, settle

#: Lifetime of the token the expiry test gets from a briefly reconfigured Keystone.
SHORT_LIFETIME = 6
PASSWORD = "secret-pw-1"
SERVICE_PASSWORD = "octavia-service-pw"
DENIED = "Policy does not allow this request to be performed."


@dataclass
class KeystoneRig(NoopRig):
    """The noop rig with `auth_strategy = keystone` pointing at the module's Keystone."""

    keystone_url: str = ""
    policy_file: str | None = None

    def render_config(self) -> str:
        text = super().render_config().replace("auth_strategy = noauth", "auth_strategy = keystone")
        text += f"""
[keystone_authtoken]
www_authenticate_uri = {self.keystone_url}
auth_url = {self.keystone_url}
username = octavia
password = {SERVICE_PASSWORD}
project_name = service
user_domain_name = Default
project_domain_name = Default
region_name = RegionOne

[oslo_policy]
enforce_new_defaults = true
"""
        if self.policy_file:
            text += f"policy_file = {self.policy_file}\n"
        return text


def make_rig(base: Path, keystone: Keystone, policy_file: str | None = None) -> KeystoneRig:
    rig = KeystoneRig.create(base)
    rig.keystone_url, rig.policy_file = keystone.url, policy_file
    rig.config_path.write_text(rig.render_config())
    return rig


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    check_prerequisites()
    require_keystone()
    path = Path(tempfile.mkdtemp(prefix="octavia-keystone-"))
    yield path
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def keystone(base: Path) -> Iterator[Keystone]:
    ks = Keystone.create(base)
    try:
        ks.start()
        service = ks.project("service")
        ks.user("octavia", SERVICE_PASSWORD, service, ["service"])
        a, b, c = ks.project("project-a"), ks.project("project-b"), ks.project("project-c")
        ks.user("alice", PASSWORD, a, ["member"])
        ks.user("rita", PASSWORD, a, ["reader"])
        ks.user("bob", PASSWORD, b, ["member"])
        ks.user("carol", PASSWORD, c, ["member"])
        ks.user("oldstyle", PASSWORD, a, ["load-balancer_member"])
        yield ks
    finally:
        ks.stop()


@pytest.fixture(scope="module")
def rig(base: Path, keystone: Keystone) -> KeystoneRig:
    return make_rig(base, keystone)


@pytest.fixture(scope="module")
def octavia(rig: KeystoneRig, keystone: Keystone) -> Iterator[OctaviaProcess]:
    proc = OctaviaProcess(rig)
    proc.start()
    keystone.register_load_balancer(rig.endpoint)
    yield proc
    print(f"octavia stopped with exit code {proc.stop()}")


def sdk(keystone: Keystone, user: str, project: str, password: str = PASSWORD) -> connection.Connection:
    """openstacksdk with ordinary password auth: Octavia is found through the catalog."""
    return connection.Connection(auth_url=keystone.url, username=user, password=password, project_name=project,
                                 user_domain_name="Default", project_domain_name="Default", region_name="RegionOne",
                                 identity_api_version="3", interface="public")


def cli(keystone: Keystone, user: str, project: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(keystone.os_env(user, PASSWORD, project))
    return subprocess.run([str(OPENSTACK_BIN), *args], capture_output=True, text=True, timeout=120, env=env)


def cli_json(keystone: Keystone, user: str, project: str, *args: str) -> Any:
    result = cli(keystone, user, project, *args, "-f", "json")
    assert result.returncode == 0, f"openstack {' '.join(args)} as {user}: {result.stderr}{result.stdout}"
    return json.loads(result.stdout)


def create_lb(conn: connection.Connection, rig: Rig, name: str) -> Any:
    lb = conn.load_balancer.create_load_balancer(name=name, vip_subnet_id=rig.net.subnet_id)
    settle(conn, lb.id)
    return lb


def raw(rig: Rig, method: str, path: str, token: str | None, body: Any = None) -> requests.Response:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["X-Auth-Token"] = token
    return requests.request(method, rig.endpoint + "/v2/lbaas" + path, json=body, headers=headers, timeout=30)


def test_cli_member_and_reader_through_the_catalog(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    created = cli_json(keystone, "alice", "project-a", "loadbalancer", "create", "--name", "cli-a",
                       "--vip-subnet-id", rig.net.subnet_id, "--wait")
    assert created["provisioning_status"] == "ACTIVE"
    assert created["project_id"] == keystone.project("project-a")
    # A reader lists and shows, but may not create.
    names = [lb["name"] for lb in cli_json(keystone, "rita", "project-a", "loadbalancer", "list")]
    assert "cli-a" in names
    shown = cli_json(keystone, "rita", "project-a", "loadbalancer", "show", created["id"])
    assert shown["id"] == created["id"]
    refused = cli(keystone, "rita", "project-a", "loadbalancer", "create", "--name", "nope",
                  "--vip-subnet-id", rig.net.subnet_id)
    assert refused.returncode != 0
    assert "403" in refused.stderr or DENIED in refused.stderr, refused.stderr
    # bob (project B) sees nothing of A's and is refused on A's load balancer.
    assert cli_json(keystone, "bob", "project-b", "loadbalancer", "list") == []
    other = cli(keystone, "bob", "project-b", "loadbalancer", "show", created["id"])
    assert other.returncode != 0 and "403" in other.stderr + other.stdout, other.stderr


def test_sdk_isolation_and_admin(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    alice, bob = sdk(keystone, "alice", "project-a"), sdk(keystone, "bob", "project-b")
    admin = sdk(keystone, "admin", "admin", password=keystone_admin_password())
    lb_a = create_lb(alice, rig, "sdk-a")
    lb_b = create_lb(bob, rig, "sdk-b")
    project_a, project_b = keystone.project("project-a"), keystone.project("project-b")

    # Octavia answers 403 (not 404) for an existing object of another project.
    with pytest.raises(exceptions.ForbiddenException) as show:
        bob.load_balancer.get_load_balancer(lb_a.id)
    assert_sdk_fault(show.value, 403, DENIED)
    with pytest.raises(exceptions.ForbiddenException):
        bob.load_balancer.delete_load_balancer(lb_a.id)
    with pytest.raises(exceptions.ForbiddenException):
        bob.load_balancer.update_load_balancer(lb_a.id, name="stolen")
    with pytest.raises(exceptions.ForbiddenException):
        bob.load_balancer.create_listener(loadbalancer_id=lb_a.id, protocol="HTTP", protocol_port=80)
    with pytest.raises(exceptions.ForbiddenException):
        list(bob.load_balancer.load_balancers(project_id=project_a))
    with pytest.raises(exceptions.NotFoundException):
        bob.load_balancer.get_load_balancer("7b8c3c44-1d7a-4d8e-9f3a-000000000000")
    assert {lb.id for lb in bob.load_balancer.load_balancers()} == {lb_b.id}
    # A listener on A's load balancer belongs to A.
    listener = alice.load_balancer.create_listener(loadbalancer_id=lb_a.id, protocol="HTTP", protocol_port=80)
    assert listener.project_id == project_a
    settle(alice, lb_a.id)

    # admin: every project, and project_id filters.
    everything = {lb.id for lb in admin.load_balancer.load_balancers()}
    assert {lb_a.id, lb_b.id} <= everything
    assert {lb.id for lb in admin.load_balancer.load_balancers(project_id=project_b)} == {lb_b.id}
    assert admin.load_balancer.get_load_balancer(lb_a.id).id == lb_a.id
    # Admin-only APIs.
    list(admin.load_balancer.amphorae())
    with pytest.raises(exceptions.ForbiddenException):
        list(alice.load_balancer.amphorae())
    # The deprecated load-balancer_member role does nothing with enforce_new_defaults = true.
    with pytest.raises(exceptions.ForbiddenException):
        list(sdk(keystone, "oldstyle", "project-a").load_balancer.load_balancers())


def test_quota_exceeded(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    admin = sdk(keystone, "admin", "admin", password=keystone_admin_password())
    project_b = keystone.project("project-b")
    bob = sdk(keystone, "bob", "project-b")
    in_use = len(list(bob.load_balancer.load_balancers()))
    admin.load_balancer.update_quota(project_b, load_balancer=in_use + 1)
    create_lb(bob, rig, "quota-last")
    with pytest.raises(exceptions.ForbiddenException) as refused:
        bob.load_balancer.create_load_balancer(name="quota-over", vip_subnet_id=rig.net.subnet_id)
    assert_sdk_fault(refused.value, 403, "Quota has been met for resources: Load Balancer")
    # Members cannot raise their own quota.
    with pytest.raises(exceptions.ForbiddenException):
        bob.load_balancer.update_quota(project_b, load_balancer=100)


def test_parallel_creates_against_quota_of_five(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    admin = sdk(keystone, "admin", "admin", password=keystone_admin_password())
    admin.load_balancer.update_quota(keystone.project("project-c"), load_balancer=5)
    token = keystone.token("carol", PASSWORD, "project-c")
    body = {"loadbalancer": {"vip_subnet_id": rig.net.subnet_id}}
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda i: raw(rig, "POST", "/loadbalancers", token,
                                               {"loadbalancer": dict(body["loadbalancer"], name=f"par-{i}")}).status_code,
                                 range(20)))
    assert sorted(statuses) == [201] * 5 + [403] * 15, statuses
    listed = raw(rig, "GET", "/loadbalancers", token).json()["loadbalancers"]
    assert len(listed) == 5


def test_missing_garbage_and_expired_tokens_are_401(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    token = keystone.token("alice", PASSWORD, "project-a")
    assert raw(rig, "GET", "/loadbalancers", token).status_code == 200
    for bad in (None, "garbage", "gAAAAA" + "x" * 180):
        r = raw(rig, "GET", "/loadbalancers", bad)
        assert r.status_code == 401, (bad, r.status_code, r.text)
        assert r.headers.get("WWW-Authenticate") == f'Keystone uri="{keystone.url}"'
    # Version discovery needs no token.
    assert requests.get(rig.endpoint + "/", timeout=10).status_code == 200
    # A short-lived token, validated (and so cached) while it lives, stops working when it expires.
    keystone.restart(token_expiration=SHORT_LIFETIME)
    try:
        issued = time.monotonic()
        short = keystone.token("alice", PASSWORD, "project-a")
        assert raw(rig, "GET", "/loadbalancers", short).status_code == 200
    finally:
        keystone.restart(token_expiration=3600)
    time.sleep(max(0.0, issued + SHORT_LIFETIME + 1.5 - time.monotonic()))
    expired = raw(rig, "GET", "/loadbalancers", short)
    assert expired.status_code == 401, expired.text
    log = octavia.log_tail(2_000_000)
    for secret in (token, short, SERVICE_PASSWORD):
        assert secret not in log, "a token or the service password reached the log"


def test_keystone_down_is_503_then_recovers(octavia: OctaviaProcess, rig: KeystoneRig, keystone: Keystone) -> None:
    fresh = keystone.token("alice", PASSWORD, "project-a")  # never shown to Octavia yet: not cached
    cached = keystone.token("bob", PASSWORD, "project-b")
    assert raw(rig, "GET", "/loadbalancers", cached).status_code == 200
    keystone.stop()
    try:
        down = raw(rig, "GET", "/loadbalancers", fresh)
        assert down.status_code == 503, down.text
        # A token validated before the outage keeps working from the cache.
        assert raw(rig, "GET", "/loadbalancers", cached).status_code == 200
    finally:
        keystone.launch()
    assert raw(rig, "GET", "/loadbalancers", fresh).status_code == 200


def test_policy_file_override_and_malformed_file(rig: KeystoneRig, keystone: Keystone, base: Path) -> None:
    # Readers may create load balancers: one rule overridden, the rest default.
    policy = base / "policy.yaml"
    policy.write_text('"os_load-balancer_api:loadbalancer:post": "rule:load-balancer:read"\n')
    overridden = make_rig(base, keystone, str(policy))
    proc = OctaviaProcess(overridden)
    proc.start()
    try:
        token = keystone.token("rita", PASSWORD, "project-a")
        body = {"loadbalancer": {"name": "by-reader", "vip_subnet_id": overridden.net.subnet_id}}
        assert raw(overridden, "POST", "/loadbalancers", token, body).status_code == 201
        assert raw(rig, "POST", "/loadbalancers", token, body).status_code == 403  # the default rig still refuses
    finally:
        proc.stop()

    for name, text, expected in [
        ("broken.yaml", '"os_load-balancer_api:loadbalancer:post": [unclosed\n', "not valid YAML"),
        ("badrule.yaml", '"os_load-balancer_api:loadbalancer:post": "role:member and"\n', "cannot parse policy rule"),
        ("unknown.yaml", '"os_load-balancer_api:loadbalancer:post": "rule:no-such-rule"\n', "unknown rule 'no-such-rule'"),
    ]:
        path = base / name
        path.write_text(text)
        bad = make_rig(base, keystone, str(path))
        result = subprocess.run([str(OCTAVIA_BIN), "all-in-one", "--config-file", str(bad.config_path)],
                                capture_output=True, text=True, timeout=60, cwd=bad.state_dir)
        output = result.stderr + result.stdout
        assert result.returncode != 0, output
        assert expected in output and "[oslo_policy]" in output, output


def test_requests_per_second_keystone_cached_vs_noauth(octavia: OctaviaProcess, rig: KeystoneRig,
                                                       keystone: Keystone, base: Path) -> None:
    """The figure: GET /v2/lbaas/loadbalancers/{id}, token cached, against a noauth all-in-one."""
    wrk = shutil.which("wrk")
    if wrk is None:
        if IN_CI:
            pytest.fail("wrk is missing: run scripts/setup-test-deps.sh")
        pytest.skip("wrk is missing")
    token = keystone.token("alice", PASSWORD, "project-a")
    r = raw(rig, "POST", "/loadbalancers", token, {"loadbalancer": {"name": "bench", "vip_subnet_id": rig.net.subnet_id}})
    assert r.status_code == 201, r.text
    keystone_url = f"{rig.endpoint}/v2/lbaas/loadbalancers/{r.json()['loadbalancer']['id']}"
    assert raw(rig, "GET", "/loadbalancers", token).status_code == 200  # cached from here on

    noauth_rig = NoopRig.create(base)
    noauth = OctaviaProcess(noauth_rig)
    noauth.start()
    try:
        made = requests.post(noauth_rig.endpoint + "/v2/lbaas/loadbalancers", timeout=30,
                             json={"loadbalancer": {"name": "bench", "vip_subnet_id": noauth_rig.net.subnet_id}})
        assert made.status_code == 201, made.text
        noauth_url = f"{noauth_rig.endpoint}/v2/lbaas/loadbalancers/{made.json()['loadbalancer']['id']}"

        def rate(url: str, headers: list[str]) -> float:
            args = [wrk, "-t2", "-c8", "-d5s", "--latency", "-H", "Accept: application/json"]
            for header in headers:
                args += ["-H", header]
            out = subprocess.run(args + [url], capture_output=True, text=True, timeout=60).stdout
            assert "Non-2xx" not in out, out
            match = re.search(r"Requests/sec:\s+([\d.]+)", out)
            assert match, out
            return float(match.group(1))

        with_keystone = rate(keystone_url, [f"X-Auth-Token: {token}"])
        without = rate(noauth_url, [])
    finally:
        noauth.stop()
    print(f"\nFIGURE GET /v2/lbaas/loadbalancers/{{id}} (wrk -t2 -c8 -d5s): keystone (token cached) "
          f"{with_keystone:.0f} req/s, noauth {without:.0f} req/s, ratio {with_keystone / without:.2f}")
    # A figure, not a timed assertion: this machine is shared and noisy.
    assert with_keystone > 0 and without > 0


def keystone_admin_password() -> str:
    from keystone import ADMIN_PASSWORD

    return ADMIN_PASSWORD
