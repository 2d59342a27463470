"""Staff pages of the 4+2 method: the list (with the overdue badge) and one matter's timeline."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.accounts.scope import get_scope, require_staff_role
from jiayuan.meetings.choices import MeetingStatus, MotionStatus
from jiayuan.meetings.models import Motion
from jiayuan.territory.models import Place

from . import selectors, services
from .categories import category_choices
from .choices import STAGE_ORDER, StageCode
from .models import CharterVersion, DecisionStage
from .permissions import may_write

PLAN_LABELS = [
    ("necessity", "必要性 · Necessity"), ("principles", "原则 · Principles"), ("timing", "时间 · Time"),
    ("area", "面积/范围 · Area"), ("funds", "资金 · Funds"), ("funds_source", "资金来源 · Source of funds"),
    ("funds_allocation", "资金分配方式 · Allocation of funds"),
]


def _communities(user):
    scope = get_scope(user)
    return [p for p in Place.objects.filter(kind="community").order_by("code") if may_write(user, p.code)] \
        if scope.is_staff_role else []


def _posted_date(request, name: str = "on") -> tuple[dt.date | None, str]:
    """The optional day a step was taken (补录: recorded afterwards), or the message for a bad one."""
    raw = (request.POST.get(name) or "").strip()
    if not raw:
        return None, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return None, _("Enter a valid date.")


@login_required
def decision_list(request, status=200, errors=None):
    require_staff_role(request.user)
    matters = list(selectors.matter_list(user=request.user)[:200])
    return render(request, "decisions/list.html", {
        "nav": "decisions", "matters": matters, "communities": _communities(request.user),
        "categories": category_choices(), "plan_labels": PLAN_LABELS, "errors": errors or {},
        "data": request.POST if errors else {},
    }, status=status)


@login_required
@require_POST
def decision_new(request):
    require_staff_role(request.user)
    place = Place.objects.filter(code=request.POST.get("place", "")).first()
    if place is None:
        return decision_list(request, status=400, errors={"place": [_("No such place.")]})
    try:
        matter = services.matter_propose(
            actor=request.user, place=place, category=request.POST.get("category", ""),
            title=request.POST.get("title", ""), **{k: request.POST.get(k, "") for k, _label in PLAN_LABELS})
    except PermissionDenied:
        raise
    except ValidationError as exc:
        return decision_list(request, status=400, errors=exc.message_dict)
    return redirect(matter)


@login_required
def decision_detail(request, pk):
    require_staff_role(request.user)
    return _detail(request, selectors.matter_get(user=request.user, pk=pk))


def _detail(request, matter, *, status: int = 200, errors: list[str] | None = None):
    """The matter's page; a refused step renders it again with its reasons (400, or 409 when the
    step is not possible now) so nothing typed is lost."""
    stages = {s.stage: s for s in matter.stages.all()}
    used = DecisionStage.objects.filter(motion__isnull=False).values_list("motion_id", flat=True)
    motions = Motion.objects.filter(
        meeting__territory_code=matter.territory_code, meeting__status=MeetingStatus.HELD,
        status=MotionStatus.CLOSED).exclude(pk__in=used).select_related("meeting").order_by("-closed_at")[:50]
    return render(request, "decisions/detail.html", {
        "nav": "decisions", "matter": matter,
        "timeline": [(code, StageCode(code).label, stages.get(code)) for code in STAGE_ORDER],
        "plan": [(label, getattr(matter, k)) for k, label in PLAN_LABELS],
        "actions": services.available_actions(request.user, matter), "motions": motions,
        "next_stage": services._next_stage(matter), "notice": services._current_notice(matter),
        "result": getattr(matter, "result", None) if hasattr(matter, "result") else None,
        "resident_votes": selectors.resolution_votes(user=request.user, matter=matter),
        "charter_kinds": CharterVersion.Kind.choices,
        "can_adopt": (matter.category == services.CHARTER_CATEGORY and matter.status in services.CHARTER_ADOPTABLE
                      and may_write(request.user, matter.territory_code)
                      and not CharterVersion.objects.filter(matter=matter).exists()),
        "charter": CharterVersion.objects.filter(matter=matter).first(),
        "errors": errors or [], "posted": request.POST if errors else {},
    }, status=status)


def _refused(request, pk, exc):
    matter = selectors.matter_get(user=request.user, pk=pk)
    if isinstance(exc, services.DecisionConflict):
        return _detail(request, matter, status=409, errors=[exc.message])
    msgs = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
    return _detail(request, matter, status=400, errors=msgs)


@login_required
@require_POST
def decision_act(request, pk):
    require_staff_role(request.user)
    matter = selectors.matter_get(user=request.user, pk=pk)
    data = {k: request.POST[k] for k in ("stage", "text", "author_name", "objection") if request.POST.get(k)}
    on, bad_date = _posted_date(request)
    if on is not None:
        data["on"] = on
    if request.POST.get("motion"):
        data["motion"] = Motion.objects.filter(pk=request.POST["motion"],
                                               meeting__territory_code=matter.territory_code).first()
    if request.POST.get("resident_vote"):
        data["resident_vote"] = selectors.resolution_votes(user=request.user, matter=matter).filter(
            pk=request.POST["resident_vote"]).first() if request.POST["resident_vote"].isdigit() else None
    version = request.POST.get("version") or None
    try:
        if bad_date:
            raise ValidationError({"on": [bad_date]})
        if version is not None and not str(version).isdigit():
            raise ValidationError({"version": [_("Reload the page and try again.")]})
        services.decision_transition(actor=request.user, matter=matter, action=request.POST.get("action", ""),
                                     expected_version=version, **data)
    except (services.DecisionConflict, ValidationError) as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("Saved."))
    return redirect(matter)


@login_required
@require_POST
def decision_charter(request, pk):
    """Adopt the charter or covenant text the residents resolved (``services.charter_adopt``)."""
    require_staff_role(request.user)
    matter = selectors.matter_get(user=request.user, pk=pk)
    on, bad_date = _posted_date(request)
    try:
        if bad_date:
            raise ValidationError({"on": [bad_date]})
        services.charter_adopt(actor=request.user, matter=matter, kind=request.POST.get("kind", ""),
                               title=request.POST.get("title", ""), text=request.POST.get("text", ""),
                               change_note=request.POST.get("change_note", ""), on=on)
    except (services.DecisionConflict, ValidationError) as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("The charter version is adopted and posted on the board."))
    return redirect(matter)
