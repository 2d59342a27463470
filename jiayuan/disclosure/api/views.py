"""``/api/v1/disclosures/``: read-only. Staff get the items of their area (``?community=`` and
``?status=`` narrow it); anyone else, signed in or not, gets the published items of the community
named by ``?community=`` (the public board's content, masked) and nothing without it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny

from jiayuan.accounts.scope import get_scope
from jiayuan.core.api import AuditedAPIMixin

from .. import selectors
from ..choices import Status
from ..models import DisclosureItem
from .serializers import DisclosureItemSerializer

_PARAMS = [
    OpenApiParameter("community", OpenApiTypes.STR, description="Community code (required without a staff role)."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values, description="Staff only."),
]


@extend_schema_view(list=extend_schema(parameters=_PARAMS), retrieve=extend_schema(parameters=_PARAMS))
class DisclosureViewSet(AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DisclosureItemSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    queryset = DisclosureItem.objects.none()

    def _public(self) -> bool:
        return not get_scope(self.request.user).is_staff_role

    def get_queryset(self):
        community = self.request.query_params.get("community") or None
        if getattr(self, "swagger_fake_view", False):
            return DisclosureItem.objects.none()
        if not self._public():
            status = self.request.query_params.get("status") or None
            return selectors.item_list(user=self.request.user, status=status if status in Status.values else None,
                                       community_code=community)
        if not community:
            return DisclosureItem.objects.none()
        return (DisclosureItem.objects.filter(territory_code=community, status=Status.PUBLISHED)
                .select_related("community").order_by("-published_on", "-pk"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["public"] = self._public()
        return context
