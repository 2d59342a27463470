"""The staff pages of the case loop: the register with filters and overdue badges, one case with
its timeline and the forms of the actions the user may take now, the intake form (walk-in 来访,
phone, opinion box 意见箱), the batch form after a 居民夜话 / 坝坝会 (003 L267; all rows or none),
and the Excel register.

Reads come from the selectors (a case outside the user's area is 404); writes go through the
services (403 when not allowed, 409 when the state moved on or the step is not possible now,
400 with the messages when the input is refused — nothing half-valid is saved).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.accounts.models import User
from jiayuan.accounts.scope import get_scope
from jiayuan.residents.forms import apply_service_errors
from jiayuan.territory.models import Place

from . import exporter, selectors, services
from .categories import category_choices
from .choices import CaseAction, CaseStatus, RoutingTarget, Visibility
from .forms import BATCH_ROWS, BatchHeaderForm, BatchRowForm, CaseForm, FilterForm
from .models import CaseAttachment
from .services import CaseConflict

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _require_staff(user) -> None:
    if not get_scope(user).is_staff_role:
        raise PermissionDenied(_("These pages are for staff."))


def _filters(request) -> tuple[FilterForm, dict]:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = {k: v for k, v in data.items() if v not in ("", None, False)}
    return form, filters


@login_required
def case_home(request):
    """The register: the user's cases, newest first, 50 a page (a fixed number of queries)."""
    user = request.user
    _require_staff(user)
    form, filters = _filters(request)
    page = Paginator(selectors.case_list(user=user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/list.html", {
        "nav": "cases", "form": form, "page": page, "cases": list(page.object_list), "query": query.urlencode(),
        "today": timezone.localdate(),
    })


def _detail(request, case, *, status: int = 200, errors=None):
    user = request.user
    actions = services.available_actions(user, case)
    context = {
        "nav": "cases", "case": case, "events": selectors.case_events(user, case), "actions": actions,
        "attachments": list(case.attachments.all()), "errors": errors or [], "today": timezone.localdate(),
        "duplicates": selectors.possible_duplicates(case) if case.status == CaseStatus.REPORTED and actions else [],
        "targets": RoutingTarget.choices, "visibilities": Visibility.choices,
        "action_labels": dict(CaseAction.choices),
    }
    if CaseAction.ASSIGN in actions:
        from jiayuan.accounts.choices import Role

        codes = {case.territory_code[:n] for n in (6, 9, 12, 15)}
        context["assignees"] = list(
            User.objects.filter(is_active=True, role_assignments__place__code__in=codes)
            .exclude(role_assignments__role=Role.RESIDENT).distinct().order_by("username")[:100]
        )
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    _require_staff(request.user)
    return _detail(request, case)


@login_required
@require_POST
def case_act(request, pk: int):
    """One step of the loop from the detail page's forms (``services.case_transition``)."""
    user = request.user
    case = selectors.case_get(user=user, pk=pk)
    post = request.POST
    data: dict = {}
    try:
        if post.get("target"):
            data["target"] = post["target"]
        if post.get("place"):
            data["place"] = Place.objects.filter(code=post["place"]).first() or post["place"]
        if post.get("user"):
            data["user"] = User.objects.filter(pk=post["user"]).first() if post["user"].isdigit() else post["user"]
        if post.get("rating"):
            data["rating"] = post["rating"]
        if post.get("satisfied"):
            data["satisfied"] = post["satisfied"]
        if post.get("visibility"):
            data["visibility"] = post["visibility"]
        if post.get("into"):
            ref = post["into"].strip()
            found = selectors.case_list(user=user).filter(tracking_no=ref.upper()).first()
            if found is None and ref.isdigit():
                found = selectors.case_list(user=user).filter(pk=int(ref)).first()
            data["into"] = found
        version = int(post["version"]) if post.get("version", "").isdigit() else None
        services.case_transition(actor=user, case=case, action=post.get("action", ""), comment=post.get("comment", ""),
                                 expected_version=version, **data)
    except CaseConflict as exc:
        return _detail(request, selectors.case_get(user=user, pk=pk), status=409, errors=[exc.message])
    except ValidationError as exc:
        return _detail(request, case, status=400, errors=_errors(exc))
    messages.success(request, _("Done."))
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def case_attach(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    try:
        services.case_attach(actor=request.user, case=case, files=request.FILES.getlist("attachments"))
    except ValidationError as exc:
        return _detail(request, case, status=400, errors=_errors(exc))
    return redirect(case.get_absolute_url())


@login_required
def attachment_download(request, pk: int):
    attachment = CaseAttachment.objects.filter(pk=pk).select_related("case").first()
    if attachment is None:
        raise Http404
    selectors.case_get(user=request.user, pk=attachment.case_id)  # 404 outside the scope
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        filename=attachment.filename)


@login_required
def case_new(request):
    """Staff intake: a walk-in, a phone call, the opinion box. The staff member who takes it in
    may accept it at once and becomes the first-inquiry owner (002 L69)."""
    user = request.user
    _require_staff(user)
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                case = services.case_report(actor=user, attachments=data.pop("attachments") or (),
                                            idempotency_key=request.POST.get("idempotency_key") or None, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Case {no} has been taken in.").format(no=case.tracking_no))
                return redirect(case.get_absolute_url())
        status = 400
    else:
        form = CaseForm(user=user, initial={"kind": request.GET.get("kind") or "appeal"})
    return render(request, "cases/form.html", {"nav": "cases", "form": form, "idempotency_key": uuid.uuid4().hex},
                  status=status)


class _Rollback(Exception):
    pass


@login_required
def case_batch(request):
    """Several short cases from one evening talk or courtyard meeting: every filled row becomes
    a case, or — if any row is refused — none does."""
    user = request.user
    _require_staff(user)
    status, row_errors, made = 200, {}, []
    if request.method == "POST":
        header = BatchHeaderForm(request.POST, user=user)
        rows = [BatchRowForm(request.POST, prefix=f"r{i}") for i in range(BATCH_ROWS)]
        filled = [(i, r) for i, r in enumerate(rows) if r.is_valid() and r.cleaned_data.get("title")]
        if header.is_valid() and filled:
            try:
                with transaction.atomic():
                    for i, row in filled:
                        try:
                            made.append(services.case_report(
                                actor=user, kind=row.cleaned_data["kind"], category=row.cleaned_data["category"],
                                title=row.cleaned_data["title"], description="",
                                reporter_name=row.cleaned_data["reporter_name"], place=header.cleaned_data["place"],
                                channel=header.cleaned_data["channel"]))
                        except ValidationError as exc:
                            row_errors[i] = _errors(exc)
                    if row_errors:
                        raise _Rollback
            except _Rollback:
                made = []
            else:
                messages.success(request, _("{n} cases have been taken in.").format(n=len(made)))
                return redirect("case_home")
        elif header.is_valid():
            row_errors[-1] = [_("Fill in at least one row.")]
        status = 400
    else:
        header = BatchHeaderForm(user=user)
        rows = [BatchRowForm(prefix=f"r{i}") for i in range(BATCH_ROWS)]
    return render(request, "cases/batch.html", {
        "nav": "cases", "header": header, "rows": [(i, r, row_errors.get(i, [])) for i, r in enumerate(rows)],
        "general_errors": row_errors.get(-1, []), "categories": category_choices(),
    }, status=status)


@login_required
def case_export(request):
    """The register as .xlsx, with the list's filters; phones masked; the export is logged."""
    user = request.user
    _require_staff(user)
    _form, filters = _filters(request)
    cases = list(selectors.case_list(user=user, filters=filters)[:20000])
    content = exporter.export_cases(user=user, cases=cases)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
