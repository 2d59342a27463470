from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of architecture.md §1, from the resident up to the system administrator."""

    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    COMMUNITY_SECRETARY = "community_secretary", _("Community Party secretary")
    STREET_STAFF = "street_staff", _("Street staff")
    DISTRICT_STAFF = "district_staff", _("District staff")
    ADMIN = "admin", _("System administrator")


class Sensitivity(models.IntegerChoices):
    """How sensitive a special-group tag is; a role sees tags up to its level."""

    NORMAL = 1, _("Normal")
    SENSITIVE = 2, _("Sensitive")
    RESTRICTED = 3, _("Restricted")


# The highest tag sensitivity each role may see. Restricted tags (released prisoners, community
# correction, drug rehabilitation, severe mental illness) are for the secretary, who leads the
# community's comprehensive-management work, and the street/district staff who supervise it.
ROLE_MAX_SENSITIVITY = {
    Role.RESIDENT: Sensitivity.NORMAL,
    Role.GRID_WORKER: Sensitivity.SENSITIVE,
    Role.COMMUNITY_STAFF: Sensitivity.SENSITIVE,
    Role.COMMUNITY_SECRETARY: Sensitivity.RESTRICTED,
    Role.STREET_STAFF: Sensitivity.RESTRICTED,
    Role.DISTRICT_STAFF: Sensitivity.RESTRICTED,
    Role.ADMIN: Sensitivity.RESTRICTED,
}

# Roles that may create and change registry data (residents, households) inside their scope.
# Street and district staff supervise; they read, and change through the community.
WRITER_ROLES = {Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.ADMIN}

# Roles that may reveal full identity/phone numbers (with a stated purpose, logged).
REVEALER_ROLES = {
    Role.GRID_WORKER,
    Role.COMMUNITY_STAFF,
    Role.COMMUNITY_SECRETARY,
    Role.STREET_STAFF,
    Role.DISTRICT_STAFF,
    Role.ADMIN,
}
