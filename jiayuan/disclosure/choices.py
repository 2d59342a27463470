"""Codes of the disclosure board (labels are translations, architecture.md §4.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The board's sections: 党务 plus the four of 002 L179 (政务、事务、财务、服务)."""

    PARTY_AFFAIRS = "party_affairs", _("Party affairs")
    GOVERNMENT = "government", _("Government affairs")
    AFFAIRS = "affairs", _("Community affairs")
    FINANCE = "finance", _("Finances")
    SERVICE = "service", _("Services")


class Timing(models.TextChoices):
    """How long an item stays up (002 L177): 长期公开 / 定期公开 / 即时公开."""

    STANDING = "standing", _("Standing")
    PERIODIC = "periodic", _("Periodic")
    IMMEDIATE = "immediate", _("Immediate")


class Kind(models.TextChoices):
    """What the item is; ``quarterly`` is the fixed quarterly disclosure of 003 L329 that the
    rulebook counts (N-STD-17a, fact ``disclosure.items``)."""

    QUARTERLY = "quarterly", _("Quarterly disclosure")
    NOTICE = "notice", _("Notice")
    FINANCE_REPORT = "finance_report", _("Financial statement")
    SERVICE_GUIDE = "service_guide", _("Service guide")
    # Published by the 4+2 method itself (002 L161 "决议公开,实施结果公开"): the residents' vote
    # is the approval, so these skip maker-checker (jiayuan.decisions.services).
    RESOLUTION = "resolution", _("Resolution notice (决议公告)")
    RESULT = "result", _("Implementation result (实施结果公开)")
    CHARTER = "charter", _("Charter or covenant (居民自治章程·居民公约)")
    # The board's other columns of issue 7 (002 L179, L195, L203).
    COMMITMENT = "commitment", _("Public commitment (公开承诺)")
    APPRAISAL = "appraisal", _("Appraisal result (评议结果)")
    DEPARTURE_AUDIT = "departure_audit", _("Departure audit (离任审计)")
    HONOUR_ROLL = "honour_roll", _("Honour roll (光荣榜)")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """draft → approved (maker-checker) → published → withdrawn (with the reason kept)."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
