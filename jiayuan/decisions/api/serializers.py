from __future__ import annotations

from rest_framework import serializers

from ..choices import DecisionAction, StageCode
from ..models import DecisionMatter, DecisionStage, Notice, Objection


class MeetingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    meeting_type = serializers.CharField()
    held_on = serializers.DateField(allow_null=True)
    organization = serializers.CharField(source="organization.name")


class VoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    method = serializers.CharField()
    eligible = serializers.IntegerField()
    present = serializers.IntegerField(allow_null=True)
    votes_cast = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    quorum_ratio = serializers.DecimalField(max_digits=4, decimal_places=3)
    majority_ratio = serializers.DecimalField(max_digits=4, decimal_places=3)
    result = serializers.CharField()


class ResidentVoteSerializer(serializers.Serializer):
    """A resident vote (stage 4 and resident meetings): counts of those present and, for a
    dual-ballot vote (002 L185), the household ballot totals and the representatives' own result."""

    id = serializers.IntegerField()
    question = serializers.CharField()
    method = serializers.SerializerMethodField()
    classification = serializers.CharField()
    classification_reason = serializers.CharField()
    eligible = serializers.IntegerField(source="meeting.eligible", allow_null=True)
    present = serializers.IntegerField(source="meeting.present", allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    dual_ballot = serializers.BooleanField(source="is_dual_ballot")
    household_ballots = serializers.SerializerMethodField()
    quorum_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    quorum_inclusive = serializers.BooleanField()
    majority_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    household_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    status = serializers.CharField()
    representatives_result = serializers.CharField()
    result = serializers.CharField()
    matter = serializers.IntegerField(source="matter_id", allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_method(self, obj) -> str:
        return "dual_ballot" if obj.is_dual_ballot else "representatives"

    def get_household_ballots(self, obj) -> dict | None:
        if not obj.is_dual_ballot:
            return None
        counts = obj.household_counts
        return {**counts, "cast": sum(counts.values())}


class ResidentMeetingBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    meeting_type = serializers.CharField(source="kind")
    held_on = serializers.DateField(allow_null=True)
    organization = serializers.CharField(source="place.name")


class StageSerializer(serializers.ModelSerializer):
    meeting = serializers.SerializerMethodField()
    vote = serializers.SerializerMethodField()
    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = DecisionStage
        fields = ["stage", "stage_label", "result", "decided_at", "meeting", "vote"]

    def get_meeting(self, obj) -> dict | None:
        if obj.resident_vote_id:
            return ResidentMeetingBriefSerializer(obj.resident_vote.meeting).data
        return MeetingBriefSerializer(obj.meeting).data if obj.meeting_id else None

    def get_vote(self, obj) -> dict | None:
        """Stages 1-3: the Party motion; stage 4: the residents' vote (with household ballots)."""
        if obj.resident_vote_id:
            return ResidentVoteSerializer(obj.resident_vote).data
        return VoteSerializer(obj.motion).data if obj.motion_id else None


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "author_name", "text", "filed_on", "answer", "answered_on"]


class NoticeSerializer(serializers.ModelSerializer):
    objections = ObjectionSerializer(many=True)

    class Meta:
        model = Notice
        fields = ["id", "text", "published_on", "ends_on", "objections"]


class DecisionSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.code")
    category_label = serializers.CharField()
    is_overdue = serializers.BooleanField(default=False)

    class Meta:
        model = DecisionMatter
        fields = ["id", "place", "category", "category_label", "title", "status", "rejected_at_stage",
                  "result_due_on", "is_overdue", "version", "created_at"]


class DecisionDetailSerializer(DecisionSerializer):
    stages = StageSerializer(many=True)
    notices = NoticeSerializer(many=True)
    result = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "necessity", "principles", "timing", "area", "funds",
                  "funds_source", "funds_allocation", "stages", "notices", "result", "available_actions"]

    def get_result(self, obj) -> dict | None:
        r = getattr(obj, "result", None)
        return None if r is None else {"text": r.text, "published_on": r.published_on, "due_on": r.due_on}

    def get_available_actions(self, obj) -> list[str]:
        return self.context.get("available_actions", [])


class DecisionTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=DecisionAction.choices)
    version = serializers.IntegerField(required=False)
    stage = serializers.ChoiceField(choices=StageCode.choices, required=False)
    motion = serializers.IntegerField(required=False)
    resident_vote = serializers.IntegerField(required=False)
    objection = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False, allow_blank=True)
    author_name = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)


class DecisionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
