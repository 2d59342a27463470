"""Every read of the Party registers, scoped to what the user may see (deny by default).

Staff roles only; rows are filtered on their ``territory_code`` (the place the organization
serves) with ``get_scope(user).filter``. A transfer is also visible to the receiving side
(``to_territory_code``), so both ends of a pending transfer see it. A record outside the user's
area is 404, never 403. Lists cost a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from jiayuan.accounts.scope import get_scope

from .choices import OrgType, TransferStatus
from .models import (
    Applicant,
    DuesPayment,
    Election,
    Member,
    MobileMemberRecord,
    Organization,
    OrganizationOfficer,
    PocketMemberLead,
    Transfer,
)

# How long a transfer may stay unreceived before the member counts as lost (失联). The seeds say
# 及时 ("in good time", 003 L303, 002 L25) without a number; 30 days is the usual limit of an
# introduction letter (介绍信有效期) and a district can change it in settings.
TRANSFER_LOST_AFTER_DAYS = 30


def _scoped(user, qs: QuerySet, field_name: str = "territory_code") -> QuerySet:
    scope = get_scope(user)
    if not scope.is_staff_role:
        return qs.none()
    return scope.filter(qs, field_name)


# -- organizations ------------------------------------------------------------------------------

def organization_list(*, user, include_dissolved: bool = False) -> QuerySet[Organization]:
    """Organizations the user may see, each with its live member count (one query)."""
    qs = _scoped(user, Organization.objects.all())
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return (
        qs.select_related("parent", "place")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            group_member_count=Count("group_members", filter=Q(group_members__left_on__isnull=True), distinct=True),
        )
        .order_by("code")
    )


def organization_get(*, user, code: str) -> Organization:
    return get_object_or_404(organization_list(user=user, include_dissolved=True), code=code)


def organization_tree(organizations) -> list[tuple[int, Organization]]:
    """Depth-first ``(depth, organization)`` pairs of an already read list (no queries); an
    organization whose parent is not in the list is a root."""
    orgs = list(organizations)
    ids = {o.pk for o in orgs}
    children: dict[int | None, list[Organization]] = {}
    for o in orgs:
        children.setdefault(o.parent_id if o.parent_id in ids else None, []).append(o)
    out: list[tuple[int, Organization]] = []

    def walk(parent_id, depth):
        for o in children.get(parent_id, []):
            out.append((depth, o))
            walk(o.pk, depth + 1)

    walk(None, 0)
    return out


def officer_list(*, user, organization: Organization, as_of: dt.date | None = None) -> QuerySet[OrganizationOfficer]:
    qs = _scoped(user, OrganizationOfficer.objects.filter(organization=organization)).select_related("member")
    if as_of is not None:
        qs = qs.filter(started_on__lte=as_of).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
    return qs.order_by("post", "started_on", "id")


def election_list(*, user, organization: Organization) -> QuerySet[Election]:
    return _scoped(user, Election.objects.filter(organization=organization)).order_by("-held_on", "-id")


# -- members ------------------------------------------------------------------------------------

def member_list(*, user, organization: Organization | None = None, include_left: bool = False) -> QuerySet[Member]:
    """Members the user may see (of one organization and the organizations below it, when given)."""
    qs = _scoped(user, Member.objects.all())
    if organization is not None:
        qs = qs.filter(Q(organization=organization) | Q(group=organization) | Q(organization__parent=organization))
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    return qs.select_related("organization", "group").order_by("organization__code", "full_name", "id")


def member_get(*, user, pk) -> Member:
    return get_object_or_404(member_list(user=user, include_left=True), pk=pk)


# -- transfers ----------------------------------------------------------------------------------

def transfer_list(*, user, status: str | None = None) -> QuerySet[Transfer]:
    """Transfers the releasing or the receiving side of which the user may see."""
    scope = get_scope(user)
    if not scope.is_staff_role:
        return Transfer.objects.none()
    qs = Transfer.objects.filter(scope.q("territory_code") | scope.q("to_territory_code"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("member", "from_org", "to_org").order_by("-requested_on", "-id")


def transfer_get(*, user, pk) -> Transfer:
    return get_object_or_404(transfer_list(user=user), pk=pk)


def transfer_is_lost(transfer: Transfer, *, today: dt.date, days: int = TRANSFER_LOST_AFTER_DAYS) -> bool:
    """A pending transfer older than the limit: the member may be lost between two organizations."""
    return transfer.status == TransferStatus.PENDING and (today - transfer.requested_on).days > days


def lost_transfer_list(*, user, today: dt.date, days: int = TRANSFER_LOST_AFTER_DAYS) -> QuerySet[Transfer]:
    return transfer_list(user=user, status=TransferStatus.PENDING).filter(
        requested_on__lt=today - dt.timedelta(days=days)
    )


# -- other registers ----------------------------------------------------------------------------

def mobile_member_list(*, user, include_returned: bool = False) -> QuerySet[MobileMemberRecord]:
    qs = _scoped(user, MobileMemberRecord.objects.all())
    if not include_returned:
        qs = qs.filter(returned_on__isnull=True)
    return qs.select_related("member", "outflow_org", "inflow_org").order_by("-left_on", "-id")


def mobile_member_get(*, user, pk) -> MobileMemberRecord:
    return get_object_or_404(mobile_member_list(user=user, include_returned=True), pk=pk)


def pocket_lead_list(*, user) -> QuerySet[PocketMemberLead]:
    return _scoped(user, PocketMemberLead.objects.all()).select_related("place", "member").order_by("-found_on", "-id")


def pocket_lead_get(*, user, pk) -> PocketMemberLead:
    return get_object_or_404(pocket_lead_list(user=user), pk=pk)


def dues_list(*, user, member: Member | None = None, year: int | None = None) -> QuerySet[DuesPayment]:
    qs = _scoped(user, DuesPayment.objects.all())
    if member is not None:
        qs = qs.filter(member=member)
    if year is not None:
        qs = qs.filter(month__year=year)
    return qs.select_related("member", "reverses").order_by("-month", "member__full_name", "id")


def applicant_list(*, user, organization: Organization | None = None) -> QuerySet[Applicant]:
    qs = _scoped(user, Applicant.objects.all())
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("organization", "member").order_by("organization__code", "full_name", "id")


def applicant_get(*, user, pk) -> Applicant:
    return get_object_or_404(applicant_list(user=user), pk=pk)


def community_party_orgs(place_code: str) -> QuerySet[Organization]:
    """The organizations serving a place and everything below it (for the rulebook's facts; no
    user: the caller has already decided the subject may be seen)."""
    return Organization.objects.filter(territory_code__startswith=place_code).exclude(org_type=OrgType.PARTY_GROUP)


# -- reads the server-rendered pages need (added with jiayuan/party/views.py) --------------------
# Bulk reads for the organization tree and the registers of 设岗定责 and 双报到, so each page
# costs a fixed number of queries; every one is scoped to the user like the selectors above.

def current_secretaries(*, user, organizations) -> dict[int, OrganizationOfficer]:
    """The secretary (or group leader) now in post of each organization given, by organization id
    (one query)."""
    from .choices import OfficerPost

    ids = [o.pk for o in organizations]
    qs = _scoped(user, OrganizationOfficer.objects.filter(
        organization_id__in=ids, ended_on__isnull=True, post__in=[OfficerPost.SECRETARY, OfficerPost.GROUP_LEADER],
    )).select_related("member").order_by("organization_id", "-started_on", "-id")
    out: dict[int, OrganizationOfficer] = {}
    for officer in qs:
        out.setdefault(officer.organization_id, officer)
    return out


def last_elections(*, user, organizations) -> dict[int, Election]:
    """The latest election of each organization given, by organization id (one query)."""
    ids = [o.pk for o in organizations]
    qs = _scoped(user, Election.objects.filter(organization_id__in=ids)).order_by("organization_id", "-held_on", "-id")
    out: dict[int, Election] = {}
    for election in qs:
        out.setdefault(election.organization_id, election)
    return out


def member_officer_list(*, user, member: Member) -> QuerySet[OrganizationOfficer]:
    """The posts a member holds or held, in every organization the user may see."""
    return _scoped(user, OrganizationOfficer.objects.filter(member=member)).select_related("organization").order_by(
        "-started_on", "-id"
    )


def member_post_list(*, user, include_ended: bool = False):
    """Posts for members without posts (设岗定责), with their organization and member."""
    from .models import MemberPost

    qs = _scoped(user, MemberPost.objects.all())
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return qs.select_related("organization", "member").order_by("organization__code", "title", "id")


def member_post_get(*, user, pk):
    return get_object_or_404(member_post_list(user=user, include_ended=True), pk=pk)


def report_in_list(*, user, include_ended: bool = False):
    """Members reporting in to a community the user may see (双报到)."""
    from .models import ReportIn

    qs = _scoped(user, ReportIn.objects.all())
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    return qs.select_related("member", "member__organization", "community").order_by("-reported_on", "-id")


def report_in_get(*, user, pk):
    return get_object_or_404(report_in_list(user=user, include_ended=True), pk=pk)


def transfer_destination_list(*, user) -> QuerySet[Organization]:
    """Organizations a member's relationship may be transferred to (internal transfer): every
    active branch or committee on the platform, because the receiving side is often outside the
    releasing side's area (a member moving to another community or street). Only names and codes
    are shown; only users who keep the Party registers somewhere get any (deny by default)."""
    from .choices import MEMBER_HOLDING_TYPES
    from .permissions import PARTY_WRITER_ROLES

    if not any(g.role in PARTY_WRITER_ROLES for g in get_scope(user).grants):
        return Organization.objects.none()
    return Organization.objects.filter(dissolved_on__isnull=True, org_type__in=MEMBER_HOLDING_TYPES).order_by("code")
