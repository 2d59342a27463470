"""Votes: show of hands, named vote, secret ballot — and that a secret ballot cannot be tied
to its voter, neither in its table nor in the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from jiayuan.meetings import services
from jiayuan.meetings.models import BallotReceipt, NamedBallot, SecretBallot

from .conftest import TODAY, at, counts, party  # noqa: F401


@pytest.fixture
def general(web, party):
    """A general meeting with four full members eligible (孙七 is probationary), three present."""
    m = services.meeting_schedule(actor=web.users["secretary"], organization=party["branch"],
                                  meeting_type="general_meeting", title="党员大会", starts_at=at(TODAY))
    services.roll_call(actor=web.users["secretary"], meeting=m, entries=[
        {"member": party[k], "status": "present"} for k in ("a", "b", "c")])
    return m


def test_secret_ballot_has_no_column_that_links_a_voter():
    names = {f.name for f in SecretBallot._meta.get_fields()}
    assert names == {"id", "motion", "choice"}
    for f in SecretBallot._meta.concrete_fields:
        if isinstance(f, models.ForeignKey):
            assert f.related_model.__name__ == "Motion"
        assert not isinstance(f, models.DateTimeField | models.DateField)
        assert f.name not in {"created_at", "updated_at", "created_by", "member", "user"}
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    receipt_fields = {f.name for f in BallotReceipt._meta.concrete_fields}
    assert receipt_fields == {"id", "motion", "member"}  # no choice, no time


def test_auditlog_does_not_register_secret_ballots_or_receipts():
    assert not auditlog.contains(SecretBallot)
    assert not auditlog.contains(BallotReceipt)
    assert auditlog.contains(NamedBallot)


def test_secret_ballot(web, party, general):
    motion = services.motion_open(actor=web.users["secretary"], meeting=general, question="选举支部委员", method="secret")
    assert motion.eligible == 4 and motion.options == ["yes", "no", "abstain"]
    log_before = LogEntry.objects.count()
    assert services.vote_cast(actor=web.users["resident"], motion=motion, choice="yes") is None
    assert LogEntry.objects.count() == log_before  # nothing in the log about the ballot or receipt
    assert BallotReceipt.objects.filter(motion=motion, member=party["a"]).exists()
    assert list(SecretBallot.objects.filter(motion=motion).values_list("choice", flat=True)) == ["yes"]
    with pytest.raises(ValidationError):  # once only
        services.vote_cast(actor=web.users["resident"], motion=motion, choice="no")
    with pytest.raises(PermissionDenied):  # nobody casts a secret ballot for someone else
        services.vote_cast(actor=web.users["secretary"], motion=motion, choice="yes", member=party["b"])
    with pytest.raises(PermissionDenied):  # not a member
        services.vote_cast(actor=web.users["nobody"], motion=motion, choice="yes")
    ids_before = set(SecretBallot.objects.values_list("id", flat=True))
    closed = services.motion_close(actor=web.users["secretary"], motion=motion)
    # present 3 > 0.5 × 4; one yes of one vote cast
    assert (closed.result, closed.present, closed.votes_cast, closed.counts) == (
        "passed", 3, 1, {"yes": 1, "no": 0, "abstain": 0})
    assert set(SecretBallot.objects.values_list("id", flat=True)).isdisjoint(ids_before)  # rewritten
    assert SecretBallot.objects.filter(motion=motion).count() == 1
    with pytest.raises(ValidationError):
        services.vote_cast(actor=web.users["resident"], motion=motion, choice="yes")


def test_named_vote(web, party, general):
    motion = services.motion_open(actor=web.users["secretary"], meeting=general, question="接收预备党员", method="named")
    services.vote_cast(actor=web.users["resident"], motion=motion, choice="yes")
    services.vote_cast(actor=web.users["staff"], motion=motion, choice="no", member=party["b"])
    with pytest.raises(ValidationError):
        services.vote_cast(actor=web.users["staff"], motion=motion, choice="yes", member=party["e"])  # probationary
    with pytest.raises(ValidationError):
        services.vote_cast(actor=web.users["staff"], motion=motion, choice="maybe", member=party["c"])
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=web.users["worker"], motion=motion, choice="yes", member=party["c"])
    services.vote_cast(actor=web.users["staff"], motion=motion, choice="yes", member=party["c"])
    assert dict(NamedBallot.objects.values_list("member__full_name", "choice")) == {
        "张建国": "yes", "李秀英": "no", "王芳": "yes"}
    closed = services.motion_close(actor=web.users["secretary"], motion=motion)
    assert closed.result == "passed" and closed.counts == {"yes": 2, "no": 1, "abstain": 0}


def test_show_of_hands_and_quorum(web, party, general):
    motion = services.motion_open(actor=web.users["secretary"], meeting=general, question="活动方案", method="show_of_hands")
    with pytest.raises(ValidationError):
        services.vote_cast(actor=web.users["resident"], motion=motion, choice="yes")
    with pytest.raises(ValidationError):
        services.motion_tally(actor=web.users["secretary"], motion=motion, counts={"yes": 5})  # more than eligible
    services.motion_tally(actor=web.users["secretary"], motion=motion, counts={"yes": 1, "no": 1, "abstain": 1})
    closed = services.motion_close(actor=web.users["secretary"], motion=motion)
    assert closed.result == "rejected"  # 1 of 3 is not more than half
    with pytest.raises(ValidationError):
        services.motion_close(actor=web.users["secretary"], motion=motion)


def test_no_quorum(web, party):
    m = services.meeting_schedule(actor=web.users["secretary"], organization=party["branch"],
                                  meeting_type="general_meeting", title="党员大会", starts_at=at(TODAY))
    services.roll_call(actor=web.users["secretary"], meeting=m, entries=[
        {"member": party["a"], "status": "present"}, {"member": party["b"], "status": "present"}])
    motion = services.motion_open(actor=web.users["secretary"], meeting=m, question="?", method="show_of_hands")
    services.motion_tally(actor=web.users["secretary"], motion=motion, counts={"yes": 2})
    assert services.motion_close(actor=web.users["secretary"], motion=motion).result == "no_quorum"  # 2 of 4 is not more than half


def test_decide_with_custom_options_and_ratios():
    assert services.decide(counts={"甲": 3, "乙": 1}, options=["甲", "乙"], eligible=5, present=4,
                           quorum_ratio=Decimal("0.5"), majority_ratio=Decimal("0.5")) == ("passed", "甲")
    assert services.decide(counts={"yes": 6, "no": 3, "abstain": 0}, options=["yes", "no", "abstain"], eligible=9,
                           present=9, quorum_ratio=Decimal("0.8"), majority_ratio=Decimal("2") / 3) == ("rejected", "")
    assert services.decide(counts={"yes": 7, "no": 2, "abstain": 0}, options=["yes", "no", "abstain"], eligible=9,
                           present=9, quorum_ratio=Decimal("0.8"), majority_ratio=Decimal("2") / 3)[0] == "passed"


def test_motion_refused_writes_nothing(web, party, general):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.motion_open(actor=web.users["secretary"], meeting=general, question="", method="raffle",
                             options=["同意"], quorum_ratio="2")
    assert set(exc.value.message_dict) == {"question", "method", "options", "quorum_ratio"}
    with pytest.raises(PermissionDenied):
        services.motion_open(actor=web.users["worker"], meeting=general, question="?", method="named")
    assert counts() == before
