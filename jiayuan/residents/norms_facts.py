"""Facts of the residents register for the rulebook (:mod:`jiayuan.norms.facts`).

``territory.households``: how many households and living residents an area has — the base of
the per-household and per-person rules (20 m² per 100 households, 30 yuan a household, 003 L309
and L335). The register keeps the present state only, so the counts are as of now whatever the
window. Two queries per call.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jiayuan.norms.facts import Evidence, Facts, fact

from .choices import ResidentStatus
from .models import Household, Resident

# GB/T 4762 codes counted as Party members: full (中共党员) and probationary (中共预备党员).
MEMBER_POLITICAL_STATUSES = ("01", "02")


def household_count(code: str) -> int:
    """Households registered under a territory code (households have no status: all count)."""
    return Household.objects.filter(territory_code__startswith=code).count()


def resident_count(code: str) -> int:
    return Resident.objects.filter(territory_code__startswith=code, status=ResidentStatus.ACTIVE).count()


def member_count(code: str) -> int:
    """Living residents whose political status is CPC member or probationary member."""
    return Resident.objects.filter(
        territory_code__startswith=code, status=ResidentStatus.ACTIVE, political_status__in=MEMBER_POLITICAL_STATUSES
    ).count()


@fact("territory.households", subjects=("community", "street", "district", "grid"))
def households(subject, window, ctx) -> Facts:
    n_households, n_residents = household_count(subject.code), resident_count(subject.code)
    evidence = Evidence(
        label=_("{name}: {households} households, {residents} residents in the residents register").format(
            name=subject.name, households=n_households, residents=n_residents),
        url=reverse("place_detail", args=[subject.code]),
        date=window.end,
        value=n_households,
    )
    return Facts(items=[evidence], values={"households": n_households, "residents": n_residents})
