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

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jiayuan.accounts.scope import get_scope, require_staff_role
from jiayuan.residents.forms import apply_service_errors
from jiayuan.territory.choices import PlaceKind

from . import selectors, services
from .choices import Status
from .forms import CorrectForm, ItemForm, PublishForm, WithdrawForm
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
    return render(request, "disclosure/detail.html", {
        "item": item, "actions": actions, "versions": selectors.item_versions(item, public=False),
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
    return render(request, "disclosure/public/board.html", {
        "community": community, "sections": selectors.public_board(community=community),
        "history": selectors.public_history(community=community)[:100], "today": timezone.localdate(),
    })


def public_item(request, code: str, pk: int):
    community = selectors.public_community(code)
    item = selectors.public_item_get(community=community, pk=pk)
    return render(request, "disclosure/public/item.html", {
        "community": community, "item": item, "versions": selectors.item_versions(item, public=True),
    })


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
