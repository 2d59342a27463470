"""Coverage checks (001 L25, 003 L293, N-ORG-01) against the real database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.party import services
from jiayuan.party.coverage import coverage_gaps

TODAY = timezone.localdate()


def _kinds(gaps):
    return {(g.kind, g.code) for g in gaps}


def test_community_without_org_and_quiet_orgs(web, party, other_community, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        gaps = coverage_gaps(user=web.users["street"], today=TODAY)
    kinds = _kinds(gaps)
    # 礼仪社区 has its general branch; 桂花社区's branch is its own community organization too
    assert not any(k == "no_community_org" for k, _ in kinds)
    assert ("org_without_activity", party.general.code) in kinds
    # resident_b is not a member record; resident_a is (only political status 01/02 counts)
    assert coverage_gaps(user=web.users["resident"], today=TODAY) == []


def test_grid_with_three_members_and_no_organization(web, party):
    from jiayuan.residents import services as resident_services

    actor = web.users["admin"]
    people = []
    for i in range(3):
        r = resident_services.resident_create(actor=actor, data={
            "name": f"党员{i}", "household": web.household_b, "relation_to_head": "30", "political_status": "01",
            "id_number": _id(i),
        })
        people.append(r)
    gaps = coverage_gaps(user=web.users["secretary"], today=TODAY)
    assert ("members_without_org", web.grid_b.code) in _kinds(gaps)
    for r in people:
        services.member_create(actor=web.users["secretary"], organization=party.branch, full_name=r.name, resident=r,
                               joined_on=dt.date(2000, 7, 1))
    kinds = _kinds(coverage_gaps(user=web.users["secretary"], today=TODAY))
    assert ("grid_without_org", web.grid_b.code) in kinds and ("members_without_org", web.grid_b.code) not in kinds
    services.organization_create(actor=web.users["secretary"], name="第二网格党小组", org_type="party_group",
                                 place=web.grid_b, parent=party.branch)
    assert ("grid_without_org", web.grid_b.code) not in _kinds(coverage_gaps(user=web.users["secretary"], today=TODAY))


def _id(i: int) -> str:
    from jiayuan.core.idnumber import make_id_number

    return make_id_number("520302", dt.date(1960 + i, 1, 2), 41 + 2 * i)
