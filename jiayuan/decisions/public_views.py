"""The public pages of the 4+2 method (no sign-in), next to the community's disclosure board.

``/public/<community>/decisions/``: the matters whose resolution was made public, each with its
four votes, the notice and its objections with their answers, and the implementation result
(002 L161 "决议公开,实施结果公开"; 002 L173 "给群众一个明白"). While a notice runs, a resident can
send an objection here (rate-limited by address like the public report pages). The resident
autonomy charter and covenant in force, with their earlier versions: ``/public/<community>/charter/``.

Everything typed by staff or residents passes through the disclosure board's masking; objectors
are shown by surname only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jiayuan.cases.public_views import _over_limit
from jiayuan.disclosure.selectors import public_community

from . import selectors, services
from .choices import STAGE_ORDER, DecisionAction, StageCode
from .views import PLAN_LABELS


def _objector(name: str) -> str:
    """``张三`` → ``张*``; nothing → 居民 (a resident)."""
    name = (name or "").strip()
    return f"{name[0]}{'*' * max(len(name) - 1, 1)}" if name else "居民"


def _context(community, matter, today):
    stages = {s.stage: s for s in matter.stages.all()}
    notices = list(matter.notices.all())
    objections = [(o, _objector(o.author_name)) for n in notices for o in n.objections.all()]
    return {
        "community": community, "matter": matter, "today": today,
        "plan": [(label, getattr(matter, k)) for k, label in PLAN_LABELS if getattr(matter, k)],
        "timeline": [(code, StageCode(code).label, stages.get(code),
                      selectors.stage_summary(stages[code]) if code in stages else None) for code in STAGE_ORDER],
        "notices": notices, "objections": objections, "result": getattr(matter, "result", None),
        "may_object": services._blocks(matter, DecisionAction.FILE_OBJECTION, today) is None,
    }


def public_decisions(request, code: str):
    community = public_community(code)
    return render(request, "decisions/public/list.html", {
        "community": community, "matters": selectors.public_matters(community=community)[:100]})


@never_cache
@require_http_methods(["GET", "POST"])
def public_decision(request, code: str, pk: int):
    community = public_community(code)
    matter = selectors.public_matter_get(community=community, pk=pk)
    today = timezone.localdate()
    ctx = _context(community, matter, today)
    if request.method != "POST":
        ctx["sent"] = request.session.pop("decisions_objection_sent", None) == matter.pk
        return render(request, "decisions/public/detail.html", ctx)
    if request.POST.get("website"):  # the honeypot field: a bot
        return render(request, "decisions/public/detail.html", ctx, status=400)
    if _over_limit(request, "public_report"):
        return render(request, "decisions/public/detail.html", {**ctx, "too_many": True}, status=429)
    data = {"text": request.POST.get("text", ""), "author_name": request.POST.get("author_name", "")}
    try:
        services.objection_file_public(matter=matter, **data)
    except services.DecisionConflict as exc:
        errors = [exc.message]
    except ValidationError as exc:
        errors = [m for ms in exc.message_dict.values() for m in ms]
    else:
        request.session["decisions_objection_sent"] = matter.pk
        return redirect("decisions_public_detail", code=community.code, pk=matter.pk)
    matter = selectors.public_matter_get(community=community, pk=pk)
    return render(request, "decisions/public/detail.html",
                  {**_context(community, matter, today), "errors": errors, "data": data}, status=400)


def public_charter(request, code: str):
    community = public_community(code)
    charters = selectors.public_charters(community=community)
    from .models import CharterVersion

    return render(request, "decisions/public/charter.html", {
        "community": community,
        "kinds": [(k, label, charters.get(k, [])) for k, label in CharterVersion.Kind.choices],
        "title": _("Resident autonomy charter and covenant"),
    })
