"""Grid boundaries as GeoJSON (WGS 84). Validated by hand: PostGIS can come later."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _ring_ok(ring) -> bool:
    if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
        return False
    for pt in ring:
        if not (isinstance(pt, list | tuple) and len(pt) >= 2):
            return False
        lon, lat = pt[0], pt[1]
        if not all(isinstance(v, int | float) for v in (lon, lat)):
            return False
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
    return True


def validate_boundary(value) -> None:
    """Accept a GeoJSON Polygon or MultiPolygon with closed rings of valid coordinates."""
    msg = _("The boundary must be a GeoJSON Polygon or MultiPolygon with closed rings.")
    if not isinstance(value, dict):
        raise ValidationError(msg)
    kind, coords = value.get("type"), value.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(msg)
    for poly in polygons:
        if not isinstance(poly, list) or not poly or not all(_ring_ok(r) for r in poly):
            raise ValidationError(msg)
