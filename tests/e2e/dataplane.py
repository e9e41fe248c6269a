"""Test-side data plane: client and member namespaces plugged on the local network's bridge,
member HTTP servers, traffic probes, and the cleanup that runs even when a test fails.

Traffic only ever goes to addresses inside namespaces of this run (10.231.x.0/24 on the run's
own bridge inside the run's own switch namespace).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from rig import Rig, wait_for

HERE = Path(__file__).resolve().parent
MEMBER_SERVER = HERE / "member_server.py"
HTTP_PROBE = HERE / "http_probe.py"


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(argv), capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} -> rc {result.returncode}: {result.stderr.strip()}")
    return result


def list_namespaces() -> list[str]:
    out = sh("ip", "netns", "list", check=False).stdout
    # Lines look like "name" or "name (id: 3)".
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def namespaces_with_prefix(prefix: str) -> list[str]:
    return [ns for ns in list_namespaces() if ns.startswith(prefix)]


def process_alive(pid: int) -> bool:
    """True unless the process is gone or a zombie (zombies are reaped late in some sandboxes)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def processes_referencing(needles: list[str]) -> list[tuple[int, str]]:
    """Live processes whose command line or working directory contains one of `needles`."""
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        pid = int(entry.name)
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            cwd = ""
        if any(n in cmdline or n in cwd for n in needles) and process_alive(pid):
            found.append((pid, cmdline or f"[cwd {cwd}]"))
    return found


def terminate(pids: list[int]) -> None:
    """SIGTERM, wait up to 5 s, then SIGKILL whatever is left."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(process_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if process_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class Dataplane:
    """Namespaces and processes this run creates; `cleanup` removes all of them."""

    def __init__(self, rig: Rig) -> None:
        self.rig = rig
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def ns(self, name: str) -> str:
        return self.rig.prefix + name

    def wait_bridge(self, timeout: float = 30) -> None:
        """The local network driver creates the bridge; tests plug onto it."""
        rig = self.rig

        def present() -> bool:
            return sh("ip", "-n", rig.switch_ns, "link", "show", rig.net.bridge, check=False).returncode == 0

        wait_for(f"bridge {rig.net.bridge} in namespace {rig.switch_ns}", present, timeout)

    def add_host(self, name: str, address: str) -> str:
        """A namespace `<prefix><name>` with eth0 = address/24 on the local network's bridge."""
        ns, sw, net = self.ns(name), self.rig.switch_ns, self.rig.net
        peer = f"e2e-{name}"[:15]
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", peer, "netns", sw)
        sh("ip", "-n", sw, "link", "set", peer, "master", net.bridge, "up")
        sh("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", "eth0")
        sh("ip", "-n", ns, "link", "set", "eth0", "up")
        return ns

    def start_member(self, name: str, address: str, port: int = 80, *, args: tuple[str, ...] = (),
                     host: str | None = None, key: str | None = None) -> subprocess.Popen[bytes]:
        """member_server.py answering `name`, in a new host namespace `name`, or in the existing
        namespace `host` (a second server or a restart). `args` go to member_server.py (--proxy,
        --tls CERT KEY); `key` names the process for stop_member (default `name`)."""
        ns = host or self.add_host(name, address)
        key = key or name
        log = open(self.rig.state_dir / f"member-{key}.log", "ab")
        # `ip netns exec` execs the command, so the PID is the server's own.
        proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, str(MEMBER_SERVER), "--name", name, "--bind", address,
             "--port", str(port), *args],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        self.procs[key] = proc
        return proc

    def stop_member(self, key: str) -> None:
        proc = self.procs[key]
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)

    def probe(self, client_ns: str, url: str, count: int, timeout: float = 5.0) -> list[dict]:
        """`count` GETs from inside `client_ns`, each on a new connection."""
        result = subprocess.run(
            ["ip", "netns", "exec", client_ns, sys.executable, str(HTTP_PROBE), url, str(count), str(timeout)],
            capture_output=True, text=True, timeout=60 + count * (timeout + 1),
        )
        if result.returncode != 0:
            pytest.fail(f"probe failed: {result.stderr}", pytrace=False)
        return json.loads(result.stdout)

    @staticmethod
    def tally(results: list[dict]) -> Counter[str]:
        """Counts answers by body; failures count as `error` / `http-<status>`."""
        counts: Counter[str] = Counter()
        for r in results:
            if "error" in r:
                counts["error"] += 1
            elif r["status"] != 200:
                counts[f"http-{r['status']}"] += 1
            else:
                counts[r["body"]] += 1
        return counts

    def leftovers(self) -> dict[str, list]:
        """What of this run still exists: namespaces with the run's prefix, processes of the run."""
        rig = self.rig
        return {
            "namespaces": namespaces_with_prefix(rig.prefix),
            "processes": processes_referencing([str(rig.state_dir), rig.prefix]),
        }

    def cleanup(self) -> list[str]:
        """Kills this run's processes, deletes this run's namespaces; returns what could not be removed.

        Only PIDs this run created are killed: member servers started here, processes inside
        namespaces with the run's unique prefix, and processes referencing the run's state dir.
        """
        rig = self.rig
        terminate([p.pid for p in self.procs.values() if p.poll() is None])
        for p in self.procs.values():
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        pids: set[int] = set()
        for ns in namespaces_with_prefix(rig.prefix):
            out = sh("ip", "netns", "pids", ns, check=False).stdout
            pids.update(int(x) for x in out.split() if x.isdigit())
        pids.update(pid for pid, _ in processes_referencing([str(rig.state_dir), rig.prefix]))
        pids.discard(os.getpid())
        terminate(sorted(pids))
        for ns in namespaces_with_prefix(rig.prefix):
            sh("ip", "netns", "del", ns, check=False)
        problems = [f"namespace {ns} still exists" for ns in namespaces_with_prefix(rig.prefix)]
        problems += [f"process {pid} still running: {cmd}" for pid, cmd in
                     processes_referencing([str(rig.state_dir), rig.prefix])]
        return problems
