"""Every read of the disclosure board.

Staff reads are scoped with ``get_scope(user).filter`` on ``territory_code`` (deny by default;
residents and users without a role see nothing, a row outside the area is 404). The public
reads have their own published-only selectors (architecture.md §4.2): the board shows what is
published and not expired and not replaced by a published correction; the history shows every
published version and every withdrawn item with its reason — never a draft or an approved item
not yet posted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.accounts.scope import get_scope
from jiayuan.cases.choices import CaseStatus, EventKind, Visibility
from jiayuan.cases.models import CaseEvent
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import Kind, Section, Status
from .masking import mask_personal
from .models import DisclosureFeedback, DisclosureItem

PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)
# The band of the board for the 创先争优 and audit columns (issue 7; 002 L179, L195, L199, L203):
# items of these kinds are shown there, in board order, instead of inside their section.
BAND_KINDS = (Kind.COMMITMENT, Kind.APPRAISAL, Kind.DEPARTURE_AUDIT, Kind.HONOUR_ROLL)


def item_list(*, user, status: str | None = None, community_code: str | None = None) -> QuerySet[DisclosureItem]:
    """The items the user may see (staff roles only), newest first. Two joins, one query."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return DisclosureItem.objects.none()
    qs = scope.filter(DisclosureItem.objects.all())
    if status:
        qs = qs.filter(status=status)
    if community_code:
        qs = qs.filter(territory_code=community_code)
    return qs.select_related("community", "created_by", "approved_by").order_by("-updated_at", "-pk")


def item_get(*, user, pk: int) -> DisclosureItem:
    return get_object_or_404(item_list(user=user), pk=pk)


# -- public -------------------------------------------------------------------------------------

def public_community(code: str) -> Place:
    return get_object_or_404(Place, code=code, kind=PlaceKind.COMMUNITY)


def _replaced() -> Exists:
    return Exists(DisclosureItem.objects.filter(supersedes=OuterRef("pk"), status=Status.PUBLISHED))


def public_current(*, community: Place, today: dt.date | None = None) -> QuerySet[DisclosureItem]:
    """Published, unexpired items that no published correction replaces."""
    today = today or timezone.localdate()
    return (
        DisclosureItem.objects.filter(territory_code=community.code, status=Status.PUBLISHED, published_on__lte=today)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exclude(_replaced())
        .order_by("-published_on", "-pk")
    )


def public_columns(*, community: Place, today: dt.date | None = None) -> tuple[list, list]:
    """``(sections, band)`` of the board from one query: ``sections`` is ``[(section code, label,
    items)]`` in board order, empty sections included, without the band's kinds; ``band`` is
    ``[(kind code, label, items)]`` for the kinds of :data:`BAND_KINDS` that have current items
    (empty when there are none, so the band is not shown). Each item carries ``feedback_count``.

    Why the band and not the section: a resident reading the board on a phone should meet each
    notice once; the commitments, appraisals, audits and honour roll are columns of their own on a
    physical board (光荣榜 is a board of its own, 002 L203), and each card still names its section."""
    items = list(public_current(community=community, today=today).annotate(feedback_count=Count("feedback")))
    sections = [(code, label, [i for i in items if i.section == code and i.kind not in BAND_KINDS])
                for code, label in Section.choices]
    band = [(kind, Kind(kind).label, [i for i in items if i.kind == kind]) for kind in BAND_KINDS]
    return sections, [row for row in band if row[2]]


def public_board(*, community: Place, today: dt.date | None = None) -> list[tuple[str, str, list]]:
    """``[(section code, label, items)]`` in board order, empty sections included (the band's
    kinds are in :func:`public_columns`'s band)."""
    return public_columns(community=community, today=today)[0]


def public_history(*, community: Place) -> QuerySet[DisclosureItem]:
    """Every version ever posted and every withdrawn item, newest first."""
    return (
        DisclosureItem.objects.filter(territory_code=community.code, status__in=PUBLIC_STATUSES)
        .annotate(replaced=_replaced())
        .select_related("supersedes")
        .order_by("-published_on", "-version", "-pk")
    )


def public_item_get(*, community: Place, pk: int) -> DisclosureItem:
    qs = DisclosureItem.objects.filter(territory_code=community.code, status__in=PUBLIC_STATUSES)
    return get_object_or_404(qs.select_related("supersedes", "community"), pk=pk)


def item_versions(item: DisclosureItem, *, public: bool) -> list[DisclosureItem]:
    """The chain of versions ``item`` belongs to, oldest first (a fixed few queries per version;
    chains are short)."""
    root = item
    while root.supersedes_id:
        root = root.supersedes
    chain = [root]
    while True:
        qs = chain[-1].corrections.all()
        if public:
            qs = qs.filter(status__in=PUBLIC_STATUSES)
        nxt = qs.order_by("pk").last()
        if nxt is None:
            break
        chain.append(nxt)
    return chain


# -- feedback (意见箱, 002 L179) ---------------------------------------------------------------------

# What a resident reads for the state of a feedback case, in plain words (the case loop's own
# states are for staff). ``answered`` and ``not_accepted`` carry the result (W-42 RESULT_DISCLOSED).
FEEDBACK_RECEIVED, FEEDBACK_HANDLING, FEEDBACK_ANSWERED = "received", "handling", "answered"
FEEDBACK_NOT_ACCEPTED, FEEDBACK_MERGED = "not_accepted", "merged"
_HANDLING = (CaseStatus.ACCEPTED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED,
             CaseStatus.ESCALATED)
_DONE = (CaseStatus.RESOLVED, CaseStatus.VISITED, CaseStatus.CLOSED)
_OUTCOME_EVENTS = (EventKind.RESOLVED, EventKind.REJECTED, EventKind.MERGED, EventKind.REOPENED)


@dataclass(frozen=True)
class PublicFeedback:
    """One feedback as the public board shows it: never the reporter's name, phone or text."""

    pk: int
    item_id: int
    received_on: dt.date
    state: str
    result: str  # masked; empty until the case is resolved (or refused, with its reason)
    result_on: dt.date | None


def _outcome(case, events: list) -> tuple[str, CaseEvent | None]:
    """The plain state and the event that carries the result, from the case's status and its
    public outcome events (oldest first)."""
    last = events[-1] if events else None
    if case.status == CaseStatus.REPORTED:
        return FEEDBACK_RECEIVED, None
    if case.status in _HANDLING:
        return FEEDBACK_HANDLING, None
    if case.status == CaseStatus.REJECTED or (case.status == CaseStatus.CLOSED and last and
                                              last.kind == EventKind.REJECTED):
        return FEEDBACK_NOT_ACCEPTED, last if last and last.kind == EventKind.REJECTED else None
    if case.status == CaseStatus.MERGED or (last and last.kind == EventKind.MERGED):
        return FEEDBACK_MERGED, None
    if case.status in _DONE:
        resolved = [e for e in events if e.kind == EventKind.RESOLVED]
        return FEEDBACK_ANSWERED, resolved[-1] if resolved else None
    return FEEDBACK_HANDLING, None


def public_feedback(*, item_ids: list[int]) -> list[PublicFeedback]:
    """The feedback on these items (an item's versions), oldest first, with the result the case
    recorded when it was resolved — the resolution text of its last ``resolved`` event, which is
    public to the reporter in the loop (``cases.choices.EVENT_VISIBILITY``) — or, for a refused
    case, the reason it was refused; for a merged case, the result of the case it was merged into.
    Masked (:func:`.masking.mask_personal`). Two queries."""
    rows = list(DisclosureFeedback.objects.filter(item_id__in=item_ids).select_related("case")
                .order_by("created_at", "pk"))
    case_ids = {f.case_id for f in rows} | {f.case.merged_into_id for f in rows if f.case.merged_into_id}
    events: dict[int, list] = {}
    for e in CaseEvent.objects.filter(case_id__in=case_ids, kind__in=_OUTCOME_EVENTS,
                                      visibility=Visibility.PUBLIC).order_by("at", "id"):
        events.setdefault(e.case_id, []).append(e)
    result = []
    for f in rows:
        state, event = _outcome(f.case, events.get(f.case_id, []))
        if state == FEEDBACK_MERGED and f.case.merged_into_id:
            merged = [e for e in events.get(f.case.merged_into_id, []) if e.kind == EventKind.RESOLVED]
            event = merged[-1] if merged else None
        text = mask_personal(event.comment) if event is not None else ""
        result.append(PublicFeedback(
            pk=f.pk, item_id=f.item_id, received_on=timezone.localdate(f.case.received_at), state=state,
            result=text, result_on=timezone.localdate(event.at) if event is not None and text else None,
        ))
    return result


def staff_feedback(*, item_ids: list[int]) -> list[DisclosureFeedback]:
    """The feedback on these items with their cases, for the staff item page (whose caller may
    already see the item; the case page checks its own scope). One query."""
    return list(DisclosureFeedback.objects.filter(item_id__in=item_ids).select_related("case", "item")
                .order_by("created_at", "pk"))
