"""Per-request audit context.

django-auditlog records the actor and the client address; this middleware adds a request label
(method, path and a short request id) that ``AUDITLOG_CID_GETTER`` stores on every log entry,
so each change and each reveal can be traced to the request that caused it.
"""

import uuid
from contextvars import ContextVar

from auditlog.middleware import AuditlogMiddleware

from .audit import mark_request, reset_request

_request_label: ContextVar[str | None] = ContextVar("jiayuan_request_label", default=None)


def current_request_label() -> str | None:
    return _request_label.get()


class RequestAuditMiddleware(AuditlogMiddleware):
    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex[:12]
        label = f"{request.method} {request.path}"[:200] + f" #{request_id[:40]}"
        token = _request_label.set(label)
        in_request = mark_request(True)
        try:
            response = super().__call__(request)
        finally:
            _request_label.reset(token)
            reset_request(in_request)
        response["X-Request-ID"] = request_id[:40]
        return response
