"""Meetings over HTTP: reads through the selectors, writes through the services.

A meeting outside the user's area is 404 (its existence is not disclosed); a meeting the user
may see but not record is 403 (the services raise PermissionDenied); invalid input is 400 with
messages per field in the request's language (``core.api.exception_handler``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jiayuan.core.api import AuditedAPIMixin
from jiayuan.party.models import Member
from jiayuan.party.permissions import may_write_meetings
from jiayuan.party.selectors import organization_get

from .. import selectors, services
from .serializers import (
    CancelSerializer,
    HeldSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingFilterSerializer,
    MeetingSerializer,
    MinutesWriteSerializer,
    RollCallSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a list of messages per field."),
    403: OpenApiResponse(description="The meeting is visible but the user may not record it."),
    404: OpenApiResponse(description="No such meeting in the user's area."),
}


@extend_schema_view(
    list=extend_schema(summary="Meetings in the user's area", parameters=[MeetingFilterSerializer]),
    retrieve=extend_schema(summary="One meeting with its attendance and minutes",
                           responses={200: MeetingDetailSerializer, 404: _ERRORS[404]}),
)
class MeetingViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """三会一课 and the other meetings of the Party organizations the user may see."""

    serializer_class = MeetingSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            filters = MeetingFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.meeting_list(user=self.request.user, filters=filters.validated_data)
        return selectors.meeting_list(user=self.request.user)

    def get_object(self):
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def _render(self, pk, status_code=status.HTTP_200_OK) -> Response:
        meeting = selectors.meeting_get(user=self.request.user, pk=pk)
        context = {
            **self.get_serializer_context(), "attendance": selectors.attendance_list(meeting=meeting),
            "minutes": selectors.minutes_get(meeting=meeting),
            "can_write": may_write_meetings(self.request.user, meeting.territory_code),
        }
        return Response(MeetingDetailSerializer(meeting, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._render(self.kwargs["pk"])

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary="Schedule a meeting", request=MeetingCreateSerializer,
                   responses={201: MeetingDetailSerializer, 400: _ERRORS[400], 403: _ERRORS[403]})
    def create(self, request, *args, **kwargs):
        data = self._input(MeetingCreateSerializer)
        try:
            org = organization_get(user=request.user, code=data.pop("organization"))
        except Http404:
            raise ValidationError({"organization": [_("No such Party organization in your area.")]}) from None
        meeting = services.meeting_schedule(actor=request.user, organization=org, **data)
        return self._render(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="Roll call: present, late, excused (with the reason) or absent for members at once",
                   request=RollCallSerializer, responses={200: MeetingDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = self._input(RollCallSerializer)
        members = {m.pk: m for m in Member.objects.filter(pk__in=[e["member"] for e in data["entries"]])}
        entries = [{**e, "member": members.get(e["member"], e["member"])} for e in data["entries"]]
        services.roll_call(actor=request.user, meeting=meeting, entries=entries)
        return self._render(meeting.pk)

    @extend_schema(summary="Mark the meeting held (unticked expected members become absent)",
                   request=HeldSerializer, responses={200: MeetingDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        meeting = self.get_object()
        services.meeting_mark_held(actor=request.user, meeting=meeting, **self._input(HeldSerializer))
        return self._render(meeting.pk)

    @extend_schema(summary="Write the minutes (until signed off)", request=MinutesWriteSerializer,
                   responses={200: MeetingDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self.get_object()
        services.minutes_save(actor=request.user, meeting=meeting, **self._input(MinutesWriteSerializer))
        return self._render(meeting.pk)

    @extend_schema(summary="Sign the minutes off (they never change afterwards)", request=None,
                   responses={200: MeetingDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        meeting = self.get_object()
        services.minutes_sign_off(actor=request.user, meeting=meeting)
        return self._render(meeting.pk)

    @extend_schema(summary="Cancel a scheduled meeting, saying why", request=CancelSerializer,
                   responses={200: MeetingDetailSerializer, **_ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        services.meeting_cancel(actor=request.user, meeting=meeting, **self._input(CancelSerializer))
        return self._render(meeting.pk)
