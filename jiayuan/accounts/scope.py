"""What a user may see and change, computed once per request from their role assignments.

Deny by default (NetBox ``RestrictedQuerySet``): a user with no assignment gets empty lists and
404s. Every selector passes its queryset through :meth:`Scope.filter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .choices import REVEALER_ROLES, ROLE_MAX_SENSITIVITY, WRITER_ROLES, Role, Sensitivity


@dataclass(frozen=True)
class Grant:
    """One role over one territory subtree; ``code`` "" means the whole territory (admin)."""

    role: str
    code: str
    place_id: int | None = None

    def covers(self, territory_code: str) -> bool:
        return territory_code.startswith(self.code)


@dataclass
class Scope:
    user_id: int | None
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    # -- who --------------------------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles - {Role.RESIDENT})

    @property
    def primary(self) -> Grant | None:
        """The widest grant, used to pick the home page."""
        order = [Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.COMMUNITY_SECRETARY,
                 Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.RESIDENT]
        for role in order:
            for g in self.grants:
                if g.role == role:
                    return g
        return None

    # -- reading ----------------------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        """Minimal set of prefixes covering every grant (a prefix inside another is dropped)."""
        codes = sorted({g.code for g in self.grants})
        kept: list[str] = []
        for c in codes:
            if not any(c.startswith(k) for k in kept):
                kept.append(c)
        return kept

    def q(self, field_name: str = "territory_code") -> Q:
        codes = self.codes
        if not codes:
            return Q(pk__in=[])
        if "" in codes:
            return Q()
        query = Q()
        for c in codes:
            query |= Q(**{f"{field_name}__startswith": c})
        return query

    def filter(self, qs: QuerySet, field_name: str = "territory_code") -> QuerySet:
        if not self.grants:
            return qs.none()
        return qs.filter(self.q(field_name))

    def covers(self, territory_code: str) -> bool:
        return any(g.covers(territory_code) for g in self.grants)

    # -- acting -----------------------------------------------------------------------------
    def can_write(self, territory_code: str) -> bool:
        return any(g.role in WRITER_ROLES and g.covers(territory_code) for g in self.grants)

    def can_reveal(self, territory_code: str) -> bool:
        return any(g.role in REVEALER_ROLES and g.covers(territory_code) for g in self.grants)

    def max_sensitivity(self, territory_code: str) -> int:
        levels = [ROLE_MAX_SENSITIVITY[g.role] for g in self.grants if g.covers(territory_code)]
        return max(levels, default=0)

    def sees_tag_level(self, territory_code: str, level: int) -> bool:
        return level <= self.max_sensitivity(territory_code)

    @property
    def widest_sensitivity(self) -> int:
        return max((ROLE_MAX_SENSITIVITY[g.role] for g in self.grants), default=Sensitivity.NORMAL)


def build_scope(user) -> Scope:
    if not user or not user.is_authenticated or not user.is_active:
        return Scope(user_id=None)
    grants: list[Grant] = []
    for ra in user.role_assignments.select_related("place"):
        if ra.role == Role.ADMIN:
            grants.append(Grant(Role.ADMIN, ""))
        elif ra.role == Role.RESIDENT:
            profile = getattr(user, "resident_profile", None)
            if profile is not None and profile.territory_code:
                # A resident sees their own household (or themselves if not in one).
                code = profile.household.territory_code if profile.household_id else profile.territory_code
                grants.append(Grant(Role.RESIDENT, code))
        elif ra.place is not None:
            grants.append(Grant(ra.role, ra.place.code, ra.place_id))
    if user.is_superuser and not any(g.role == Role.ADMIN for g in grants):
        grants.append(Grant(Role.ADMIN, ""))
    return Scope(user_id=user.pk, grants=tuple(grants))


def get_scope(user) -> Scope:
    """The user's scope, computed once and kept on the user object for the request."""
    cached = getattr(user, "_jiayuan_scope", None)
    if cached is None:
        cached = build_scope(user)
        try:
            user._jiayuan_scope = cached
        except AttributeError:  # AnonymousUser is fine to recompute
            pass
    return cached


def require_staff_role(user) -> None:
    """Staff-only pages (the Party registers, disputes, emergencies) do not exist for residents
    and users without a role: they get 404, as for a record outside their area."""
    if not get_scope(user).is_staff_role:
        from django.http import Http404

        raise Http404
