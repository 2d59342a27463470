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
# Which kinds of meeting may carry each stage's vote.
STAGE_MEETING_TYPES = {
    StageCode.BRANCH_PROPOSAL: {MeetingType.BRANCH_COMMITTEE, MeetingType.GENERAL_MEETING},
    StageCode.TWO_COMMITTEES: {MeetingType.JOINT_MEETING, MeetingType.BRANCH_COMMITTEE},
    StageCode.MEMBERS_ASSEMBLY: {MeetingType.GENERAL_MEETING},
    StageCode.RESIDENTS_RESOLUTION: {MeetingType.JOINT_MEETING, MeetingType.GENERAL_MEETING},
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
