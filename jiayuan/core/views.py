"""The home page (one per role) and the audit log page."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiayuan.accounts.choices import WRITER_ROLES, Role
from jiayuan.accounts.scope import get_scope
from jiayuan.norms.views import home_panel as norms_home_panel
from jiayuan.residents import selectors as residents
from jiayuan.territory import selectors as territory

from .audit import ACTION_CODES, audit_event_list

# How many incomplete records the grid worker's home page lists before linking to the full list.
HOME_INCOMPLETE_LIMIT = 30


def _totals(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in ("residents", "households", "complete")}
    total["percent"] = round(100 * total["complete"] / total["residents"]) if total["residents"] else 0
    return total


@login_required
def home(request):
    """Each role starts where its work is: a resident at their household, a grid worker at the
    records to complete on the next visit (seed 003 L491-493), staff above at the places below
    them with counts and completeness."""
    user = request.user
    scope = get_scope(user)
    primary = scope.primary
    context = {"nav": "home"}
    if primary is None:
        return render(request, "core/home_norole.html", context)

    if primary.role == Role.RESIDENT:
        me = residents.resident_for_user(user=user)
        household = residents.household_get(user=user, pk=me.household_id) if me and me.household_id else None
        members = residents.household_members(user=user, household=household) if household else []
        context.update(me=me, household=household, members=members)
        return render(request, "core/home_resident.html", context)

    if primary.role == Role.GRID_WORKER:
        grids = territory.grid_list(user=user)
        rows = residents.place_counts(user=user, places=grids)
        incomplete = residents.resident_list(user=user, filters={"incomplete": "1"})
        incomplete_count = incomplete.count()
        context.update(
            rows=rows,
            totals=_totals(rows),
            incomplete=list(incomplete[:HOME_INCOMPLETE_LIMIT]),
            incomplete_count=incomplete_count,
        )
        return render(request, "core/home_grid_worker.html", context)

    if primary.role == Role.ADMIN:
        place = None
        children = territory.place_roots(user=user)
    else:
        place = territory.place_get(user=user, code=primary.code)
        children = territory.place_list(user=user, parent=place)
    rows = residents.place_counts(user=user, places=children)
    context.update(
        place=place,
        rows=rows,
        totals=_totals(rows),
        can_register=any(g.role in WRITER_ROLES for g in scope.grants),
        norms=norms_home_panel(user),
    )
    return render(request, "core/home_area.html", context)


ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Create"),
    LogEntry.Action.UPDATE: gettext_lazy("Update"),
    LogEntry.Action.DELETE: gettext_lazy("Delete"),
    LogEntry.Action.ACCESS: gettext_lazy("Access"),
}
# The filter uses the same lower-case action codes as the API (core.audit.ACTION_CODES).
ACTION_FILTER_CHOICES = [(ACTION_CODES[a], label) for a, label in ACTION_LABELS.items()]
ACTION_CLASSES = {0: "success", 1: "primary", 2: "danger", 3: "warning"}


def _readable_changes(entry: LogEntry) -> dict:
    """``changes_dict`` keyed by the fields' verbose names (in the user's language) where known."""
    model = entry.content_type.model_class()
    readable = {}
    for name, values in entry.changes_dict.items():
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name)) if model else name
        except FieldDoesNotExist:  # a field removed since the entry was written
            label = name
        readable[label] = ["—" if v in (None, "None", "") else v for v in values]
    return readable


def _audit_model_choices() -> list[tuple[str, str]]:
    """The audited models as ``("app_label.model", verbose name)`` pairs for the filter."""
    return sorted((m._meta.label_lower, str(m._meta.verbose_name)) for m in auditlog.get_models())


@login_required
def audit_log(request):
    """Read-only view of the audit trail for administrators; for everyone else the page does not
    exist (404), so its existence is not disclosed."""
    if not get_scope(request.user).is_admin:
        raise Http404(_("Not found"))
    filters = {k: request.GET.get(k, "") for k in ("action", "actor", "model")}
    page = Paginator(audit_event_list(user=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    entries = [
        {
            "entry": e,
            "action_label": ACTION_LABELS.get(e.action, e.action),
            "action_class": ACTION_CLASSES.get(e.action, "secondary"),
            "changes": _readable_changes(e) if e.action != LogEntry.Action.ACCESS else {},
            "model_label": e.content_type.model_class()._meta.verbose_name if e.content_type.model_class() else "",
        }
        for e in page
    ]
    return render(
        request,
        "core/audit_log.html",
        {
            "nav": "audit",
            "page_obj": page,
            "entries": entries,
            "filters": filters,
            "action_choices": ACTION_FILTER_CHOICES,
            "model_choices": _audit_model_choices(),
        },
    )
