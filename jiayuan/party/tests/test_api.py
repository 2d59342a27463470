"""``/api/v1/party/organizations/``, ``members/``, ``transfers/``: scoping matrix, writes through
the services, 400 in the user's language, 403 for a visible row the user may not change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiayuan.party.models import Member, Transfer

from .conftest import party_counts

ORGS = "/api/v1/party/organizations/"
MEMBERS = "/api/v1/party/members/"
TRANSFERS = "/api/v1/party/transfers/"
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", None), ("nobody", 0), ("resident", 0), ("other_worker", 0), ("worker", 1), ("staff", 3),
     ("secretary", 3), ("secretary2", 1), ("street", 4), ("district", 4), ("admin", 4)],
)
def test_organizations_are_scoped(web, party, role, expected):
    response = web.client(role).get(ORGS)
    if expected is None:
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    assert response.json()["count"] == expected


def test_organization_detail_and_404_outside(web, party):
    data = web.client("secretary").get(f"{ORGS}{party.general.code}/").json()
    assert data["name"] == "礼仪社区党总支" and data["member_count"] == 1 and data["officers"] == []
    assert web.client("secretary").get(f"{ORGS}{party.other_branch.code}/").status_code == 404
    assert web.client("other_worker").get(f"{ORGS}{party.general.code}/").status_code == 404


def test_organization_create_400_and_403(web, party):
    body = {"name": "礼仪社区第三党支部", "org_type": "party_branch", "place": web.places["community"].code,
            "parent": party.general.code}
    before = party_counts()
    response = web.client("staff").post(ORGS, body, content_type="application/json")
    assert response.status_code == 403 and party_counts() == before
    zh = web.client("secretary", language="zh-hans").post(ORGS, {**body, "founded_on": "2999-01-01"},
                                                          content_type="application/json")
    assert zh.status_code == 400 and "未来" in zh.json()["founded_on"][0]
    en = web.client("secretary", language="en").post(ORGS, {**body, "parent": party.other_branch.code},
                                                      content_type="application/json")
    assert en.status_code == 400 and "organization" in en.json()["parent"][0]
    ok = web.client("secretary").post(ORGS, {**body, "dual_supervisor": "新蒲新区卫生健康局党组"},
                                      content_type="application/json")
    assert ok.status_code == 201 and ok.json()["parent"] == party.general.code
    assert ok.json()["dual_supervisor"] == "新蒲新区卫生健康局党组"


def test_election_action(web, party):
    url = f"{ORGS}{party.general.code}/elections/"
    bad = web.client("secretary", language="en").post(url, {"held_on": "2025-03-01", "eligible": 10, "votes_cast": 8},
                                                      content_type="application/json")
    assert bad.status_code == 400 and "four fifths" in bad.json()["votes_cast"][0]
    ok = web.client("secretary").post(url, {"held_on": "2025-03-01", "eligible": 10, "votes_cast": 9},
                                      content_type="application/json")
    assert ok.status_code == 201 and ok.json()["last_election"]["term_end"] == "2028-03-01"


def test_members_list_masks_and_filters(web, party, django_assert_max_num_queries):
    client = web.client("secretary")
    with django_assert_max_num_queries(8):
        data = client.get(MEMBERS).json()
    assert data["count"] == 3
    first = next(m for m in data["results"] if m["full_name"] == "张建国")
    assert first["phone"] == "138****5678" and "13812345678" not in str(data)
    assert client.get(MEMBERS, {"category": "without_post"}).json()["count"] == 1
    assert client.get(MEMBERS, {"organization": party.branch.code}).json()["count"] == 2
    assert client.get(MEMBERS, {"status": "nonsense"}).status_code == 400
    assert web.client("secretary2").get(MEMBERS).json()["count"] == 1


def test_member_create_update_leave(web, party):
    client = web.client("secretary")
    created = client.post(MEMBERS, {"organization": party.branch.code, "full_name": "李强", "phone": "13900001111",
                                    "categories": ["in_service"], "dues_base": "4000"}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["dues_monthly"] == "40.00" and created.json()["phone"] == "139****1111"
    moved = client.patch(f"{MEMBERS}{pk}/", {"organization": party.general.code}, content_type="application/json")
    assert moved.status_code == 400
    changed = client.patch(f"{MEMBERS}{pk}/", {"skills": "法律咨询"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["skills"] == "法律咨询"
    left = client.post(f"{MEMBERS}{pk}/leave/", {"on": str(TODAY), "reason": "died"}, content_type="application/json")
    assert left.status_code == 200 and left.json()["left_on"] == str(TODAY)
    assert web.client("staff").patch(f"{MEMBERS}{party.members[0].pk}/", {"skills": "x"},
                                     content_type="application/json").status_code == 403
    assert web.client("secretary2").patch(f"{MEMBERS}{party.members[0].pk}/", {"skills": "x"},
                                          content_type="application/json").status_code == 404


def test_transfer_flow_over_the_api(web, party):
    member = party.members[1]
    requested = web.client("secretary").post(
        TRANSFERS, {"member": member.pk, "to_org": party.other_branch.code,
                    "requested_on": str(TODAY - dt.timedelta(days=40))}, content_type="application/json")
    assert requested.status_code == 201, requested.content
    tid = requested.json()["id"]
    assert requested.json()["lost"] is True and requested.json()["days_pending"] == 40
    assert [t["id"] for t in web.client("secretary2").get(TRANSFERS, {"lost": "true"}).json()["results"]] == [tid]
    assert web.client("secretary").post(f"{TRANSFERS}{tid}/receive/", {}, content_type="application/json").status_code == 403
    received = web.client("secretary2").post(f"{TRANSFERS}{tid}/receive/", {}, content_type="application/json")
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert Member.objects.get(pk=member.pk).organization == party.other_branch
    again = web.client("secretary2", language="zh-hans").post(f"{TRANSFERS}{tid}/receive/", {},
                                                              content_type="application/json")
    assert again.status_code == 400
    # an unknown member or one outside the area is a 400 on the field, nothing written
    before = Transfer.objects.count()
    bad = web.client("secretary").post(TRANSFERS, {"member": party.other_member.pk, "to_outside_name": "某地"},
                                       content_type="application/json")
    assert bad.status_code == 400 and "member" in bad.json() and Transfer.objects.count() == before
