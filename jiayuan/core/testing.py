"""Helpers shared by the test suites of every app (kept out of conftest so they can be imported)."""

from auditlog.models import LogEntry

from jiayuan.residents.models import Household, Resident, ResidentMove, ResidentTag
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place


def unit_in(grid: Place, n: int = 0) -> Place:
    """The n-th unit (单元) inside a grid, by code."""
    return Place.objects.filter(kind=PlaceKind.UNIT, code__startswith=grid.code).order_by("code")[n]


def registry_counts() -> dict[str, int]:
    """Rows that must not move when a request is refused."""
    return {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "tags": ResidentTag.objects.count(),
        "moves": ResidentMove.objects.count(),
        "log_entries": LogEntry.objects.count(),
    }
