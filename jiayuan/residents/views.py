"""Pages for people and households. Reads come from the selectors (scoped, 404 outside the
user's area); writes go through the services, whose field errors are shown on the form with
HTTP 400 so nothing half-valid is ever saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiayuan.accounts.choices import WRITER_ROLES
from jiayuan.accounts.scope import get_scope
from jiayuan.territory import selectors as territory

from . import selectors, services
from .forms import MoveForm, ResidentCreateForm, ResidentUpdateForm, RevealForm, apply_service_errors

PAGE_SIZE = 50


@login_required
def resident_list(request):
    """Search and filter the residents of the user's area. The page costs the same number of
    queries whatever its size: the selector joins households and prefetches tags once."""
    user = request.user
    filters = {
        "q": request.GET.get("q", "").strip(),
        "grid": request.GET.get("grid", ""),
        "place": request.GET.get("place", ""),
        "tag": request.GET.get("tag", ""),
        "incomplete": "1" if request.GET.get("incomplete") else "",
    }
    page = Paginator(selectors.resident_list(user=user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, selectors.visible_tags(user=user, resident=r)) for r in page]
    context = {
        "nav": "residents",
        "filters": filters,
        "page_obj": page,
        "rows": rows,
        "grids": territory.grid_list(user=user),
        "groups": selectors.special_group_list(user=user),
        "can_register": any(g.role in WRITER_ROLES for g in get_scope(user).grants),
    }
    # htmx asks for the results only when the search box or a filter changes.
    template = "residents/_resident_results.html" if request.headers.get("HX-Request") else "residents/resident_list.html"
    return render(request, template, context)


def _detail_context(request, resident, **extra) -> dict:
    user = request.user
    scope = get_scope(user)
    context = {
        "nav": "residents",
        "resident": resident,
        "tags": selectors.visible_tags(user=user, resident=resident),
        "missing": resident.missing_fields(),
        "moves": selectors.resident_moves(user=user, resident=resident),
        "can_write": scope.can_write(resident.territory_code),
        "can_reveal": scope.can_reveal(resident.territory_code),
        "breadcrumb": _breadcrumb(resident),
    }
    context.setdefault("reveal_form", RevealForm(resident=resident))
    context.update(extra)
    return context


def _breadcrumb(resident) -> list:
    if resident.household_id:
        return [resident.household.unit.parent, resident.household.unit]
    return []


@login_required
def resident_detail(request, pk: int):
    resident = selectors.resident_get(user=request.user, pk=pk)
    return render(request, "residents/resident_detail.html", _detail_context(request, resident))


@never_cache
@login_required
@require_POST
def resident_reveal(request, pk: int):
    """Show one full number once, on this response only: it is not kept in the session and the
    page is not cached, so seeing it again means stating a purpose again (and another log row)."""
    resident = selectors.resident_get(user=request.user, pk=pk)
    if not get_scope(request.user).can_reveal(resident.territory_code):
        raise PermissionDenied(_("You may not see full numbers in this area."))
    form = RevealForm(request.POST, resident=resident)
    if form.is_valid():
        try:
            value = services.resident_reveal(
                actor=request.user, resident=resident, field=form.cleaned_data["field"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            revealed = {"label": dict(form.fields["field"].choices)[form.cleaned_data["field"]], "value": value}
            return render(
                request, "residents/resident_detail.html",
                _detail_context(request, resident, revealed=revealed, reveal_form=RevealForm(resident=resident)),
            )
    return render(
        request, "residents/resident_detail.html", _detail_context(request, resident, reveal_form=form), status=400
    )


@login_required
def resident_create(request):
    """Register a person. The household list only offers households in the user's area."""
    user = request.user
    if not any(g.role in WRITER_ROLES for g in get_scope(user).grants):
        raise PermissionDenied(_("You may not register residents."))
    form = ResidentCreateForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                resident = services.resident_create(actor=user, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("{name} has been registered.").format(name=resident.name))
                return redirect("resident_detail", pk=resident.pk)
    return render(request, "residents/resident_form.html", {"nav": "residents", "form": form}, status=status)


@login_required
def resident_update(request, pk: int):
    user = request.user
    resident = selectors.resident_get(user=user, pk=pk)
    if not get_scope(user).can_write(resident.territory_code):
        raise PermissionDenied(_("You may not change records in this area."))
    tags = selectors.visible_tags(user=user, resident=resident)
    form = ResidentUpdateForm(request.POST or None, user=user, resident=resident, tags=tags)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.resident_update(actor=user, resident=resident, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The record has been saved."))
                return redirect("resident_detail", pk=resident.pk)
    return render(
        request, "residents/resident_form.html", {"nav": "residents", "form": form, "resident": resident}, status=status
    )


@login_required
def resident_move(request, pk: int):
    """Record a move (in, out, within the area, deceased); the history is appended, never edited."""
    user = request.user
    resident = selectors.resident_get(user=user, pk=pk)
    if not get_scope(user).can_write(resident.territory_code):
        raise PermissionDenied(_("You may not change records in this area."))
    form = MoveForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.resident_move(
                    actor=user, resident=resident, kind=data["kind"], to_household=data["to_household"],
                    date=data["date"], reason=data["reason"], relation_to_head=data["relation_to_head"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied:
                form.add_error("to_household", _("This place is outside your area."))
            else:
                messages.success(request, _("The move has been recorded."))
                return redirect("resident_detail", pk=resident.pk)
    return render(
        request, "residents/resident_move.html", {"nav": "residents", "form": form, "resident": resident}, status=status
    )


@login_required
def household_detail(request, pk: int):
    user = request.user
    household = selectors.household_get(user=user, pk=pk)
    members = selectors.household_members(user=user, household=household)
    rows = [(m, selectors.visible_tags(user=user, resident=m)) for m in members]
    return render(
        request, "residents/household_detail.html",
        {
            "nav": "residents" if get_scope(user).is_staff_role else "home",
            "household": household,
            "rows": rows,
            "breadcrumb": [household.unit.parent, household.unit],
        },
    )
