"""Fixtures for the end-to-end tests.

Each test module gets its own run: a unique id, state directory, octavia.conf (free API port,
unique switch namespace and amphora namespace prefix, its own /24), its own octavia process and
data plane. Teardown order: octavia stops first (SIGTERM by PID, then SIGKILL), then the data
plane cleanup kills the run's processes and deletes the run's namespaces, then asserts none remain.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from dataplane import Dataplane
from rig import Api, Cli, OctaviaProcess, Rig, assert_clean_exit, check_prerequisites, tail_logs


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Attaches the octavia logs of the run to any failing test report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        rig = getattr(item, "funcargs", {}).get("rig")
        if isinstance(rig, Rig) and rig.logs:
            report.sections.append(("octavia log (tail)", tail_logs(rig.logs)))
            extra = sorted(rig.state_dir.glob("member-*.log"))
            if extra:
                report.sections.append(("member logs", tail_logs(extra, 2000)))


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    check_prerequisites()
    base = Path(tempfile.mkdtemp(prefix="octavia-e2e-"))
    rig = Rig.create(base)
    yield rig
    # Failing reports already carry the logs; OCTAVIA_E2E_KEEP=1 keeps the whole state dir.
    if not os.environ.get("OCTAVIA_E2E_KEEP"):
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def dataplane(rig: Rig) -> Iterator[Dataplane]:
    plane = Dataplane(rig)
    yield plane
    problems = plane.cleanup()
    assert not problems, "cleanup left things behind:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def octavia(rig: Rig, dataplane: Dataplane) -> Iterator[OctaviaProcess]:
    """A running `octavia all-in-one` for the module (depends on dataplane so it stops first)."""
    proc = OctaviaProcess(rig)
    proc.start()
    yield proc
    code = proc.stop()
    print(f"octavia stopped with exit code {code}")
    assert_clean_exit(code, proc)


@pytest.fixture(scope="module")
def cli(rig: Rig) -> Cli:
    return Cli(rig)


@pytest.fixture(scope="module")
def api(rig: Rig) -> Api:
    return Api(rig)
