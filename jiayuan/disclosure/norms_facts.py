"""Facts of the disclosure board for the rulebook (contracts in ``norms/rules/facts.toml``).

``disclosure.items`` (N-STD-17a, 003 L329 "每季度公开…"): one Evidence per item of
``args.disclosure`` (e.g. ``quarterly``) published in the window in the subject's area, dated
the day it was posted. A withdrawn item does not count (it is no longer disclosed); a correction
is a new version of a disclosure already counted when its first version was posted, so only
first versions count (they stay published when a correction replaces them). One query.
"""

from __future__ import annotations

from jiayuan.norms.facts import Evidence, Facts, fact

from .choices import Status
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
