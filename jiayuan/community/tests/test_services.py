"""The write paths: every refused call raises and writes nothing (no row, no audit entry)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiayuan.community import services
from jiayuan.community.models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat

from .conftest import Y, register_counts


def refused(call, *fields, exc=ValidationError):
    """Run a service call that must be refused; return the error after checking nothing moved."""
    before = register_counts()
    with pytest.raises(exc) as info:
        call()
    assert register_counts() == before
    if fields:
        assert set(fields) <= set(info.value.message_dict), info.value.message_dict
    return info.value


# -- service centre ------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [Decimal("0"), Decimal("-5"), Decimal("100000.01"), "abc"])
def test_bad_area_is_refused(web, area):
    community, actor = web.places["community"], web.users["staff"]
    refused(lambda: services.service_center_create(actor=actor, community=community, name="中心", area_m2=area),
            "area_m2")


def test_centre_rooms_are_codes_and_one_per_community(web):
    community, actor = web.places["community"], web.users["staff"]
    refused(lambda: services.service_center_create(actor=actor, community=community, name="中心", area_m2=10,
                                                   rooms=["gym"]), "rooms")
    centre = services.service_center_create(actor=actor, community=community, name=" 中心 ", area_m2=Decimal("80.5"),
                                            rooms=["culture_recreation", "convenience_services"])
    assert centre.name == "中心" and centre.territory_code == community.code
    assert centre.rooms == ["convenience_services", "culture_recreation"]  # code-table order
    assert centre.missing_required_rooms == ["member_resident_activities", "audio_visual_education"]
    refused(lambda: services.service_center_create(actor=actor, community=community, name="又一个", area_m2=10),
            "community")
    services.service_center_update(actor=actor, center=centre, area_m2=Decimal("120"))
    centre.refresh_from_db()
    assert centre.area_m2 == Decimal("120")
    assert LogEntry.objects.get_for_object(centre).filter(action=LogEntry.Action.UPDATE).count() == 1
    refused(lambda: services.service_center_update(actor=actor, center=centre, area_m2=0), "area_m2")
    refused(lambda: services.service_center_update(actor=actor, center=centre, territory_code="1"), "territory_code")


def test_centre_needs_a_community_place(web):
    grid = web.grid_a
    refused(lambda: services.service_center_create(actor=web.users["admin"], community=grid, name="中心", area_m2=10),
            "community")


def test_database_refuses_a_second_centre_and_a_bad_area(web):
    community = web.places["community"]
    MemberResidentServiceCenter.objects.create(community=community, name="a", area_m2=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberResidentServiceCenter.objects.create(community=community, name="b", area_m2=10)
    MemberResidentServiceCenter.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberResidentServiceCenter.objects.create(community=community, name="c", area_m2=0)


# -- funds ---------------------------------------------------------------------------------------


def _record(web, **changes):
    data = dict(actor=web.users["staff"], community=web.places["community"], fund="operating_fund", year=Y,
                amount=Decimal("1000"), received_on=dt.date(Y, 6, 1))
    data.update(changes)
    return services.allocation_record(**data)


def test_received_on_must_lie_in_the_year(web):
    refused(lambda: _record(web, received_on=dt.date(Y - 1, 12, 31)), "received_on")


@pytest.mark.parametrize("changes, field", [
    ({"amount": Decimal("0")}, "amount"),
    ({"amount": Decimal("-10")}, "amount"),
    ({"fund": "party_dues"}, "fund"),
    ({"year": 1900, "received_on": dt.date(1900, 1, 1)}, "year"),
    ({"received_on": timezone.localdate() + dt.timedelta(days=1), "year": timezone.localdate().year + 1}, "received_on"),
])
def test_bad_allocations_are_refused(web, changes, field):
    refused(lambda: _record(web, **changes), field)


def test_reversal_is_a_negative_row_and_happens_once(web):
    original = _record(web)
    refused(lambda: services.allocation_reverse(actor=web.users["staff"], allocation=original, reason="  "), "reason")
    reversal = services.allocation_reverse(actor=web.users["staff"], allocation=original, reason="重复登记")
    assert reversal.amount == Decimal("-1000.00") and reversal.reverses == original
    assert (reversal.year, reversal.received_on, reversal.fund) == (original.year, original.received_on, original.fund)
    assert reversal.created_by == web.users["staff"]
    err = refused(lambda: services.allocation_reverse(actor=web.users["staff"], allocation=original, reason="再冲"))
    assert "already" in str(err.messages) or "已" in str(err.messages)
    refused(lambda: services.allocation_reverse(actor=web.users["staff"], allocation=reversal, reason="冲正冲正"))
    assert FundAllocation.objects.count() == 2


def test_database_keeps_the_ledger_signs(web):
    row = _record(web)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundAllocation.objects.create(community=row.community, fund=row.fund, year=Y, amount=Decimal("5"),
                                      received_on=row.received_on, reverses=row, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundAllocation.objects.create(community=row.community, fund=row.fund, year=Y, amount=Decimal("-5"),
                                      received_on=row.received_on)


# -- two committees ------------------------------------------------------------------------------


def _seat(web, **changes):
    data = dict(actor=web.users["secretary"], community=web.places["community"], committee="community_party_org",
                post="committee_member", full_name="王五", birth_date=dt.date(1985, 2, 2), started_on=dt.date(Y, 1, 5))
    data.update(changes)
    return services.seat_create(**data)


@pytest.mark.parametrize("changes, field", [
    ({"post": "director"}, "post"),  # a residents' committee post on the Party committee
    ({"committee": "residents_committee", "post": "secretary"}, "post"),
    ({"post": "chairman"}, "post"),
    ({"ended_on": dt.date(Y - 1, 12, 31)}, "ended_on"),  # ended before it started
    ({"started_on": timezone.localdate() + dt.timedelta(days=3)}, "started_on"),
    ({"full_name": "  "}, "full_name"),
    ({"birth_date": None}, "birth_date"),
    ({"started_on": dt.date(1980, 1, 1)}, "started_on"),  # before the birth date
])
def test_bad_seats_are_refused(web, changes, field):
    refused(lambda: _seat(web, **changes), field)


def test_resident_fills_name_birth_and_education(web):
    seat = _seat(web, full_name="", birth_date=None, resident=web.resident_a)
    assert (seat.full_name, seat.birth_date, seat.education) == ("张建国", dt.date(1950, 3, 4), "60")
    assert seat.territory_code == web.places["community"].code


def test_resident_must_live_in_the_community(web, other_community):
    refused(lambda: _seat(web, community=other_community, actor=web.users["admin"], resident=web.resident_a), "resident")


def test_overlaps_are_refused_but_a_hand_over_is_not(web):
    first = _seat(web, post="secretary", full_name="甲", ended_on=dt.date(Y, 6, 30))
    refused(lambda: _seat(web, post="committee_member", full_name="甲"), "full_name")  # same person, same committee
    refused(lambda: _seat(web, post="secretary", full_name="乙", started_on=dt.date(Y, 6, 1)), "post")
    second = _seat(web, post="secretary", full_name="乙", started_on=dt.date(Y, 6, 30))  # hand-over day
    assert second.pk and first.ended_on == second.started_on
    # the same person may sit on the other committee (cross-appointment)
    _seat(web, committee="residents_committee", post="director", full_name="乙", started_on=dt.date(Y, 7, 1))


def test_end_seat(web):
    seat = _seat(web)
    refused(lambda: services.seat_end(actor=web.users["secretary"], seat=seat, ended_on=dt.date(Y - 1, 1, 1)), "ended_on")
    refused(lambda: services.seat_end(actor=web.users["secretary"], seat=seat, ended_on=None), "ended_on")
    services.seat_end(actor=web.users["secretary"], seat=seat, ended_on=dt.date(Y, 9, 1), note="调离")
    seat.refresh_from_db()
    assert seat.ended_on == dt.date(Y, 9, 1) and seat.note == "调离"
    refused(lambda: services.seat_end(actor=web.users["secretary"], seat=seat, ended_on=dt.date(Y, 10, 1)), "ended_on")


def test_update_seat_revalidates(web):
    seat = _seat(web)
    refused(lambda: services.seat_update(actor=web.users["staff"], seat=seat, post="director"), "post")
    refused(lambda: services.seat_update(actor=web.users["staff"], seat=seat, community=None), "community")
    services.seat_update(actor=web.users["staff"], seat=seat, post="deputy_secretary", education="30")
    seat.refresh_from_db()
    assert (seat.post, seat.education) == ("deputy_secretary", "30")


# -- who may write -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "street", "district", "resident", "nobody", "other_staff"])
def test_only_community_level_writers_write(web, other_community, role):
    actor = web.users[role]
    community = web.places["community"]
    refused(lambda: services.service_center_create(actor=actor, community=community, name="中心", area_m2=10),
            exc=PermissionDenied)
    refused(lambda: _record(web, actor=actor), exc=PermissionDenied)
    refused(lambda: _seat(web, actor=actor), exc=PermissionDenied)


@pytest.mark.parametrize("role", ["staff", "secretary", "admin"])
def test_community_writers_write(web, role):
    actor = web.users[role]
    row = _record(web, actor=actor)
    services.allocation_reverse(actor=actor, allocation=row, reason="测试")
    _seat(web, actor=actor)
    assert FundAllocation.objects.count() == 2 and TwoCommitteesSeat.objects.count() == 1
    assert LogEntry.objects.filter(actor=actor, action=LogEntry.Action.CREATE,
                                   content_type__app_label="community").count() == 3
