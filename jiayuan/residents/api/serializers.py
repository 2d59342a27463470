"""JSON shapes of people and households.

Output carries masked numbers only (never the plain values, the ciphertext or the blind index)
and the special-group tags the reader may see. Input serializers check types and resolve ids
through the selectors (a household outside the user's scope is "does not exist", HTTP 400);
the services check everything else (identity checksum, birth date, codes, scope), so the rules
are the same for the API, the web forms and the commands.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiayuan.territory import selectors as territory_selectors
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .. import selectors
from ..choices import (
    EDUCATION_CHOICES,
    ETHNICITY_CHOICES,
    POLITICAL_STATUS_CHOICES,
    RELATION_CHOICES,
    EmploymentStatus,
    HardshipStatus,
    MoveKind,
    ResidenceType,
    ResidentStatus,
    Sex,
)
from ..models import Household, Resident

_DATETIME = serializers.DateTimeField()  # formats like the declared created_at/updated_at fields

# -- output ---------------------------------------------------------------------------------------


class ResidentSerializer(serializers.ModelSerializer):
    """A resident as the reader may see them."""

    household = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    grid_code = serializers.CharField(read_only=True)
    tags = serializers.SerializerMethodField(help_text="Codes of the special-group tags the reader may see.")

    class Meta:
        model = Resident
        fields = [
            "id", "name", "id_number_masked", "phone_masked", "sex", "birth_date", "ethnicity", "political_status",
            "residence_type", "education", "employment_status", "household", "relation_to_head", "grid_code",
            "territory_code", "tags", "completeness", "status", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, obj: Resident) -> list[str]:
        return [g.code for g in selectors.visible_tags(user=self.context["request"].user, resident=obj)]

    _plain = (
        "name", "id_number_masked", "phone_masked", "sex", "ethnicity", "political_status", "residence_type",
        "education", "employment_status", "relation_to_head", "territory_code", "completeness", "status",
    )

    # columns a list page reads with .values() (see ResidentViewSet.list)
    ROW_COLUMNS = ("id", *_plain, "birth_date", "household_id", "created_at", "updated_at")

    def to_representation(self, obj: Resident) -> dict:
        """Built by hand: a page of residents is the hot path, and DRF's field-by-field walk was
        a third of the request. ``test_api_fast_representation`` checks it equals the generic one."""
        row = {name: getattr(obj, name) for name in self.ROW_COLUMNS}
        row["tags"] = self.get_tags(obj)
        return self.row_representation(row)

    @classmethod
    def row_representation(cls, row: dict) -> dict:
        """The JSON of one resident from a ``.values(*ROW_COLUMNS)`` row plus its visible ``tags``."""
        data = {name: row[name] for name in ("id", *cls._plain)}
        data["birth_date"] = row["birth_date"].isoformat() if row["birth_date"] else None
        data["household"] = row["household_id"]
        data["grid_code"] = row["territory_code"][:15]
        data["tags"] = row["tags"]
        data["created_at"] = _DATETIME.to_representation(row["created_at"])
        data["updated_at"] = _DATETIME.to_representation(row["updated_at"])
        return {name: data[name] for name in cls.Meta.fields}

    def generic_representation(self, obj: Resident) -> dict:
        return super().to_representation(obj)


class HouseholdSerializer(serializers.ModelSerializer):
    """A household with its address and how many people live in it."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    grid_code = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    head = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Living members.")

    class Meta:
        model = Household
        fields = [
            "id", "territory_code", "grid_code", "unit", "address", "room", "head", "hardship_status",
            "hardship_cause", "completeness", "member_count", "created_at", "updated_at",
        ]
        read_only_fields = fields


class RevealResultSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


# -- input ----------------------------------------------------------------------------------------


class ScopedHouseholdField(serializers.PrimaryKeyRelatedField):
    """A household id, looked up among the households the requesting user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Household.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return selectors.household_list(user=self.context["request"].user)


class ScopedUnitField(serializers.SlugRelatedField):
    """A unit (单元) code, looked up among the places the requesting user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Place.objects.none())
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        return territory_selectors.place_list(user=self.context["request"].user, kind=PlaceKind.UNIT)


def _choice(choices, **kwargs):
    return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, **kwargs)


class ResidentWriteSerializer(serializers.Serializer):
    """Registering (POST) or changing (PATCH) a resident. Birth date and sex are optional: when
    given they must agree with the identity number."""

    name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=32, write_only=True, help_text="18-character identity number.")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, write_only=True)
    birth_date = serializers.DateField(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    ethnicity = _choice(ETHNICITY_CHOICES)
    political_status = _choice(POLITICAL_STATUS_CHOICES)
    residence_type = _choice(ResidenceType.choices)
    education = _choice(EDUCATION_CHOICES)
    employment_status = _choice(EmploymentStatus.choices)
    relation_to_head = _choice(RELATION_CHOICES)
    household = ScopedHouseholdField(required=False, allow_null=True)
    grid_code = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                      help_text="The grid, for a person not (yet) in a household.")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                 help_text="Special-group codes. On change, tags the writer cannot see are kept.")


class ResidentMoveSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=16, help_text="One of: " + ", ".join(MoveKind.values))
    to_household = ScopedHouseholdField(required=False, allow_null=True)
    date = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
    relation_to_head = _choice(RELATION_CHOICES)


class ResidentRevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])
    purpose = serializers.CharField(max_length=200, help_text="Why the full number is needed (logged).")


class HouseholdCreateSerializer(serializers.Serializer):
    unit = ScopedUnitField(help_text="Code of the unit (单元).")
    room = serializers.CharField(max_length=16)
    hardship_status = serializers.ChoiceField(choices=HardshipStatus.choices, required=False)
    hardship_cause = serializers.CharField(max_length=200, required=False, allow_blank=True)


# -- query parameters -----------------------------------------------------------------------------


class ResidentFilterSerializer(serializers.Serializer):
    """Query parameters of the resident list, passed as they are to ``selectors.resident_list``."""

    q = serializers.CharField(required=False, help_text="Name, or a full identity or phone number.")
    grid = serializers.CharField(required=False, help_text="Grid code.")
    place = serializers.CharField(required=False, help_text="Any territory code (prefix).")
    household = serializers.IntegerField(required=False, min_value=1)
    tag = serializers.CharField(required=False, help_text="Special-group code.")
    incomplete = serializers.BooleanField(required=False, default=False, help_text="Only records not yet complete.")
    status = serializers.ChoiceField(choices=ResidentStatus.choices, required=False)


class HouseholdFilterSerializer(serializers.Serializer):
    grid = serializers.CharField(required=False, help_text="Grid code.")
    place = serializers.CharField(required=False, help_text="Any territory code (prefix).")
    hardship_status = serializers.ChoiceField(choices=HardshipStatus.choices, required=False)
    incomplete = serializers.BooleanField(required=False, default=False)
