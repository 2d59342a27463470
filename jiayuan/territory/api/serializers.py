"""JSON shapes of places and grids."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import PlaceKind
from ..models import Place


class PlaceSerializer(serializers.ModelSerializer):
    """A node of the territory tree. Places above the user's own appear too (names, for the
    breadcrumb), never places beside it."""

    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Place
        fields = ["id", "code", "name", "kind", "parent_code", "address", "boundary"]
        read_only_fields = fields


class GridSerializer(serializers.ModelSerializer):
    """A grid with its workers and how complete its residents' records are. The counts come from
    ``context["stats"]`` (one grouped query per page, see the view)."""

    community_code = serializers.CharField(source="parent.code", read_only=True)
    community_name = serializers.CharField(source="parent.name", read_only=True)
    workers = serializers.SerializerMethodField(help_text="Usernames of the grid's workers.")
    resident_count = serializers.SerializerMethodField(help_text="Living residents.")
    complete_count = serializers.SerializerMethodField(help_text="Living residents with a complete record.")
    completeness_percent = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = [
            "id", "code", "name", "community_code", "community_name", "boundary", "workers", "resident_count",
            "complete_count", "completeness_percent",
        ]
        read_only_fields = fields

    def _stats(self, obj) -> dict:
        return self.context.get("stats", {}).get(obj.code, {"total": 0, "complete": 0, "percent": 0})

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_workers(self, obj) -> list[str]:
        return [a.user.username for a in getattr(obj, "worker_assignments", [])]

    def get_resident_count(self, obj) -> int:
        return self._stats(obj)["total"]

    def get_complete_count(self, obj) -> int:
        return self._stats(obj)["complete"]

    def get_completeness_percent(self, obj) -> int:
        return self._stats(obj)["percent"]


class PlaceFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False)
    parent = serializers.CharField(required=False, help_text="Code of the parent place.")
    q = serializers.CharField(required=False, help_text="Part of the name, or the start of the code.")
