"""Facts of the Party registers for the rulebook (:mod:`jiayuan.norms.facts`), and the subject
resolver that lets the rulebook judge one organization (``?subject=P…``).

Contracts are in ``norms/rules/facts.toml``. A subject is a place (the community and everything
in it) or, through :func:`organization_subject`, one organization: then ``subject.obj`` is the
organization and the facts count that organization and the ones below it only. Each provider
runs a fixed number of queries whatever the window.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from jiayuan.norms.facts import Evidence, Facts, Subject, fact, subject_resolver
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .choices import MemberCategory, OrgType, PostStage, TransferStatus
from .models import Applicant, Election, Member, MemberPost, Organization, Transfer

# The community's own Party organization (N-ORG-01, 003 L291): a branch, general branch or
# committee set up for the community itself (not a stationed unit's or a compound's branch).
COMMUNITY_ORG_TYPES = (
    OrgType.PARTY_COMMITTEE, OrgType.GENERAL_PARTY_BRANCH, OrgType.PARTY_BRANCH, OrgType.JOINT_PARTY_COMMITTEE,
    OrgType.GRAND_PARTY_COMMITTEE,
)


@subject_resolver
def organization_subject(code: str) -> Subject | None:
    """``P`` + 14 digits names an organization; it is judged by the community rules, with the
    Party facts narrowed to it and the organizations under it."""
    if not (code.startswith("P") and code[1:].isdigit()):
        return None
    org = Organization.objects.select_related("place").filter(code=code).first()
    if org is None:
        return None
    community = Place.objects.filter(code=org.territory_code[:12], kind=PlaceKind.COMMUNITY).first()
    if community is None:
        return None
    return Subject(kind="community", code=org.territory_code, name=org.name, place=community, obj=org)


def org_filter(subject: Subject, prefix: str = "") -> Q:
    """Rows of the subject: of its organization and those below (two levels: branches under a
    general branch, groups under a branch), or of every organization in its area."""
    org = subject.obj if isinstance(subject.obj, Organization) else None
    if org is None:
        return Q(**{f"{prefix}territory_code__startswith": subject.code})
    return (
        Q(**{f"{prefix}pk": org.pk})
        | Q(**{f"{prefix}parent_id": org.pk})
        | Q(**{f"{prefix}parent__parent_id": org.pk})
    )


def _org_url(org: Organization) -> str:
    return f"/party/organizations/{org.code}/"


@fact("party.organizations")
def organizations(subject, window, ctx) -> Facts:
    """Organizations of ``args.org_type`` in the subject's area existing at window end. One query."""
    kind = ctx.get("org_type")
    qs = Organization.objects.filter(org_filter(subject)).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=window.end),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=window.end),
    )
    if kind == "community_party_org":
        # the community's own: not a branch under another organization of the same community
        qs = qs.filter(org_type__in=COMMUNITY_ORG_TYPES, place__kind=PlaceKind.COMMUNITY).filter(
            Q(parent__isnull=True) | ~Q(parent__territory_code__startswith=subject.code[:12])
        )
    elif kind in OrgType.values:
        qs = qs.filter(org_type=kind)
    else:
        raise ValueError(f"party.organizations needs args.org_type; got {kind!r}")
    items = [
        Evidence(label=o.name, url=_org_url(o), date=o.founded_on, value=o.get_org_type_display())
        for o in qs.order_by("code")
    ]
    return Facts(items=items, values={"count": len(items)})


@fact("party.election")
def election(subject, window, ctx) -> Facts:
    """The last election of the community's own organization on or before window end. One query."""
    qs = Election.objects.filter(held_on__lte=window.end).select_related("organization")
    if isinstance(subject.obj, Organization):
        qs = qs.filter(organization=subject.obj)
    else:
        qs = qs.filter(
            organization__territory_code=subject.code, organization__org_type__in=COMMUNITY_ORG_TYPES,
            organization__place__kind=PlaceKind.COMMUNITY,
        )
    last = qs.order_by("-held_on", "-id").first()
    if last is None:
        return Facts(values={"elected_on": None})
    item = Evidence(
        label=_("{org}: election of {date}").format(org=last.organization.name, date=last.held_on.isoformat()),
        url=_org_url(last.organization) + "#elections", date=last.held_on, value=last.term_end,
    )
    return Facts(items=[item], values={"elected_on": last.held_on})


@fact("party.recruitment")
def recruitment(subject, window, ctx) -> Facts:
    """People who entered ``args.stage`` (activist or development candidate) in the window. One query."""
    stage = ctx.get("stage")
    field = {"activist": "activist_on", "development_candidate": "candidate_on"}.get(stage)
    if field is None:
        raise ValueError(f"party.recruitment needs args.stage activist|development_candidate; got {stage!r}")
    qs = Applicant.objects.filter(org_filter(subject, "organization__")).filter(
        **{f"{field}__gte": window.start, f"{field}__lte": window.end}
    )
    items = [
        Evidence(label=a.full_name, url=f"/party/applicants/{a.pk}/", date=getattr(a, field))
        for a in qs.order_by(field, "id")
    ]
    return Facts(items=items, values={"count": len(items)})


@fact("party.members_without_post")
def members_without_post(subject, window, ctx) -> Facts:
    """Members without post (无职党员) as of window end and how many of them hold no post
    (设岗定责, 002 L97). Two queries."""
    # categories is a JSON list; SQLite has no JSON "contains", and a community's members are a
    # few hundred rows, so the filter runs here on one query's rows.
    members = [
        m
        for m in Member.objects.filter(org_filter(subject, "organization__"))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=window.end))
        .only("id", "full_name", "categories")
        .order_by("full_name", "id")
        if MemberCategory.WITHOUT_POST in (m.categories or [])
    ]
    held = {
        p.member_id: p.title
        for p in MemberPost.objects.filter(member__in=[m.pk for m in members], claimed_on__lte=window.end)
        .exclude(stage=PostStage.DESIGNED)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=window.end))
    }
    items = [Evidence(label=m.full_name, url=f"/party/members/{m.pk}/", value=held.get(m.pk)) for m in members]
    return Facts(items=items, values={"members": len(members), "without_post": sum(1 for m in members if m.pk not in held)})


@fact("party.transfers")
def transfers(subject, window, ctx) -> Facts:
    """Transfers started in the window from or to the subject: start = requested, done =
    received (None while pending). One query."""
    if isinstance(subject.obj, Organization):
        q = Q(from_org=subject.obj) | Q(to_org=subject.obj)
    else:
        q = Q(territory_code__startswith=subject.code) | Q(to_territory_code__startswith=subject.code)
    qs = Transfer.objects.filter(q, requested_on__gte=window.start, requested_on__lte=window.end).select_related("member")
    items = [
        Evidence(
            label=_("{member}: {from_} → {to}").format(member=t.member.full_name, from_=t.from_label, to=t.to_label),
            url=f"/party/transfers/{t.pk}/", date=t.requested_on, start=t.requested_on,
            done=t.received_on if t.status == TransferStatus.RECEIVED else None,
        )
        for t in qs.select_related("from_org", "to_org").order_by("requested_on", "id")
    ]
    return Facts(items=items, values={"count": len(items)})
