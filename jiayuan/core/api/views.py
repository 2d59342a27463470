"""The audit trail over HTTP: read-only, administrators only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated

from jiayuan.core.audit import audit_event_list

from . import AuditedAPIMixin, IsAdminRole
from .serializers import AuditEventFilterSerializer, AuditEventSerializer


class AuditEventListView(AuditedAPIMixin, generics.ListAPIView):
    """Every change and every reveal, newest first. No write methods: the trail is append-only
    and written only by the services."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated, IsAdminRole]
    filter_backends: list = []

    def get_queryset(self):
        filters = AuditEventFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return audit_event_list(user=self.request.user, filters=filters.validated_data)

    @extend_schema(summary="Audit events (administrators)", parameters=[AuditEventFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
