"""Shared by the TLS end-to-end modules (test_e2e_tls.py, test_dataplane_tls_l7.py): test
certificates made with the openssl CLI, the operator's `octavia certificate add` / `octavia
secret add`, and a one-handshake TLS client that runs inside a client namespace."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rig import OCTAVIA_BIN, Rig

# Runs inside the client namespace: one TLS handshake (optionally a GET over HTTP/1.1), as JSON.
TLS_CLIENT = r"""
import json, socket, ssl, sys
a = json.loads(sys.argv[1])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(a["ca"])
if a.get("cert"): ctx.load_cert_chain(a["cert"], a["key"])
if a.get("max"): ctx.maximum_version = getattr(ssl.TLSVersion, a["max"])
if a.get("min"): ctx.minimum_version = getattr(ssl.TLSVersion, a["min"])
if a.get("alpn"): ctx.set_alpn_protocols(a["alpn"])
if a.get("nocheck"): ctx.check_hostname = False
out = {}
try:
    raw = socket.create_connection((a["vip"], a["port"]), timeout=5)
    s = ctx.wrap_socket(raw, server_hostname=a["name"])
    cert = s.getpeercert()
    out["cn"] = dict(x[0] for x in cert["subject"])["commonName"]
    out["version"], out["alpn"] = s.version(), s.selected_alpn_protocol()
    if a.get("path") and out["alpn"] != "h2":
        s.sendall(f"GET {a['path']} HTTP/1.1\r\nHost: {a['name']}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        out["status"] = int(lines[0].split()[1])
        out["headers"] = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        out["body"] = body.decode(errors="replace")
    s.close()
except Exception as exc:
    out["error"] = repr(exc)
print(json.dumps(out))
"""


class PKI:
    """CAs and leaf certificates made with the openssl CLI in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)

    def run(self, *argv: str) -> None:
        subprocess.run(["openssl", *argv], cwd=self.dir, check=True, capture_output=True, timeout=60)

    def path(self, name: str) -> str:
        return str(self.dir / name)

    def ca(self, name: str) -> str:
        self.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", f"{name}.key", "-out", f"{name}.pem", "-subj", f"/CN={name}", "-days", "2",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        (self.dir / f"{name}.index").write_text("")
        (self.dir / f"{name}.crlnumber").write_text("01\n")
        (self.dir / f"{name}.cnf").write_text(
            f"[ca]\ndefault_ca = c\n[c]\ndatabase = {name}.index\ncrlnumber = {name}.crlnumber\n"
            "default_md = sha256\ndefault_crl_days = 2\n")
        return self.path(f"{name}.pem")

    def leaf(self, ca: str, name: str, cn: str, san: str, usage: str, subject: str | None = None) -> tuple[str, str]:
        """`subject` (openssl -subj form) replaces the default `/CN=<cn>`."""
        self.run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject or f"/CN={cn}")
        (self.dir / f"{name}.ext").write_text(f"subjectAltName={san}\nextendedKeyUsage={usage}\n")
        self.run("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
                 "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")
        return self.path(f"{name}.pem"), self.path(f"{name}.key")

    def crl(self, ca: str, revoke: list[str]) -> str:
        for name in revoke:
            self.run("ca", "-config", f"{ca}.cnf", "-revoke", f"{name}.pem", "-keyfile", f"{ca}.key", "-cert", f"{ca}.pem")
        self.run("ca", "-config", f"{ca}.cnf", "-gencrl", "-keyfile", f"{ca}.key", "-cert", f"{ca}.pem",
                 "-out", f"{ca}-crl.pem")
        return self.path(f"{ca}-crl.pem")


def octavia_add(rig: Rig, *argv: str) -> str:
    result = subprocess.run([str(OCTAVIA_BIN), *argv, "--config-file", str(rig.config_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def tls_get(client_ns: str, **options) -> dict:
    result = subprocess.run(["ip", "netns", "exec", client_ns, sys.executable, "-c", TLS_CLIENT, json.dumps(options)],
                            capture_output=True, text=True, timeout=30, check=True)
    return json.loads(result.stdout)
