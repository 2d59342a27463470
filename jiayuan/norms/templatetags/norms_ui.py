"""Template helpers of the rulebook pages: status badges and the user's language's labels."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..choices import Status

register = template.Library()

BADGE = {
    "met": "text-bg-success",
    "unmet": "text-bg-danger",
    "not_due": "text-bg-warning",
    "not_applicable": "text-bg-secondary",
    "not_evaluable": "text-bg-light border",
}
ICON = {"met": "✓", "unmet": "✗", "not_due": "…", "not_applicable": "–", "not_evaluable": "?"}


@register.filter
def status_badge(status: str):
    """A coloured badge with a symbol, so the state reads without colour too (accessibility)."""
    try:
        label = Status(status).label
    except ValueError:
        label = status
    return format_html(
        '<span class="badge {} status-badge" data-status="{}">{} {}</span>', BADGE.get(status, "text-bg-light"),
        status, ICON.get(status, ""), label
    )


@register.filter
def title_of(rule) -> str:
    return rule.display_title()


@register.filter
def label_of(obj) -> str:
    return obj.display_label()


@register.filter
def role_label_norms(code: str) -> str:
    from jiayuan.accounts.choices import Role

    try:
        return Role(code).label
    except ValueError:
        return code


@register.filter
def get_count(counts, key):
    return counts.get(key, 0)
