"""Facts of the disclosure board for the rulebook (contracts in ``norms/rules/facts.toml``).

``disclosure.items`` (N-STD-17a, 003 L329 "每季度公开…"): one Evidence per item of
``args.disclosure`` (e.g. ``quarterly``) published in the window in the subject's area, dated
the day it was posted. A withdrawn item does not count (it is no longer disclosed); a correction
is a new version of a disclosure already counted when its first version was posted, so only
first versions count (they stay published when a correction replaces them). One query.

``disclosure.notices`` (N-DEMO-08): how long each 4+2 resolution notice stayed up.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jiayuan.norms.facts import Evidence, Facts, fact

from .choices import Kind, Status
from .models import DisclosureItem


@fact("disclosure.items")
def items(subject, window, ctx) -> Facts:
    kind = ctx.get("disclosure")
    if not kind:
        raise ValueError("disclosure.items needs args.disclosure")
    rows = list(
        DisclosureItem.objects.filter(
            territory_code__startswith=subject.code, kind=kind, status=Status.PUBLISHED,
            published_on__gte=window.start, published_on__lte=window.end, supersedes__isnull=True,
        ).order_by("published_on", "pk").values("pk", "title", "published_on", "territory_code")
    )
    evidence = [
        Evidence(label=r["title"], url=f"/public/{r['territory_code']}/items/{r['pk']}/", date=r["published_on"])
        for r in rows
    ]
    return Facts(items=evidence, values={"count": len(evidence)})


@fact("disclosure.notices")
def notices(subject, window, ctx) -> Facts:
    """N-DEMO-08 (002 L163 "公示了七天"): each posting of a notice kind (``args.notice``:
    ``resolution``) in the window, from the day it went up to the day it came down — the day
    after its expiry date once that passed, or the day it was withdrawn. One query."""
    kind = {"resolution": Kind.RESOLUTION}.get(ctx.get("notice") or "")
    if kind is None:
        raise ValueError("disclosure.notices needs args.notice = 'resolution'")
    today = timezone.localdate()
    rows = DisclosureItem.objects.filter(
        territory_code__startswith=subject.code, kind=kind, status__in=(Status.PUBLISHED, Status.WITHDRAWN),
        published_on__gte=window.start, published_on__lte=window.end,
    ).order_by("published_on", "pk").values("pk", "title", "published_on", "expires_on", "withdrawn_on",
                                             "territory_code")
    evidence = []
    for r in rows:
        down = r["withdrawn_on"]
        if down is None and r["expires_on"] is not None and r["expires_on"] < today:
            down = r["expires_on"] + dt.timedelta(days=1)
        evidence.append(Evidence(label=r["title"], url=f"/public/{r['territory_code']}/items/{r['pk']}/",
                                 date=r["published_on"], start=r["published_on"], done=down))
    return Facts(items=evidence, values={"count": len(evidence)})
