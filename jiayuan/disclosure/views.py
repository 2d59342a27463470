"""The disclosure pages.

Staff (``/disclosure/``): the list of the user's area, a draft form, an item page with the
actions the user may take (approve, publish, withdraw, correct). Views validate input and call
the services; a refused change answers 400 with the service's messages in the user's language,
403 for a role that may see but not do, 404 outside the area or for non-staff.

Public (``/public/<community code>/``, no sign-in): the board by section, the history of versions
and withdrawals, each item's page, its A4 notice (PDF) and plain text. Everything public passes
through :mod:`.masking`.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jiayuan.accounts.scope import get_scope, require_staff_role
from jiayuan.residents.forms import apply_service_errors
from jiayuan.territory.choices import PlaceKind

from . import selectors, services
from .choices import Status
from .forms import CorrectForm, FeedbackForm, ItemForm, PublishForm, WithdrawForm
from .pdf import notice_pdf, notice_text
from .permissions import may_approve, may_write


def _staff(request):
    if not request.user.is_authenticated:
        raise Http404
    require_staff_role(request.user)


def _writable_communities(user):
    from jiayuan.territory.models import Place

    scope = get_scope(user)
    return [p for p in scope.filter(Place.objects.filter(kind=PlaceKind.COMMUNITY), "code").order_by("code")
            if may_write(user, p.code)]


def item_list(request):
    _staff(request)
    status = request.GET.get("status") or None
    if status not in Status.values:
        status = None
    items = selectors.item_list(user=request.user, status=status)[:200]
    return render(request, "disclosure/list.html", {
        "items": items, "status": status, "statuses": Status.choices,
        "can_draft": bool(_writable_communities(request.user)),
    })


@require_http_methods(["GET", "POST"])
def item_new(request):
    _staff(request)
    communities = _writable_communities(request.user)
    if not communities:
        raise PermissionDenied
    form = ItemForm(request.POST or None)
    code = request.POST.get("community") or communities[0].code
    community = next((c for c in communities if c.code == code), None)
    if request.method == "POST":
        if form.is_valid() and community is not None:
            try:
                item = services.item_draft(actor=request.user, community=community, data=form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("disclosure_detail", pk=item.pk)
        return render(request, "disclosure/form.html", {"form": form, "communities": communities,
                                                        "community": community}, status=400)
    return render(request, "disclosure/form.html", {"form": form, "communities": communities,
                                                    "community": community})


def item_detail(request, pk: int):
    _staff(request)
    item = selectors.item_get(user=request.user, pk=pk)
    return _detail(request, item)


def _detail(request, item, *, status: int = 200, withdraw_form=None, publish_form=None, errors=None):
    user = request.user
    writer = may_write(user, item.territory_code)
    actions = {
        "edit": writer and item.status == Status.DRAFT,
        "approve": may_approve(user, item.territory_code) and item.status == Status.DRAFT
        and item.created_by_id != user.pk,
        "publish": writer and item.status == Status.APPROVED,
        "withdraw": writer and item.status == Status.PUBLISHED,
        "correct": writer and item.status == Status.PUBLISHED,
    }
    versions = selectors.item_versions(item, public=False)
    return render(request, "disclosure/detail.html", {
        "item": item, "actions": actions, "versions": versions,
        "feedback": selectors.staff_feedback(item_ids=[v.pk for v in versions]),
        "withdraw_form": withdraw_form or WithdrawForm(), "publish_form": publish_form or PublishForm(),
        "errors": errors or [],
    }, status=status)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    _staff(request)
    item = selectors.item_get(user=request.user, pk=pk)
    if not may_write(request.user, item.territory_code):
        raise PermissionDenied
    initial = {k: getattr(item, k) for k in services.EDITABLE}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.item_update(actor=request.user, item=item, data=form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("disclosure_detail", pk=item.pk)
        return render(request, "disclosure/form.html", {"form": form, "item": item}, status=400)
    return render(request, "disclosure/form.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
def item_correct(request, pk: int):
    _staff(request)
    item = selectors.item_get(user=request.user, pk=pk)
    if not may_write(request.user, item.territory_code):
        raise PermissionDenied
    initial = {k: getattr(item, k) for k in services.EDITABLE}
    form = CorrectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            note = data.pop("change_note")
            try:
                new = services.item_correct(actor=request.user, item=item, data=data, change_note=note)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("disclosure_detail", pk=new.pk)
        return render(request, "disclosure/form.html", {"form": form, "item": item, "correcting": True}, status=400)
    return render(request, "disclosure/form.html", {"form": form, "item": item, "correcting": True})


@require_POST
def item_action(request, pk: int, action: str):
    _staff(request)
    item = selectors.item_get(user=request.user, pk=pk)
    withdraw_form = publish_form = None
    try:
        if action == "approve":
            services.item_approve(actor=request.user, item=item)
        elif action == "publish":
            publish_form = PublishForm(request.POST)
            if not publish_form.is_valid():
                raise ValidationError(list(publish_form.errors.get("published_on", [])))
            services.item_publish(actor=request.user, item=item,
                                  published_on=publish_form.cleaned_data.get("published_on"))
        elif action == "withdraw":
            withdraw_form = WithdrawForm(request.POST)
            services.item_withdraw(actor=request.user, item=item, reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except ValidationError as exc:
        messages = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
        item.refresh_from_db()
        return _detail(request, item, status=400, withdraw_form=withdraw_form, publish_form=publish_form,
                       errors=messages)
    return redirect("disclosure_detail", pk=item.pk)


# -- public -------------------------------------------------------------------------------------

def public_board(request, code: str):
    community = selectors.public_community(code)
    sections, band = selectors.public_columns(community=community)
    return render(request, "disclosure/public/board.html", {
        "community": community, "sections": sections, "band": band,
        "history": selectors.public_history(community=community)[:100], "today": timezone.localdate(),
    })


def _public_item_page(request, community, item, *, form=None, status: int = 200, too_many: bool = False):
    versions = selectors.item_versions(item, public=True)
    return render(request, "disclosure/public/item.html", {
        "community": community, "item": item, "versions": versions,
        "feedback": selectors.public_feedback(item_ids=[v.pk for v in versions]),
        "feedback_form": form or (FeedbackForm() if item.status == Status.PUBLISHED else None),
        "idempotency_key": request.POST.get("idempotency_key", "")[:64] or uuid.uuid4().hex,
        "too_many": too_many,
    }, status=status)


@never_cache
def public_item(request, code: str, pk: int):
    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    return _public_item_page(request, community, item)


FEEDBACK_DONE_KEY = "disclosure_feedback_done"


@never_cache
@require_POST
def public_feedback(request, code: str, pk: int):
    """A resident's question or objection about the item (意见箱, 002 L179) → a case of the loop.
    Rate-limited per address like ``/report/`` (429); bad input → 400 with the item page and the
    form's messages, nothing written; done → the tracking number and secret, once."""
    from jiayuan.cases import public_views as case_views
    from jiayuan.cases.services import CaseConflict

    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    reporter = case_views._reporter(request)
    form = FeedbackForm(request.POST)
    if reporter is None and case_views._over_limit(request, "public_report"):
        return _public_item_page(request, community, item, form=form, status=429, too_many=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.feedback_submit(
                actor=reporter, item=item, text=data["text"], name=data["name"], phone=data["phone"],
                idempotency_key=(request.POST.get("idempotency_key") or "")[:64] or None,
                client_key=case_views.client_address(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except CaseConflict as exc:
            form.add_error(None, exc.message)
        else:
            case = feedback.case
            request.session[FEEDBACK_DONE_KEY] = {
                "tracking_no": case.tracking_no, "item": item.pk,
                "secret": "" if case.replayed else getattr(case, "public_secret", ""),
            }
            case_views._remember(request, case.tracking_no)
            return redirect("disclosure_public_feedback_done", code=community.code, pk=item.pk)
    return _public_item_page(request, community, item, form=form, status=400)


@never_cache
def public_feedback_done(request, code: str, pk: int):
    """The tracking number and the secret of the feedback just sent, shown once (as /report/done/)."""
    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    done = request.session.pop(FEEDBACK_DONE_KEY, None)
    if not done or done.get("item") != item.pk:
        return redirect("disclosure_public_item", code=community.code, pk=item.pk)
    return render(request, "disclosure/public/feedback_done.html", {"community": community, "item": item,
                                                                     "done": done})


def public_pdf(request, code: str, pk: int):
    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    response = HttpResponse(notice_pdf(item), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{item.pk}.pdf"'
    return response


def public_txt(request, code: str, pk: int):
    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    return HttpResponse(notice_text(item), content_type="text/plain; charset=utf-8")
