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

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.accounts.scope import get_scope
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import Section, Status
from .models import DisclosureItem

PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


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


def public_board(*, community: Place, today: dt.date | None = None) -> list[tuple[str, str, list]]:
    """``[(section code, label, items)]`` in board order, empty sections included."""
    items = list(public_current(community=community, today=today))
    return [(code, label, [i for i in items if i.section == code]) for code, label in Section.choices]


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
