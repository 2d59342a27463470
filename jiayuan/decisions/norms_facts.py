"""Facts of the 4+2 method for the rulebook (contracts in ``norms/rules/facts.toml``).

``decisions.results`` (N-DEMO-02a/b, 002 L161 "决议公开,实施结果公开"): the matters of the
subject's area that were resolved (stage 4 passed) in the window or whose implementation result
fell due in it. ``undisclosed_resolutions`` counts those carried out (implementing or later)
without a resolution notice on the public board; ``undisclosed_results`` those past their result
due date (as of the window's end, or today when earlier) with no published result, and those
closed without one. Each matter is one Evidence, linked to its staff page. Two queries.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jiayuan.norms.facts import Evidence, Facts, fact

from .choices import DecisionStatus, StageCode, StageResult
from .models import DecisionMatter, DecisionStage, ImplementationResult, Notice

CARRIED_OUT = (DecisionStatus.IMPLEMENTING, DecisionStatus.RESULT_PUBLISHED, DecisionStatus.CLOSED)


@fact("decisions.results")
def results(subject, window, ctx) -> Facts:
    as_of = min(window.end, timezone.localdate())
    resolved = DecisionStage.objects.filter(
        matter=OuterRef("pk"), stage=StageCode.RESIDENTS_RESOLUTION, result=StageResult.PASSED)
    in_window = resolved.filter(decided_at__date__gte=window.start, decided_at__date__lte=window.end)
    rows = list(
        DecisionMatter.objects.filter(territory_code__startswith=subject.code)
        .filter(Exists(resolved))
        .filter(Q(Exists(in_window)) | Q(result_due_on__gte=window.start, result_due_on__lte=window.end))
        .annotate(
            posted=Exists(Notice.objects.filter(matter=OuterRef("pk"), disclosure_item__isnull=False)),
            has_result=Exists(ImplementationResult.objects.filter(matter=OuterRef("pk"))),
        )
        .order_by("result_due_on", "pk")
        .values("pk", "title", "status", "result_due_on", "posted", "has_result")
    )
    undisclosed_resolutions = undisclosed_results = 0
    evidence = []
    for r in rows:
        missing_notice = r["status"] in CARRIED_OUT and not r["posted"]
        overdue = not r["has_result"] and (
            r["status"] == DecisionStatus.CLOSED or (r["result_due_on"] is not None and r["result_due_on"] < as_of))
        undisclosed_resolutions += missing_notice
        undisclosed_results += overdue
        evidence.append(Evidence(label=r["title"], url=f"/decisions/{r['pk']}/", date=r["result_due_on"],
                                 value=int(missing_notice or overdue)))
    return Facts(items=evidence, values={"decisions": len(rows), "undisclosed_resolutions": undisclosed_resolutions,
                                         "undisclosed_results": undisclosed_results})
