"""Template helpers for the register pages (the navigation link depends on the role)."""

from django import template

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """The user holds a role that may write registry data (and so import registers)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from jiayuan.ledgers.views import may_import as allowed

    return allowed(user)
