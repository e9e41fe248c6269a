"""Crash safety: `kill -9` of octavia while a load balancer is PENDING_CREATE must not leave it
stuck. After a restart with the same config it ends ACTIVE, or ERROR with its amphora cleaned up."""

from __future__ import annotations

import time

import pytest

from dataplane import Dataplane, namespaces_with_prefix
from rig import ACTIVE_TIMEOUT, Api, OctaviaProcess, Rig, wait_for


def create_lb_and_kill_while_pending(rig: Rig, proc: OctaviaProcess, api: Api, delay: float) -> str | None:
    """Creates an LB, waits `delay` s, and kills octavia with SIGKILL if the LB is still PENDING_CREATE.

    Returns the LB id, or None if the LB was already past PENDING_CREATE (then octavia still runs).
    """
    r = api.request("POST", "/loadbalancers",
                    {"loadbalancer": {"name": f"e2e-restart-{rig.run_id}", "vip_subnet_id": rig.net.subnet_id}})
    assert r.status_code == 201, r.text
    lb_id = r.json()["loadbalancer"]["id"]
    time.sleep(delay)
    status = api.lb_status(lb_id)
    if status != "PENDING_CREATE":
        return None
    proc.kill9()
    return lb_id


def test_kill9_during_pending_create_recovers(rig: Rig, dataplane: Dataplane, api: Api) -> None:
    proc = OctaviaProcess(rig)
    proc.start()
    try:
        lb_id = None
        leftovers: list[str] = []
        # Kill a little into the create flow (amphora being built); fall back to killing at once.
        for delay in (0.5, 0.2, 0.0):
            lb_id = create_lb_and_kill_while_pending(rig, proc, api, delay)
            if lb_id is not None:
                break
            leftovers.append("an LB went ACTIVE before the kill")
        if lb_id is None:
            pytest.fail("could not catch a load balancer in PENDING_CREATE: " + "; ".join(leftovers), pytrace=False)

        proc.start()

        def settled() -> str | None:
            status = api.lb_status(lb_id)
            return status if status in ("ACTIVE", "ERROR") else None

        final = wait_for(f"load balancer {lb_id} to leave PENDING_* after restart", settled, ACTIVE_TIMEOUT, 1.0)
        lbs = api.get("/loadbalancers").json()["loadbalancers"]
        stuck = [lb["id"] for lb in lbs if lb["provisioning_status"].startswith("PENDING_")]
        assert not stuck, f"load balancers stuck in PENDING_*: {stuck}"
        active = [lb for lb in lbs if lb["provisioning_status"] == "ACTIVE"]
        # SINGLE topology: one amphora per ACTIVE LB; an ERROR LB (final == "ERROR") or the
        # half-built amphora of the killed flow must not leave a namespace behind.
        wait_for(
            f"{len(active)} amphora namespace(s) for {len(active)} ACTIVE LB(s) (killed LB ended {final})",
            lambda: len(namespaces_with_prefix(rig.amp_prefix)) == len(active) or None,
            30,
            0.5,
        )

        # Everything this test created can still be deleted.
        for lb in lbs:
            r = api.request("DELETE", f"/loadbalancers/{lb['id']}?cascade=true")
            assert r.status_code == 204, r.text
        for lb in lbs:
            api.wait_lb_gone(lb["id"])
        wait_for("amphora namespaces to be gone", lambda: not namespaces_with_prefix(rig.amp_prefix) or None, 10, 0.2)
    finally:
        proc.stop()
