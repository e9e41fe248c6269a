"""A real Keystone for the e2e tests: the keystone package from PyPI in its own venv
(`.venv-keystone`, made by scripts/setup-test-deps.sh), SQLite, fernet tokens, bootstrapped and
served on a free loopback port by uwsgi with its in-memory cache on. Stopped by PID.

    ks = Keystone.create(tmpdir); ks.start()
    project = ks.project("project-a"); ks.user("alice", "pw", project, ["member"])
    ks.register_load_balancer("http://127.0.0.1:9876")   # catalog entry, no endpoint override needed
    ...; ks.stop()

`python tests/e2e/keystone.py DIR` starts one in DIR and prints OS_* variables for manual use.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from rig import IN_CI, REPO, free_port, wait_for

VENV = Path(os.environ.get("OCTAVIA_KEYSTONE_VENV", REPO / ".venv-keystone"))
KEYSTONE_MANAGE = VENV / "bin" / "keystone-manage"
UWSGI = VENV / "bin" / "uwsgi"
ADMIN_PASSWORD = "admin-" + uuid.uuid4().hex[:12]
REGION = "RegionOne"
START_TIMEOUT = 60


def available() -> str | None:
    """None when Keystone can run here, else why not."""
    for path in (KEYSTONE_MANAGE, UWSGI):
        if not os.access(path, os.X_OK):
            return f"{path} is missing: run scripts/setup-test-deps.sh"
    return None


def require_keystone() -> None:
    """Fails in CI, skips elsewhere, when the Keystone venv is missing."""
    import pytest

    reason = available()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@dataclass
class Keystone:
    state_dir: Path
    port: int
    #: `[token] expiration` in seconds: short in tests that need a token to expire.
    token_expiration: int = 3600
    proc: subprocess.Popen[bytes] | None = None
    _admin_token: str | None = field(default=None, repr=False)
    _admin_issued: float = 0.0

    @classmethod
    def create(cls, base: Path, token_expiration: int = 3600) -> "Keystone":
        state = base / "keystone"
        for sub in ("fernet-keys", "fernet-receipts", "credential-keys"):
            (state / sub).mkdir(parents=True, exist_ok=True)
        return cls(state_dir=state, port=free_port(), token_expiration=token_expiration)

    @property
    def url(self) -> str:
        """The Identity v3 endpoint (OS_AUTH_URL)."""
        return f"http://127.0.0.1:{self.port}/v3"

    @property
    def config_path(self) -> Path:
        return self.state_dir / "keystone.conf"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "keystone.log"

    def render_config(self) -> str:
        s = self.state_dir
        return f"""[DEFAULT]
log_file = {s}/keystone-app.log

[database]
connection = sqlite:///{s}/keystone.db

[token]
provider = fernet
expiration = {self.token_expiration}

[fernet_tokens]
key_repository = {s}/fernet-keys

[fernet_receipts]
key_repository = {s}/fernet-receipts

[credential]
key_repository = {s}/credential-keys

[cache]
enabled = true
backend = dogpile.cache.memory
"""

    def _manage(self, *args: str) -> None:
        subprocess.run([str(KEYSTONE_MANAGE), "--config-file", str(self.config_path), *args], check=True,
                       capture_output=True, timeout=180, cwd=self.state_dir)

    def start(self) -> None:
        self.config_path.write_text(self.render_config())
        user = os.environ.get("USER") or "root"
        self._manage("db_sync")
        self._manage("fernet_setup", "--keystone-user", user, "--keystone-group", user)
        self._manage("credential_setup", "--keystone-user", user, "--keystone-group", user)
        self._manage("bootstrap", "--bootstrap-password", ADMIN_PASSWORD, "--bootstrap-admin-url", self.url,
                     "--bootstrap-internal-url", self.url, "--bootstrap-public-url", self.url,
                     "--bootstrap-region-id", REGION)
        self.launch()

    def launch(self) -> None:
        """Starts (or restarts) the uwsgi server on the same port and database."""
        log = open(self.log_path, "ab")
        env = dict(os.environ, OS_KEYSTONE_CONFIG_FILES=str(self.config_path))
        self.proc = subprocess.Popen(
            [str(UWSGI), "--http-socket", f"127.0.0.1:{self.port}", "--module", "keystone.wsgi.api:application",
             "--master", "--processes", "1", "--threads", "4", "--lazy-apps", "--die-on-term",
             "--virtualenv", str(VENV),
             # uwsgi's http-socket does not keep connections alive but does not say so either:
             # a client reusing one gets "connection reset" on its next POST.
             "--add-header", "Connection: close"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.state_dir, env=env,
            start_new_session=True)
        log.close()

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"keystone exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                return requests.get(self.url, timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for("keystone GET /v3", ready, START_TIMEOUT, 0.2)

    def restart(self, token_expiration: int | None = None) -> None:
        """Stops and relaunches on the same port, database and keys, optionally with another
        token lifetime (tokens already issued keep theirs)."""
        self.stop()
        if token_expiration is not None:
            self.token_expiration = token_expiration
            self.config_path.write_text(self.render_config())
        self._admin_token = None
        self.launch()

    def stop(self) -> None:
        """SIGTERM to the uwsgi master (its own session), SIGKILL to the group after 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        # --lazy-apps workers are in the master's session: make sure none outlived it.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def log_tail(self, limit: int = 8000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    # --- tokens and the admin API -------------------------------------------------------------

    def token(self, user: str, password: str, project: str | None) -> str:
        """A token for `user` scoped to `project` (by name, Default domain), or unscoped."""
        auth: dict[str, Any] = {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "password": password, "domain": {"id": "default"}}}}}
        if project is not None:
            auth["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
        r = requests.post(self.url + "/auth/tokens?nocatalog", json={"auth": auth}, timeout=30)
        assert r.status_code == 201, f"token for {user}: {r.status_code} {r.text[:300]}"
        return r.headers["X-Subject-Token"]

    def admin(self, method: str, path: str, body: Any = None) -> requests.Response:
        # Renewed at half its lifetime: tests run with short-lived tokens.
        if self._admin_token is None or time.monotonic() - self._admin_issued > self.token_expiration / 2:
            self._admin_token = self.token("admin", ADMIN_PASSWORD, "admin")
            self._admin_issued = time.monotonic()
        return requests.request(method, self.url + path, json=body, headers={"X-Auth-Token": self._admin_token},
                                timeout=30)

    def _find(self, collection: str, name: str) -> str | None:
        r = self.admin("GET", f"/{collection}?name={name}")
        assert r.status_code == 200, r.text
        items = r.json()[collection]
        return items[0]["id"] if items else None

    def role(self, name: str) -> str:
        """The role's id, created if needed (bootstrap made admin, member, reader)."""
        found = self._find("roles", name)
        if found:
            return found
        r = self.admin("POST", "/roles", {"role": {"name": name}})
        assert r.status_code == 201, r.text
        return r.json()["role"]["id"]

    def project(self, name: str) -> str:
        found = self._find("projects", name)
        if found:
            return found
        r = self.admin("POST", "/projects", {"project": {"name": name, "domain_id": "default"}})
        assert r.status_code == 201, r.text
        return r.json()["project"]["id"]

    def user(self, name: str, password: str, project_id: str | None, roles: list[str]) -> str:
        """Creates the user and grants `roles` on `project_id`."""
        r = self.admin("POST", "/users", {"user": {"name": name, "password": password, "domain_id": "default"}})
        assert r.status_code == 201, r.text
        user_id = r.json()["user"]["id"]
        for role in roles:
            g = self.admin("PUT", f"/projects/{project_id}/users/{user_id}/roles/{self.role(role)}")
            assert g.status_code == 204, g.text
        return user_id

    def register_service(self, service_type: str, name: str, endpoint: str) -> None:
        """A catalog entry (what `openstack service create` + `endpoint create` do): endpoints on
        every interface in RegionOne."""
        r = self.admin("POST", "/services", {"service": {"type": service_type, "name": name}})
        assert r.status_code == 201, r.text
        service = r.json()["service"]["id"]
        for interface in ("public", "internal", "admin"):
            e = self.admin("POST", "/endpoints", {"endpoint": {"service_id": service, "interface": interface,
                                                               "url": endpoint, "region_id": REGION}})
            assert e.status_code == 201, e.text

    def register_load_balancer(self, endpoint: str) -> None:
        """Octavia (`load-balancer`) at `endpoint`, plus the read-only Neutron look-ups the
        all-in-one serves under `/networking` (the CLI resolves `--vip-subnet-id` through them)."""
        self.register_service("load-balancer", "octavia", endpoint)
        self.register_service("network", "neutron", endpoint + "/networking")

    def os_env(self, user: str, password: str, project: str) -> dict[str, str]:
        """Ordinary password-auth environment for the openstack CLI (no endpoint override)."""
        return {"OS_AUTH_URL": self.url, "OS_IDENTITY_API_VERSION": "3", "OS_AUTH_TYPE": "password",
                "OS_USERNAME": user, "OS_PASSWORD": password, "OS_PROJECT_NAME": project,
                "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default", "OS_REGION_NAME": REGION,
                "OS_INTERFACE": "public"}


def main() -> None:
    base = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/keystone-dev")
    base.mkdir(parents=True, exist_ok=True)
    ks = Keystone.create(base)
    ks.start()
    print(f"keystone pid {ks.proc.pid if ks.proc else '?'} at {ks.url}; admin password {ADMIN_PASSWORD}")
    for key, value in ks.os_env("admin", ADMIN_PASSWORD, "admin").items():
        print(f"export {key}={value}")
    print(f"stop with: kill {ks.proc.pid if ks.proc else '?'}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
