"""The territory browser: from the places a user holds a role over down to the households of a
unit. Places above the user's area appear by name only (breadcrumb); their children are limited
to the user's area by the selectors."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from jiayuan.residents import selectors as residents
from jiayuan.territory import selectors

from .choices import PlaceKind


@login_required
def place_roots(request):
    roots = selectors.place_roots(user=request.user)
    rows = residents.place_counts(user=request.user, places=roots)
    return render(request, "territory/place_roots.html", {"nav": "places", "rows": rows})


@login_required
def place_detail(request, code: str):
    """One place with its children and their counts. A grid adds its workers and boundary; a
    unit lists its households. Places outside the user's area are 404 (place_get)."""
    user = request.user
    place = selectors.place_get(user=user, code=code)
    in_scope = selectors.place_is_in_scope(user=user, place=place)
    context = {
        "nav": "places",
        "place": place,
        "in_scope": in_scope,
        "breadcrumb": selectors.place_breadcrumb(place)[:-1],
        "rows": [],
    }
    if place.kind == PlaceKind.UNIT:
        context["households"] = residents.household_list(user=user, filters={"unit": place.pk}) if in_scope else []
    else:
        children = selectors.place_list(user=user, parent=place).select_related("responsible_worker")
        context["rows"] = residents.place_counts(user=user, places=children)
    if place.kind == PlaceKind.GRID and in_scope:
        # The grid worker's page: who lives here, first page inline (same partial as /residents/).
        filters = {"place": place.code}
        page = Paginator(residents.resident_list(user=user, filters=filters), 50).get_page(request.GET.get("page"))
        context["filters"] = filters
        context["page_obj"] = page
        context["resident_rows"] = [(r, residents.visible_tags(user=user, resident=r)) for r in page]
        context["workers"] = list(selectors.grid_workers(place))
        context["boundary_json"] = json.dumps(place.boundary, ensure_ascii=False, indent=1) if place.boundary else ""
    if in_scope:
        context["summary"] = residents.place_counts(user=user, places=[place])[0]
    return render(request, "territory/place_detail.html", context)
