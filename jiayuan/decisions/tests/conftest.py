"""The decisions world: the meetings world (demo places, users per role, a Party branch of
礼仪社区 with five members), a helper that holds a meeting and closes a show-of-hands vote, and
the residents' side: three representatives with linked households, a held resident meeting and a
closed resident vote (stage 4 is voted by residents, 002 L161-163)."""

from __future__ import annotations

import pytest

from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.decisions import services
from jiayuan.meetings import services as ms
from jiayuan.meetings.tests.conftest import TODAY, at, party  # noqa: F401

STAGE_MEETING = {
    "branch_proposal": "branch_committee",
    "two_committees": "joint_meeting",
    "members_assembly": "general_meeting",
}


def voted(actor, org, meeting_type, *, passed=True, title="会议", **ratios):
    meeting = ms.meeting_schedule(actor=actor, organization=org, meeting_type=meeting_type, title=title,
                                  starts_at=at(TODAY))
    members = list(ms.expected_members(meeting))
    ms.roll_call(actor=actor, meeting=meeting, entries=[{"member": m, "status": "present"} for m in members])
    ms.meeting_mark_held(actor=actor, meeting=meeting, held_on=TODAY)
    motion = ms.motion_open(actor=actor, meeting=meeting, question=f"{title}表决", method="show_of_hands", **ratios)
    n = motion.eligible
    ms.motion_tally(actor=actor, motion=motion, counts={"yes": n, "no": 0} if passed else {"yes": 0, "no": n})
    return ms.motion_close(actor=actor, motion=motion)


@pytest.fixture
def matter(web, party):
    return services.matter_propose(
        actor=web.users["secretary"], place=web.places["community"], category="public_works_funds",
        title="社区办公楼重建", necessity="办公楼年久失修", principles="公开透明", timing="2027年", area="800平方米",
        funds="300万元", funds_source="财政拨款与社会筹资", funds_allocation="按功能区划分")


@pytest.fixture
def stage(web, party):
    def record(matter, code, *, passed=True, **ratios):
        if code == "residents_resolution":
            meeting = held_meeting(web, present=35, eligible=35)  # 35 representatives (002 L163)
            vote = closed_vote(web, meeting, yes=35 if passed else 0, no=0 if passed else 35)
            return services.decision_transition(actor=web.users["secretary"], matter=matter, action="record_stage",
                                                stage=code, resident_vote=vote)
        motion = voted(web.users["secretary"], party["branch"], STAGE_MEETING[code], passed=passed, title=code,
                       **ratios)
        return services.decision_transition(actor=web.users["secretary"], matter=matter, action="record_stage",
                                            stage=code, motion=motion)
    return record


@pytest.fixture
def reps(web, party):
    """Three resident representatives of 礼仪社区 (张建国, 张小红, 李秀英), the first linking
    household A and two more households of grid 1, the third household B and one more."""
    from jiayuan.core.testing import unit_in
    from jiayuan.decisions import residents_services as rs
    from jiayuan.residents import services as res

    sec, admin, place = web.users["secretary"], web.users["admin"], web.places["community"]
    unit = unit_in(web.grid_a)
    extra = [res.household_create(actor=admin, unit=unit, room=f"30{i}") for i in range(1, 4)]
    a = rs.representative_appoint(actor=sec, place=place, resident=web.resident_a, group_label="第一居民小组")
    a2 = rs.representative_appoint(actor=sec, place=place, resident=web.resident_a2, group_label="第一居民小组")
    b = rs.representative_appoint(actor=sec, place=place, resident=web.resident_b, group_label="第二居民小组")
    for h in (web.household_a, extra[0], extra[1]):
        rs.household_link(actor=sec, representative=a, household=h)
    for h in (web.household_b, extra[2]):
        rs.household_link(actor=sec, representative=b, household=h)
    return {"a": a, "a2": a2, "b": b, "households": [web.household_a, *extra[:2]], "b_households":
            [web.household_b, extra[2]]}


def held_meeting(web, kind="resident_representative_meeting", *, basis="representatives", present=3, eligible=None,
                 agenda=("议题一",)):
    from jiayuan.decisions import residents_services as rs

    sec = web.users["secretary"]
    meeting = rs.resident_meeting_schedule(actor=sec, place=web.places["community"], kind=kind, scheduled_on=TODAY,
                                           title="居民代表会议", agenda=list(agenda))
    return rs.resident_meeting_hold(actor=sec, meeting=meeting, held_on=TODAY, basis=basis, present=present,
                                    eligible=eligible, minutes="会议记录")


def closed_vote(web, meeting=None, *, yes=3, no=0, matter=None, classification="ordinary", ballots=None, reps=None):
    """A closed resident vote; ``ballots``: {representative key: [choice per linked household]}."""
    from jiayuan.decisions import residents_services as rs

    sec = web.users["secretary"]
    meeting = meeting or held_meeting(web)
    vote = rs.resident_vote_record(actor=sec, meeting=meeting, question="是否通过决议", yes=yes, no=no,
                                   classification=classification, reason="涉及全体居民利益" if classification != "ordinary"
                                   else "", matter=matter)
    for key, choices in (ballots or {}).items():
        hs = reps["households"] if key == "a" else reps["b_households"]
        rs.household_ballots_record(actor=sec, vote=vote, representative=reps[key],
                                    choices={h.pk: c for h, c in zip(hs, choices, strict=False)})
    return rs.resident_vote_close(actor=sec, vote=vote)
