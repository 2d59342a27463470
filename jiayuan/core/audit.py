"""Audit helpers on top of django-auditlog.

Field changes are logged by auditlog's signal receivers; the actor comes from the request
(``RequestAuditMiddleware``) or, outside a request (commands, tasks), from :func:`acting_as`.
Sensitive reads (revealing a full identity number) and exports are logged as ``ACCESS`` entries
with the stated purpose in ``additional_data``.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from auditlog.context import set_actor
from auditlog.models import LogEntry

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
