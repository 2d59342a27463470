"""JSON shapes of cases. Input serializers check types; the services check everything else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import CaseAction, CaseChannel, CaseKind, CaseLevel, CaseStatus, RoutingTarget, Visibility
from ..models import Case, CaseAttachment, CaseEvent


class CaseSerializer(serializers.ModelSerializer):
    """A case in a list. ``due_at`` is the current state's deadline (a date: deadlines are in
    working days); the reporter's phone is the masked one."""

    place = serializers.CharField(source="place.code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    category_label = serializers.CharField(read_only=True)
    due_at = serializers.DateField(source="due_on", read_only=True, allow_null=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assignee_user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assignee_place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reporter_phone = serializers.CharField(source="reporter_phone_masked", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "tracking_no", "kind", "category", "category_label", "channel", "title", "description", "place",
            "place_name", "territory_code", "location", "lat", "lng", "reporter_name", "reporter_phone", "status",
            "level", "owner", "assignee_target", "assignee_place", "assignee_user", "received_at", "reply_due_on",
            "replied_on", "due_at", "overdue", "deadline_provisional", "resolved_on", "closed_on", "rating",
            "satisfied", "merged_into", "version", "url", "updated_at",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "actor", "at", "comment", "visibility", "from_status", "to_status", "data"]
        read_only_fields = fields


class CaseAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseAttachment
        fields = ["id", "filename", "content_type", "size", "created_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case with the events the user may read and the actions the user may take now."""

    events = serializers.SerializerMethodField()
    attachments = CaseAttachmentSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()
    public_secret = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "events", "attachments", "available_actions", "public_secret"]
        read_only_fields = fields

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, obj) -> list[dict]:
        return CaseEventSerializer(self.context.get("events", []), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=CaseAction.choices)))
    def get_available_actions(self, obj) -> list[str]:
        return list(self.context.get("available_actions", []))

    def get_public_secret(self, obj) -> str:
        """The follow-up secret, only in the answer that created the case (never stored in clear)."""
        return getattr(obj, "public_secret", "") or ""


class CaseFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    category = serializers.CharField(required=False, max_length=32)
    channel = serializers.ChoiceField(choices=CaseChannel.choices, required=False)
    level = serializers.ChoiceField(choices=CaseLevel.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, max_length=32, help_text="Territory code prefix.")
    q = serializers.CharField(required=False, max_length=100, help_text="Title contains, or the tracking number.")


class CaseCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    category = serializers.CharField(max_length=32, help_text="A code of cases/categories.toml.")
    channel = serializers.ChoiceField(choices=CaseChannel.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    place = serializers.CharField(max_length=32, help_text="Territory code of the place (a grid, a community...).")
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=6,
                                        help_text="Photos (JPEG, PNG, WebP) or PDF, at most 6, 10 MB each "
                                                  "(multipart/form-data).")


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=CaseAction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       help_text="The version you read; a different current version is a 409.")
    target = serializers.ChoiceField(choices=RoutingTarget.choices, required=False, help_text="assign: the unit.")
    place = serializers.CharField(required=False, max_length=32, help_text="assign: territory code of the unit.")
    user = serializers.CharField(required=False, max_length=150, help_text="assign: username of the handler.")
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5, help_text="visit: 1 to 5.")
    satisfied = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="visit.")
    into = serializers.CharField(required=False, max_length=20, help_text="merge: id or tracking number of the "
                                                                           "case kept.")
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False, help_text="comment.")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
