"""The residents' side of the 4+2 method: the register of representatives and linked households,
the Organization Law's quorum and majority, dual-ballot voting (002 L185) and stage 4."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.decisions import residents_services as rs
from jiayuan.decisions import services
from jiayuan.decisions.models import HouseholdBallot, RepresentativeHousehold, ResidentVote

from .conftest import TODAY, closed_vote, held_meeting

ALL = ["branch_proposal", "two_committees", "members_assembly", "residents_resolution"]


def test_quorum_defaults_are_the_organization_law():
    assert rs.quorum_rule("adult_residents") == (Fraction(1, 2), "more_than")
    assert rs.quorum_rule("household_representatives") == (Fraction(1, 2), "more_than")
    assert rs.quorum_rule("representatives") == (Fraction(2, 3), "at_least")
    assert rs.majority_rule() == (Fraction(1, 2), "more_than")
    # more than half: 50 of 100 is not enough, 51 is; at least two thirds: 24 of 36 is enough
    assert not rs.reaches(50, 100, rs.quorum_rule("adult_residents"))
    assert rs.reaches(51, 100, rs.quorum_rule("adult_residents"))
    assert rs.reaches(24, 36, rs.quorum_rule("representatives"))
    assert not rs.reaches(23, 36, rs.quorum_rule("representatives"))
    assert rs.reaches(2, 3, rs.quorum_rule("representatives"))


def test_quorum_is_overridable_in_settings(settings):
    settings.JIAYUAN_RESIDENT_QUORUM = {"representatives": ("3/4", "at_least")}
    assert rs.quorum_rule("representatives") == (Fraction(3, 4), "at_least")
    assert rs.quorum_rule("adult_residents") == (Fraction(1, 2), "more_than")


def test_meeting_quorum_and_majority_of_those_present(web, party):
    m = held_meeting(web, present=23, eligible=36)  # less than two thirds
    assert closed_vote(web, m, yes=23).result == "no_quorum"
    m = held_meeting(web, present=24, eligible=36)
    vote = closed_vote(web, m, yes=12, no=10)  # 12 of 24 present is not more than half
    assert vote.result == "rejected" and vote.quorum_ratio == rs._dec(Fraction(2, 3)) and vote.quorum_inclusive
    assert closed_vote(web, m, yes=13, no=11).result == "passed"
    assembly = held_meeting(web, "resident_assembly", basis="household_representatives", present=50, eligible=100)
    assert closed_vote(web, assembly, yes=50).result == "no_quorum"


def test_hold_validation(web, party):
    sec = web.users["secretary"]
    meeting = rs.resident_meeting_schedule(actor=sec, place=web.places["community"], kind="resident_assembly",
                                           scheduled_on=TODAY, agenda=["一", "二"])
    assert [i.position for i in meeting.agenda_items.all()] == [1, 2]
    with pytest.raises(ValidationError) as exc:
        rs.resident_meeting_hold(actor=sec, meeting=meeting, held_on=TODAY, basis="representatives", present="x")
    assert {"basis", "present"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        rs.resident_meeting_hold(actor=sec, meeting=meeting, held_on=TODAY, basis="adult_residents", present=10,
                                 eligible=5)
    assert "present" in exc.value.message_dict
    # eligible counted from the register: the web world's three residents are all adults
    held = rs.resident_meeting_hold(actor=sec, meeting=meeting, held_on=TODAY, basis="adult_residents", present=2)
    assert held.eligible == 3 and rs.quorate(held)
    with pytest.raises(ValidationError):
        rs.resident_meeting_hold(actor=sec, meeting=held, held_on=TODAY, basis="adult_residents", present=2)
    with pytest.raises(ValidationError) as exc:
        rs.resident_vote_record(actor=sec, meeting=held, question="q", yes=3)
    assert "yes" in exc.value.message_dict  # more votes than present
    with pytest.raises(ValidationError) as exc:
        rs.resident_vote_record(actor=sec, meeting=held, question="q", classification="major")
    assert "classification_reason" in exc.value.message_dict


def test_register_validation_and_one_representative_per_household(web, party, reps):
    sec, place = web.users["secretary"], web.places["community"]
    with pytest.raises(ValidationError) as exc:  # already a representative
        rs.representative_appoint(actor=sec, place=place, resident=web.resident_a)
    assert "resident" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # household A is linked to 张建国 already
        rs.household_link(actor=sec, representative=reps["b"], household=web.household_a)
    assert "张建国" in exc.value.message_dict["household"][0]
    with pytest.raises(ValidationError) as exc:  # a household of another community
        from jiayuan.residents.models import Household
        from jiayuan.territory.models import Place

        other_unit = Place.objects.create(kind="unit", code=party["other"].code + "001001001", name="1单元",
                                          parent=party["other"])
        other = Household.objects.create(unit=other_unit, room="101", territory_code=other_unit.code + "0101")
        rs.household_link(actor=sec, representative=reps["b"], household=other)
    assert "household" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        rs.representative_appoint(actor=web.users["other_staff"], place=place, resident=web.resident_b)
    rs.household_unlink(actor=sec, representative=reps["a"], household=web.household_a)
    link = rs.household_link(actor=sec, representative=reps["b"], household=web.household_a)
    assert link.representative == reps["b"]
    rs.representative_end(actor=sec, representative=reps["b"])
    assert not RepresentativeHousehold.objects.filter(representative=reps["b"], unlinked_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        rs.household_link(actor=sec, representative=reps["b"], household=web.household_b)


def test_dual_ballot_refused_without_household_ballots(web, party, reps):
    sec = web.users["secretary"]
    vote = rs.resident_vote_record(actor=sec, meeting=held_meeting(web), question="办公楼重建", yes=3,
                                   classification="major", reason="重大事务")
    with pytest.raises(ValidationError) as exc:
        rs.resident_vote_close(actor=sec, vote=vote)
    assert "household_ballots" in exc.value.message_dict
    assert ResidentVote.objects.get(pk=vote.pk).status == "open"
    ordinary = rs.resident_vote_record(actor=sec, meeting=held_meeting(web), question="一般事务", yes=3)
    with pytest.raises(ValidationError):  # no household ballots on an ordinary vote
        rs.household_ballots_record(actor=sec, vote=ordinary, representative=reps["a"],
                                    choices={web.household_a.pk: "yes"})
    with pytest.raises(ValidationError):  # household B is not linked to 张建国
        rs.household_ballots_record(actor=sec, vote=vote, representative=reps["a"],
                                    choices={web.household_b.pk: "yes"})
    rs.household_ballots_record(actor=sec, vote=vote, representative=reps["a"], choices={web.household_a.pk: "yes"})
    with pytest.raises(ValidationError):  # a household votes once
        rs.household_ballots_record(actor=sec, vote=vote, representative=reps["a"], choices={web.household_a.pk: "no"})
    with pytest.raises(ValueError):
        HouseholdBallot.objects.get().save()
    closed = rs.resident_vote_close(actor=sec, vote=vote)
    assert closed.result == "passed" and closed.household_counts == {"yes": 1, "no": 0, "abstain": 0}


@pytest.mark.parametrize(("yes", "a", "b", "result"), [
    (3, ["yes", "yes", "no"], ["no", "abstain"], "rejected"),  # 2 yes of 5 ballots
    (3, ["yes", "yes", "yes"], ["no", "no"], "passed"),  # 3 of 5
    (3, ["yes", "yes"], ["no", "no"], "rejected"),  # exactly half is not more than half
    (1, ["yes", "yes", "yes"], ["yes", "yes"], "rejected"),  # the representatives said no
])
def test_dual_ballot_aggregation(web, party, reps, yes, a, b, result):
    vote = closed_vote(web, yes=yes, no=3 - yes, classification="contested", ballots={"a": a, "b": b}, reps=reps)
    assert vote.result == result
    assert vote.representatives_result == ("passed" if yes == 3 else "rejected")
    assert vote.household_ratio == rs._dec(Fraction(1, 2))


def test_stage_4_with_a_resident_vote(web, party, matter, stage, reps):
    sec = web.users["secretary"]
    m = matter
    for code in ALL[:3]:
        m = stage(m, code)
    open_vote = rs.resident_vote_record(actor=sec, meeting=held_meeting(web), question="q", yes=3)
    with pytest.raises(ValidationError) as exc:
        services.decision_transition(actor=sec, matter=m, action="record_stage", stage="residents_resolution",
                                     resident_vote=open_vote)
    assert "resident_vote" in exc.value.message_dict
    session = closed_vote(web, held_meeting(web, "deliberation_session"), yes=3)
    with pytest.raises(ValidationError):  # a deliberation session does not resolve a 4+2 matter
        services.decision_transition(actor=sec, matter=m, action="record_stage", stage="residents_resolution",
                                     resident_vote=session)
    vote = closed_vote(web, yes=3, matter=m, classification="major", ballots={"a": ["yes"] * 3}, reps=reps)
    m = services.decision_transition(actor=sec, matter=m, action="record_stage", stage="residents_resolution",
                                     resident_vote=vote)
    assert m.status == "resolved" and m.stages.get(stage="residents_resolution").resident_vote == vote
    assert m.result_due_on is not None


def test_stage_4_out_of_order_is_still_a_conflict(web, party, matter, stage):
    vote = closed_vote(web, held_meeting(web, present=35, eligible=35), yes=35)
    with pytest.raises(services.DecisionConflict) as exc:
        services.decision_transition(actor=web.users["secretary"], matter=matter, action="record_stage",
                                     stage="residents_resolution", resident_vote=vote)
    assert exc.value.code == "out_of_order"


def test_failed_resident_vote_rejects(web, party, matter, stage):
    m = matter
    for code in ALL[:3]:
        m = stage(m, code)
    m = stage(m, "residents_resolution", passed=False)
    assert m.status == "rejected" and m.rejected_at_stage == "residents_resolution"


def test_monthly_deliberation_is_scheduled_once_on_the_10th(web, party):
    place = web.places["community"]
    meeting, created = rs.deliberation_schedule(actor=None, place=place, year=2027, month=2)
    assert created and meeting.scheduled_on.isoformat() == "2027-02-10" and meeting.kind == "deliberation_session"
    again, created = rs.deliberation_schedule(actor=None, place=place, year=2027, month=2)
    assert again == meeting and not created
    import datetime as dt

    counts = rs.deliberations_schedule_next_month(today=dt.date(2027, 1, 20))
    assert counts["existing"] >= 1  # February is there already
    counts = rs.deliberations_schedule_next_month(today=dt.date(2027, 12, 1))
    assert counts["created"] >= 1
    assert place.code in set(
        rs.ResidentMeeting.objects.filter(scheduled_on="2028-01-10").values_list("territory_code", flat=True))
