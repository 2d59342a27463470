"""Open311 GeoReport v2 shapes: the POST input (form-encoded, multipart or JSON) and the
representation of services, requests and the status history (an extension).

Which fields a caller gets depends on who asks (``full``): anybody gets the public ones —
number, status, service, responsible agency, dates and the community or grid; a staff token
whose area covers the case also gets the title and description, the public notes, the free-text
location and the coordinates. Never the reporter's name or phone (not even masked).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from ..choices import OPEN_STATES, CaseKind, RoutingTarget
from ..models import Case, CaseEvent


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATES else "closed"


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    end = dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return end.isoformat(timespec="seconds")


def service_dict(category) -> dict:
    kinds = [k for k in category.kinds if k in CaseKind.values]
    return {
        "service_code": category.code, "service_name": category.label,
        "description": f"{category.label_zh} · {category.label_en}", "metadata": False, "type": "realtime",
        "keywords": ",".join(kinds), "group": CaseKind(kinds[0]).label if kinds else "",
    }


def request_dict(case: Case, *, full: bool, notes: str = "") -> dict:
    agency = case.assignee_target or case.level
    agency_label = RoutingTarget(agency).label if agency in RoutingTarget.values else agency
    address = case.place.name if case.place_id else ""
    if full and case.location:
        address = f"{address} {case.location}".strip()
    return {
        "service_request_id": case.tracking_no,
        "status": open311_status(case.status),
        "status_notes": notes if full and notes else case.get_status_display(),
        "service_name": case.category_label,
        "service_code": case.category,
        "description": (f"{case.title}\n{case.description}".strip() if full else ""),
        "agency_responsible": str(agency_label),
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.due_on),
        "address": address,
        "address_id": case.place.code if case.place_id else "",
        "zipcode": "",
        "lat": float(case.lat) if full and case.lat is not None else None,
        "long": float(case.lng) if full and case.lng is not None else None,
        "media_url": "",
        # extensions
        "jiayuan_status": case.status,
        "jiayuan_kind": case.kind,
    }


def history_dict(event: CaseEvent, *, full: bool) -> dict:
    return {
        "event": event.kind, "event_name": event.get_kind_display(),
        "status": open311_status(event.to_status) if event.to_status else None,
        "jiayuan_status": event.to_status or None,
        "at": _iso(event.at), "note": event.comment if full else "",
    }


class RequestCreateSerializer(serializers.Serializer):
    """POST requests.json. ``address_id`` is the code of a community or grid (required: our
    places are the territory codes); ``kind`` and ``title`` are extensions (default: the service's
    first resident kind, the start of the description); files may be sent as ``media``
    (multipart, JPEG/PNG/WebP/PDF); ``media_url`` is accepted but not fetched."""

    service_code = serializers.CharField(max_length=32)
    address_id = serializers.CharField(max_length=24)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    address_string = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=32)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=32)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    device_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    account_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    media_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    kind = serializers.ChoiceField(required=False, choices=[])
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def __init__(self, *args, **kwargs):
        from ..choices import RESIDENT_KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [k.value for k in RESIDENT_KINDS]
