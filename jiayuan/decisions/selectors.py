"""Every read of the decisions, scoped (deny by default; outside the area is 404)."""

from __future__ import annotations

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jiayuan.accounts.scope import get_scope
from jiayuan.residents.choices import ResidentStatus
from jiayuan.residents.models import Household, Resident

from .choices import RESOLUTION_MEETING_KINDS, DecisionStatus, ResidentMeetingStatus, ResidentVoteStatus
from .models import (
    DecisionMatter,
    DecisionStage,
    HouseholdBallot,
    ImplementationResult,
    RepresentativeHousehold,
    ResidentMeeting,
    ResidentRepresentative,
    ResidentVote,
)

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
            "stages__meeting", "stages__motion", "stages__resident_vote__meeting", "notices__objections", "comments",
            "events"),
        pk=pk,
    )


def overdue(*, user) -> QuerySet[DecisionMatter]:
    """Resolved matters with no published result after their due date."""
    return matter_list(user=user).filter(is_overdue=True)


# -- the residents' side: representatives, resident meetings and their votes -------------------------

def _staff_scope(user):
    scope = get_scope(user)
    return scope if scope.is_staff_role else None


def representative_list(*, user, active_only: bool = False) -> QuerySet[ResidentRepresentative]:
    """Representatives in the user's area with the number of households each links now. Staff only
    (residents' names are shown to staff; identity numbers and phones never, masked or not)."""
    scope = _staff_scope(user)
    if scope is None:
        return ResidentRepresentative.objects.none()
    qs = scope.filter(ResidentRepresentative.objects.all(), "territory_code")
    if active_only:
        qs = qs.filter(ended_on__isnull=True)
    return (qs.select_related("place", "resident")
            .annotate(households=Count("household_links", filter=Q(household_links__unlinked_on__isnull=True)))
            .order_by("place__code", "ended_on", "group_label", "id"))


def representative_get(*, user, pk) -> ResidentRepresentative:
    active = RepresentativeHousehold.objects.filter(unlinked_on__isnull=True).select_related(
        "household__unit__parent").order_by("household__territory_code")
    return get_object_or_404(
        representative_list(user=user).prefetch_related(Prefetch("household_links", active, to_attr="active_links")),
        pk=pk)


def unlinked_households(*, user, place, limit: int = 300) -> QuerySet[Household]:
    """Households of ``place`` (in the user's area) with no active representative, to link."""
    scope = _staff_scope(user)
    if scope is None or not scope.covers(place.code):
        return Household.objects.none()
    linked = RepresentativeHousehold.objects.filter(household=OuterRef("pk"), unlinked_on__isnull=True)
    return (Household.objects.filter(territory_code__startswith=place.code).exclude(Exists(linked))
            .select_related("unit__parent").order_by("territory_code")[:limit])


def resident_candidates(*, user, place, query: str, limit: int = 30) -> QuerySet[Resident]:
    """Residents of ``place`` whose name contains ``query``, to appoint as representatives."""
    scope = _staff_scope(user)
    query = (query or "").strip()
    if scope is None or not query or not scope.covers(place.code):
        return Resident.objects.none()
    return (Resident.objects.filter(territory_code__startswith=place.code, status=ResidentStatus.ACTIVE,
                                    name__contains=query)
            .only("pk", "name", "birth_date", "territory_code", "id_number_masked").order_by("name", "pk")[:limit])


def resident_meeting_list(*, user) -> QuerySet[ResidentMeeting]:
    scope = _staff_scope(user)
    if scope is None:
        return ResidentMeeting.objects.none()
    return (scope.filter(ResidentMeeting.objects.all(), "territory_code").select_related("place")
            .annotate(vote_count=Count("votes")).order_by("-scheduled_on", "-id"))


def resident_meeting_get(*, user, pk) -> ResidentMeeting:
    votes = ResidentVote.objects.select_related("matter", "agenda_item").order_by("id")
    return get_object_or_404(
        resident_meeting_list(user=user).prefetch_related("agenda_items", Prefetch("votes", votes)), pk=pk)


def resident_vote_get(*, user, pk) -> ResidentVote:
    scope = _staff_scope(user)
    if scope is None:
        return get_object_or_404(ResidentVote.objects.none(), pk=pk)
    return get_object_or_404(
        ResidentVote.objects.filter(scope.q("meeting__territory_code")).select_related("meeting__place", "matter"),
        pk=pk)


def household_ballots(*, user, vote: ResidentVote) -> QuerySet[HouseholdBallot]:
    scope = _staff_scope(user)
    if scope is None or not scope.covers(vote.meeting.territory_code):
        return HouseholdBallot.objects.none()
    return HouseholdBallot.objects.filter(vote=vote).select_related("household", "representative__resident")


def resolution_votes(*, user, matter: DecisionMatter) -> QuerySet[ResidentVote]:
    """The closed votes that can be the matter's stage 4: of a held resident representative
    meeting or resident assembly of its community, on this matter or on none, not yet used."""
    scope = _staff_scope(user)
    if scope is None or not scope.covers(matter.territory_code):
        return ResidentVote.objects.none()
    used = DecisionStage.objects.filter(resident_vote__isnull=False).values("resident_vote_id")
    return (ResidentVote.objects.filter(
        meeting__territory_code=matter.territory_code, meeting__kind__in=RESOLUTION_MEETING_KINDS,
        meeting__status=ResidentMeetingStatus.HELD, status=ResidentVoteStatus.CLOSED)
        .filter(Q(matter__isnull=True) | Q(matter=matter)).exclude(pk__in=used)
        .select_related("meeting").order_by("-closed_at", "-id")[:50])


# -- what a stage's vote says (staff page, public page, the notice text) --------------------------

def stage_summary(stage) -> dict:
    """The body, day and tally of a recorded stage: a Party meeting's motion for stages 1-3, the
    residents' vote (with the household ballots of a dual-ballot vote) for stage 4."""
    rv = getattr(stage, "resident_vote", None) if getattr(stage, "resident_vote_id", None) else None
    if rv is not None:
        meeting = rv.meeting
        counts = {"yes": rv.yes, "no": rv.no, "abstain": rv.abstain}
        households = ({"yes": rv.household_yes, "no": rv.household_no, "abstain": rv.household_abstain}
                      if rv.is_dual_ballot else None)
        present, eligible = meeting.present, meeting.eligible
    else:
        meeting, motion = stage.meeting, stage.motion
        counts = dict(motion.counts or {}) if motion else {}
        households = None
        present, eligible = (motion.present, motion.eligible) if motion else (None, None)
    when = getattr(meeting, "held_on", None) or (stage.decided_at.date() if stage.decided_at else None)
    return {"body": getattr(meeting, "title", ""), "on": when, "counts": counts, "households": households,
            "present": present, "eligible": eligible}


# -- public (no sign-in): what residents are entitled to see ---------------------------------------

PUBLIC_STATUSES = (DecisionStatus.NOTICE, DecisionStatus.IMPLEMENTING, DecisionStatus.RESULT_PUBLISHED,
                   DecisionStatus.CLOSED)


def public_matters(*, community) -> QuerySet[DecisionMatter]:
    """The community's matters whose resolution was made public (002 L161 "决议公开"): on notice
    or later. Proposals still being decided and rejected proposals are not on the board."""
    return (DecisionMatter.objects.filter(territory_code=community.code, status__in=PUBLIC_STATUSES)
            .filter(notices__isnull=False).distinct().select_related("place").order_by("-created_at", "-id"))


def public_matter_get(*, community, pk) -> DecisionMatter:
    return get_object_or_404(
        public_matters(community=community).prefetch_related(
            "stages__meeting", "stages__motion", "stages__resident_vote__meeting", "notices__objections"),
        pk=pk)


def public_charters(*, community) -> dict[str, list]:
    """``{kind: [versions newest first]}`` of the community's charter and covenant."""
    from .models import CharterVersion

    out: dict[str, list] = {}
    for v in CharterVersion.objects.filter(place=community).select_related("matter").order_by("kind", "-version"):
        out.setdefault(v.kind, []).append(v)
    return out
