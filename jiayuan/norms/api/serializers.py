"""JSON shapes of the rulebook: rules, evaluation results, obligations and overrides."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from jiayuan.territory.models import Place

from .. import periods
from ..choices import Status
from ..evaluate import Result
from ..models import RuleOverride
from ..rulebook import KINDS, Rule


def _plain(value):
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value


def rule_data(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "source": rule.source,
        "quote": rule.quote,
        "title": rule.display_title(),
        "title_en": rule.title,
        "title_zh": rule.title_zh,
        "subject": rule.subject,
        "applies_to": list(rule.applies_to),
        "kind": rule.kind,
        "check": rule.check,
        "fact": rule.fact,
        "parameters": {
            name: {
                "default": _plain(p.default),
                "type": p.type,
                "label": p.display_label(),
                "min": _plain(p.min),
                "max": _plain(p.max),
                "choices": list(p.choices) or None,
            }
            for name, p in rule.params.items()
        },
        "responsible": list(rule.responsible),
        "note": rule.note,
    }


def result_data(result: Result) -> dict:
    return {
        "rule": result.rule.id,
        "source": result.rule.source,
        "title": result.rule.display_title(),
        "kind": result.rule.kind,
        "status": result.status,
        "colour": result.colour,
        "explanation": result.explanation,
        "evidence": [e.as_dict() for e in result.evidence],
        "due": result.due.isoformat() if result.due else None,
        "provisional": result.provisional,
        "parameters": {
            name: {
                "value": _plain(p.value),
                "default": _plain(p.default),
                "overridden_at": (p.override.territory_code or "*") if p.override else None,
            }
            for name, p in result.params.items()
        },
        "windows": [
            {
                "label": w.label,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "status": w.status,
                "explanation": w.explanation,
                "due": w.due.isoformat() if w.due else None,
            }
            for w in result.windows
        ],
    }


class ParameterSerializer(serializers.Serializer):
    default = serializers.JSONField()
    type = serializers.CharField()
    label = serializers.CharField()
    min = serializers.JSONField(allow_null=True)
    max = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField(), allow_null=True)


class RuleSerializer(serializers.Serializer):
    """A rule of the rulebook with its source in the seeds (``003 L297``) and the exact quote."""

    id = serializers.CharField()
    source = serializers.CharField(help_text="Seed file prefix and line(s), e.g. 003 L297.")
    quote = serializers.CharField(help_text="The seed's words, character for character.")
    title = serializers.CharField(help_text="In the request's language.")
    title_en = serializers.CharField()
    title_zh = serializers.CharField()
    subject = serializers.CharField()
    applies_to = serializers.ListField(child=serializers.CharField())
    kind = serializers.ChoiceField(choices=KINDS)
    check = serializers.CharField()
    fact = serializers.CharField()
    parameters = serializers.DictField(child=ParameterSerializer())
    responsible = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)


class RuleFilterSerializer(serializers.Serializer):
    section = serializers.RegexField(r"^[A-Z]{2,8}$", required=False, help_text="e.g. STD, MEET")
    q = serializers.CharField(required=False, max_length=100)


class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    date = serializers.DateField(allow_null=True)
    value = serializers.JSONField(allow_null=True)
    start = serializers.DateField(allow_null=True)
    done = serializers.DateField(allow_null=True)


class WindowSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    status = serializers.ChoiceField(choices=Status.choices)
    explanation = serializers.CharField()
    due = serializers.DateField(allow_null=True)


class EffectiveParameterSerializer(serializers.Serializer):
    value = serializers.JSONField()
    default = serializers.JSONField()
    overridden_at = serializers.CharField(allow_null=True, help_text="Territory code of the override in force.")


class ResultSerializer(serializers.Serializer):
    rule = serializers.CharField()
    source = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    colour = serializers.ChoiceField(choices=["green", "amber", "red", "grey"])
    evidence = EvidenceSerializer(many=True)
    explanation = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    parameters = serializers.DictField(child=EffectiveParameterSerializer())
    windows = WindowSerializer(many=True)


class SubjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ObligationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()
    window = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField()
    status = serializers.ChoiceField(choices=Status.choices)
    responsible = serializers.ListField(child=serializers.CharField())


class ObligationListSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    period = PeriodSerializer()
    obligations = ObligationSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    period = PeriodSerializer()
    counts = serializers.DictField(child=serializers.IntegerField())
    results = ResultSerializer(many=True)


class EvaluationQuerySerializer(serializers.Serializer):
    subject = serializers.RegexField(
        r"^[0-9A-Za-z_-]{1,32}$",
        required=False,
        help_text="Territory code (community, street, district) or organization code; default: the user's own.",
    )
    period = serializers.CharField(
        required=False, max_length=16, help_text="2026, 2026-H2, 2026-Q3 or 2026-07; default: this quarter."
    )

    def validate_period(self, value):
        try:
            return periods.parse_period(value)
        except periods.PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from None


class OverrideSerializer(serializers.ModelSerializer):
    """A parameter of a rule set to another value for a place and below it (who, when, why)."""

    place = serializers.SerializerMethodField()
    set_by = serializers.SerializerMethodField()
    set_at = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = RuleOverride
        fields = ["id", "rule_id", "parameter", "territory_code", "place", "value", "reason", "set_by", "set_at"]
        read_only_fields = fields

    def get_place(self, obj) -> str | None:
        return obj.place.name if obj.place else None

    def get_set_by(self, obj) -> str | None:
        return obj.set_by.display_name if obj.set_by else None


class OverrideWriteSerializer(serializers.Serializer):
    rule_id = serializers.CharField(max_length=32)
    parameter = serializers.CharField(max_length=32)
    place = serializers.RegexField(
        r"^\d{6,12}$", required=False, allow_null=True, help_text="District, street or community code; null: everywhere."
    )
    value = serializers.JSONField()
    reason = serializers.CharField(max_length=300)

    def validate_place(self, value):
        if value in (None, ""):
            return None
        place = Place.objects.filter(code=value).first()
        if place is None:
            raise serializers.ValidationError(_("No such place."))
        return place
