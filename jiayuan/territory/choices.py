from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    """Levels of the territory tree; each adds digits to its parent's code (architecture.md §5)."""

    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    BUILDING = "building", _("Building")
    UNIT = "unit", _("Unit")


# How many digits each level adds to its parent's code, and which kind may be its parent.
CODE_LENGTH = {
    PlaceKind.DISTRICT: 6,  # GB/T 2260 county-level code
    PlaceKind.STREET: 9,  # + 3 (GB/T 10114)
    PlaceKind.COMMUNITY: 12,  # + 3 (统计用区划代码)
    PlaceKind.GRID: 15,  # + 3
    PlaceKind.BUILDING: 18,  # + 3
    PlaceKind.UNIT: 20,  # + 2
}
PARENT_KIND = {
    PlaceKind.DISTRICT: None,
    PlaceKind.STREET: PlaceKind.DISTRICT,
    PlaceKind.COMMUNITY: PlaceKind.STREET,
    PlaceKind.GRID: PlaceKind.COMMUNITY,
    PlaceKind.BUILDING: PlaceKind.GRID,
    PlaceKind.UNIT: PlaceKind.BUILDING,
}
CHILD_KIND = {v: k for k, v in PARENT_KIND.items() if v}
# A household (room) code adds 4 digits to its unit's code.
HOUSEHOLD_CODE_LENGTH = 24
