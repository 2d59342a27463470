"""Every read of the decisions, scoped (deny by default; outside the area is 404)."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.accounts.scope import get_scope

from .choices import DecisionStatus
from .models import DecisionMatter, ImplementationResult

AWAITING_RESULT = [DecisionStatus.RESOLVED, DecisionStatus.NOTICE, DecisionStatus.IMPLEMENTING]


def matter_list(*, user) -> QuerySet[DecisionMatter]:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return DecisionMatter.objects.none()
    today = timezone.localdate()
    has_result = ImplementationResult.objects.filter(matter=OuterRef("pk"))
    return (
        scope.filter(DecisionMatter.objects.all(), "territory_code")
        .select_related("place")
        .annotate(is_overdue=ExpressionWrapper(
            Q(status__in=AWAITING_RESULT, result_due_on__lt=today) & ~Exists(has_result), output_field=BooleanField()))
        .order_by("-created_at", "-id")
    )


def matter_get(*, user, pk) -> DecisionMatter:
    return get_object_or_404(
        matter_list(user=user).prefetch_related(
            "stages__meeting", "stages__motion", "notices__objections", "comments", "events"),
        pk=pk,
    )


def overdue(*, user) -> QuerySet[DecisionMatter]:
    """Resolved matters with no published result after their due date."""
    return matter_list(user=user).filter(is_overdue=True)
