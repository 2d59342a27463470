"""Codes of the case loop (architecture.md §4.4: codes in the database, labels as translations).

The loop is 接诉 → 交办 → 办理 → 办结 → 回访 → 评价 (issue 6): reported → accepted (or rejected) →
assigned → in progress → resolved → visited → closed, with reopened, escalated and merged on
the side. Levels follow 002 L135 「小事不出区、大事不出街、矛盾不上交」 (community → street →
district); routing targets follow 003 L267 (纪检类 → 纪委, 党建类 → 组织部, 民生类 → 群工部).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    APPEAL = "appeal", _("Appeal")  # 群众诉求 (002 L63)
    SUGGESTION = "suggestion", _("Suggestion")  # 意见建议 (002 L51)
    PSYCHOLOGICAL = "psychological", _("Psychological support request")  # 心理诉求 (002 L51)
    GRID_EVENT = "grid_event", _("Grid event")  # 网格事件 (003 L247)
    DISPUTE = "dispute", _("Dispute")  # 矛盾纠纷 (002 L135)
    EMERGENCY = "emergency", _("Emergency")  # 突发事件 (002 L139)


# Kinds raised by residents themselves: the first-inquiry reply (002 L69) is judged on these.
RESIDENT_KINDS = (CaseKind.APPEAL, CaseKind.SUGGESTION, CaseKind.PSYCHOLOGICAL)


class CaseChannel(models.TextChoices):
    WEB = "web", _("Web page")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in visit")  # 来访
    OPINION_BOX = "opinion_box", _("Opinion box")  # 意见箱
    EVENING_TALK = "evening_talk", _("Residents' evening talk")  # 居民夜话 (003 L267)
    COURTYARD_MEETING = "courtyard_meeting", _("Courtyard meeting")  # 坝坝会 (003 L267)
    GRID_WORKER = "grid_worker", _("Grid worker")
    OPEN311 = "open311", _("Open311")
    HOTLINE = "hotline", _("Hotline")


# Channels an anonymous reporter may use (the public page and Open311).
PUBLIC_CHANNELS = (CaseChannel.WEB, CaseChannel.OPEN311)
# Channels of the batch form after an evening talk or a courtyard meeting.
MEETING_CHANNELS = (CaseChannel.EVENING_TALK, CaseChannel.COURTYARD_MEETING)


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Assigned")  # 交办
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")  # 办结
    VISITED = "visited", _("Return visit done")  # 回访
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


# States in which somebody still owes the reporter work: these have a deadline and are swept.
OPEN_STATES = (
    CaseStatus.REPORTED, CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS,
    CaseStatus.REOPENED, CaseStatus.ESCALATED,
)
# States before handling is finished: a case in one of these may be merged or escalated.
ACTIVE_STATES = OPEN_STATES


class CaseLevel(models.TextChoices):
    """The level that handles the case (三级调处, 002 L135)."""

    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


NEXT_LEVEL = {CaseLevel.COMMUNITY: CaseLevel.STREET, CaseLevel.STREET: CaseLevel.DISTRICT}
# How many digits of a territory code the place of each level has (territory.choices.CODE_LENGTH).
LEVEL_CODE_LENGTH = {CaseLevel.COMMUNITY: 12, CaseLevel.STREET: 9, CaseLevel.DISTRICT: 6}


class RoutingTarget(models.TextChoices):
    """Who a case is handed to (交办). The three departments are 003 L267's lead units."""

    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street office")
    DISTRICT = "district", _("District")
    DISCIPLINE_COMMISSION = "discipline_commission", _("Discipline inspection commission")  # 纪委
    ORGANIZATION_DEPARTMENT = "organization_department", _("Organization department")  # 组织部
    MASS_WORK_DEPARTMENT = "mass_work_department", _("Mass work department")  # 群工部
    PROPERTY_MANAGEMENT = "property_management", _("Property management company")  # 物业
    POLICE_STATION = "police_station", _("Police station")  # 派出所


class CaseAction(models.TextChoices):
    """What ``services.case_transition`` can do."""

    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start handling")
    REPLY = "reply", _("Reply to the reporter")
    HOME_VISIT = "home_visit", _("Record a visit")  # 调查走访 (002 L69)
    RESOLVE = "resolve", _("Resolve")
    VISIT = "visit", _("Record the return visit")  # 反馈回访 (002 L69)
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    ESCALATE = "escalate", _("Escalate")
    MERGE = "merge", _("Merge into another case")
    COMMENT = "comment", _("Comment")


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    REPLIED = "replied", _("Replied")
    VISITED_HOME = "visited_home", _("Visited")  # 调查走访
    RESOLVED = "resolved", _("Resolved")
    VISITED = "visited", _("Return visit")  # 反馈回访
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    MERGED = "merged", _("Merged")
    COMMENTED = "commented", _("Comment")
    CLOSED = "closed", _("Closed")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")


ACTION_EVENT = {
    CaseAction.ACCEPT: EventKind.ACCEPTED, CaseAction.REJECT: EventKind.REJECTED, CaseAction.ASSIGN: EventKind.ASSIGNED,
    CaseAction.START: EventKind.STARTED, CaseAction.REPLY: EventKind.REPLIED,
    CaseAction.HOME_VISIT: EventKind.VISITED_HOME, CaseAction.RESOLVE: EventKind.RESOLVED,
    CaseAction.VISIT: EventKind.VISITED, CaseAction.CLOSE: EventKind.CLOSED, CaseAction.REOPEN: EventKind.REOPENED,
    CaseAction.ESCALATE: EventKind.ESCALATED, CaseAction.MERGE: EventKind.MERGED, CaseAction.COMMENT: EventKind.COMMENTED,
}


class Visibility(models.TextChoices):
    """Who may read an event: the reporter (public), every staff member who sees the case, or
    only the handling side (community/street/district staff and the assignee), not grid workers."""

    PUBLIC = "public", _("Public")
    STAFF = "staff", _("Staff")
    INTERNAL = "internal", _("Internal")


# Default visibility of each event kind (a comment says its own).
EVENT_VISIBILITY = {
    EventKind.REPORTED: Visibility.PUBLIC, EventKind.ACCEPTED: Visibility.PUBLIC, EventKind.REJECTED: Visibility.PUBLIC,
    EventKind.ASSIGNED: Visibility.PUBLIC, EventKind.STARTED: Visibility.PUBLIC, EventKind.REPLIED: Visibility.PUBLIC,
    EventKind.VISITED_HOME: Visibility.STAFF, EventKind.RESOLVED: Visibility.PUBLIC, EventKind.VISITED: Visibility.PUBLIC,
    EventKind.REOPENED: Visibility.PUBLIC, EventKind.ESCALATED: Visibility.PUBLIC, EventKind.MERGED: Visibility.PUBLIC,
    EventKind.COMMENTED: Visibility.STAFF, EventKind.CLOSED: Visibility.PUBLIC,
    EventKind.DEADLINE_CHANGED: Visibility.INTERNAL,
}
