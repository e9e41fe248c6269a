"""TLS through the amphora's HAProxy with real traffic: certificates from the local certificate
manager (`octavia certificate add` / `octavia secret add`), TERMINATED_HTTPS listeners (default
and SNI certificates, client authentication with a CRL, TLS versions, ALPN h2, HSTS, X-SSL-*
headers) and a pool that re-encrypts to an HTTPS member with CA verification.

Every certificate is made here with the openssl CLI; clients run inside a client namespace."""

from __future__ import annotations

import json
import subprocess

from dataplane import Dataplane
from rig import Api, OctaviaProcess, Rig, wait_for
from tlskit import PKI, octavia_add, tls_get

CLIENT_HOST, PLAIN_MEMBER, TLS_MEMBER = 10, 21, 22


def create(api: Api, lb_id: str, kind: str, body: dict) -> dict:
    answer = api.request("POST", f"/{kind}s", {kind: body})
    assert answer.status_code == 201, answer.text
    api.wait_lb(lb_id)
    return answer.json()[kind]


def test_tls_termination_client_auth_and_reencryption(
    rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api
) -> None:
    net = rig.net
    pki = PKI(rig.state_dir / "pki")
    server_ca, client_ca, member_ca, wrong_ca = (pki.ca(n) for n in ("server-ca", "client-ca", "member-ca", "wrong-ca"))
    default_cert = pki.leaf("server-ca", "default", "default.example.com", "DNS:default.example.com", "serverAuth")
    sni_cert = pki.leaf("server-ca", "sni", "sni.example.com", "DNS:sni.example.com", "serverAuth")
    good = pki.leaf("client-ca", "client-good", "client-good", "DNS:client-good", "clientAuth")
    revoked = pki.leaf("client-ca", "client-revoked", "client-revoked", "DNS:client-revoked", "clientAuth")
    stranger = pki.leaf("wrong-ca", "stranger", "stranger", "DNS:stranger", "clientAuth")
    crl = pki.crl("client-ca", ["client-revoked"])
    member_ip = net.host(TLS_MEMBER)
    member_cert = pki.leaf("member-ca", "member", "member.example.com", f"DNS:member.example.com,IP:{member_ip}",
                           "serverAuth")

    # --- the operator stores certificates and secrets; users get references
    default_ref = octavia_add(rig, "certificate", "add", "--certificate", default_cert[0], "--private-key", default_cert[1])
    sni_ref = octavia_add(rig, "certificate", "add", "--certificate", sni_cert[0], "--private-key", sni_cert[1])
    client_ca_ref = octavia_add(rig, "secret", "add", "--file", client_ca)
    crl_ref = octavia_add(rig, "secret", "add", "--file", crl)
    member_ca_ref = octavia_add(rig, "secret", "add", "--file", member_ca)
    wrong_ca_ref = octavia_add(rig, "secret", "add", "--file", wrong_ca)

    answer = api.request("POST", "/loadbalancers", {"loadbalancer": {"name": f"e2e-tls-{rig.run_id}",
                                                                     "vip_subnet_id": net.subnet_id}})
    assert answer.status_code == 201, answer.text
    lb_id = answer.json()["loadbalancer"]["id"]
    api.wait_lb(lb_id)
    vip = api.get(f"/loadbalancers/{lb_id}").json()["loadbalancer"]["vip_address"]

    dataplane.wait_bridge()
    client = dataplane.add_host("client", net.host(CLIENT_HOST))
    dataplane.start_member("plain", net.host(PLAIN_MEMBER))
    dataplane.start_member("secure", member_ip, 443, args=("--tls", *member_cert))

    headers = {h: "true" for h in ("X-Forwarded-Proto", "X-SSL-Client-Verify", "X-SSL-Client-Has-Cert",
                                    "X-SSL-Client-DN", "X-SSL-Client-CN", "X-SSL-Issuer")}
    listeners = {
        "main": dict(protocol_port=443, default_tls_container_ref=default_ref, sni_container_refs=[sni_ref],
                     alpn_protocols=["h2", "http/1.1"], hsts_max_age=3600, hsts_include_subdomains=True,
                     insert_headers=headers),
        "mandatory": dict(protocol_port=8443, default_tls_container_ref=default_ref, client_authentication="MANDATORY",
                          client_ca_tls_container_ref=client_ca_ref, client_crl_container_ref=crl_ref,
                          insert_headers=headers),
        "optional": dict(protocol_port=9443, default_tls_container_ref=default_ref, client_authentication="OPTIONAL",
                         client_ca_tls_container_ref=client_ca_ref, insert_headers=headers),
        "tls13": dict(protocol_port=10443, default_tls_container_ref=default_ref, tls_versions=["TLSv1.3"]),
    }
    ids: dict[str, str] = {}
    for name, body in listeners.items():
        ids[name] = create(api, lb_id, "listener", {"name": name, "protocol": "TERMINATED_HTTPS",
                                                    "loadbalancer_id": lb_id, **body})["id"]
        pool = create(api, lb_id, "pool", {"name": name, "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                           "listener_id": ids[name]})["id"]
        answer = api.request("POST", f"/pools/{pool}/members", {"member": {
            "address": net.host(PLAIN_MEMBER), "protocol_port": 80, "subnet_id": net.subnet_id}})
        assert answer.status_code == 201, answer.text
        api.wait_lb(lb_id)
    # Re-encryption: a plain HTTP listener whose pool speaks TLS to the HTTPS member, verifying it.
    reencrypt = create(api, lb_id, "listener", {"name": "reencrypt", "protocol": "HTTP", "protocol_port": 80,
                                                "loadbalancer_id": lb_id})["id"]
    tls_pool = create(api, lb_id, "pool", {"name": "tls-pool", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                                           "listener_id": reencrypt, "tls_enabled": True,
                                           "ca_tls_container_ref": member_ca_ref})["id"]
    answer = api.request("POST", f"/pools/{tls_pool}/members", {"member": {
        "address": member_ip, "protocol_port": 443, "subnet_id": net.subnet_id}})
    assert answer.status_code == 201, answer.text
    api.wait_lb(lb_id)

    base = dict(vip=vip, ca=server_ca)

    # --- default certificate, SNI, ALPN h2, HSTS, X-SSL headers without a client certificate
    main = wait_for("the TLS listener to answer",
                    lambda: (r := tls_get(client, **base, port=443, name="default.example.com", path="/echo"))
                    .get("status") == 200 and r, 30)
    assert main["cn"] == "default.example.com"
    assert main["headers"]["strict-transport-security"] == "max-age=3600; includeSubDomains;"
    echo = json.loads(main["body"])
    seen = {k.lower(): v for k, v in echo["headers"].items()}
    assert echo["name"] == "plain"
    assert seen["x-forwarded-proto"] == "https"
    assert seen["x-ssl-client-has-cert"] == "0"
    assert tls_get(client, **base, port=443, name="sni.example.com")["cn"] == "sni.example.com"
    # An unknown server name gets the default certificate.
    assert tls_get(client, **base, port=443, name="unknown.example.com", nocheck=True)["cn"] == "default.example.com"
    assert tls_get(client, **base, port=443, name="default.example.com", alpn=["h2", "http/1.1"])["alpn"] == "h2"
    curl = subprocess.run(["ip", "netns", "exec", client, "curl", "-sS", "--http2", "--cacert", server_ca,
                           "--resolve", f"default.example.com:443:{vip}", "-o", "/dev/null", "-w", "%{http_version}",
                           "https://default.example.com/"], capture_output=True, text=True, timeout=30)
    assert curl.stdout == "2", curl.stderr

    # --- MANDATORY client authentication with a CRL
    mandatory = dict(base, port=8443, name="default.example.com", path="/echo")
    assert "error" in tls_get(client, **mandatory)
    ok = tls_get(client, **mandatory, cert=good[0], key=good[1])
    assert ok.get("status") == 200, ok
    seen = {k.lower(): v for k, v in json.loads(ok["body"])["headers"].items()}
    assert seen["x-ssl-client-verify"] == "0" and seen["x-ssl-client-has-cert"] == "1"
    assert seen["x-ssl-client-cn"].strip('"') == "client-good"
    assert "CN=client-ca" in seen["x-ssl-issuer"]
    assert "error" in tls_get(client, **mandatory, cert=revoked[0], key=revoked[1])
    assert "error" in tls_get(client, **mandatory, cert=stranger[0], key=stranger[1])

    # --- OPTIONAL accepts clients with and without a certificate
    optional = dict(base, port=9443, name="default.example.com", path="/echo")
    assert tls_get(client, **optional).get("status") == 200
    with_cert = tls_get(client, **optional, cert=good[0], key=good[1])
    assert with_cert.get("status") == 200, with_cert
    assert {k.lower(): v for k, v in json.loads(with_cert["body"])["headers"].items()}["x-ssl-client-has-cert"] == "1"

    # --- tls_versions: a TLSv1.2-only client cannot talk to a TLSv1.3-only listener
    tls13 = dict(base, port=10443, name="default.example.com", path="/")
    assert tls_get(client, **tls13).get("version") == "TLSv1.3"
    assert "error" in tls_get(client, **tls13, max="TLSv1_2")
    assert tls_get(client, **dict(base, port=443, name="default.example.com"), max="TLSv1_2")["version"] == "TLSv1.2"

    # --- re-encryption to the HTTPS member, verified against the member CA
    plain_get = ["ip", "netns", "exec", client, "curl", "-sS", "--max-time", "5", f"http://{vip}/echo"]
    body = wait_for("the re-encrypting pool to answer",
                    lambda: (r := subprocess.run(plain_get, capture_output=True, text=True)).returncode == 0
                    and '"secure"' in r.stdout and r.stdout, 30)
    assert json.loads(body)["name"] == "secure"
    # The wrong CA: HAProxy refuses the member's certificate, so the request fails (503).
    answer = api.request("PUT", f"/pools/{tls_pool}", {"pool": {"ca_tls_container_ref": wrong_ca_ref}})
    assert answer.status_code == 200, answer.text
    api.wait_lb(lb_id)
    status = ["ip", "netns", "exec", client, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
              f"http://{vip}/echo"]
    wait_for("verification against the wrong CA to fail",
             lambda: subprocess.run(status, capture_output=True, text=True).stdout == "503", 30)

    # --- a PROMETHEUS listener serves HAProxy's exporter
    create(api, lb_id, "listener", {"name": "metrics", "protocol": "PROMETHEUS", "protocol_port": 9100,
                                    "loadbalancer_id": lb_id})
    metrics = ["ip", "netns", "exec", client, "curl", "-sS", "--max-time", "5", f"http://{vip}:9100/metrics"]
    wait_for("the exporter to answer",
             lambda: "haproxy_process_" in subprocess.run(metrics, capture_output=True, text=True).stdout, 30)

    api.request("DELETE", f"/loadbalancers/{lb_id}?cascade=true")
    api.wait_lb_gone(lb_id)
