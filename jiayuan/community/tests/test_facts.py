"""The fact providers the rulebook reads: values on a small fixture, evidence links, and a fixed
number of queries per call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.community import services
from jiayuan.norms import checks, periods
from jiayuan.norms.evaluate import evaluate_rule
from jiayuan.norms.facts import Subject, Window, provider_for
from jiayuan.norms.rulebook import rulebook

from .conftest import Y

YEAR = Window(dt.date(Y, 1, 1), dt.date(Y, 12, 31), str(Y))


def call(name, place, window=YEAR, **ctx):
    return provider_for(name)(Subject.for_place(place), window, ctx)


def test_households_of_any_area(web, registers):
    community = web.places["community"]
    facts = call("territory.households", community)
    assert facts.values == {"households": 2, "residents": 3}
    assert facts.items[0].url == f"/places/{community.code}/"
    assert call("territory.households", web.grid_b).values == {"households": 1, "residents": 1}
    assert call("territory.households", web.places["district"]).values == {"households": 2, "residents": 3}
    assert provider_for("territory.households").subject_kinds == {"community", "street", "district", "grid"}
    # a resident who moved out no longer counts
    from jiayuan.residents.services import resident_move

    resident_move(actor=web.users["admin"], resident=web.resident_b, kind="move_out", reason="搬走")
    assert call("territory.households", community).values == {"households": 2, "residents": 2}


def test_service_center(web, registers, other_community):
    community = web.places["community"]
    facts = call("community.service_center", community)
    assert facts.values == {"area_m2": Decimal("30.00"), "households": 2, "rooms_missing": 2}
    [item] = facts.items
    assert item.url == f"/community/{community.code}/#centre" and item.value == Decimal("30.00")
    before_opening = Window(dt.date(Y - 5, 1, 1), dt.date(Y - 5, 12, 31), str(Y - 5))
    assert call("community.service_center", community, before_opening).values == {"households": 2, "rooms_missing": 4}
    assert call("community.service_center", other_community).values == {"households": 0, "rooms_missing": 4}


def test_funds(web, registers):
    community = web.places["community"]
    facts = call("community.funds", community, fund="member_activity_fund")
    assert facts.values == {"amount": Decimal("120.00"), "households": 2, "members": 1}  # 90 − 90 + 120
    assert [e.value for e in facts.items] == [Decimal("90.00"), Decimal("-90.00"), Decimal("120.00")]
    assert all(e.url.startswith(f"/community/{community.code}/#allocation-") for e in facts.items)
    assert call("community.funds", community, fund="operating_fund").values["amount"] == Decimal("100.00")
    march = Window(dt.date(Y, 3, 2), dt.date(Y, 3, 31), "m")
    assert call("community.funds", community, march, fund="operating_fund").values["amount"] == Decimal("0")
    assert call("community.funds", community, fund="livelihood_fund").items == []
    with pytest.raises(ValueError):
        call("community.funds", community)


def test_two_committees(web, registers):
    community = web.places["community"]
    facts = call("community.two_committees", community)
    assert facts.values == {
        "members": 3, "under_age": 1, "graduates": 1, "cross_appointed": 1, "dual_role": True,
        "full_time_deputies": 1,
    }
    assert len(facts.items) == 4 and all(e.url.startswith(f"/community/{community.code}/#seat-") for e in facts.items)
    assert call("community.two_committees", community, age=25).values["under_age"] == 0
    # years ago only the former member sat (a graduate, not young)
    old = Window(dt.date(Y - 3, 1, 1), dt.date(Y - 3, 12, 31), str(Y - 3))
    assert call("community.two_committees", community, old).values == {
        "members": 1, "under_age": 0, "graduates": 1, "cross_appointed": 0, "dual_role": False, "full_time_deputies": 0,
    }


def test_a_person_is_the_resident_or_name_and_birth_date(web, registers):
    community, actor = web.places["community"], web.users["secretary"]
    # 李四 typed again on the Party committee: the same person, now cross-appointed
    services.seat_create(actor=actor, community=community, committee="community_party_org", post="committee_member",
                         full_name="李四", birth_date=dt.date(1980, 1, 1), started_on=dt.date(Y - 1, 1, 10))
    # a namesake of 张建国 with another birth date is another person
    services.seat_create(actor=actor, community=community, committee="community_party_org", post="committee_member",
                         full_name="张建国", birth_date=dt.date(1966, 6, 6), started_on=dt.date(Y - 1, 1, 10))
    values = call("community.two_committees", community).values
    assert values["members"] == 4 and values["cross_appointed"] == 2


def test_dual_role_needs_both_posts(web, registers):
    services.seat_end(actor=web.users["secretary"], seat=registers["director"], ended_on=dt.date(Y, 6, 30))
    values = call("community.two_committees", web.places["community"]).values
    assert values["dual_role"] is False and values["cross_appointed"] == 0 and values["members"] == 3


@pytest.mark.parametrize("name, ctx", [
    ("territory.households", {}), ("community.service_center", {}), ("community.funds", {"fund": "operating_fund"}),
    ("community.two_committees", {}),
])
def test_fixed_number_of_queries(web, registers, name, ctx):
    community = web.places["community"]

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            call(name, community, **ctx)
        return len(captured.captured_queries)

    small = count()
    for i in range(5):
        services.allocation_record(actor=web.users["admin"], community=community, fund="operating_fund", year=Y,
                                   amount=Decimal(1 + i), received_on=dt.date(Y, 7, 1 + i))
        services.seat_create(actor=web.users["admin"], community=community, committee="residents_committee",
                             post="member", full_name=f"委员{i}", birth_date=dt.date(1990, 1, 1 + i),
                             started_on=dt.date(Y, 1, 1))
    assert count() == small <= 3


def test_rulebook_reads_the_registers(web, registers):
    """The rules already written against these facts now evaluate."""
    subject = Subject.for_place(web.places["community"])
    period = periods.parse_period(str(Y))
    today = dt.date(Y + 1, 1, 15)
    size = evaluate_rule(rulebook()["N-STD-03a"], subject, period, today=today)
    assert size.status == checks.UNMET and "3" in size.explanation  # 3 persons, 5 to 9 required
    area = evaluate_rule(rulebook()["N-STD-08b"], subject, period, today=today)
    assert area.status == checks.MET  # 30 m² ≥ 20 × 2 / 100
    assert area.evidence[0].url.endswith("#centre")
