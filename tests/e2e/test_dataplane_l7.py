"""L7 policies and rules, proven with real traffic through the VIP of ONE load balancer:
every action (REJECT, REDIRECT_TO_URL, REDIRECT_PREFIX, REDIRECT_TO_POOL) with its code and
Location, positions deciding between policies of the same kind, and every rule type (HOST_NAME,
PATH, FILE_TYPE, HEADER, COOKIE) with every compare type, plain and inverted, each case checked
with a request that matches and one that does not.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from dataplane import Dataplane
from lbkit import LBKit
from rig import Api, OctaviaProcess, Rig

BLUE, GREEN = ("blue", 21), ("green", 22)


class Site:
    def __init__(self, kit: LBKit, listener: str, pools: dict[str, str]) -> None:
        self.kit, self.listener, self.pools = kit, listener, pools


@pytest.fixture(scope="module")
def site(rig: Rig, octavia: OctaviaProcess, dataplane: Dataplane, api: Api) -> Iterator[Site]:
    kit = LBKit.create(rig, dataplane, api, "l7")
    for name, last in (BLUE, GREEN):
        dataplane.start_member(name, rig.net.host(last))
    listener = kit.listener("HTTP", 80)
    pools = {
        "blue": kit.pool("HTTP", listener_id=listener),
        "green": kit.pool("HTTP"),
    }
    for name, last in (BLUE, GREEN):
        kit.member(pools[name], rig.net.host(last), name=name)
    kit.wait_answer("the VIP to answer from blue", check=lambda r: r.get("body") == "blue")
    yield Site(kit, listener, pools)
    kit.delete_load_balancer()


def request(path: str = "/", host: str | None = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    headers = dict(headers or {})
    if host:
        headers["Host"] = host
    return {"path": path, "headers": headers}


def test_actions_codes_locations_and_positions(site: Site) -> None:
    kit, listener = site.kit, site.listener
    kit.policy(listener, "REJECT", [{"type": "PATH", "compare_type": "STARTS_WITH", "value": "/admin"}])
    kit.policy(listener, "REDIRECT_TO_URL", [{"type": "HOST_NAME", "compare_type": "EQUAL_TO", "value": "old.example.com"}],
               redirect_url="https://new.example.com/landing", redirect_http_code=301)
    kit.policy(listener, "REDIRECT_PREFIX", [{"type": "FILE_TYPE", "compare_type": "EQUAL_TO", "value": "php"}],
               redirect_prefix="https://static.example.com", redirect_http_code=308)
    kit.policy(listener, "REDIRECT_TO_URL", [{"type": "PATH", "compare_type": "STARTS_WITH", "value": "/moved"}],
               redirect_url="http://example.com/default-code")
    kit.policy(listener, "REDIRECT_TO_POOL", [{"type": "HEADER", "key": "X-Tier", "compare_type": "EQUAL_TO",
                                               "value": "green"}], redirect_pool_id=site.pools["green"])
    cases = [
        (request("/admin/users"), 403, None),
        (request("/", host="old.example.com"), 301, "https://new.example.com/landing"),
        (request("/app/index.php"), 308, "https://static.example.com/app/index.php"),
        (request("/moved/x"), 302, "http://example.com/default-code"),
        (request("/", headers={"X-Tier": "green"}), "green", None),
        (request("/", headers={"X-Tier": "blue"}), "blue", None),
        (request("/index.html"), "blue", None),
        # REJECT wins over a pool redirect, as Octavia documents (and HAProxy evaluates).
        (request("/admin", headers={"X-Tier": "green"}), 403, None),
    ]
    results = kit.batch([c[0] for c in cases])
    for (spec, wanted, location), [answer] in zip(cases, results):
        if isinstance(wanted, int):
            assert answer.get("status") == wanted, f"{spec}: {answer}"
            if location:
                assert answer["headers"].get("location") == location, f"{spec}: {answer}"
        else:
            assert answer.get("status") == 200 and answer["body"] == wanted, f"{spec}: {answer}"

    # Positions: two URL redirects for the same path, the lower position wins; moving one flips it.
    first = kit.policy(listener, "REDIRECT_TO_URL", [{"type": "PATH", "compare_type": "EQUAL_TO", "value": "/both"}],
                       redirect_url="http://example.com/first", position=1)
    second = kit.policy(listener, "REDIRECT_TO_URL", [{"type": "PATH", "compare_type": "EQUAL_TO", "value": "/both"}],
                        redirect_url="http://example.com/second", position=2)
    assert kit.one("/both")["headers"]["location"] == "http://example.com/first"
    kit.call("PUT", f"/l7policies/{second}", {"l7policy": {"position": 1}})
    assert kit.api.get(f"/l7policies/{first}").json()["l7policy"]["position"] == 2
    assert kit.one("/both")["headers"]["location"] == "http://example.com/second"


# (type, key, compare_type, value, a matching request, a request that does not match)
RULE_CASES = [
    ("HOST_NAME", None, "EQUAL_TO", "www.example.com", request(host="WWW.example.com"), request(host="www.example.org")),
    ("HOST_NAME", None, "STARTS_WITH", "api.", request(host="api.example.com"), request(host="www.api.example.com")),
    ("HOST_NAME", None, "ENDS_WITH", ".example.org", request(host="a.example.org"), request(host="a.example.org.net")),
    ("HOST_NAME", None, "CONTAINS", "shop", request(host="my-shop.example.com"), request(host="store.example.com")),
    ("HOST_NAME", None, "REGEX", r"^img[0-9]+\.example\.com$", request(host="img42.example.com"),
     request(host="imgx.example.com")),
    ("PATH", None, "EQUAL_TO", "/exact", request("/exact"), request("/exact/more")),
    ("PATH", None, "STARTS_WITH", "/api", request("/api/v1"), request("/v1/api")),
    ("PATH", None, "ENDS_WITH", "/end", request("/a/end"), request("/end/a")),
    ("PATH", None, "CONTAINS", "middle", request("/a/middle/b"), request("/a/mid/b")),
    ("PATH", None, "REGEX", r"^/v[0-9]+/x$", request("/v2/x"), request("/vv/x")),
    ("FILE_TYPE", None, "EQUAL_TO", "png", request("/img/logo.png"), request("/img/logo.jpg")),
    ("FILE_TYPE", None, "REGEX", r"\.jpe?g$", request("/photo.jpeg"), request("/photo.gif")),
    ("HEADER", "X-Case", "EQUAL_TO", "gold", request(headers={"X-Case": "gold"}), request(headers={"X-Case": "golden"})),
    ("HEADER", "X-Case", "STARTS_WITH", "go", request(headers={"X-Case": "gold"}), request(headers={"X-Case": "ago"})),
    ("HEADER", "X-Case", "ENDS_WITH", "ld", request(headers={"X-Case": "gold"}), request(headers={"X-Case": "lda"})),
    ("HEADER", "X-Case", "CONTAINS", "ol", request(headers={"X-Case": "gold"}), request(headers={"X-Other": "gold"})),
    ("HEADER", "X-Case", "REGEX", "^g.l.$", request(headers={"X-Case": "gold"}), request(headers={"X-Case": "good"})),
    ("COOKIE", "flavor", "EQUAL_TO", "mint", request(headers={"Cookie": "flavor=mint"}),
     request(headers={"Cookie": "flavor=mints"})),
    ("COOKIE", "flavor", "STARTS_WITH", "mi", request(headers={"Cookie": "a=1; flavor=mint"}),
     request(headers={"Cookie": "flavor=amint"})),
    ("COOKIE", "flavor", "ENDS_WITH", "nt", request(headers={"Cookie": "flavor=mint"}),
     request(headers={"Cookie": "flavor=ntm"})),
    ("COOKIE", "flavor", "CONTAINS", "in", request(headers={"Cookie": "flavor=mint"}),
     request(headers={"Cookie": "other=mint"})),
    ("COOKIE", "flavor", "REGEX", "^m[a-z]+t$", request(headers={"Cookie": "flavor=mint"}),
     request(headers={"Cookie": "flavor=m1nt"})),
]


def test_every_rule_type_and_compare_type_plain_and_inverted(site: Site) -> None:
    kit = site.kit
    # One pool redirect whose single rule is rewritten for each case (rule updates reload too).
    first = RULE_CASES[0]
    policy = kit.policy(site.listener, "REDIRECT_TO_POOL", [], redirect_pool_id=site.pools["green"], position=1)
    rule = kit.call("POST", f"/l7policies/{policy}/rules",
                    {"rule": {"type": first[0], "compare_type": first[2], "value": first[3]}})["rule"]["id"]
    failures = []
    for rule_type, key, compare, value, matching, other in RULE_CASES:
        for invert in (False, True):
            fields = {"type": rule_type, "compare_type": compare, "value": value, "invert": invert}
            if key:
                fields["key"] = key
            kit.call("PUT", f"/l7policies/{policy}/rules/{rule}", {"rule": fields})
            hit, miss = (r[0] for r in kit.batch([matching, other]))
            wanted = ("blue", "green") if invert else ("green", "blue")
            got = (hit.get("body"), miss.get("body"))
            if got != wanted:
                failures.append(f"{rule_type} {key or ''} {compare} {value!r} invert={invert}: "
                                f"matching -> {hit}, other -> {miss}")
    assert not failures, "\n".join(failures)
    kit.call("DELETE", f"/l7policies/{policy}")
    assert kit.one(headers={"X-Case": "gold"})["body"] == "blue"
