"""openstacksdk against our all-in-one, for the API conformance suite (tests/e2e/test_conformance_*.py).

A conformance module imports the fixtures below, which override conftest's `rig` and `octavia` for
that module only: its all-in-one runs the noop compute/network/amphora drivers (nothing is built
on the host, so a load balancer is ACTIVE in a fraction of a second), while conftest's `api` and
`cli` fixtures and its failing-test log hook keep working because they ask for `rig`.

    from sdk import conn, octavia, rig  # noqa: F401  (pytest fixtures)

How openstacksdk talks to a noauth Octavia is recorded in docs/cli-noauth-findings.md ("openstacksdk").
"""

from __future__ import annotations

import shutil
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from openstack import connection, exceptions

from rig import OctaviaProcess, Rig, check_prerequisites

NOOP_DRIVERS = ("compute_driver = compute_noop_driver\n"
                "network_driver = network_noop_driver\n"
                "amphora_driver = amphora_noop_driver\n")

#: Seconds to wait for a noop load balancer to settle (it normally takes well under one).
SETTLE_TIMEOUT = 30
#: The router's answer to a path it does not know (an object that is not found names itself instead).
ROUTE_NOT_FOUND = "The resource could not be found."


@dataclass
class NoopRig(Rig):
    """The e2e rig with the noop drivers, as scripts/bench.py's NoopBenchRig."""

    def render_config(self) -> str:
        return super().render_config().replace("[controller_worker]\n", "[controller_worker]\n" + NOOP_DRIVERS, 1)


def connect(endpoint: str) -> connection.Connection:
    """openstacksdk with no Keystone: the `none` auth plugin's endpoint is the API root; the SDK
    discovers `/v2` from the version document (`GET /`) and calls `/v2/lbaas/...`."""
    return connection.Connection(auth_type="none", auth={"endpoint": endpoint})


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    """Overrides conftest's `rig` in the module that imports it: a noop-driver run."""
    check_prerequisites()
    base = Path(tempfile.mkdtemp(prefix="octavia-conf-"))
    noop = NoopRig.create(base)
    yield noop
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def octavia(rig: Rig) -> Iterator[OctaviaProcess]:
    """The module's all-in-one; no data plane (the noop drivers create no namespaces)."""
    proc = OctaviaProcess(rig)
    proc.start()
    yield proc
    code = proc.stop()
    print(f"octavia stopped with exit code {code}")


@pytest.fixture(scope="module")
def conn(octavia: OctaviaProcess, rig: Rig) -> connection.Connection:
    return connect(rig.endpoint)


class RouteMissing(AssertionError):
    """The router does not know the route yet (another engineer's area, not landed)."""


#: For tests of routes that do not exist yet: xfail only for that reason, and loudly (strict)
#: once the route answers; any other failure is a real failure.
NOT_YET = pytest.mark.xfail(strict=True, raises=RouteMissing, reason="route not implemented yet")


def require_route(rig: Rig, path: str, method: str | None = None) -> None:
    """Raises RouteMissing if `/v2/lbaas<path>` (or `/v2<path>` for `/octavia/...`) is unknown to the
    router. OPTIONS has no side effects: a known path answers it with 405, an unknown one with the
    router's 404. With `method`, a 405 to an empty request of that method also counts as missing."""
    url = rig.endpoint + ("/v2" if path.startswith("/octavia/") else "/v2/lbaas") + path
    r = requests.options(url, headers={"Accept": "application/json"}, timeout=10)
    if r.status_code == 404 and fault(r).get("faultstring") == ROUTE_NOT_FOUND:
        raise RouteMissing(f"no route for {path}")
    if method:
        r = requests.request(method, url, headers={"Accept": "application/json"}, timeout=10)
        if r.status_code == 405:
            raise RouteMissing(f"no {method} route for {path}")


def fault(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def assert_fault(response: requests.Response, status: int, contains: str | None = None) -> str:
    """The response is Octavia's WSME error: the status, `{"faultcode","faultstring","debuginfo"}`
    with faultcode Client (4xx) / Server (5xx) and debuginfo null. Returns the faultstring."""
    where = f"{response.request.method} {response.request.url} -> {response.status_code} {response.text[:400]!r}"
    assert response.status_code == status, f"expected {status}: {where}"
    assert response.headers.get("Content-Type", "").startswith("application/json"), where
    body = fault(response)
    assert set(body) == {"faultcode", "faultstring", "debuginfo"}, f"not an Octavia error body: {where}"
    assert body["faultcode"] == ("Client" if status < 500 else "Server"), where
    assert body["debuginfo"] is None, where
    assert isinstance(body["faultstring"], str) and body["faultstring"], where
    if contains is not None:
        assert contains in body["faultstring"], f"faultstring should contain {contains!r}: {where}"
    return body["faultstring"]


def assert_sdk_fault(error: Exception, status: int, contains: str | None = None) -> str:
    """Same check on an openstacksdk HttpException (its `details` is the faultstring)."""
    response = getattr(error, "response", None)
    assert response is not None, f"no HTTP response on {error!r}"
    text = assert_fault(response, status, contains)
    assert getattr(error, "details", None) == text, f"SDK details {getattr(error, 'details', None)!r} != {text!r}"
    return text


def settle(conn: connection.Connection, lb_id: str) -> None:
    """Waits until the load balancer is ACTIVE again after a change (ERROR fails at once)."""
    conn.load_balancer.wait_for_load_balancer(lb_id, status="ACTIVE", failures=["ERROR"], interval=0.1,
                                              wait=SETTLE_TIMEOUT)


def raw(rig: Rig, method: str, path: str, body: Any = None, params: Any = None,
        headers: dict[str, str] | None = None) -> requests.Response:
    """A plain request to `/v2/lbaas<path>` (or a full URL), for what the SDK does not expose."""
    url = path if path.startswith("http") else rig.endpoint + "/v2/lbaas" + path
    h = {"Accept": "application/json"}
    h.update(headers or {})
    return requests.request(method, url, json=body, params=params, headers=h, timeout=30)


def wait_gone(conn: connection.Connection, lb_id: str) -> None:
    """Waits until the load balancer answers 404 (the SDK's wait_for_delete needs a fetched resource,
    and a noop delete may already be done before it could fetch one)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        try:
            lb = conn.load_balancer.get_load_balancer(lb_id)
        except exceptions.NotFoundException:
            return
        assert lb.provisioning_status != "ERROR", f"load balancer {lb_id} went to ERROR while deleting"
        assert time.monotonic() < deadline, f"load balancer {lb_id} still {lb.provisioning_status} after deletion"
        time.sleep(0.1)
