from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.meetings.choices import MeetingType


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (党支部会提议)")
    DELIBERATED = "deliberated", _("Deliberated (两委会商议)")
    REVIEWED = "reviewed", _("Reviewed (党员大会审议)")
    RESOLVED = "resolved", _("Resolved (居民代表会议决议)")
    NOTICE = "notice", _("Resolution on notice (决议公示)")
    IMPLEMENTING = "implementing", _("Implementing (组织实施)")
    RESULT_PUBLISHED = "result_published", _("Result published (实施结果公开)")
    CLOSED = "closed", _("Closed (已办结)")
    REJECTED = "rejected", _("Rejected (未通过)")


class StageCode(models.TextChoices):
    BRANCH_PROPOSAL = "branch_proposal", _("Party branch proposal (党支部会提议)")
    TWO_COMMITTEES = "two_committees", _("Two committees' deliberation (两委会商议)")
    MEMBERS_ASSEMBLY = "members_assembly", _("Party members' assembly review (党员大会审议)")
    RESIDENTS_RESOLUTION = "residents_resolution", _("Residents' (representative) meeting resolution (居民代表会议或居民会议决议)")


STAGE_ORDER = [StageCode.BRANCH_PROPOSAL, StageCode.TWO_COMMITTEES, StageCode.MEMBERS_ASSEMBLY,
               StageCode.RESIDENTS_RESOLUTION]
# The status a matter must be in for the stage to be recorded, and the status after it passed.
STAGE_FROM = {
    StageCode.BRANCH_PROPOSAL: "proposed",
    StageCode.TWO_COMMITTEES: "proposed",
    StageCode.MEMBERS_ASSEMBLY: "deliberated",
    StageCode.RESIDENTS_RESOLUTION: "reviewed",
}
STAGE_TO = {
    StageCode.BRANCH_PROPOSAL: "proposed",
    StageCode.TWO_COMMITTEES: "deliberated",
    StageCode.MEMBERS_ASSEMBLY: "reviewed",
    StageCode.RESIDENTS_RESOLUTION: "resolved",
}
# Which kinds of Party meeting may carry each stage's vote. Stage 4 is voted by residents, not at
# a Party meeting: a ResidentVote of a resident meeting (RESOLUTION_MEETING_KINDS below).
STAGE_MEETING_TYPES = {
    StageCode.BRANCH_PROPOSAL: {MeetingType.BRANCH_COMMITTEE, MeetingType.GENERAL_MEETING},
    StageCode.TWO_COMMITTEES: {MeetingType.JOINT_MEETING, MeetingType.BRANCH_COMMITTEE},
    StageCode.MEMBERS_ASSEMBLY: {MeetingType.GENERAL_MEETING},
}


class StageResult(models.TextChoices):
    PASSED = "passed", _("Passed (通过)")
    FAILED = "failed", _("Failed (未通过)")


class DecisionAction(models.TextChoices):
    RECORD_STAGE = "record_stage", _("Record a stage's vote")
    COMMENT = "comment", _("Add a comment on the plan")
    PUBLISH_NOTICE = "publish_notice", _("Publish the resolution notice")
    FILE_OBJECTION = "file_objection", _("File an objection")
    ANSWER_OBJECTION = "answer_objection", _("Answer an objection")
    START_IMPLEMENTATION = "start_implementation", _("Start implementation")
    PUBLISH_RESULT = "publish_result", _("Publish the implementation result")
    CLOSE = "close", _("Close")


class DecisionEventKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    STAGE_RECORDED = "stage_recorded", _("Stage recorded")
    REJECTED = "rejected", _("Rejected")
    COMMENTED = "commented", _("Comment added")
    NOTICE_PUBLISHED = "notice_published", _("Notice published")
    OBJECTION_FILED = "objection_filed", _("Objection filed")
    OBJECTION_ANSWERED = "objection_answered", _("Objection answered")
    IMPLEMENTATION_STARTED = "implementation_started", _("Implementation started")
    RESULT_PUBLISHED = "result_published", _("Result published")
    CLOSED = "closed", _("Closed")
    CHARTER_ADOPTED = "charter_adopted", _("Charter version adopted")


# -- the residents' side: resident meetings, their votes and dual-ballot voting (002 L161-163, L185)

class ResidentMeetingKind(models.TextChoices):
    REPRESENTATIVE_MEETING = "resident_representative_meeting", _("Resident representative meeting (居民代表会议)")
    ASSEMBLY = "resident_assembly", _("Resident assembly (居民会议)")
    DELIBERATION = "deliberation_session", _("Democratic deliberation (民主议事)")


class ResidentMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled (已安排)")
    HELD = "held", _("Held (已召开)")


class AttendanceBasis(models.TextChoices):
    """Whom the quorum counts (Urban Residents' Committees Organization Law: residents aged 18+,
    household representatives, or the representatives elected by resident groups)."""

    ADULT_RESIDENTS = "adult_residents", _("Residents aged 18 and over (18周岁以上居民)")
    HOUSEHOLDS = "household_representatives", _("One representative per household (每户代表)")
    REPRESENTATIVES = "representatives", _("Resident representatives (居民代表)")


# Which attendance bases each kind of resident meeting may use.
MEETING_BASES = {
    ResidentMeetingKind.REPRESENTATIVE_MEETING: {AttendanceBasis.REPRESENTATIVES},
    ResidentMeetingKind.ASSEMBLY: {AttendanceBasis.ADULT_RESIDENTS, AttendanceBasis.HOUSEHOLDS},
    ResidentMeetingKind.DELIBERATION: {AttendanceBasis.REPRESENTATIVES, AttendanceBasis.ADULT_RESIDENTS,
                                       AttendanceBasis.HOUSEHOLDS},
}
# The kinds of resident meeting whose vote may be stage 4 of the 4+2 method (002 L161
# "居民代表会议或居民会议决议").
RESOLUTION_MEETING_KINDS = {ResidentMeetingKind.REPRESENTATIVE_MEETING, ResidentMeetingKind.ASSEMBLY}


class VoteClassification(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary (一般事务)")
    MAJOR = "major", _("Major matter (重大事务)")
    CONTESTED = "contested", _("Representatives disagree strongly (意见分歧大)")


# Classifications decided by dual-ballot voting (双票表决制, 002 L185).
DUAL_BALLOT = {VoteClassification.MAJOR, VoteClassification.CONTESTED}


class ResidentVoteStatus(models.TextChoices):
    OPEN = "open", _("Open (表决中)")
    CLOSED = "closed", _("Closed (已结束)")


class ResidentVoteResult(models.TextChoices):
    PASSED = "passed", _("Passed (通过)")
    REJECTED = "rejected", _("Rejected (未通过)")
    NO_QUORUM = "no_quorum", _("No quorum (不足法定人数)")


class BallotChoice(models.TextChoices):
    YES = "yes", _("Yes (同意)")
    NO = "no", _("No (不同意)")
    ABSTAIN = "abstain", _("Abstain (弃权)")
