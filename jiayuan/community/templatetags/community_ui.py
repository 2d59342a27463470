"""The navigation link to the community registers: straight to the user's community when their
roles cover exactly one community and nothing wider, to the places browser when they cover
more (street, district, admin), none when they cover no community (residents, grid workers,
whose area lies below the community). Computed from the grants: no query."""

from django import template
from django.urls import reverse

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.territory.choices import CODE_LENGTH, PlaceKind

register = template.Library()

COMMUNITY_CODE_LENGTH = CODE_LENGTH[PlaceKind.COMMUNITY]


@register.simple_tag(takes_context=True)
def community_nav_url(context) -> str:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    grants = [g for g in get_scope(user).grants if g.role != Role.RESIDENT]
    if any(len(g.code) < COMMUNITY_CODE_LENGTH for g in grants):
        return reverse("place_roots")
    communities = {g.code for g in grants if len(g.code) == COMMUNITY_CODE_LENGTH}
    if len(communities) == 1:
        return reverse("community_registers", args=[communities.pop()])
    return reverse("place_roots") if communities else ""


@register.filter
def seat_age(seat, day) -> int | str:
    """The seat holder's age on ``day`` (whole years)."""
    try:
        return seat.age_on(day)
    except (AttributeError, TypeError):
        return ""
