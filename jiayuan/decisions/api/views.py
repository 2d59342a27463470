"""Decisions over HTTP: outside the area is 404, visible but not writable 403, a step out of
order or a stale ``version`` 409 (message in the request's language), invalid input 400."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jiayuan.core.api import AuditedAPIMixin
from jiayuan.meetings.models import Motion

from .. import selectors, services
from ..models import ResidentVote
from ..services import DecisionConflict
from .serializers import (
    DecisionConflictSerializer,
    DecisionDetailSerializer,
    DecisionSerializer,
    DecisionTransitionSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a list of messages per field."),
    403: OpenApiResponse(description="The matter is visible but the user may not do this."),
    404: OpenApiResponse(description="No such matter in the user's area."),
    409: OpenApiResponse(DecisionConflictSerializer, description="The step is out of order or the version is stale."),
}


@extend_schema_view(
    list=extend_schema(summary="Decision matters (4+2) in the user's area"),
    retrieve=extend_schema(summary="One matter with its stages, notices and the actions the user may take now",
                           responses={200: DecisionDetailSerializer, 404: _ERRORS[404]}),
)
class DecisionViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The 4+2 democratic decision method (002 L161-163)."""

    serializer_class = DecisionSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.matter_list(user=self.request.user)

    def get_object(self):
        return selectors.matter_get(user=self.request.user, pk=self.kwargs["pk"])

    def handle_exception(self, exc):
        if isinstance(exc, DecisionConflict):
            version = exc.matter.version if exc.matter is not None else None
            return Response({"detail": exc.message, "code": exc.code, "version": version},
                            status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def _render(self, matter) -> Response:
        fresh = selectors.matter_get(user=self.request.user, pk=matter.pk)
        context = {**self.get_serializer_context(),
                   "available_actions": services.available_actions(self.request.user, fresh)}
        return Response(DecisionDetailSerializer(fresh, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.get_object())

    @extend_schema(summary="Take one step of the 4+2 method", request=DecisionTransitionSerializer,
                   responses={200: DecisionDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        matter = self.get_object()
        serializer = DecisionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        act, version = data.pop("action"), data.pop("version", None)
        if "motion" in data:
            motion = Motion.objects.select_related("meeting").filter(
                pk=data["motion"], meeting__territory_code=matter.territory_code).first()
            if motion is None:
                raise ValidationError({"motion": [_("No such vote in this community.")]})
            data["motion"] = motion
        if "resident_vote" in data:
            vote = ResidentVote.objects.select_related("meeting").filter(
                pk=data["resident_vote"], meeting__territory_code=matter.territory_code).first()
            if vote is None:
                raise ValidationError({"resident_vote": [_("No such resident vote in this community.")]})
            data["resident_vote"] = vote
        matter = services.decision_transition(actor=request.user, matter=matter, action=act,
                                              expected_version=version, **data)
        return self._render(matter)
