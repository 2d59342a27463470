"""Facts of the community registers for the rulebook (:mod:`jiayuan.norms.facts`).

The contracts (names, values) are fixed; rules in ``norms/rules/*.toml`` are written against
them. Each provider runs a fixed number of queries whatever the window and the register size,
and links every evidence item to its row on the register page (``/community/<code>/#...``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from jiayuan.norms.facts import Evidence, Facts, fact
from jiayuan.residents.norms_facts import household_count, member_count

from .choices import GRADUATE_EDUCATION, REQUIRED_ROOMS, Committee, Fund, Post
from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat, distinct_persons


@fact("community.service_center")
def service_center(subject, window, ctx) -> Facts:
    """values: ``area_m2`` (Decimal; absent when there is no centre), ``households`` (int),
    ``rooms_missing`` (how many of the four rooms of 003 L309 are missing). A centre opened after
    the window's end did not exist then. Two queries."""
    place = subject.place
    centre = MemberResidentServiceCenter.objects.filter(community=place).first()
    if centre is not None and centre.opened_on and centre.opened_on > window.end:
        centre = None
    values = {"households": household_count(place.code)}
    if centre is None:
        values["rooms_missing"] = len(REQUIRED_ROOMS)
        return Facts(items=[], values=values)
    missing = centre.missing_required_labels
    values["area_m2"] = centre.area_m2
    values["rooms_missing"] = len(missing)
    label = _("{name}: {area} m²").format(name=centre.name, area=f"{centre.area_m2.normalize():f}")
    if missing:
        label += _("; missing rooms: {rooms}").format(rooms=_(", ").join(missing))
    return Facts(
        items=[Evidence(label=label, url=centre.get_absolute_url(), date=centre.opened_on, value=centre.area_m2)],
        values=values,
    )


@fact("community.funds")
def funds(subject, window, ctx) -> Facts:
    """``ctx["fund"]`` names the fund. values: ``amount`` (Decimal sum of the rows received in
    the window, reversals included), ``households``, ``members`` (living CPC members and
    probationary members of the community). items: the rows. Three queries."""
    fund = ctx.get("fund")
    if fund not in Fund.values:
        raise ValueError("community.funds needs args.fund, one of {}; got {!r}".format(", ".join(Fund.values), fund))
    place = subject.place
    rows = list(
        FundAllocation.objects.filter(
            community=place, fund=fund, received_on__gte=window.start, received_on__lte=window.end
        ).order_by("received_on", "id")
    )
    label = Fund(fund).label
    items = []
    for r in rows:
        text = _("{fund} {amount} yuan received {date}").format(
            fund=label, amount=f"{r.amount:,.2f}", date=r.received_on.isoformat())
        if r.source or r.document_no:
            text += " ({})".format(" ".join(p for p in (r.source, r.document_no) if p))
        if r.is_reversal:
            text += " — " + _("reversal: {reason}").format(reason=r.reason)
        items.append(Evidence(label=text, url=r.get_absolute_url(), date=r.received_on, value=r.amount))
    return Facts(items=items, values={
        "amount": sum((r.amount for r in rows), Decimal("0")),
        "households": household_count(place.code),
        "members": member_count(place.code),
    })


@fact("community.two_committees")
def two_committees(subject, window, ctx) -> Facts:
    """The roster as of the window's end (seats with ``started_on <= end`` and not ended before
    it). values: ``members`` (distinct persons), ``under_age`` (persons younger than
    ``ctx["age"]``, default 35, at the end), ``graduates`` (junior college or higher),
    ``cross_appointed`` (persons on both committees), ``dual_role`` (the Party secretary is also
    the residents' committee director), ``full_time_deputies`` (seats of full-time deputy
    secretary). items: one per seat. One query."""
    end = window.end
    age_limit = int(ctx.get("age", 35))
    seats = list(
        TwoCommitteesSeat.objects.filter(community=subject.place, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=end))
        .select_related("resident")
        .order_by("committee", "started_on", "id")
    )
    person_of = distinct_persons(seats)
    by_person: dict[tuple, list] = defaultdict(list)
    for s in seats:
        by_person[person_of[s.pk]].append(s)

    def education(s) -> str:
        return s.education or (s.resident.education if s.resident_id else "")

    under_age = graduates = cross = 0
    dual_role = False
    for person_seats in by_person.values():
        first = person_seats[0]
        under_age += first.age_on(end) < age_limit
        graduates += any(education(s) in GRADUATE_EDUCATION for s in person_seats)
        committees = {s.committee for s in person_seats}
        cross += len(committees) == 2
        posts = {(s.committee, s.post) for s in person_seats}
        dual_role |= {(Committee.COMMUNITY_PARTY_ORG, Post.SECRETARY), (Committee.RESIDENTS_COMMITTEE, Post.DIRECTOR)} <= posts
    items = [
        Evidence(
            label=f"{s.full_name} · {Committee(s.committee).label} · {Post(s.post).label}",
            url=s.get_absolute_url(), date=s.started_on, value=s.age_on(end),
        )
        for s in seats
    ]
    return Facts(items=items, values={
        "members": len(by_person),
        "under_age": under_age,
        "graduates": graduates,
        "cross_appointed": cross,
        "dual_role": dual_role,
        "full_time_deputies": sum(1 for s in seats if s.post == Post.FULL_TIME_DEPUTY_SECRETARY),
    })
