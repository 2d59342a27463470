"""The rulebook over HTTP: rules, evaluations, obligations, overrides.

Reads go through ``norms.selectors`` (a place outside the user's area is 404); overrides are
written only by ``norms.services``.
"""

from __future__ import annotations

from collections import Counter

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jiayuan.core.api import AuditedAPIMixin

from .. import periods, selectors, services
from ..checks import STATUSES
from .serializers import (
    EvaluationQuerySerializer,
    EvaluationSerializer,
    ObligationListSerializer,
    OverrideSerializer,
    OverrideWriteSerializer,
    RuleFilterSerializer,
    RuleSerializer,
    result_data,
    rule_data,
)


def _subject_and_period(request):
    query = EvaluationQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    if data.get("subject"):
        subject = selectors.subject_get(user=request.user, code=data["subject"])
    else:
        subject = selectors.subject_default(user=request.user)
        if subject is None:
            raise NotFound(_("Name a place with ?subject=<code>."))
    period = data.get("period") or periods.current_period("quarter", timezone.localdate())
    return subject, period


class RuleListView(AuditedAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The rules of the rulebook with their sources in the seeds",
        parameters=[RuleFilterSerializer],
        responses={200: RuleSerializer(many=True)},
    )
    def get(self, request):
        filters = RuleFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rules = selectors.rule_list(user=request.user, **filters.validated_data)
        return Response([rule_data(r) for r in rules])


class EvaluationView(AuditedAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Every rule judged for a place and period: met, unmet, not_due, not_applicable, not_evaluable",
        parameters=[EvaluationQuerySerializer],
        responses={
            200: EvaluationSerializer,
            400: OpenApiResponse(description="Invalid subject or period."),
            404: OpenApiResponse(description="No such place in the user's area."),
        },
    )
    def get(self, request):
        subject, period = _subject_and_period(request)
        results = selectors.evaluation(user=request.user, subject=subject, period=period)
        counts = Counter(r.status for r in results)
        return Response(
            {
                "subject": {"code": subject.code, "name": subject.name, "kind": subject.kind},
                "period": {"label": period.label, "start": period.start, "end": period.end},
                "counts": {s: counts.get(s, 0) for s in STATUSES},
                "results": [result_data(r) for r in results],
            }
        )


class ObligationListView(AuditedAPIMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="What a place must do in a period, with due dates (the obligations calendar)",
        parameters=[EvaluationQuerySerializer],
        responses={
            200: ObligationListSerializer,
            400: OpenApiResponse(description="Invalid subject or period."),
            404: OpenApiResponse(description="No such place in the user's area."),
        },
    )
    def get(self, request):
        subject, period = _subject_and_period(request)
        items = selectors.obligations(user=request.user, subject=subject, period=period)
        return Response(
            {
                "subject": {"code": subject.code, "name": subject.name, "kind": subject.kind},
                "period": {"label": period.label, "start": period.start, "end": period.end},
                "obligations": [
                    {
                        "rule": o.rule.id,
                        "title": o.rule.display_title(),
                        "source": o.rule.source,
                        "window": o.window_label,
                        "start": o.start,
                        "due": o.due,
                        "status": o.status,
                        "responsible": list(o.rule.responsible),
                    }
                    for o in items
                ],
            }
        )


class OverrideListView(AuditedAPIMixin, generics.ListCreateAPIView):
    """Overrides in force for the user's area; POST sets one (community secretary, street and
    district staff for their place, administrators anywhere)."""

    permission_classes = [IsAuthenticated]
    serializer_class = OverrideSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.override_list(user=self.request.user, rule_id=self.request.query_params.get("rule") or None)

    @extend_schema(
        summary="Set a rule parameter for a place",
        request=OverrideWriteSerializer,
        responses={201: OverrideSerializer, 400: OpenApiResponse(description="Invalid value or reason.")},
    )
    def post(self, request):
        data = OverrideWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        override = services.rule_override_set(
            actor=request.user,
            rule_id=v["rule_id"],
            parameter=v["parameter"],
            place=v.get("place"),
            value=v["value"],
            reason=v["reason"],
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class OverrideDetailView(AuditedAPIMixin, generics.RetrieveDestroyAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OverrideSerializer

    def get_object(self):
        return get_object_or_404(selectors.override_list(user=self.request.user), pk=self.kwargs["pk"])

    @extend_schema(summary="Remove an override (the wider value or the seed's default applies again)")
    def delete(self, request, *args, **kwargs):
        services.rule_override_clear(actor=request.user, override=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
