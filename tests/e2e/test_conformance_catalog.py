"""API conformance of quotas, providers, flavors, flavor profiles, availability zones and AZ profiles
(spec api-v2.md §12–§17) through openstacksdk, plus plain HTTP where the SDK is not precise.

The routes landed while this suite was written, so no test carries sdk.NOT_YET; a test of a route
that does not exist yet gets that mark (strict xfail for RouteMissing only) until it lands.
"""

from __future__ import annotations

import json
import uuid

import pytest
from openstack import connection, exceptions

from rig import Rig
from sdk import (assert_fault, assert_sdk_fault, conn, octavia, raw, require_route, rig,  # noqa: F401
                 settle, wait_gone)

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")

PROJECT = "e2e-project"
NIL = "00000000-0000-0000-0000-000000000000"
QUOTA_KEYS = {"loadbalancer", "load_balancer", "listener", "pool", "healthmonitor", "health_monitor", "member",
              "l7policy", "l7rule"}


def test_providers(conn: connection.Connection, rig: Rig) -> None:
    require_route(rig, "/providers")
    r = raw(rig, "GET", "/providers")
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["providers"], body  # no links
    assert {"name": "amphora", "description": "The Octavia Amphora driver."} in body["providers"], body
    assert {p.name for p in conn.load_balancer.providers()} >= {"amphora"}

    require_route(rig, "/providers/amphora/flavor_capabilities")
    caps = {c.name for c in conn.load_balancer.provider_flavor_capabilities("amphora")}
    assert {"loadbalancer_topology", "compute_flavor"} <= caps, caps
    r = raw(rig, "GET", "/providers/amphora/availability_zone_capabilities")
    assert r.status_code == 200, r.text
    assert "compute_zone" in {c["name"] for c in r.json()["availability_zone_capabilities"]}, r.text
    r = raw(rig, "GET", "/providers/amphora/flavor_capabilities", params={"name": "compute_flavor"})
    assert [c["name"] for c in r.json()["flavor_capabilities"]] == ["compute_flavor"], r.text
    r = raw(rig, "GET", "/providers/nope/flavor_capabilities")
    assert r.status_code in (400, 501), r.text
    assert_fault(r, r.status_code)


def test_quotas(conn: connection.Connection, rig: Rig) -> None:
    require_route(rig, "/quotas")
    project = "quota-" + uuid.uuid4().hex[:8]
    r = raw(rig, "GET", f"/quotas/{project}/default")
    assert r.status_code == 200 and QUOTA_KEYS <= set(r.json()["quota"]), r.text
    defaults = r.json()["quota"]

    r = raw(rig, "PUT", f"/quotas/{project}", {"quota": {"loadbalancer": 5, "member": -1, "health_monitor": 7}})
    assert r.status_code == 202, r.text
    quota = r.json()["quota"]
    assert QUOTA_KEYS <= set(quota), quota
    assert (quota["loadbalancer"], quota["load_balancer"], quota["member"]) == (5, 5, -1), quota
    assert (quota["healthmonitor"], quota["health_monitor"]) == (7, 7), quota
    assert quota["listener"] == defaults["listener"], quota

    got = conn.load_balancer.get_quota(project)
    assert (got.load_balancers, got.health_monitors, got.members) == (5, 7, -1)
    listed = raw(rig, "GET", "/quotas").json()
    assert set(listed) == {"quotas", "quotas_links"}, listed
    row = next(q for q in listed["quotas"] if q["project_id"] == project)
    assert row["loadbalancer"] == 5 and row["listener"] is None and row["tenant_id"] == project, row
    assert [q["project_id"] for q in raw(rig, "GET", "/quotas", params={"project_id": project}).json()["quotas"]] \
        == [project]

    conn.load_balancer.update_quota(project, pools=3)
    assert raw(rig, "GET", f"/quotas/{project}").json()["quota"]["pool"] == 3

    for bad in ({"loadbalancer": -2}, {"loadbalancer": 2000000001}, {"loadbalancer": "many"}, {"bogus": 1}):
        assert_fault(raw(rig, "PUT", f"/quotas/{project}", {"quota": bad}), 400)

    r = raw(rig, "DELETE", f"/quotas/{project}")
    assert r.status_code == 202 and not r.content, r.text
    assert raw(rig, "GET", f"/quotas/{project}").json()["quota"]["loadbalancer"] == defaults["loadbalancer"]


def test_flavor_profiles_and_flavors(conn: connection.Connection, rig: Rig) -> None:
    require_route(rig, "/flavorprofiles")
    lbs = conn.load_balancer
    data = json.dumps({"loadbalancer_topology": "SINGLE"})
    fp = lbs.create_flavor_profile(name="fp1", provider_name="amphora", flavor_data=data)
    r = raw(rig, "GET", f"/flavorprofiles/{fp.id}")
    assert r.status_code == 200, r.text
    assert r.json()["flavorprofile"] == {"id": fp.id, "name": "fp1", "provider_name": "amphora",
                                         "flavor_data": data}, r.text
    listed = raw(rig, "GET", "/flavorprofiles").json()
    assert set(listed) == {"flavorprofiles", "flavorprofile_links"}, listed
    for bad in ({"name": "x", "provider_name": "amphora", "flavor_data": "{not json"},
                {"name": "x", "provider_name": "amphora", "flavor_data": json.dumps({"bogus_key": 1})},
                {"name": "x", "provider_name": "amphora"},
                {"name": "x", "provider_name": "nope", "flavor_data": "{}"}):
        r = raw(rig, "POST", "/flavorprofiles", {"flavorprofile": bad})
        assert r.status_code in (400, 501), r.text
        assert_fault(r, r.status_code)
    lbs.update_flavor_profile(fp.id, name="fp1b")
    assert lbs.get_flavor_profile(fp.id).name == "fp1b"

    require_route(rig, "/flavors")
    flavor = lbs.create_flavor(name="small", flavor_profile_id=fp.id, description="d")
    shown = raw(rig, "GET", f"/flavors/{flavor.id}").json()["flavor"]
    assert shown == {"id": flavor.id, "name": "small", "description": "d", "enabled": True,
                     "flavor_profile_id": fp.id}, shown
    with pytest.raises(exceptions.ConflictException) as info:
        lbs.create_flavor(name="small", flavor_profile_id=fp.id)
    assert_sdk_fault(info.value, 409, "A flavor of small already exists.")
    assert set(raw(rig, "GET", "/flavors").json()) == {"flavors", "flavors_links"}
    assert [f.id for f in lbs.flavors(name="small")] == [flavor.id]

    lb = lbs.create_load_balancer(name="flavored", vip_subnet_id=rig.net.subnet_id, flavor_id=flavor.id)
    assert lb.flavor_id == flavor.id, lb
    settle(conn, lb.id)
    with pytest.raises(exceptions.ConflictException):
        lbs.delete_flavor(flavor.id)
    with pytest.raises(exceptions.ConflictException):
        lbs.update_flavor_profile(fp.id, flavor_data=json.dumps({"loadbalancer_topology": "ACTIVE_STANDBY"}))
    with pytest.raises(exceptions.ConflictException):
        lbs.delete_flavor_profile(fp.id)
    with pytest.raises(exceptions.BadRequestException) as info:
        lbs.create_load_balancer(vip_subnet_id=rig.net.subnet_id, flavor_id=str(uuid.uuid4()))
    assert_sdk_fault(info.value, 400, "Invalid flavor_id.")
    lbs.update_flavor(flavor.id, enabled=False)
    with pytest.raises(exceptions.BadRequestException):
        lbs.create_load_balancer(vip_subnet_id=rig.net.subnet_id, flavor_id=flavor.id)
    assert_fault(raw(rig, "PUT", f"/flavors/{NIL}", {"flavor": {"name": "x"}}), 404)
    assert_fault(raw(rig, "DELETE", f"/flavors/{NIL}"), 404)

    lbs.delete_load_balancer(lb.id)
    wait_gone(conn, lb.id)
    lbs.delete_flavor(flavor.id)
    with pytest.raises(exceptions.NotFoundException):
        lbs.get_flavor(flavor.id)
    lbs.delete_flavor_profile(fp.id)


def test_availability_zones(conn: connection.Connection, rig: Rig) -> None:
    require_route(rig, "/availabilityzoneprofiles")
    lbs = conn.load_balancer
    data = json.dumps({"compute_zone": "zone-a"})
    azp = lbs.create_availability_zone_profile(name="azp1", provider_name="amphora", availability_zone_data=data)
    r = raw(rig, "GET", f"/availabilityzoneprofiles/{azp.id}")
    assert r.status_code == 200 and r.json()["availability_zone_profile"]["availability_zone_data"] == data, r.text
    listed = raw(rig, "GET", "/availabilityzoneprofiles").json()
    assert set(listed) == {"availability_zone_profiles", "availability_zone_profile_links"}, listed
    # Data the provider rejects: Octavia's amphora driver raises UnsupportedOptionError (501).
    r = raw(rig, "POST", "/availabilityzoneprofiles", {"availability_zone_profile": {
        "name": "x", "provider_name": "amphora", "availability_zone_data": json.dumps({"bogus": 1})}})
    assert r.status_code in (400, 501), r.text
    assert_fault(r, r.status_code)

    require_route(rig, "/availabilityzones")
    az = lbs.create_availability_zone(name="zone-a", availability_zone_profile_id=azp.id, description="d")
    r = raw(rig, "GET", "/availabilityzones/zone-a")
    assert r.status_code == 200, r.text
    assert r.json()["availability_zone"] == {"name": "zone-a", "description": "d", "enabled": True,
                                             "availability_zone_profile_id": azp.id}, r.text
    assert az.name == "zone-a"
    with pytest.raises(exceptions.ConflictException):
        lbs.create_availability_zone(name="zone-a", availability_zone_profile_id=azp.id)
    assert set(raw(rig, "GET", "/availabilityzones").json()) == {"availability_zones", "availability_zones_links"}
    lbs.update_availability_zone("zone-a", description="d2")
    assert lbs.get_availability_zone("zone-a").description == "d2"
    assert_fault(raw(rig, "PUT", "/availabilityzones/zone-a", {"availability_zone": {"name": "zone-b"}}), 400)

    lb = lbs.create_load_balancer(vip_subnet_id=rig.net.subnet_id, availability_zone="zone-a")
    assert lb.availability_zone == "zone-a", lb
    settle(conn, lb.id)
    with pytest.raises(exceptions.BadRequestException) as info:
        lbs.create_load_balancer(vip_subnet_id=rig.net.subnet_id, availability_zone="nowhere")
    assert_sdk_fault(info.value, 400, "Invalid availability zone.")
    with pytest.raises(exceptions.ConflictException):
        lbs.delete_availability_zone("zone-a")
    lbs.delete_load_balancer(lb.id)
    wait_gone(conn, lb.id)
    lbs.delete_availability_zone("zone-a")
    assert_fault(raw(rig, "GET", "/availabilityzones/zone-a"), 404)
    lbs.delete_availability_zone_profile(azp.id)
