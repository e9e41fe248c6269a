"""Crash safety: `kill -9` of octavia while a load balancer is PENDING_CREATE must not leave it
stuck. After a restart with the same config it ends ACTIVE, or ERROR with its amphora cleaned up."""

from __future__ import annotations

from dataplane import Dataplane, namespaces_with_prefix
from rig import ACTIVE_TIMEOUT, Api, OctaviaProcess, Rig, assert_clean_exit, wait_for


def test_kill9_during_pending_create_recovers(rig: Rig, dataplane: Dataplane, api: Api) -> None:
    # An agent that takes 3 s to boot keeps the create flow mid-way (namespace made, agent not
    # answering yet) long enough to kill octavia there every time, not by luck.
    slow_agent = rig.state_dir / "slow-agent.sh"
    slow_agent.write_text(f"#!/bin/sh\nsleep 3\nexec {rig.agent_command} \"$@\"\n")
    slow_agent.chmod(0o755)
    rig.agent_command = str(slow_agent)
    rig.config_path.write_text(rig.render_config())
    proc = OctaviaProcess(rig)
    proc.start()
    try:
        r = api.request("POST", "/loadbalancers",
                        {"loadbalancer": {"name": f"e2e-restart-{rig.run_id}", "vip_subnet_id": rig.net.subnet_id}})
        assert r.status_code == 201, r.text
        lb_id = r.json()["loadbalancer"]["id"]
        wait_for("the amphora namespace of the create flow", lambda: namespaces_with_prefix(rig.amp_prefix) or None, 10, 0.05)
        assert api.lb_status(lb_id) == "PENDING_CREATE"
        proc.kill9()
        assert namespaces_with_prefix(rig.amp_prefix), "the half-built amphora should still exist after kill -9"

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
        code = proc.stop()
    # Only reached when the test body passed: a crash or hang at shutdown fails the test too.
    assert_clean_exit(code, proc)
