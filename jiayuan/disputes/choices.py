"""Codes of the dispute register (lower-case English; the labels are translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    FAMILY = "family", _("Family and marriage")
    PROPERTY_LAND = "property_land", _("Property and land")
    LABOUR = "labour", _("Labour")
    PROPERTY_MANAGEMENT = "property_management", _("Property management")
    OTHER = "other", _("Other")


class IntakeMode(models.TextChoices):
    """How the dispute came in: found in a screening round (定期排查, 002 L135) or one of the four
    clinics of 002 L137 (四诊)."""

    SCREENING = "screening", _("Screening round (排查)")
    SIT_IN = "sit_in", _("Sit-in clinic (坐诊)")
    HOUSE_CALL = "house_call", _("House call (出诊)")
    EMERGENCY = "emergency", _("Emergency (急诊)")
    CONSULTATION = "consultation", _("Joint consultation (会诊)")


class MediationKind(models.TextChoices):
    """三调联动 (002 L135): people's, administrative and judicial mediation, linked."""

    PEOPLES = "peoples", _("People's mediation (人民调解)")
    ADMINISTRATIVE = "administrative", _("Administrative mediation (行政调解)")
    JUDICIAL = "judicial", _("Judicial mediation (司法调解)")


class HandlingLevel(models.TextChoices):
    """三级调处 (002 L135): community, street, county; escalation moves one step up."""

    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    COUNTY = "county", _("County / district")


LEVEL_ORDER = [HandlingLevel.COMMUNITY, HandlingLevel.STREET, HandlingLevel.COUNTY]


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned (五个一)")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreed")
    FAILED = "failed", _("Mediation failed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [DisputeStatus.REGISTERED, DisputeStatus.ASSIGNED, DisputeStatus.MEDIATING, DisputeStatus.FAILED]


class SevenDuty(models.TextChoices):
    """七包 (002 L147), in the seed's order."""

    INFORMATION = "information", _("Keep the information (包掌握信息)")
    INVESTIGATION = "investigation", _("Investigate (包调查研究)")
    EDUCATION = "education", _("Talk it through (包思想教育)")
    PLAN = "plan", _("Make the plan (包制定方案)")
    SOLUTION = "solution", _("Solve the problem (包解决问题)")
    STABILITY = "stability", _("Keep it stable (包稳控措施)")
    RESPONSIBILITY = "responsibility", _("Take responsibility (包责任承担)")


class DisputeEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Five ones assigned")
    CHECKLIST = "checklist", _("Seven duties updated")
    MEDIATION_STARTED = "mediation_started", _("Mediation started")
    SESSION = "session", _("Mediation session")
    AGREEMENT_DRAFTED = "agreement_drafted", _("Agreement drafted")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    FAILED = "failed", _("Mediation failed")
    ESCALATED = "escalated", _("Escalated")
    FOLLOWED_UP = "followed_up", _("Follow-up visit")
    CLOSED = "closed", _("Closed")
    CASE_LINKED = "case_linked", _("Linked to a case")
