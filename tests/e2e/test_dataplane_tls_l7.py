"""TLS-only data-plane features, proven with real traffic through ONE load balancer:

- the L7 rules that read the client certificate (SSL_CONN_HAS_CERT, SSL_VERIFY_RESULT,
  SSL_DN_FIELD with several DN keys and every compare type), plain and inverted, on a
  TERMINATED_HTTPS listener with OPTIONAL client authentication, so clients with a certificate,
  without one and with one from an untrusted CA all knock on the same door;
- the listener's tls_ciphers against TLSv1.2 clients restricted to one cipher;
- a re-encrypting pool toward an HTTPS member that requires a client certificate, offers only
  TLSv1.2, one cipher and HTTP/1.x ALPN: the pool's client certificate, tls_versions,
  tls_ciphers and alpn_protocols decide whether and how HAProxy gets through;
- certificates a pool stops using leave the amphora with the next push.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from dataplane import Dataplane
from lbkit import LBKit
from rig import Api, OctaviaProcess, Rig, wait_for
from tlskit import PKI, octavia_add

BLUE, GREEN, STRICT = ("blue", 21), ("green", 22), ("strict", 23)
LISTENER_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"
MEMBER_CIPHER = "ECDHE-ECDSA-AES128-GCM-SHA256"
OTHER_CIPHER = "ECDHE-ECDSA-AES256-GCM-SHA384"
ALICE_DN = "/C=DE/ST=Berlin/L=Mitte/O=Acme Corp/OU=dev-team/CN=alice/emailAddress=alice@example.com"
BOB_DN = "/C=US/ST=Ohio/L=Columbus/O=Globex/OU=ops-crew/CN=bob/emailAddress=bob@example.org"


class Site:
    def __init__(self, kit: LBKit, listener: str, pools: dict[str, str], clients: dict[str, dict],
                 refs: dict[str, str]) -> None:
        self.kit, self.listener, self.pools, self.clients, self.refs = kit, listener, pools, clients, refs

    def https(self, client: str, path: str = "/", **spec: Any) -> dict:
        """One request spec to the TLS listener as `client` (a key of `clients`)."""
        return {"port": 443, "tls": True, "path": path, "timeout": 3, **self.clients[client], **spec}

    def amphora_files(self) -> set[str]:
        """TLS files of this load balancer on the (local) amphora's disk."""
        return {p.name for p in (self.kit.rig.state_dir / "amphorae").rglob(f"{self.kit.lb_id}/*.pem")}


@pytest.fixture(scope="module")
def site(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[Site]:
    net = rig.net
    pki = PKI(rig.state_dir / "pki")
    for ca in ("server-ca", "client-ca", "wrong-ca", "member-ca", "pool-client-ca"):
        pki.ca(ca)
    server = pki.leaf("server-ca", "server", "tls.example.com", "DNS:tls.example.com", "serverAuth")
    alice = pki.leaf("client-ca", "alice", "alice", "DNS:alice", "clientAuth", subject=ALICE_DN)
    bob = pki.leaf("client-ca", "bob", "bob", "DNS:bob", "clientAuth", subject=BOB_DN)
    # Alice's DN, but from a CA the listener does not trust.
    stranger = pki.leaf("wrong-ca", "stranger", "alice", "DNS:alice", "clientAuth", subject=ALICE_DN)
    member_ip = net.host(STRICT[1])
    member = pki.leaf("member-ca", "member", "member", f"IP:{member_ip}", "serverAuth")
    pool_client = pki.leaf("pool-client-ca", "haproxy-client", "haproxy-client", "DNS:haproxy-client", "clientAuth")
    refs = {
        "server": octavia_add(rig, "certificate", "add", "--certificate", server[0], "--private-key", server[1]),
        "pool_client": octavia_add(rig, "certificate", "add", "--certificate", pool_client[0],
                                   "--private-key", pool_client[1]),
        "client_ca": octavia_add(rig, "secret", "add", "--file", pki.path("client-ca.pem")),
        "member_ca": octavia_add(rig, "secret", "add", "--file", pki.path("member-ca.pem")),
    }

    kit = LBKit.create(rig, dataplane, api, "tls-l7")
    for name, last in (BLUE, GREEN):
        dataplane.start_member(name, net.host(last))
    dataplane.start_member(STRICT[0], member_ip, 443, args=(
        "--tls", *member, "--client-ca", pki.path("pool-client-ca.pem"), "--tls-max", "TLSv1_2",
        "--ciphers", MEMBER_CIPHER, "--alpn", "http/1.1,http/1.0"))

    listener = kit.listener("TERMINATED_HTTPS", 443, default_tls_container_ref=refs["server"],
                            client_authentication="OPTIONAL", client_ca_tls_container_ref=refs["client_ca"],
                            tls_ciphers=LISTENER_CIPHERS)
    pools = {"blue": kit.pool("HTTP", listener_id=listener), "green": kit.pool("HTTP")}
    for name, last in (BLUE, GREEN):
        kit.member(pools[name], net.host(last), name=name)
    # Re-encryption: a plain HTTP listener whose pool talks TLS to the strict member.
    plain = kit.listener("HTTP", 80)
    pools["secure"] = kit.pool("HTTP", listener_id=plain, tls_enabled=True, tls_container_ref=refs["pool_client"],
                               ca_tls_container_ref=refs["member_ca"], tls_versions=["TLSv1.2", "TLSv1.3"],
                               alpn_protocols=["http/1.1"])
    kit.member(pools["secure"], member_ip, 443, name="strict")

    clients = {"nocert": {}, "alice": {"cert": alice[0], "key": alice[1]}, "bob": {"cert": bob[0], "key": bob[1]},
               "stranger": {"cert": stranger[0], "key": stranger[1]}}
    site = Site(kit, listener, pools, clients, refs)
    kit.wait_answer("the TLS listener to answer from blue", check=lambda r: r.get("body") == "blue",
                    **site.https("nocert"))
    yield site
    kit.delete_load_balancer()


def test_client_authentication_reaches_the_rules(site: Site) -> None:
    """OPTIONAL: no certificate and a trusted one get through; an untrusted one fails the handshake
    (HAProxy's `verify optional` still refuses a certificate it cannot verify)."""
    nocert, alice, stranger = (r[0] for r in site.kit.batch([site.https(c) for c in ("nocert", "alice", "stranger")]))
    assert nocert.get("body") == "blue" and alice.get("body") == "blue", (nocert, alice)
    assert "error" in stranger, stranger


# (type, key, compare_type, value, clients the rule matches, clients it does not match)
SSL_RULES = [
    ("SSL_CONN_HAS_CERT", None, "EQUAL_TO", "true", ["alice", "bob"], ["nocert"]),
    # ssl_c_verify is 0 for a verified certificate and for no certificate at all; a failed
    # verification never gets past the handshake (see above), so a non-zero value matches nobody.
    ("SSL_VERIFY_RESULT", None, "EQUAL_TO", "0", ["alice", "nocert"], []),
    ("SSL_VERIFY_RESULT", None, "EQUAL_TO", "20", [], ["alice", "nocert"]),
    ("SSL_DN_FIELD", "CN", "EQUAL_TO", "alice", ["alice"], ["bob", "nocert"]),
    ("SSL_DN_FIELD", "CN", "STARTS_WITH", "ali", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "CN", "ENDS_WITH", "ice", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "CN", "CONTAINS", "lic", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "CN", "REGEX", "^a[a-z]+e$", ["alice"], ["bob", "nocert"]),
    ("SSL_DN_FIELD", "O", "EQUAL_TO", "Acme Corp", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "O", "CONTAINS", "me C", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "OU", "ENDS_WITH", "-team", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "L", "STARTS_WITH", "Mit", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "ST", "EQUAL_TO", "Berlin", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "C", "REGEX", "^D[A-Z]$", ["alice"], ["bob"]),
    ("SSL_DN_FIELD", "emailAddress", "REGEX", r"^[a-z]+@example\.com$", ["alice"], ["bob", "nocert"]),
]


def test_ssl_rules_every_key_and_compare_type_plain_and_inverted(site: Site) -> None:
    kit = site.kit
    # One pool redirect whose single rule is rewritten for each case (rule updates reload too).
    policy = kit.policy(site.listener, "REDIRECT_TO_POOL", [], redirect_pool_id=site.pools["green"], position=1)
    first = SSL_RULES[0]
    rule = kit.call("POST", f"/l7policies/{policy}/rules",
                    {"rule": {"type": first[0], "compare_type": first[2], "value": first[3]}})["rule"]["id"]
    failures = []
    for rule_type, key, compare, value, matching, other in SSL_RULES:
        for invert in (False, True):
            fields: dict[str, Any] = {"type": rule_type, "compare_type": compare, "value": value, "invert": invert}
            if key:
                fields["key"] = key
            kit.call("PUT", f"/l7policies/{policy}/rules/{rule}", {"rule": fields})
            # A config HAProxy refuses leaves the LB ACTIVE on the old one, with the rule in ERROR.
            status = kit.api.get(f"/l7policies/{policy}/rules/{rule}").json()["rule"]["provisioning_status"]
            if status != "ACTIVE":
                failures.append(f"{rule_type} {key or ''} {compare} {value!r} invert={invert}: rule {status}")
                continue
            clients = matching + other
            answers = kit.batch([site.https(c) for c in clients])
            for client, [answer] in zip(clients, answers):
                wanted = "green" if (client in matching) != invert else "blue"
                if answer.get("body") != wanted:
                    failures.append(f"{rule_type} {key or ''} {compare} {value!r} invert={invert}: "
                                    f"{client} -> {answer}, wanted {wanted}")
    assert not failures, "\n".join(failures)
    kit.call("DELETE", f"/l7policies/{policy}")
    assert kit.one(**site.https("alice"))["body"] == "blue"


def test_listener_tls_ciphers(site: Site) -> None:
    """TLSv1.2 clients offering one cipher: outside the listener's list the handshake fails."""
    inside, outside, tls13 = (r[0] for r in site.kit.batch([
        site.https("nocert", tls_max="TLSv1_2", ciphers=MEMBER_CIPHER),
        site.https("nocert", tls_max="TLSv1_2", ciphers=OTHER_CIPHER),
        site.https("nocert"),
    ]))
    assert inside.get("status") == 200 and inside["cipher"] == MEMBER_CIPHER, inside
    assert "error" in outside, outside
    # TLSv1.3 suites are not governed by tls_ciphers.
    assert tls13.get("status") == 200 and tls13["cipher"].startswith("TLS_"), tls13


def test_pool_client_certificate_versions_ciphers_alpn(site: Site) -> None:
    kit, pool = site.kit, site.pools["secure"]

    def echo() -> dict:
        answer = kit.one("/echo", timeout=3)
        assert answer.get("status") == 200, answer
        return json.loads(answer["body"])["tls"]

    def change(wanted: int, **fields: Any) -> None:
        """PUTs the pool, then waits for the VIP to answer `wanted`."""
        kit.call("PUT", f"/pools/{pool}", {"pool": fields})
        assert kit.api.get(f"/pools/{pool}").json()["pool"]["provisioning_status"] == "ACTIVE", fields
        # A failed server handshake is retried (3 retries, ~1 s apart) before HAProxy answers 503.
        wait_for(f"HTTP {wanted} after {fields}",
                 lambda: kit.one("/echo", timeout=8).get("status") == wanted, 20, 0.3)

    # The member saw HAProxy's client certificate, TLSv1.2 (its maximum), its cipher, the pool's ALPN.
    kit.wait_answer("the strict member through the pool", "/echo")
    tls = echo()
    assert tls == {"version": "TLSv1.2", "cipher": MEMBER_CIPHER, "alpn": "http/1.1",
                   "client_cn": "haproxy-client"}, tls
    change(200, alpn_protocols=["http/1.0"])
    assert echo()["alpn"] == "http/1.0"

    # tls_ciphers: only a cipher the member does not offer -> no handshake -> 503; with it -> 200.
    change(503, tls_ciphers=OTHER_CIPHER)
    change(200, tls_ciphers=f"{OTHER_CIPHER}:{MEMBER_CIPHER}")
    # tls_versions: TLSv1.3 only toward a TLSv1.2-only member -> 503.
    change(503, tls_versions=["TLSv1.3"])
    change(200, tls_versions=["TLSv1.2"])

    # No client certificate: the member refuses HAProxy -> 503, and the unused file leaves the amphora.
    client_file = f"{site.refs['pool_client']}.pem"
    assert client_file in site.amphora_files()
    change(503, tls_container_ref=None)
    wait_for("the pool's client certificate file to be deleted", lambda: client_file not in site.amphora_files(), 10)
    change(200, tls_container_ref=site.refs["pool_client"])
    assert echo()["client_cn"] == "haproxy-client"
    assert client_file in site.amphora_files()
