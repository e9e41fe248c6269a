"""The driver agent with the real octavia-lib client, and the Prometheus endpoint of all-in-one.

octavia-lib's `DriverLibrary` (what an out-of-process provider driver uses) connects to the
sockets a running all-in-one serves ([driver_agent] paths in the rig's state directory), updates a
load balancer's statuses and a listener's statistics, reads the objects back; the API then shows
the new values. The same all-in-one serves GET /metrics on `[metrics] all_in_one_port`, which must
count the API requests and the worker's flows made here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
import requests

from rig import Api, OctaviaProcess, Rig, check_prerequisites, free_port, wait_for
from sdk import NoopRig

try:
    from octavia_lib.api.drivers import driver_lib
    from octavia_lib.api.drivers import exceptions as driver_exceptions
except ImportError:
    if os.environ.get("CI") == "true":
        raise  # scripts/setup-test-deps.sh installs octavia-lib: in CI its absence is a failure
    pytest.skip("octavia-lib is not installed in this venv (scripts/setup-test-deps.sh)", allow_module_level=True)


@dataclass
class MetricsRig(NoopRig):
    """The noop-driver rig with its metrics endpoint on."""

    metrics_port: int = field(default_factory=free_port)

    def render_config(self) -> str:
        return super().render_config() + f"\n[metrics]\nall_in_one_port = {self.metrics_port}\n"

    def socket(self, name: str) -> str:
        return str(self.state_dir / "driver-agent" / f"{name}.sock")


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    check_prerequisites()
    base = Path(tempfile.mkdtemp(prefix="octavia-da-"))
    made = MetricsRig.create(base)
    yield made
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def octavia(rig: Rig) -> Iterator[OctaviaProcess]:
    proc = OctaviaProcess(rig)
    proc.start()
    yield proc
    print(f"octavia stopped with exit code {proc.stop()}")


@pytest.fixture(scope="module")
def library(rig: MetricsRig, octavia: OctaviaProcess) -> "driver_lib.DriverLibrary":
    return driver_lib.DriverLibrary(status_socket=rig.socket("status"), stats_socket=rig.socket("stats"),
                                    get_socket=rig.socket("get"))


@pytest.fixture(scope="module")
def api(rig: Rig, octavia: OctaviaProcess) -> Api:
    return Api(rig)


def make_lb_with_listener(api: Api, rig: Rig) -> tuple[str, str]:
    r = api.request("POST", "/loadbalancers", {"loadbalancer": {
        "name": "da-lb", "vip_subnet_id": rig.net.subnet_id,
        "listeners": [{"name": "da-listener", "protocol": "HTTP", "protocol_port": 80}]}})
    assert r.status_code == 201, r.text
    lb = r.json()["loadbalancer"]
    api.wait_lb(lb["id"])
    return lb["id"], lb["listeners"][0]["id"]


def test_driver_library_updates_status_and_statistics(api: Api, rig: MetricsRig, library) -> None:
    lb_id, listener_id = make_lb_with_listener(api, rig)

    library.update_loadbalancer_status({
        "loadbalancers": [{"id": lb_id, "provisioning_status": "ACTIVE", "operating_status": "DEGRADED"}],
        "listeners": [{"id": listener_id, "operating_status": "ONLINE"}],
    })
    lb = api.get(f"/loadbalancers/{lb_id}").json()["loadbalancer"]
    assert (lb["provisioning_status"], lb["operating_status"]) == ("ACTIVE", "DEGRADED")
    assert api.get(f"/listeners/{listener_id}").json()["listener"]["operating_status"] == "ONLINE"

    library.update_listener_statistics({"listeners": [{
        "id": listener_id, "active_connections": 3, "bytes_in": 1000, "bytes_out": 2000,
        "request_errors": 1, "total_connections": 40}]})
    stats = api.get(f"/listeners/{listener_id}/stats").json()["stats"]
    assert stats == {"active_connections": 3, "bytes_in": 1000, "bytes_out": 2000, "request_errors": 1,
                     "total_connections": 40}
    # Values replace, not add.
    library.update_listener_statistics({"listeners": [{
        "id": listener_id, "active_connections": 0, "bytes_in": 10, "bytes_out": 20,
        "request_errors": 0, "total_connections": 41}]})
    assert api.get(f"/listeners/{listener_id}/stats").json()["stats"]["bytes_in"] == 10

    # The get socket hands back octavia-lib data models.
    got_lb = library.get_loadbalancer(lb_id)
    assert got_lb.loadbalancer_id == lb_id and got_lb.name == "da-lb"
    got_listener = library.get_listener(listener_id)
    assert got_listener.listener_id == listener_id and got_listener.protocol_port == 80
    assert library.get_pool("00000000-0000-0000-0000-000000000000") is None


def test_bad_status_is_reported_to_the_driver(api: Api, rig: MetricsRig, library) -> None:
    lb_id, _ = make_lb_with_listener(api, rig)
    with pytest.raises(driver_exceptions.UpdateStatusError) as caught:
        library.update_loadbalancer_status({"loadbalancers": [{"id": lb_id, "provisioning_status": "SIDEWAYS"}]})
    assert caught.value.status_object == "loadbalancers"
    assert caught.value.status_object_id == lb_id
    assert api.get(f"/loadbalancers/{lb_id}").json()["loadbalancer"]["provisioning_status"] == "ACTIVE"


def test_metrics_endpoint_counts_api_requests_and_flows(api: Api, rig: MetricsRig) -> None:
    for _ in range(3):
        assert api.get("/loadbalancers").status_code == 200
    assert api.get("/loadbalancers/00000000-0000-0000-0000-000000000000").status_code == 404
    url = f"http://127.0.0.1:{rig.metrics_port}/metrics"

    def scrape() -> str | None:
        text = requests.get(url, timeout=5).text
        return text if "octavia_flows_finished_total" in text else None

    text = wait_for("flow metrics", scrape, timeout=30)
    lines = text.splitlines()
    listed = [l for l in lines if l.startswith("hb_requests{") and 'http_route="/v2.0/lbaas/loadbalancers"' in l
              and 'http_request_method="GET"' in l and 'http_response_status_code="200"' in l]
    assert listed and float(listed[0].rsplit(" ", 1)[1]) >= 3, "\n".join(l for l in lines if "hb_requests" in l)
    assert any(l.startswith("hb_requests{") and 'http_response_status_code="404"' in l for l in lines)
    assert any(l.startswith("http_server_request_duration_bucket{") for l in lines)
    assert any('flow="create_load_balancer"' in l and 'outcome="succeeded"' in l
               for l in lines if l.startswith("octavia_flows_finished_total"))
    assert any(l.startswith("octavia_flow_duration_seconds_count") for l in lines)
