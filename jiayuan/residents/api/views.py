"""Residents and households over HTTP: reads through the selectors, writes through the services.

Rows outside the user's scope are 404 (their existence is not disclosed); a row the user may
see but not change is 403; invalid input is 400 with a message per field.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jiayuan.core.api import AuditedAPIMixin, RegistryWritePermission

from .. import selectors, services
from .serializers import (
    HouseholdCreateSerializer,
    HouseholdFilterSerializer,
    HouseholdSerializer,
    ResidentFilterSerializer,
    ResidentMoveSerializer,
    ResidentRevealSerializer,
    ResidentSerializer,
    ResidentWriteSerializer,
    RevealResultSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid input: a list of messages per field."),
    403: OpenApiResponse(description="The row is visible but the user may not do this."),
    404: OpenApiResponse(description="No such row in the user's scope."),
}


def _filters(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="Residents in the user's area", parameters=[ResidentFilterSerializer]),
    retrieve=extend_schema(summary="One resident", responses={200: ResidentSerializer, 404: _ERRORS[404]}),
)
class ResidentViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People in the registry, scoped to the user; numbers are masked."""

    serializer_class = ResidentSerializer
    permission_classes = [IsAuthenticated, RegistryWritePermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    object_permission = {"reveal": "can_reveal"}

    def list(self, request, *args, **kwargs):
        """A page of residents read as plain rows (no model instances, tags in one query): the
        grid worker's list is the most frequent request of the platform (bench/ benchmark 2)."""
        queryset = self.get_queryset().prefetch_related(None).values(*ResidentSerializer.ROW_COLUMNS)
        rows = list(self.paginate_queryset(queryset))
        selectors.attach_visible_tag_codes(user=request.user, rows=rows)
        return self.get_paginated_response([ResidentSerializer.row_representation(row) for row in rows])

    def get_queryset(self):
        if self.action == "list":
            return selectors.resident_list(
                user=self.request.user, filters=_filters(ResidentFilterSerializer, self.request), with_address=False
            )
        return selectors.resident_list(user=self.request.user, include_inactive=True)

    def get_object(self):
        resident = selectors.resident_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, resident)
        return resident

    def _render(self, pk, status_code=status.HTTP_200_OK) -> Response:
        resident = selectors.resident_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(resident).data, status=status_code)

    @extend_schema(
        summary="Register a resident",
        request=ResidentWriteSerializer,
        responses={201: ResidentSerializer, 400: _ERRORS[400], 403: _ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        serializer = ResidentWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        resident = services.resident_create(actor=request.user, data=serializer.validated_data)
        return self._render(resident.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a resident",
        request=ResidentWriteSerializer,
        responses={200: ResidentSerializer, **_ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        resident = self.get_object()
        serializer = ResidentWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.resident_update(actor=request.user, resident=resident, data=serializer.validated_data)
        return self._render(resident.pk)

    @extend_schema(
        summary="Reveal the full identity or phone number (logged with the purpose)",
        request=ResidentRevealSerializer,
        responses={200: RevealResultSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        resident = self.get_object()
        serializer = ResidentRevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        field = serializer.validated_data["field"]
        value = services.resident_reveal(
            actor=request.user, resident=resident, field=field, purpose=serializer.validated_data["purpose"]
        )
        return Response({"field": field, "value": value})

    @extend_schema(
        summary="Move a resident in, out or within the area (kept as history)",
        request=ResidentMoveSerializer,
        responses={200: ResidentSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        resident = self.get_object()
        serializer = ResidentMoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.resident_move(
            actor=request.user, resident=resident, kind=data["kind"], to_household=data.get("to_household"),
            date=data.get("date"), reason=data.get("reason", ""), relation_to_head=data.get("relation_to_head", ""),
        )
        return self._render(resident.pk)


@extend_schema_view(
    list=extend_schema(summary="Households in the user's area", parameters=[HouseholdFilterSerializer]),
    retrieve=extend_schema(summary="One household", responses={200: HouseholdSerializer, 404: _ERRORS[404]}),
)
class HouseholdViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dwellings with their head, hardship and number of living members."""

    serializer_class = HouseholdSerializer
    permission_classes = [IsAuthenticated, RegistryWritePermission]
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        filters = _filters(HouseholdFilterSerializer, self.request) if self.action == "list" else None
        return selectors.household_list_with_member_count(user=self.request.user, filters=filters)

    def get_object(self):
        household = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, household)
        return household

    @extend_schema(
        summary="Register a household in a unit",
        request=HouseholdCreateSerializer,
        responses={201: HouseholdSerializer, 400: _ERRORS[400], 403: _ERRORS[403]},
    )
    def create(self, request, *args, **kwargs):
        serializer = HouseholdCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        household = services.household_create(actor=request.user, **serializer.validated_data)
        household = get_object_or_404(self.get_queryset(), pk=household.pk)
        return Response(self.get_serializer(household).data, status=status.HTTP_201_CREATED)
