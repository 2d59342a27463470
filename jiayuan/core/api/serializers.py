"""JSON shape of an audit entry (django-auditlog's LogEntry)."""

from __future__ import annotations

from auditlog.models import LogEntry
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.core.audit import ACTION_CODES


class AuditEventSerializer(serializers.ModelSerializer):
    """Who did what to which row, from where and in which request (``cid``). Values of personal
    numbers appear masked only: the plain and encrypted columns are never logged."""

    action = serializers.SerializerMethodField()
    actor = serializers.SerializerMethodField()
    model = serializers.SerializerMethodField()
    object_id = serializers.CharField(source="object_pk", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = LogEntry
        fields = [
            "id", "timestamp", "action", "actor", "model", "object_id", "object_repr", "changes",
            "additional_data", "remote_addr", "cid",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=list(ACTION_CODES.values())))
    def get_action(self, obj) -> str:
        return ACTION_CODES.get(obj.action, str(obj.action))

    def get_actor(self, obj) -> str | None:
        return obj.actor.username if obj.actor_id else None

    def get_model(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @extend_schema_field(serializers.DictField(child=serializers.JSONField()))
    def get_changes(self, obj) -> dict:
        return obj.changes_dict


class AuditEventFilterSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ACTION_CODES.values()), required=False)
    model = serializers.CharField(required=False, help_text='"app_label.model", e.g. residents.resident')
    object_id = serializers.CharField(required=False)
    actor = serializers.CharField(required=False, help_text="Username of the actor.")
