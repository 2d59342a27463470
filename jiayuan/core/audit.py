"""Audit helpers on top of django-auditlog.

Field changes are logged by auditlog's signal receivers; the actor comes from the request
(``RequestAuditMiddleware``) or, outside a request (commands, tasks), from :func:`acting_as`.
Sensitive reads (revealing a full identity number) and exports are logged as ``ACCESS`` entries
with the stated purpose in ``additional_data``.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.db.models import QuerySet

_in_request: ContextVar[bool] = ContextVar("jiayuan_in_request", default=False)


def mark_request(active: bool):
    return _in_request.set(active)


def reset_request(token) -> None:
    _in_request.reset(token)


@contextlib.contextmanager
def acting_as(actor):
    """Attribute the log entries written inside the block to ``actor``.

    Inside a request the middleware already did this (and nesting auditlog's context would
    detach the request's address), so this only acts for commands and background tasks.
    """
    if _in_request.get() or actor is None:
        yield
        return
    with set_actor(actor):
        yield


def bind_request_actor(user) -> None:
    """Name the actor of the current request once the API has authenticated it.

    The middleware captured ``request.user`` before DRF's token authentication ran, so it holds
    no actor for token requests; fill it in (a session user already set is left alone).
    """
    if not _in_request.get() or user is None or not user.is_authenticated:
        return
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    if context.get("actor") is None:
        context["actor"] = user


def log_access(*, actor, instance, kind: str, purpose: str = "", fields: list[str] | None = None, extra=None) -> LogEntry:
    """Write one ACCESS entry: who saw or exported what, and why."""
    data = {"kind": kind, "purpose": purpose}
    if fields:
        data["fields"] = fields
    if extra:
        data.update(extra)
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes_text=f"{kind}: {', '.join(fields or [])}".strip(": "),
        additional_data=data,
    )


# -- reading the trail (the API's audit-event list) ------------------------------------------

# LogEntry.Action values as the lower-case codes the API and exports use.
ACTION_CODES = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}
ACTION_BY_CODE = {v: k for k, v in ACTION_CODES.items()}


def audit_event_list(*, user, filters: dict | None = None) -> QuerySet[LogEntry]:
    """Selector: every audit entry, newest first, for administrators; nothing for anyone else.

    Filters: ``action`` (a code of :data:`ACTION_CODES`), ``model`` ("app_label.model"),
    ``object_id``, ``actor`` (username).
    """
    from jiayuan.accounts.scope import get_scope

    if not get_scope(user).is_admin:
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type")
    filters = filters or {}
    if filters.get("action") in ACTION_BY_CODE:
        qs = qs.filter(action=ACTION_BY_CODE[filters["action"]])
    model = filters.get("model") or ""
    if model:
        app_label, _dot, model_name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    if filters.get("object_id"):
        qs = qs.filter(object_pk=str(filters["object_id"]))
    if filters.get("actor"):
        qs = qs.filter(actor__username=filters["actor"])
    return qs.order_by("-timestamp", "-id")
