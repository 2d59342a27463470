"""API glue shared by every app: error format, the audit actor, shared permissions and the
health check. Each app's endpoints live in its own ``api/`` package; this one also holds the
audit-event endpoint (``serializers``, ``views``, ``urls``)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jiayuan.accounts.choices import WRITER_ROLES
from jiayuan.accounts.scope import get_scope
from jiayuan.core.audit import bind_request_actor


def exception_handler(exc, context):
    """Turn model/service ``ValidationError`` into HTTP 400 with per-field messages.

    Services raise Django's ValidationError (so forms, API and commands share one set of rules);
    without this they would surface as 500s in the API.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            detail = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


def healthz(request):
    """200 once the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class AuditedAPIMixin:
    """Attribute audit-log entries written during an API request to the API user.

    ``RequestAuditMiddleware`` runs before DRF authenticates, so a request signed with a token
    would otherwise be logged with no actor. Put this first in every API view's bases.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        bind_request_actor(request.user)


class IsAdminRole(BasePermission):
    """Only holders of the administrator role (or superusers)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and get_scope(request.user).is_admin)


class RegistryWritePermission(BasePermission):
    """Reading is scoped by the selectors; writing needs a writer role.

    Creating needs a writer role somewhere; changing a row needs one covering the row (checked
    after the row was found through a selector, so rows outside the scope stay 404). Views name
    extra object checks in ``object_permission`` (e.g. ``{"reveal": "can_reveal"}``).
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        if getattr(view, "action", None) is None:  # method not mapped: let DRF answer 405
            return True
        return bool(get_scope(request.user).roles & WRITER_ROLES)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        check = getattr(view, "object_permission", {}).get(getattr(view, "action", None), "can_write")
        return getattr(get_scope(request.user), check)(obj.territory_code)
