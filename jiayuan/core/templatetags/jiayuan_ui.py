"""Small template helpers for the server-rendered pages: role labels, percentages, paging
links that keep the filters, and a grid boundary drawn as inline SVG (no map tiles: the
platform must work offline)."""

from __future__ import annotations

import math

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """``grid_worker`` → 网格员 (in the active language)."""
    try:
        return Role(code).label
    except ValueError:
        return code or ""


@register.simple_tag
def percent(part, total) -> int:
    """Whole-number share; 0 when there is nothing to count."""
    try:
        return round(100 * int(part) / int(total)) if int(total) else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``page`` for paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else "?"


@register.filter
def completeness_class(value) -> str:
    """Bootstrap colour for a completeness percentage."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return "secondary"
    if value >= 100:
        return "success"
    if value >= 80:
        return "info"
    if value >= 50:
        return "warning"
    return "danger"


def _rings(boundary) -> list[list]:
    if not isinstance(boundary, dict):
        return []
    coords = boundary.get("coordinates") or []
    if boundary.get("type") == "Polygon":
        return [coords[0]] if coords else []
    if boundary.get("type") == "MultiPolygon":
        return [poly[0] for poly in coords if poly]
    return []


@register.simple_tag
def boundary_svg(boundary, size: int = 240):
    """Draw a GeoJSON Polygon/MultiPolygon as an inline SVG outline, north up.

    Longitudes are scaled by cos(latitude) so the shape keeps its proportions at the grid's
    latitude; good enough for a neighbourhood-sized polygon.
    """
    rings = _rings(boundary)
    points = [pt for ring in rings for pt in ring]
    if not points:
        return ""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    min_x, max_x = min(lons) * k, max(lons) * k
    min_y, max_y = min(lats), max(lats)
    span = max(max_x - min_x, max_y - min_y) or 1e-9
    pad = 8
    scale = (size - 2 * pad) / span
    # Centre the shape in the square box.
    off_x = pad + (size - 2 * pad - (max_x - min_x) * scale) / 2
    off_y = pad + (size - 2 * pad - (max_y - min_y) * scale) / 2

    def xy(pt):
        return f"{off_x + (pt[0] * k - min_x) * scale:.1f},{off_y + (max_y - pt[1]) * scale:.1f}"

    polygons = format_html_join(
        "", '<polygon points="{}" class="grid-shape"></polygon>', ((" ".join(xy(p) for p in ring),) for ring in rings)
    )
    return format_html(
        '<svg class="grid-boundary" viewBox="0 0 {s} {s}" width="{s}" height="{s}" role="img" aria-label="{label}">'
        "{polygons}</svg>",
        s=size,
        label=_("Grid boundary"),
        polygons=polygons,
    )


@register.filter
def human_join(values) -> str:
    """Join a list with the language's enumeration comma (、 in Chinese)."""
    return _(", ").join(str(v) for v in values or [])
