"""The community registers page and its forms, the .xlsx exports and the roster import.

Reads come from the selectors: a community outside the user's area is 404. Writes go through
the services: a reader who may not keep the registers (street and district staff) gets 403, and
a refused input re-renders the page with HTTP 400 and the messages next to the fields, so
nothing half-valid is saved. Everything is on one page (/community/<code>/) in three sections,
``#centre``, ``#funds`` and ``#seats``, each row with its own anchor for the rulebook's
evidence links.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.ledgers.reader import FileRefused
from jiayuan.residents.forms import apply_service_errors
from jiayuan.residents.selectors import resident_list

from . import exporter, selectors, services
from .forms import AllocationForm, EndSeatForm, ReverseForm, RosterImportForm, SeatForm, ServiceCenterForm
from .permissions import may_write_registers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_write(user, community) -> None:
    if not may_write_registers(user, community):
        raise PermissionDenied(_("You may not change the registers of this community."))


def _page_url(community, anchor: str) -> str:
    return reverse("community_registers", args=[community.code]) + "#" + anchor


def _page(request, community, *, status: int = 200, **forms):
    """The register page; ``forms`` replaces the blank forms (a bound form with its errors)."""
    user = request.user
    today = timezone.localdate()
    centre = selectors.service_center_get(user=user, community=community)
    allocations = list(selectors.allocation_list(user=user, community=community))
    seats = selectors.roster(selectors.seat_list(user=user, community=community), as_of=today)
    can_write = may_write_registers(user, community)
    context = {
        "nav": "community",
        "community": community,
        "centre": centre,
        "fund_table": selectors.fund_table(allocations),
        "roster": seats,
        "can_write": can_write,
        "today": today,
        "open": forms.pop("open", ""),
    }
    if can_write:
        context["centre_form"] = forms.get("centre_form") or ServiceCenterForm(center=centre)
        context["allocation_form"] = forms.get("allocation_form") or AllocationForm()
        context["seat_form"] = forms.get("seat_form") or SeatForm()
        context["reverse_form"] = forms.get("reverse_form")
        context["reverse_pk"] = forms.get("reverse_pk")
    return render(request, "community/registers.html", context, status=status)


@login_required
def registers(request, code: str):
    community = selectors.community_get(user=request.user, code=code)
    return _page(request, community)


@login_required
@require_POST
def centre_save(request, code: str):
    """Create the service centre, or change it."""
    user = request.user
    community = selectors.community_get(user=user, code=code)
    _require_write(user, community)
    centre = selectors.service_center_get(user=user, community=community)
    form = ServiceCenterForm(request.POST, center=centre)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if centre is None:
                services.service_center_create(actor=user, community=community, **data)
            else:
                services.service_center_update(actor=user, center=centre, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The service centre has been saved."))
            return redirect(_page_url(community, "centre"))
    return _page(request, community, status=400, centre_form=form, open="centre")


@login_required
@require_POST
def allocation_record(request, code: str):
    user = request.user
    community = selectors.community_get(user=user, code=code)
    _require_write(user, community)
    form = AllocationForm(request.POST)
    if form.is_valid():
        try:
            row = services.allocation_record(actor=user, community=community, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The allocation has been recorded."))
            return redirect(_page_url(community, f"allocation-{row.pk}"))
    return _page(request, community, status=400, allocation_form=form, open="funds")


@login_required
@require_POST
def allocation_reverse(request, code: str, pk: int):
    user = request.user
    community = selectors.community_get(user=user, code=code)
    allocation = selectors.allocation_get(user=user, community=community, pk=pk)
    _require_write(user, community)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.allocation_reverse(actor=user, allocation=allocation, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The row has been reversed."))
            return redirect(_page_url(community, f"allocation-{reversal.pk}"))
    return _page(request, community, status=400, reverse_form=form, reverse_pk=allocation.pk, open="funds")


def _resident_for(form: SeatForm, user, community):
    """The resident named by the form's identity number, within the community and the user's
    area; adds a field error when there is none."""
    index = form.resident_index()
    if not index:
        return None
    resident = (
        resident_list(user=user, filters={"place": community.code}, with_address=False, include_inactive=True)
        .prefetch_related(None)
        .filter(id_number_index=index)
        .first()
    )
    if resident is None:
        form.add_error("resident_id_number", _("No resident of this community has this identity number."))
    return resident


@login_required
@require_POST
def seat_create(request, code: str):
    user = request.user
    community = selectors.community_get(user=user, code=code)
    _require_write(user, community)
    form = SeatForm(request.POST)
    if form.is_valid():
        resident = _resident_for(form, user, community)
        if not form.errors:
            try:
                seat = services.seat_create(actor=user, community=community, resident=resident, **form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc, aliases={"resident": "resident_id_number"})
            else:
                messages.success(request, _("{name} has been added to the roster.").format(name=seat.full_name))
                return redirect(_page_url(community, f"seat-{seat.pk}"))
    return _page(request, community, status=400, seat_form=form, open="seats")


def _seat_page(request, community, seat, *, form=None, end_form=None, status=200):
    return render(request, "community/seat_edit.html", {
        "nav": "community", "community": community, "seat": seat,
        "form": form or SeatForm(seat=seat), "end_form": end_form or EndSeatForm(),
    }, status=status)


@login_required
def seat_edit(request, code: str, pk: int):
    """Correct a seat (GET shows the form, POST saves it)."""
    user = request.user
    community = selectors.community_get(user=user, code=code)
    seat = selectors.seat_get(user=user, community=community, pk=pk)
    _require_write(user, community)
    if request.method != "POST":
        return _seat_page(request, community, seat)
    form = SeatForm(request.POST, seat=seat)
    if form.is_valid():
        resident = _resident_for(form, user, community)
        if not form.errors:
            changes = form.service_data()
            if resident is not None:
                changes["resident"] = resident
            try:
                services.seat_update(actor=user, seat=seat, **changes)
            except ValidationError as exc:
                apply_service_errors(form, exc, aliases={"resident": "resident_id_number"})
            else:
                messages.success(request, _("The seat has been saved."))
                return redirect(_page_url(community, f"seat-{seat.pk}"))
    return _seat_page(request, community, seat, form=form, status=400)


@login_required
@require_POST
def seat_end(request, code: str, pk: int):
    user = request.user
    community = selectors.community_get(user=user, code=code)
    seat = selectors.seat_get(user=user, community=community, pk=pk)
    _require_write(user, community)
    form = EndSeatForm(request.POST)
    if form.is_valid():
        try:
            services.seat_end(actor=user, seat=seat, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("{name} has left the seat.").format(name=seat.full_name))
            return redirect(_page_url(community, f"seat-{seat.pk}"))
    return _seat_page(request, community, seat, end_form=form, status=400)


@login_required
def roster_import(request, code: str):
    """Upload a roster file: all rows or none, every problem listed."""
    user = request.user
    community = selectors.community_get(user=user, code=code)
    _require_write(user, community)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    status, row_errors = 200, []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            folder = Path(tempfile.mkdtemp(prefix="jiayuan-roster-"))
            try:
                path = folder / ("roster" + Path(upload.name).suffix.lower())
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                result = services.roster_import(actor=user, community=community, path=path)
            except FileRefused as exc:
                form.add_error("file", str(exc))
            except services.RosterRejected as exc:
                row_errors = exc.errors
                form.add_error(None, _("Nothing was imported: {n} problem(s) in the file.").format(n=len(exc.errors)))
            else:
                messages.success(request, _(
                    "The roster has been imported: {created} seats added, {ended} ended, {unchanged} unchanged."
                ).format(created=result.created, ended=result.ended, unchanged=result.unchanged))
                return redirect(_page_url(community, "seats"))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    return render(request, "community/roster_import.html", {
        "nav": "community", "community": community, "form": form, "row_errors": row_errors,
    }, status=status)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export(request, code: str, register: str):
    community = selectors.community_get(user=request.user, code=code)
    func = {"funds": exporter.export_funds, "seats": exporter.export_seats, "centre": exporter.export_centre}[register]
    data, _rows = func(actor=request.user, community=community)
    return _xlsx(data, exporter.filename(community, register))

