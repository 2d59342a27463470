"""JSON shapes of meetings. Input serializers check types; the services check everything else
(the rules are the same for the API, the pages and the demo)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import AttendanceStatus, MeetingStatus, MeetingType
from ..models import Attendance, Meeting, Minutes


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting in a list."""

    organization = serializers.CharField(source="organization.code", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    has_minutes = serializers.BooleanField(read_only=True)
    has_signed_minutes = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "organization", "organization_name", "meeting_type", "title", "starts_at", "ends_at", "location",
            "agenda", "lecturer", "status", "held_on", "cancelled_reason", "territory_code", "attended_count",
            "has_minutes", "has_signed_minutes", "url", "created_at", "updated_at",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True)
    name = serializers.CharField(source="member.full_name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "name", "status", "reason", "method", "signed_in_at"]
        read_only_fields = fields


class MinutesSerializer(serializers.ModelSerializer):
    signed_off_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    addenda = serializers.SerializerMethodField()

    class Meta:
        model = Minutes
        fields = ["text", "decisions", "recorder_name", "signed_off_by", "signed_off_at", "addenda", "updated_at"]
        read_only_fields = fields

    def get_addenda(self, obj) -> list[str]:
        return [a.text for a in obj.addenda.all()]


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting with its attendance and minutes. The sign-in code is shown to writers only."""

    attendance = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    signin_code = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "signin_code", "attendance", "minutes"]
        read_only_fields = fields

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, obj) -> list[dict]:
        return AttendanceSerializer(self.context["attendance"], many=True).data if "attendance" in self.context else []

    @extend_schema_field(MinutesSerializer(allow_null=True))
    def get_minutes(self, obj) -> dict | None:
        minutes = self.context.get("minutes")
        return MinutesSerializer(minutes).data if minutes else None

    def get_signin_code(self, obj) -> str:
        return obj.signin_code if self.context.get("can_write") else ""


class MeetingFilterSerializer(serializers.Serializer):
    organization = serializers.CharField(required=False, help_text="Organization code (its own meetings and those "
                                                                    "of the organizations directly below it).")
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices, required=False)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, required=False)
    date_from = serializers.DateField(required=False, help_text="Starting on or after this day.")
    date_to = serializers.DateField(required=False, help_text="Starting on or before this day.")


class MeetingCreateSerializer(serializers.Serializer):
    organization = serializers.CharField(help_text="Organization code, e.g. P52037100100101.")
    meeting_type = serializers.ChoiceField(choices=MeetingType.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    lecturer = serializers.CharField(max_length=64, required=False, allow_blank=True)


class RollCallEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RollCallSerializer(serializers.Serializer):
    entries = RollCallEntrySerializer(many=True, allow_empty=False)


class HeldSerializer(serializers.Serializer):
    held_on = serializers.DateField()


class MinutesWriteSerializer(serializers.Serializer):
    text = serializers.CharField()
    decisions = serializers.CharField(required=False, allow_blank=True)
    recorder_name = serializers.CharField(max_length=64, required=False, allow_blank=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
