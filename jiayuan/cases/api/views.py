"""Cases over HTTP: reads through the selectors, writes through the services.

A case outside the user's area is 404; a case the user may see but not act on is 403; a step
that is not possible now, or a stale ``version``, is 409 with a message in the request's
language; invalid input is 400 (``core.api.exception_handler``). ``POST /cases/`` honours an
``Idempotency-Key`` header: the same key from the same user returns the first case (200)
instead of making a second one (201).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jiayuan.accounts.models import User
from jiayuan.core.api import AuditedAPIMixin
from jiayuan.territory.models import Place

from .. import selectors, services
from ..services import CaseConflict
from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    ConflictSerializer,
    TransitionSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a list of messages per field."),
    403: OpenApiResponse(description="The case is visible but the user may not do this."),
    404: OpenApiResponse(description="No such case in the user's area."),
    409: OpenApiResponse(ConflictSerializer, description="Somebody acted first (stale version), or the step is "
                                                         "not possible in the case's state."),
}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Repeat-safe submission: the same key from the same user returns the first case.",
)


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@extend_schema_view(
    list=extend_schema(summary="Cases in the user's area (and those the user reported)",
                       parameters=[CaseFilterSerializer]),
    retrieve=extend_schema(summary="One case with its events and the actions the user may take now",
                           responses={200: CaseDetailSerializer, 404: _ERRORS[404]}),
)
class CaseViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals, suggestions, psychological requests, grid events, disputes and emergencies."""

    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            filters = CaseFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.case_list(user=self.request.user, filters=filters.validated_data)
        return selectors.case_list(user=self.request.user)

    def get_object(self):
        return selectors.case_get(user=self.request.user, pk=self.kwargs["pk"])

    def handle_exception(self, exc):
        if isinstance(exc, CaseConflict):
            version = exc.case.version if exc.case is not None else None
            return Response({"detail": exc.message, "code": exc.code, "version": version},
                            status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def _render(self, case, status_code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        fresh = selectors.case_list(user=user).prefetch_related("attachments").filter(pk=case.pk).first()
        if fresh is None:  # e.g. an anonymous-channel report by a user who then cannot see it
            raise Http404
        fresh.public_secret = getattr(case, "public_secret", "")
        context = {**self.get_serializer_context(), "events": selectors.case_events(user, fresh),
                   "available_actions": services.available_actions(user, fresh)}
        return Response(CaseDetailSerializer(fresh, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.get_object())

    @extend_schema(summary="Take a case in", parameters=[IDEMPOTENCY_HEADER],
                   request={"application/json": CaseCreateSerializer, "multipart/form-data": CaseCreateSerializer},
                   responses={201: CaseDetailSerializer, 200: CaseDetailSerializer, 400: _ERRORS[400],
                              403: _ERRORS[403], 409: _ERRORS[409]})
    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        place = Place.objects.filter(code=data.pop("place")).first()
        if place is None:
            raise ValidationError({"place": [_("No such place.")]})
        case = services.case_report(
            actor=request.user, place=place, description=data.pop("description", ""),
            attachments=data.pop("attachments", ()), idempotency_key=request.headers.get("Idempotency-Key") or None,
            client_key=_client_address(request), **data,
        )
        return self._render(case, status.HTTP_200_OK if getattr(case, "replayed", False) else status.HTTP_201_CREATED)

    @extend_schema(summary="Take one step of the loop (accept, assign, resolve, visit, close, ...)",
                   request=TransitionSerializer, responses={200: CaseDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        case = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        act, comment, version = data.pop("action"), data.pop("comment", ""), data.pop("version", None)
        if "place" in data:
            place = Place.objects.filter(code=data["place"]).first()
            if place is None:
                raise ValidationError({"place": [_("No such place.")]})
            data["place"] = place
        if "user" in data:
            user = User.objects.filter(username=data["user"], is_active=True).first()
            if user is None:
                raise ValidationError({"user": [_("No such user.")]})
            data["user"] = user
        if "into" in data:
            ref = data["into"]
            try:
                into = selectors.case_get(user=request.user, pk=ref) if ref.isdigit() else \
                    selectors.case_list(user=request.user).get(tracking_no=ref.upper())
            except (Http404, selectors.Case.DoesNotExist):
                raise ValidationError({"into": [_("No such case in your area.")]}) from None
            data["into"] = into
        case = services.case_transition(actor=request.user, case=case, action=act, comment=comment,
                                        expected_version=version, **data)
        return self._render(case)
