"""The decisions world: the meetings world (demo places, users per role, a Party branch of
礼仪社区 with five members) and a helper that holds a meeting and closes a show-of-hands vote."""

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
    "residents_resolution": "joint_meeting",
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
        motion = voted(web.users["secretary"], party["branch"], STAGE_MEETING[code], passed=passed, title=code,
                       **ratios)
        return services.decision_transition(actor=web.users["secretary"], matter=matter, action="record_stage",
                                            stage=code, motion=motion)
    return record
