"""Code tables of the meetings module: lower-case English codes stored, labels translated.

Names follow ``glossary.md`` §4 (三会一课 002 L93; 五个必访 002 L111). Labels carry the Chinese
term beside the English one, as the Party choices do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingType(models.TextChoices):
    """Kinds of meeting and organized activity the rulebook counts (facts.toml, meetings.held)."""

    BRANCH_COMMITTEE = "branch_committee", _("Branch committee meeting (支委会)")
    PARTY_GROUP = "party_group", _("Party group meeting (党小组会)")
    GENERAL_MEETING = "general_meeting", _("General meeting of members (支部党员大会)")
    PARTY_LECTURE = "party_lecture", _("Party lecture (党课)")
    THEMED_PARTY_DAY = "themed_party_day", _("Themed Party day (主题党日)")
    DEMOCRATIC_LIFE = "democratic_life", _("Democratic life meeting (民主生活会)")
    ORGANIZATIONAL_LIFE = "organizational_life", _("Organizational life meeting (组织生活会)")
    DEMOCRATIC_APPRAISAL = "democratic_appraisal", _("Democratic appraisal of members (民主评议党员)")
    JOINT_MEETING = "joint_meeting", _("Joint Party-building meeting (联席会议)")
    COLLECTIVE_ACTIVITY = "collective_activity", _("Collective activity of members (党员集中活动)")
    VOLUNTEER_SERVICE_DAY = "volunteer_service_day", _("Volunteer service day of in-service members (在职党员义工服务日)")
    PARTY_BUILDING_REPORT = "party_building_report", _("Special report on Party building (党建工作专题汇报)")
    STREET_WORKING_COMMITTEE = "street_working_committee", _("Street Party working committee meeting (街道党工委会议)")


# Meetings of the leadership: the expected attendees are the organization's current officers
# (支委会 "committee members", 民主生活会 "leadership team", workflows.md W-29), when it has any.
OFFICER_MEETING_TYPES = frozenset({MeetingType.BRANCH_COMMITTEE, MeetingType.DEMOCRATIC_LIFE})

# Meetings that call members from the organizations below (community secretaries at the street
# Party working committee, 003 L301; units' Party leaders at a joint meeting, 001 L23).
INVITING_TYPES = frozenset({MeetingType.STREET_WORKING_COMMITTEE, MeetingType.JOINT_MEETING,
                            MeetingType.PARTY_BUILDING_REPORT})

# The rules of 002 L93 behind the year view of an organization (norms/rules/meetings.toml).
RULE_OF_TYPE = {
    MeetingType.BRANCH_COMMITTEE: "N-MEET-01",
    MeetingType.PARTY_GROUP: "N-MEET-02",
    MeetingType.GENERAL_MEETING: "N-MEET-03",
    MeetingType.PARTY_LECTURE: "N-MEET-04",
    MeetingType.DEMOCRATIC_LIFE: "N-MEET-05a",
    MeetingType.ORGANIZATIONAL_LIFE: "N-MEET-05b",
}


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled (已安排)")
    HELD = "held", _("Held (已召开)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present (出席)")
    LATE = "late", _("Late (迟到)")
    EXCUSED = "excused", _("Excused (请假)")
    ABSENT = "absent", _("Absent (缺席)")


ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class AttendanceMethod(models.TextChoices):
    ROLL_CALL = "roll_call", _("Roll call (点名)")
    CODE = "code", _("Sign-in code (签到码)")
    MANUAL = "manual", _("Marked when held (补记)")


class MeetingEventKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    UPDATED = "updated", _("Changed")
    CANCELLED = "cancelled", _("Cancelled")
    SIGNIN_OPENED = "signin_opened", _("Sign-in opened")
    ROLL_CALL = "roll_call", _("Roll call taken")
    HELD = "held", _("Marked as held")
    MINUTES_SAVED = "minutes_saved", _("Minutes saved")
    MINUTES_SIGNED_OFF = "minutes_signed_off", _("Minutes signed off")
    ADDENDUM = "addendum", _("Addendum to the minutes")
    ATTACHMENT = "attachment", _("Attachment added")
    MOTION_OPENED = "motion_opened", _("Vote opened")
    MOTION_CLOSED = "motion_closed", _("Vote closed")


class VoteMethod(models.TextChoices):
    """举手表决 / 投票表决 (002 L163): by show of hands, by named vote, by secret ballot."""

    SHOW_OF_HANDS = "show_of_hands", _("Show of hands (举手表决)")
    NAMED = "named", _("Named vote (记名投票)")
    SECRET = "secret", _("Secret ballot (无记名投票)")


class VoteOption(models.TextChoices):
    YES = "yes", _("Yes (同意)")
    NO = "no", _("No (反对)")
    ABSTAIN = "abstain", _("Abstain (弃权)")


DEFAULT_OPTIONS = [VoteOption.YES.value, VoteOption.NO.value, VoteOption.ABSTAIN.value]


class MotionStatus(models.TextChoices):
    OPEN = "open", _("Open (表决中)")
    CLOSED = "closed", _("Closed (已结束)")


class MotionResult(models.TextChoices):
    PASSED = "passed", _("Passed (通过)")
    REJECTED = "rejected", _("Not passed (未通过)")
    NO_QUORUM = "no_quorum", _("No quorum (不足法定人数)")


class VisitReason(models.TextChoices):
    """The five must-visits of 002 L111 (五个必访)."""

    ILL = "ill", _("Ill (生病必访)")
    HARDSHIP = "hardship", _("In hardship (有困难必访)")
    MISSED_MEETINGS = "missed_meetings", _("Misses activities (不参加活动必访)")
    COMPLAINT = "complaint", _("Residents complain (群众有意见必访)")
    DEATH = "death", _("Death (死亡必访)")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Open (待走访)")
    DONE = "done", _("Visited (已走访)")
