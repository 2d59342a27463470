"""Open311 GeoReport v2 at ``/open311/v2/`` (JSON only: the ``.xml`` forms are not offered), so
hotline systems and apps can exchange requests with the case loop (issue 6).

- ``GET services.json``: the case categories of appeals, suggestions and psychological requests
  as services (``service_code`` = category code; ``metadata`` false, ``type`` realtime,
  ``keywords`` the case kinds, ``group`` the first kind).
- ``GET requests.json``: the newest first, at most 1000; filters ``service_request_id``
  (comma-separated tracking numbers), ``service_code`` (comma-separated), ``start_date`` /
  ``end_date`` (ISO 8601; without either and without ids, the last 90 days), ``status``
  (``open``, ``closed``). Anybody gets the public fields of appeals and suggestions only (no
  psychological requests, no description, no coordinates); a caller with a staff role gets the
  cases of their area (``selectors.case_list``) with title, description, notes, location and
  coordinates. Never the reporter's name or phone.
- ``POST requests.json``: a request taken in through ``services.case_report`` with channel
  ``open311``. Authenticated by a DRF token (``Authorization: Token …``) of a user with a staff
  role over the place (there is no separate hotline role; give the hotline system an account
  with e.g. the street or district staff role); anonymous → 403. Form-encoded, multipart or
  JSON fields: ``service_code``, ``address_id`` (the code of a community or grid: required),
  ``lat``, ``long``, ``address_string``, ``description``, ``first_name``, ``last_name``,
  ``phone`` (stored encrypted), ``media`` files (extension; ``media_url`` is not fetched),
  ``kind`` and ``title`` (extensions). An ``Idempotency-Key`` header makes a retry return the
  first request (200 instead of 201), as in ``/api/v1/cases/``. The answer is
  ``[{"service_request_id", "service_notice", "account_id", "jiayuan_secret"}]``: the follow-up
  secret for the public page, given once (null on a replay).
- ``GET requests/{id}.json``: one request by tracking number, as a list of one.
- ``GET requests/{id}/history.json`` (extension): the public events, oldest first —
  ``event``, ``event_name``, ``status`` (open/closed after the event, null when unchanged),
  ``jiayuan_status``, ``at``, ``note`` (the public comment; staff callers only).

Errors follow the spec: a list of ``{"code", "description"}`` with 400, 403, 404 (and 409 for a
reused idempotency key with other content, 429 when throttled). These endpoints are left out
of the OpenAPI schema (``extend_schema(exclude=True)``): GeoReport v2 is its own contract.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jiayuan.accounts.scope import get_scope
from jiayuan.core.api import AuditedAPIMixin
from jiayuan.territory.models import Place

from .. import selectors, services
from ..categories import categories_for
from ..choices import OPEN_STATES, RESIDENT_KINDS, CaseChannel, CaseKind, Visibility
from ..models import Case, CaseEvent
from ..services import CaseConflict
from .serializers import RequestCreateSerializer, history_dict, request_dict, service_dict

LIMIT = 1000
DEFAULT_DAYS = 90
PUBLIC_KINDS = (CaseKind.APPEAL, CaseKind.SUGGESTION)  # psychological requests are never listed publicly
CJK = re.compile(r"[\u3400-\u9fff]")


def _errors(code: int, *descriptions) -> Response:
    return Response([{"code": code, "description": str(d)} for d in descriptions] or
                    [{"code": code, "description": ""}], status=code)


def _flatten(detail, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [m for k, v in detail.items() for m in _flatten(v, "" if k in ("non_field_errors", "__all__") else k)]
    if isinstance(detail, list | tuple):
        return [m for v in detail for m in _flatten(v, prefix)]
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and get_scope(user).is_staff_role)


def services_offered() -> dict:
    """The categories of the resident kinds, once each, in file order."""
    seen: dict = {}
    for kind in RESIDENT_KINDS:
        for c in categories_for(kind):
            seen.setdefault(c.code, c)
    return seen


@extend_schema(exclude=True)
class Open311View(AuditedAPIMixin, APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "open311"

    def handle_exception(self, exc):
        if isinstance(exc, CaseConflict):
            return _errors(409, exc.message)
        if isinstance(exc, Http404 | exceptions.NotFound):
            return _errors(404, _("No such service request."))
        if isinstance(exc, DjangoPermissionDenied):
            return _errors(403, str(exc) or _("You may not do this."))
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            return _errors(400, *_flatten(detail))
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return _errors(403, _("A valid API token is required."))
        if isinstance(exc, exceptions.Throttled):
            response = _errors(429, exc.detail)
            if exc.wait:
                response["Retry-After"] = str(int(exc.wait))
            return response
        if isinstance(exc, exceptions.APIException):
            return _errors(exc.status_code, *_flatten(exc.detail))
        return super().handle_exception(exc)

    def cases(self):
        """The cases the caller may read here, and whether they get the full fields."""
        user = self.request.user
        if _is_staff(user):
            return selectors.case_list(user=user).filter(kind__in=RESIDENT_KINDS), True
        return Case.objects.filter(kind__in=PUBLIC_KINDS).select_related("place"), False

    def one(self, request_id: str) -> tuple[Case, bool]:
        qs, full = self.cases()
        case = qs.filter(tracking_no=(request_id or "").strip().upper()).first()
        if case is None:
            raise Http404
        return case, full


class ServiceList(Open311View):
    def get(self, request):
        return Response([service_dict(c) for c in services_offered().values()])


def _when(value: str, name: str, *, end: bool = False) -> dt.datetime:
    value = (value or "").strip().replace(" ", "+")  # a "+" in a query string arrives as a space
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise exceptions.ValidationError({name: [_("Use an ISO 8601 date and time.")]})
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _csv(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()][:LIMIT]


class RequestList(Open311View):
    def get(self, request):
        qs, full = self.cases()
        params = request.query_params
        ids = [v.upper() for v in _csv(params.get("service_request_id", ""))]
        if ids:
            qs = qs.filter(tracking_no__in=ids)
        codes = _csv(params.get("service_code", ""))
        if codes:
            qs = qs.filter(category__in=codes)
        start = _when(params["start_date"], "start_date") if params.get("start_date") else None
        end = _when(params["end_date"], "end_date", end=True) if params.get("end_date") else None
        if start is None and not ids:
            start = (end or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            qs = qs.filter(received_at__gte=start)
        if end is not None:
            qs = qs.filter(received_at__lte=end)
        wanted = set(_csv(params.get("status", "")))
        if wanted - {"open", "closed"}:
            raise exceptions.ValidationError({"status": [_("Use open, closed or both.")]})
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATES)
        cases = list(qs.order_by("-received_at", "-id")[:LIMIT])
        notes = _latest_public_notes(cases) if full else {}
        return Response([request_dict(c, full=full, notes=notes.get(c.pk, "")) for c in cases])

    def post(self, request):
        user = request.user
        if not _is_staff(user):
            return _errors(403, _("A valid API token of a staff account is required."))
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        category = services_offered().get(data["service_code"])
        if category is None:
            return _errors(400, _("service_code: no such service."))
        place = Place.objects.filter(code=data["address_id"].strip()).first()
        if place is None:
            return _errors(400, _("address_id: no such community or grid."))
        kind = data.get("kind") or next(k for k in category.kinds if k in RESIDENT_KINDS)
        description = data.get("description", "")
        title = data.get("title") or (description.strip().splitlines()[0][:60] if description.strip() else "") \
            or category.label
        first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
        name = f"{last}{first}" if CJK.search(first + last) else " ".join(p for p in (first, last) if p)
        case = services.case_report(
            actor=user, kind=kind, category=category.code, title=title, description=description, place=place,
            channel=CaseChannel.OPEN311, reporter_name=name[:64], reporter_phone=data.get("phone", ""),
            location=data.get("address_string", ""), lat=data.get("lat"), lng=data.get("long"),
            attachments=request.FILES.getlist("media"),
            idempotency_key=request.headers.get("Idempotency-Key") or None,
            client_key=request.META.get("REMOTE_ADDR", ""),
        )
        replayed = getattr(case, "replayed", False)
        notice = _("The first reply is due on {date}.").format(date=case.reply_due_on.isoformat()) \
            if case.reply_due_on else ""
        body = [{"service_request_id": case.tracking_no, "service_notice": notice, "account_id": None,
                 "jiayuan_secret": None if replayed else getattr(case, "public_secret", None)}]
        return Response(body, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


def _latest_public_notes(cases: list[Case]) -> dict[int, str]:
    """The latest public comment of each case (one query)."""
    notes: dict[int, str] = {}
    rows = (CaseEvent.objects.filter(case__in=[c.pk for c in cases], visibility=Visibility.PUBLIC)
            .exclude(comment="").order_by("case_id", "at", "id").values_list("case_id", "comment"))
    for case_id, comment in rows:
        notes[case_id] = comment
    return notes


class RequestDetail(Open311View):
    def get(self, request, request_id: str):
        case, full = self.one(request_id)
        notes = _latest_public_notes([case]) if full else {}
        return Response([request_dict(case, full=full, notes=notes.get(case.pk, ""))])


class RequestHistory(Open311View):
    def get(self, request, request_id: str):
        case, full = self.one(request_id)
        return Response([history_dict(e, full=full) for e in selectors.public_events(case)])

