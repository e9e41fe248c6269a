"""API conformance through the real `openstack` CLI (`-f json`, noauth), on a noop-driver all-in-one:
the key create/show/list/set/delete commands of each resource, list filters, name resolution and
how an API error reaches the user (`<faultstring> (HTTP <code>)`)."""

from __future__ import annotations

import uuid
from typing import Callable

import pytest

from rig import Cli, Rig
from openstack import connection

from sdk import conn, octavia, rig, settle, wait_gone  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.usefixtures("octavia"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    run = uuid.uuid4().hex[:6]
    return {k: f"cli-{run}-{k}" for k in ("lb", "lb2", "listener", "pool", "member", "hm")}


@pytest.fixture(scope="module")
def wait(conn: connection.Connection, names: dict[str, str]) -> Callable[[], None]:
    """Waits for the test load balancer to be ACTIVE again. The CLI's own `--wait` polls every 3 s,
    so only the first create uses it; the rest wait here (0.1 s polls)."""
    def wait_active() -> None:
        settle(conn, names["lb_id"])
    return wait_active


def fails(cli: Cli, *args: str) -> str:
    """Runs a command that must fail; returns its stderr + stdout."""
    result = cli.run(*args)
    assert result.returncode != 0, f"openstack {' '.join(args)} should fail:\n{result.stdout}"
    return result.stderr + result.stdout


def test_cli_load_balancer(cli: Cli, rig: Rig, conn: connection.Connection, names: dict[str, str],
                           wait: Callable[[], None]) -> None:
    lb = cli.json("loadbalancer", "create", "--name", names["lb"], "--vip-subnet-id", rig.net.subnet_id,
                  "--description", "d", "--tag", "red", "--tag", "x", "--wait")
    names["lb_id"] = lb["id"]
    assert lb["name"] == names["lb"] and lb["vip_subnet_id"] == rig.net.subnet_id, lb
    shown = cli.json("loadbalancer", "show", names["lb"])
    assert shown["id"] == lb["id"] and shown["provisioning_status"] == "ACTIVE", shown
    assert shown["description"] == "d" and sorted(shown["tags"]) == ["red", "x"], shown
    assert cli.json("loadbalancer", "show", lb["id"])["name"] == names["lb"]

    lb2 = cli.json("loadbalancer", "create", "--name", names["lb2"], "--vip-subnet-id", rig.net.subnet_id,
                   "--tag", "blue")
    settle(conn, lb2["id"])
    listed = cli.json("loadbalancer", "list", "--name", names["lb"])
    assert [o["id"] for o in listed] == [lb["id"]], listed
    active = {o["name"] for o in cli.json("loadbalancer", "list", "--provisioning-status", "ACTIVE")}
    assert {names["lb"], names["lb2"]} <= active, active
    assert not cli.json("loadbalancer", "list", "--provisioning-status", "ERROR")
    assert {o["name"] for o in cli.json("loadbalancer", "list", "--tags", "red,x")} == {names["lb"]}
    assert {o["name"] for o in cli.json("loadbalancer", "list", "--any-tags", "red,blue")} == \
        {names["lb"], names["lb2"]}
    assert names["lb"] not in {o["name"] for o in cli.json("loadbalancer", "list", "--not-any-tags", "red")}

    cli.ok("loadbalancer", "set", "--description", "d2", "--disable", names["lb"])
    wait()
    shown = cli.json("loadbalancer", "show", names["lb"])
    assert shown["description"] == "d2" and shown["admin_state_up"] is False, shown
    cli.ok("loadbalancer", "set", "--enable", names["lb"])
    wait()

    cli.ok("loadbalancer", "delete", names["lb2"])
    wait_gone(conn, lb2["id"])
    assert f"Unable to locate {names['lb2']}" in fails(cli, "loadbalancer", "show", names["lb2"])


def test_cli_children(cli: Cli, rig: Rig, names: dict[str, str], wait: Callable[[], None]) -> None:
    listener = cli.json("loadbalancer", "listener", "create", "--name", names["listener"], "--protocol", "HTTP",
                        "--protocol-port", "80", names["lb"])
    assert listener["protocol_port"] == 80 and listener["provisioning_status"] == "PENDING_CREATE", listener
    wait()
    listed = cli.json("loadbalancer", "listener", "list", "--loadbalancer", names["lb"])
    assert [o["id"] for o in listed] == [listener["id"]], listed

    out = fails(cli, "loadbalancer", "listener", "create", "--protocol", "HTTP", "--protocol-port", "80",
                names["lb"])
    assert "(HTTP 409)" in out, out

    pool = cli.json("loadbalancer", "pool", "create", "--name", names["pool"], "--listener", names["listener"],
                    "--protocol", "HTTP", "--lb-algorithm", "ROUND_ROBIN")
    assert pool["lb_algorithm"] == "ROUND_ROBIN", pool
    wait()
    assert cli.json("loadbalancer", "listener", "show", names["listener"])["default_pool_id"] == pool["id"]

    member = cli.json("loadbalancer", "member", "create", "--name", names["member"], "--address", rig.net.host(51),
                      "--protocol-port", "8080", "--subnet-id", rig.net.subnet_id, names["pool"])
    assert member["address"] == rig.net.host(51) and member["weight"] == 1, member
    wait()
    members = cli.json("loadbalancer", "member", "list", names["pool"])
    assert [m["id"] for m in members] == [member["id"]], members
    cli.ok("loadbalancer", "member", "set", "--weight", "5", names["pool"], names["member"])
    wait()
    assert cli.json("loadbalancer", "member", "show", names["pool"], names["member"])["weight"] == 5

    hm = cli.json("loadbalancer", "healthmonitor", "create", "--name", names["hm"], "--delay", "5", "--timeout", "3",
                  "--max-retries", "2", "--type", "HTTP", "--url-path", "/health", names["pool"])
    assert hm["url_path"] == "/health" and hm["max_retries_down"] == 3, hm
    wait()
    out = fails(cli, "loadbalancer", "healthmonitor", "create", "--delay", "5", "--timeout", "3", "--max-retries",
                "2", "--type", "TCP", names["pool"])
    assert "(HTTP 409)" in out, out
    cli.ok("loadbalancer", "healthmonitor", "set", "--delay", "9", names["hm"])
    wait()
    assert cli.json("loadbalancer", "healthmonitor", "show", names["hm"])["delay"] == 9

    cli.ok("loadbalancer", "healthmonitor", "delete", names["hm"])
    wait()
    cli.ok("loadbalancer", "member", "delete", names["pool"], names["member"])
    wait()
    assert cli.json("loadbalancer", "member", "list", names["pool"]) == []
    cli.ok("loadbalancer", "pool", "delete", names["pool"])
    wait()
    cli.ok("loadbalancer", "listener", "delete", names["listener"])
    wait()
    assert cli.json("loadbalancer", "listener", "list", "--loadbalancer", names["lb"]) == []


def test_cli_errors(cli: Cli, names: dict[str, str]) -> None:
    unknown = str(uuid.uuid4())
    assert f"Unable to locate {unknown}" in fails(cli, "loadbalancer", "show", unknown)
    out = fails(cli, "loadbalancer", "set", "--name", "x", unknown)
    assert unknown in out, out
    # A server-side field error: name longer than 255 (the CLI does not check lengths).
    out = fails(cli, "loadbalancer", "set", "--name", "n" * 256, names["lb"])
    assert "Invalid input for field/attribute name" in out and "(HTTP 400)" in out, out


def test_cli_cascade_delete(cli: Cli, conn: connection.Connection, names: dict[str, str],
                            wait: Callable[[], None]) -> None:
    cli.json("loadbalancer", "listener", "create", "--protocol", "TCP", "--protocol-port", "9000", names["lb"])
    wait()
    out = fails(cli, "loadbalancer", "delete", names["lb"])
    assert "it has children" in out and "(HTTP 400)" in out, out
    cli.ok("loadbalancer", "delete", "--cascade", names["lb"])
    wait_gone(conn, names["lb_id"])
    assert names["lb"] not in {o["name"] for o in cli.json("loadbalancer", "list")}
