"""Open311 GeoReport v2 (``/open311/v2/``), JSON only; see ``views`` for the endpoints."""
