"""Writes to users and their roles. Role changes are audited (auditlog) like any registry data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiayuan.core.audit import acting_as

from .choices import Role
from .models import RoleAssignment, User
from .scope import get_scope


def user_create(*, actor, username: str, password: str, full_name: str = "", email: str = "") -> User:
    """Create a sign-in account. Only administrators create accounts; a new account has no role
    and so sees nothing until one is assigned."""
    if actor is not None and not get_scope(actor).is_admin:
        raise PermissionDenied(_("Only administrators create accounts."))
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic(), acting_as(actor):
        user.save()
    return user


def role_assign(*, actor, user: User, role: str, place=None) -> RoleAssignment:
    """Give a user a role over a place (and everything below it)."""
    if actor is not None and not get_scope(actor).is_admin:
        raise PermissionDenied(_("Only administrators assign roles."))
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    assignment = RoleAssignment(user=user, role=role, place=place)
    assignment.full_clean(validate_unique=False)
    with transaction.atomic(), acting_as(actor):
        assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, place=place)
    if hasattr(user, "_jiayuan_scope"):
        del user._jiayuan_scope
    return assignment
