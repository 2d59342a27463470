"""Places and grids over HTTP (read-only; the tree is shaped in the admin and by commands)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from jiayuan.core.api import AuditedAPIMixin
from jiayuan.residents.selectors import grid_resident_stats

from .. import selectors
from .serializers import GridSerializer, PlaceFilterSerializer, PlaceSerializer


@extend_schema_view(
    list=extend_schema(summary="Places the user may see", parameters=[PlaceFilterSerializer]),
    retrieve=extend_schema(
        summary="One place by code",
        responses={200: PlaceSerializer, 404: OpenApiResponse(description="No such place in the user's scope.")},
    ),
)
class PlaceViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlaceSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        if self.action != "list":
            return selectors.place_list(user=user)
        filters = PlaceFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        parent = None
        if data.get("parent"):
            parent = selectors.place_list(user=user).filter(code=data["parent"]).first()
            if parent is None:
                return selectors.place_list(user=user).none()
        return selectors.place_list(user=user, kind=data.get("kind"), parent=parent, q=data.get("q", ""))

    def get_object(self):
        return selectors.place_get(user=self.request.user, code=self.kwargs["code"])


@extend_schema_view(list=extend_schema(summary="Grids the user may see, with workers and record completeness"))
class GridViewSet(AuditedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = GridSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.grid_list(user=self.request.user, with_workers=True)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        stats = grid_resident_stats(user=request.user, grid_codes=[g.code for g in page])
        serializer = self.get_serializer(page, many=True, context={**self.get_serializer_context(), "stats": stats})
        return self.get_paginated_response(serializer.data)
