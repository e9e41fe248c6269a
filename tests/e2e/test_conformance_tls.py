"""TLS listeners through the real `openstack` CLI on a noop-driver all-in-one whose certificate
manager is the local one (the rig's `[certificates] storage_path` in its state dir): certificates
are added with `octavia certificate add`, a TERMINATED_HTTPS listener uses them as default and SNI
certificates, a bogus reference is refused with 400, and tls_versions can be changed and unset."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from rig import OCTAVIA_BIN, Cli, Rig
from openstack import connection

from sdk import conn, octavia, rig, settle  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.usefixtures("octavia"),
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")]


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed P-256 certificate and its key, made by the openssl CLI."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def octavia_cli(rig: Rig, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(OCTAVIA_BIN), *args, "--config-file", str(rig.config_path)],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def refs(rig: Rig) -> dict[str, str]:
    certs = rig.state_dir / "pem"
    certs.mkdir(exist_ok=True)
    out: dict[str, str] = {}
    for name in ("www.example.test", "api.example.test"):
        cert, key = make_certificate(certs, name)
        added = octavia_cli(rig, "certificate", "add", "--certificate", str(cert), "--private-key", str(key))
        assert added.returncode == 0, added.stderr
        out[name] = added.stdout.strip()
        uuid.UUID(out[name])
    return out


def test_certificate_add_show_list_and_refusal(rig: Rig, refs: dict[str, str]) -> None:
    ref = refs["www.example.test"]
    shown = octavia_cli(rig, "certificate", "show", ref, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    entry = json.loads(shown.stdout)
    assert entry["kind"] == "certificate" and entry["dns_names"] == ["www.example.test"], entry
    listed = octavia_cli(rig, "certificate", "list", "--format", "json")
    assert {e["reference"] for e in json.loads(listed.stdout)} >= set(refs.values())
    # A key that does not belong to the certificate is refused with a clear message and exit 1.
    other_cert, _ = make_certificate(rig.state_dir / "pem", "other.test")
    mismatch = octavia_cli(rig, "certificate", "add", "--certificate", str(other_cert),
                           "--private-key", str(rig.state_dir / "pem" / "www.example.test.key"))
    assert mismatch.returncode == 1 and "does not match" in mismatch.stderr, mismatch


def test_cli_terminated_https_listener(cli: Cli, rig: Rig, conn: connection.Connection, refs: dict[str, str]) -> None:
    name = f"tls-{uuid.uuid4().hex[:6]}"
    lb = cli.json("loadbalancer", "create", "--name", name, "--vip-subnet-id", rig.net.subnet_id, "--wait")
    www, api = refs["www.example.test"], refs["api.example.test"]

    bogus = str(uuid.uuid4())
    failed = cli.run("loadbalancer", "listener", "create", "--name", f"{name}-bad", "--protocol", "TERMINATED_HTTPS",
                     "--protocol-port", "443", "--default-tls-container-ref", bogus, lb["id"])
    assert failed.returncode != 0
    assert f"Could not retrieve certificate: ['{bogus}']" in failed.stderr and "HTTP 400" in failed.stderr, failed.stderr

    # The load balancer first: --sni-container-refs takes every value up to the next option.
    listener = cli.json("loadbalancer", "listener", "create", lb["id"], "--name", f"{name}-l",
                        "--protocol", "TERMINATED_HTTPS", "--protocol-port", "443",
                        "--default-tls-container-ref", www, "--sni-container-refs", www, api)
    settle(conn, lb["id"])
    shown = cli.json("loadbalancer", "listener", "show", listener["id"])
    assert shown["protocol"] == "TERMINATED_HTTPS" and shown["default_tls_container_ref"] == www, shown
    sni = shown["sni_container_refs"]
    sni = sni if isinstance(sni, list) else sni.replace(",", " ").split()
    assert sorted(sni) == sorted([www, api]), shown
    versions = shown["tls_versions"]
    assert "TLSv1.2" in str(versions) and "TLSv1.3" in str(versions), shown

    cli.ok("loadbalancer", "listener", "set", "--tls-version", "TLSv1.3", listener["id"])
    settle(conn, lb["id"])
    assert conn.load_balancer.get_listener(listener["id"]).tls_versions == ["TLSv1.3"]
    bad_version = cli.run("loadbalancer", "listener", "set", "--tls-version", "TLSv9", listener["id"])
    assert bad_version.returncode != 0 and "HTTP 400" in bad_version.stderr, bad_version.stderr
    cli.ok("loadbalancer", "listener", "unset", "--tls-versions", listener["id"])
    settle(conn, lb["id"])
    assert conn.load_balancer.get_listener(listener["id"]).tls_versions == ["TLSv1.2", "TLSv1.3"]

    cli.ok("loadbalancer", "delete", "--cascade", lb["id"])
