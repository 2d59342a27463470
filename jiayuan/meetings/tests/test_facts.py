"""The rulebook's facts ``meetings.held`` and ``meetings.attended`` on the real database: values,
evidence links, the subject's area, and one query per call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.meetings import services
from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate_rule
from jiayuan.norms.facts import Subject, Window, provider_for
from jiayuan.norms.rulebook import rulebook
from jiayuan.party.models import OrganizationOfficer

from .conftest import TODAY, at, party  # noqa: F401

Y = TODAY.year - 1
YEAR = Window(dt.date(Y, 1, 1), dt.date(Y, 12, 31), str(Y))


def held(web, party, org, meeting_type, day, title=None, **extra):
    m = services.meeting_schedule(actor=web.users["admin"], organization=party[org], meeting_type=meeting_type,
                                  title=title or f"{meeting_type} {day}", starts_at=at(day), **extra)
    return m, extra


def hold(web, party, org, meeting_type, day, present=(), **extra):
    m, _ = held(web, party, org, meeting_type, day, **extra)
    if present:
        services.roll_call(actor=web.users["admin"], meeting=m, entries=[
            {"member": party[k], "status": "present"} for k in present])
    return services.meeting_mark_held(actor=web.users["admin"], meeting=m, held_on=day)


def call(name, subject, window=YEAR, **ctx):
    return provider_for(name)(subject, window, ctx)


def test_held(web, party):
    community = web.places["community"]
    m1 = hold(web, party, "branch", "branch_committee", dt.date(Y, 3, 5))
    hold(web, party, "branch", "branch_committee", dt.date(Y, 7, 3))
    hold(web, party, "other_branch", "branch_committee", dt.date(Y, 3, 6))  # another community
    hold(web, party, "branch", "branch_committee", dt.date(Y - 1, 12, 30))  # outside the window
    held(web, party, "branch", "branch_committee", dt.date(Y, 8, 1))  # scheduled, not held
    hold(web, party, "group1", "party_group", dt.date(Y, 3, 9))
    facts = call("meetings.held", Subject.for_place(community), meeting_type="branch_committee")
    assert [e.date for e in facts.items] == [dt.date(Y, 3, 5), dt.date(Y, 7, 3)]
    assert facts.items[0].url == f"/meetings/{m1.pk}/" and facts.items[0].label == m1.title
    assert facts.values == {"count": 2}
    assert len(call("meetings.held", Subject.for_place(community), meeting_type="party_group").items) == 1
    street = call("meetings.held", Subject.for_place(web.places["street"]), meeting_type="branch_committee")
    assert len(street.items) == 3  # both communities
    assert provider_for("meetings.held").subject_kinds == {"community", "street"}
    with pytest.raises(ValueError):
        call("meetings.held", Subject.for_place(community))


def test_held_for_an_organization_subject(web, party):
    hold(web, party, "group1", "party_group", dt.date(Y, 3, 9))
    hold(web, party, "group2", "party_group", dt.date(Y, 3, 10))
    g1 = party["group1"]
    as_org = Subject(kind="party_org", code=g1.territory_code, name=g1.name, obj=g1)
    assert len(call("meetings.held", as_org, meeting_type="party_group").items) == 1
    b = party["branch"]
    as_branch = Subject(kind="party_org", code=b.territory_code, name=b.name, obj=b)
    assert len(call("meetings.held", as_branch, meeting_type="party_group").items) == 2


def test_attended(web, party):
    community = web.places["community"]
    # 李秀英 (b) is the branch secretary; 王芳 (c) only a committee member
    m1 = hold(web, party, "street_org", "street_working_committee", dt.date(Y, 2, 10), present=("b",))
    hold(web, party, "street_org", "street_working_committee", dt.date(Y, 3, 10), present=("c",))
    hold(web, party, "street_org", "street_working_committee", dt.date(Y, 4, 10))  # nobody from here came
    hold(web, party, "branch", "general_meeting", dt.date(Y, 2, 11), present=("b",))  # not a street meeting
    facts = call("meetings.attended", Subject.for_place(community), meeting_type="street_working_committee",
                 role="secretary")
    assert [(e.date, e.url) for e in facts.items] == [(dt.date(Y, 2, 10), f"/meetings/{m1.pk}/")]
    # the post must be held on the day
    OrganizationOfficer.objects.filter(member=party["b"]).update(started_on=dt.date(Y, 3, 1))
    assert call("meetings.attended", Subject.for_place(community), meeting_type="street_working_committee",
                role="secretary").items == []


@pytest.mark.parametrize("name, ctx", [
    ("meetings.held", {"meeting_type": "branch_committee"}),
    ("meetings.attended", {"meeting_type": "street_working_committee", "role": "secretary"}),
])
def test_one_query(web, party, name, ctx):
    subject = Subject.for_place(web.places["community"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            call(name, subject, **ctx)
        return len(captured.captured_queries)

    small = count()
    for month in range(1, 6):
        hold(web, party, "branch", "branch_committee", dt.date(Y, month, 3))
        hold(web, party, "street_org", "street_working_committee", dt.date(Y, month, 4), present=("b", "c"))
    assert count() == small == 1


def test_rulebook_reads_the_meetings(web, party):
    subject = Subject.for_place(web.places["community"])
    for month in range(1, 13):
        if month != 8:
            hold(web, party, "branch", "branch_committee", dt.date(Y, month, 3))
    result = evaluate_rule(rulebook()["N-MEET-01"], subject, periods.parse_period(str(Y)), today=dt.date(Y + 1, 1, 15))
    assert result.status == checks.UNMET
    missing = [w for w in result.windows if w.status == checks.UNMET]
    assert [w.label for w in missing] == [f"{Y}-08"]
