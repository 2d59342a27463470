"""Users and the roles they hold over parts of the territory."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import TimeStampedModel

from .choices import Role


class User(AbstractUser):
    """A person who signs in. What they may see and do comes only from their role assignments
    (deny by default): a user with no assignment sees nothing."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RoleAssignment(TimeStampedModel):
    """A role held over one place and everything below it (its territory subtree).

    Grid workers are assigned to a grid this way, so "who works this grid" has one source of
    truth. The resident role is scoped to the resident's own household instead of a place.
    The administrator role needs no place: it covers the whole territory.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    place = models.ForeignKey(
        "territory.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "place"], name="unique_role_assignment"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.place or '*'}"

    def clean(self):
        if self.role not in (Role.ADMIN, Role.RESIDENT) and self.place_id is None:
            raise ValidationError({"place": _("This role needs a place.")})
        if self.role == Role.GRID_WORKER and self.place and self.place.kind != "grid":
            raise ValidationError({"place": _("A grid worker is assigned to a grid.")})
