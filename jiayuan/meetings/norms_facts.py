"""Facts of the meetings module for the rulebook (:mod:`jiayuan.norms.facts`), per the
CONTRACTs of ``meetings.held`` and ``meetings.attended`` in ``norms/rules/facts.toml``.

Each provider runs one query whatever the window and the number of meetings, and links every
evidence item to the meeting's page (``/meetings/<id>/``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from jiayuan.norms.facts import Evidence, Facts, fact
from jiayuan.party.choices import OfficerPost, OrgType
from jiayuan.party.models import Organization, OrganizationOfficer

from .choices import ATTENDED, MeetingStatus, MeetingType
from .models import Attendance, Meeting


def _meeting_type(ctx, name: str) -> str:
    meeting_type = ctx.get("meeting_type")
    if meeting_type not in MeetingType.values:
        raise ValueError("{} needs args.meeting_type, one of {}; got {!r}".format(
            name, ", ".join(MeetingType.values), meeting_type))
    return meeting_type


@fact("meetings.held", subjects=("community", "street"))
def held(subject, window, ctx) -> Facts:
    """items: one Evidence per meeting of ``ctx["meeting_type"]`` held in the window (002 L93) by
    the organizations of the subject's area (territory code under the subject's code); when the
    subject is a Party organization, by it and the organizations below it (its branches and
    their groups). date = the day it was held. values: ``count``. One query."""
    meeting_type = _meeting_type(ctx, "meetings.held")
    qs = Meeting.objects.filter(
        meeting_type=meeting_type, status=MeetingStatus.HELD, held_on__gte=window.start, held_on__lte=window.end,
        territory_code__startswith=subject.code,
    )
    if isinstance(subject.obj, Organization):
        org = subject.obj
        qs = qs.filter(Q(organization=org) | Q(organization__parent=org) | Q(organization__parent__parent=org))
    items = [
        Evidence(label=m.title, url=m.get_absolute_url(), date=m.held_on)
        for m in qs.only("id", "title", "held_on").order_by("held_on", "id")
    ]
    return Facts(items=items, values={"count": len(items)})


@fact("meetings.attended", subjects=("community",))
def attended(subject, window, ctx) -> Facts:
    """items: one Evidence per meeting of ``ctx["meeting_type"]`` (N-STD-05a:
    street_working_committee) held in the window by an organization of the level above — the
    subject community's parent street — that the holder of ``ctx["role"]`` (an officer post:
    ``secretary``) of a Party organization of the community attended (present or late), holding
    the post on the day. date = the day it was held. values: ``count``. One query."""
    meeting_type = _meeting_type(ctx, "meetings.attended")
    role = ctx.get("role", OfficerPost.SECRETARY)
    if role not in OfficerPost.values:
        raise ValueError("meetings.attended needs args.role, one of {}; got {!r}".format(
            ", ".join(OfficerPost.values), role))
    place = subject.place
    if place is None or place.parent_id is None:
        return Facts(items=[], values={"count": 0})
    # the parent's code without a query: a community's code is its street's code + 3 digits
    street_code = subject.code[:-3]
    holds_post = OrganizationOfficer.objects.filter(
        member_id=OuterRef("member_id"), post=role, organization__territory_code__startswith=subject.code,
        started_on__lte=OuterRef("meeting__held_on"),
    ).exclude(organization__org_type=OrgType.PARTY_GROUP).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("meeting__held_on"))
    )
    rows = (
        Attendance.objects.filter(
            meeting__meeting_type=meeting_type, meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=window.start, meeting__held_on__lte=window.end,
            meeting__organization__territory_code=street_code, status__in=ATTENDED,
        )
        .filter(Exists(holds_post))
        .values_list("meeting_id", "meeting__title", "meeting__held_on")
        .order_by("meeting__held_on", "meeting_id")
    )
    items, seen = [], set()
    for meeting_id, title, held_on in rows:
        if meeting_id in seen:
            continue
        seen.add(meeting_id)
        items.append(Evidence(label=title, url=reverse("meeting_detail", args=[meeting_id]), date=held_on))
    return Facts(items=items, values={"count": len(items)})
