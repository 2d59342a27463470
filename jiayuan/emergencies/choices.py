"""Codes of the emergency records (lower-case English; the labels are translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    """The kinds of emergency a community meets most, in the words of 002 L139:
    「房屋拆迁、环境污染、劳资纠纷、涉法涉诉、物业管理、交通事故、群体性事件等」."""

    DEMOLITION = "demolition", _("Housing demolition (房屋拆迁)")
    POLLUTION = "pollution", _("Environmental pollution (环境污染)")
    LABOUR = "labour", _("Labour dispute (劳资纠纷)")
    LITIGATION = "litigation", _("Law- and litigation-related (涉法涉诉)")
    PROPERTY_MANAGEMENT = "property_management", _("Property management (物业管理)")
    TRAFFIC = "traffic", _("Traffic accident (交通事故)")
    MASS = "mass", _("Mass incident (群体性事件)")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RESPONDING = "responding", _("Responding")
    STABILISED = "stabilised", _("Stabilised (稳控)")
    CLOSED = "closed", _("Closed")


class ReportLevel(models.TextChoices):
    """The level above a community that receives the immediate report (第一时间报告, 002 L143)."""

    STREET = "street", _("Street")
    DISTRICT = "district", _("District")


class OnCallRole(models.TextChoices):
    LEADER = "leader", _("Leader on duty (带班领导)")
    DUTY = "duty", _("Duty officer (值班员)")


class ResponseKind(models.TextChoices):
    ARRIVAL = "arrival", _("Arrived on site")
    MEASURE = "measure", _("Measure taken")
    PUBLICITY = "publicity", _("Policy explained (政策宣传)")
    OTHER = "other", _("Other")


class IncidentEventKind(models.TextChoices):
    ACTIVATED = "activated", _("Incident recorded")
    PLAN_ACTIVATED = "plan_activated", _("Plan activated")
    REPORTED_UP = "reported_up", _("Reported to the level above")
    ACKNOWLEDGED = "acknowledged", _("Report acknowledged")
    RESPONDING = "responding", _("Response started")
    STABILISED = "stabilised", _("Stabilised")
    CLOSED = "closed", _("Closed")
