from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.decisions import services
from jiayuan.decisions.categories import categories
from jiayuan.decisions.models import DecisionEvent

from .conftest import STAGE_MEETING, TODAY, voted

ALL = ["branch_proposal", "two_committees", "members_assembly", "residents_resolution"]


def test_categories_flag_the_method():
    cats = categories()
    for code in ("land", "low_rent_housing", "minimum_income", "cadre_pay", "public_works_funds",
                 "public_works_contract"):
        assert cats[code].requires_4_2
    assert not cats["other"].requires_4_2


def test_each_step_in_order(web, party, matter, stage, monkeypatch):
    sec = web.users["secretary"]
    m = services.decision_transition(actor=sec, matter=matter, action="comment", text="希望增加老年活动室")
    expected = ["proposed", "deliberated", "reviewed", "resolved"]
    for code, status in zip(ALL, expected, strict=True):
        m = stage(m, code)
        assert m.status == status
    assert m.result_due_on is not None
    assert "publish_notice" in services.available_actions(sec, m)
    m = services.decision_transition(actor=sec, matter=m, action="publish_notice", text="办公楼重建决议公告")
    notice = m.notices.get()
    assert notice.ends_on == notice.published_on + dt.timedelta(days=7)
    m = services.decision_transition(actor=sec, matter=m, action="file_objection", text="施工噪音", author_name="居民")
    with pytest.raises(services.DecisionConflict) as exc:  # notice running
        services.decision_transition(actor=sec, matter=m, action="start_implementation")
    assert exc.value.code == "illegal_transition"
    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=7))
    with pytest.raises(services.DecisionConflict) as exc:  # objection unanswered
        services.decision_transition(actor=sec, matter=m, action="start_implementation")
    assert "异议" in exc.value.message
    with pytest.raises(services.DecisionConflict):  # notice ended: no more objections
        services.decision_transition(actor=sec, matter=m, action="file_objection", text="迟到的异议")
    objection = m.notices.get().objections.get()
    m = services.decision_transition(actor=sec, matter=m, action="answer_objection", objection=objection.pk,
                                     text="夜间不施工")
    m = services.decision_transition(actor=sec, matter=m, action="start_implementation")
    assert m.status == "implementing"
    m = services.decision_transition(actor=sec, matter=m, action="publish_result", text="办公楼已建成")
    m = services.decision_transition(actor=sec, matter=m, action="close")
    assert m.status == "closed" and m.comments.count() == 1
    assert DecisionEvent.objects.filter(matter=m).count() == 12
    with pytest.raises(ValueError):
        DecisionEvent.objects.filter(matter=m).first().save()


def test_out_of_order_refused(web, party, matter, stage):
    sec = web.users["secretary"]
    motion = voted(sec, party["branch"], "general_meeting", title="越级")
    with pytest.raises(services.DecisionConflict) as exc:
        services.decision_transition(actor=sec, matter=matter, action="record_stage", stage="members_assembly",
                                     motion=motion)
    assert exc.value.code == "out_of_order"
    for action in ("publish_notice", "start_implementation", "publish_result", "close", "file_objection"):
        with pytest.raises(services.DecisionConflict):
            services.decision_transition(actor=sec, matter=matter, action=action, text="x")
    m = stage(matter, "branch_proposal")
    with pytest.raises(services.DecisionConflict):  # twice
        stage(m, "branch_proposal")
    with pytest.raises(services.DecisionConflict) as exc:  # stale version
        services.decision_transition(actor=sec, matter=m, action="comment", text="x", expected_version=1)
    assert exc.value.code == "stale_version"


def test_failed_vote_rejects(web, party, matter, stage):
    m = stage(matter, "branch_proposal")
    m = stage(m, "two_committees", passed=False)
    assert m.status == "rejected" and m.rejected_at_stage == "two_committees"
    assert services.available_actions(web.users["secretary"], m) == []
    with pytest.raises(services.DecisionConflict):
        stage(m, "members_assembly")


def test_vote_must_be_closed_held_in_the_community_and_of_the_right_kind(web, party, matter):
    sec = web.users["secretary"]
    wrong_kind = voted(sec, party["branch"], "themed_party_day", title="类型不符")
    with pytest.raises(ValidationError) as exc:
        services.decision_transition(actor=sec, matter=matter, action="record_stage", stage="branch_proposal",
                                     motion=wrong_kind)
    assert exc.value.message_dict["motion"]
    other = voted(web.users["admin"], party["other_branch"], "branch_committee", title="别的社区")
    with pytest.raises(ValidationError):
        services.decision_transition(actor=sec, matter=matter, action="record_stage", stage="branch_proposal",
                                     motion=other)


def test_residents_resolution_is_a_resident_vote_not_a_party_motion(web, party, matter, stage):
    m = matter
    for code in ALL[:3]:
        m = stage(m, code)
    motion = voted(web.users["secretary"], party["branch"], "joint_meeting", title="两委联席会议")
    with pytest.raises(ValidationError) as exc:
        services.decision_transition(actor=web.users["secretary"], matter=m, action="record_stage",
                                     stage="residents_resolution", motion=motion)
    assert "resident_vote" in exc.value.message_dict


def test_propose_validation_and_permission(web, party):
    with pytest.raises(ValidationError) as exc:
        services.matter_propose(actor=web.users["secretary"], place=web.places["community"], category="nope", title="")
    assert {"title", "category", "necessity"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.matter_propose(actor=web.users["worker"], place=web.places["community"], category="land",
                                title="x", necessity="y")
    assert set(STAGE_MEETING) == set(ALL[:3])
