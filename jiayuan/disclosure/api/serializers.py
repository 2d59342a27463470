from rest_framework import serializers

from ..masking import mask_personal
from ..models import DisclosureItem


class DisclosureItemSerializer(serializers.ModelSerializer):
    """One item; for a reader without staff scope the texts are masked (:mod:`..masking`)."""

    community = serializers.CharField(source="territory_code", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = DisclosureItem
        fields = ["id", "community", "community_name", "section", "timing", "kind", "title", "body", "publisher",
                  "status", "published_on", "expires_on", "version", "supersedes", "change_note", "withdrawn_on",
                  "withdrawn_reason"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("public"):
            for key in ("title", "body", "publisher", "change_note", "withdrawn_reason"):
                data[key] = mask_personal(data[key])
        return data
