"""Small helpers of the Party pages: category labels, dues cells."""

from django import template

from jiayuan.party.choices import MemberCategory

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    try:
        return MemberCategory(code).label
    except ValueError:
        return code or ""
