"""Shapes of the Party registers over HTTP. Reads are plain serializers of rows the selectors
returned; writes are validated here for type and shape only — every rule lives in the services.
Phones appear masked only."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import (
    HostKind,
    LeftReason,
    ManagementMode,
    MemberCategory,
    MemberStatus,
    OrgType,
    TransferStatus,
)
from ..models import Member, Organization, OrganizationOfficer, Transfer
from ..selectors import TRANSFER_LOST_AFTER_DAYS, transfer_is_lost


class OfficerSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.full_name")
    member_id = serializers.IntegerField()
    post_label = serializers.CharField(source="get_post_display")

    class Meta:
        model = OrganizationOfficer
        fields = ["member_id", "member", "post", "post_label", "started_on", "ended_on"]


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None)
    place = serializers.CharField(source="place.code")
    place_name = serializers.CharField(source="place.name")
    org_type_label = serializers.CharField(source="get_org_type_display")
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organization
        fields = [
            "code", "name", "org_type", "org_type_label", "host_kind", "host_name", "parent", "place", "place_name",
            "approved_by", "approval_ref", "dual_supervisor", "founded_on", "dissolved_on", "term_years", "member_count",
        ]


class OrganizationDetailSerializer(OrganizationSerializer):
    officers = serializers.SerializerMethodField()
    last_election = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "officers", "last_election"]

    def get_officers(self, org) -> list[dict]:
        today = timezone.localdate()
        current = [o for o in org.officers.all() if o.ended_on is None or o.ended_on >= today]
        return OfficerSerializer(current, many=True).data

    def get_last_election(self, org) -> dict | None:
        e = org.elections.order_by("-held_on").first()
        if e is None:
            return None
        return {"held_on": e.held_on, "term_end": e.term_end, "eligible": e.eligible, "votes_cast": e.votes_cast}


class OrganizationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    org_type = serializers.ChoiceField(choices=OrgType.choices)
    place = serializers.CharField(max_length=32, help_text=_("Code of the place served"))
    parent = serializers.CharField(max_length=15, required=False, allow_null=True, allow_blank=True)
    host_kind = serializers.ChoiceField(choices=HostKind.choices, default=HostKind.COMMUNITY)
    host_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    approved_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    approval_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)
    dual_supervisor = serializers.CharField(max_length=100, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    term_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10)


class ElectionWriteSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    eligible = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    votes_cast = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True)


class MemberSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code")
    organization_name = serializers.CharField(source="organization.name")
    group = serializers.CharField(source="group.code", default=None)
    phone = serializers.CharField(source="phone_masked")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Member
        fields = [
            "id", "full_name", "organization", "organization_name", "group", "status", "status_label", "joined_on",
            "full_on", "categories", "management_mode", "work_unit", "work_unit_party_org", "skills", "phone",
            "resident", "dues_monthly", "left_on", "left_reason",
        ]


class MemberFilterSerializer(serializers.Serializer):
    organization = serializers.CharField(required=False, help_text=_("Organization code (P…)"))
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False)
    category = serializers.ChoiceField(choices=MemberCategory.choices, required=False)
    q = serializers.CharField(required=False, max_length=64, help_text=_("Part of the name"))
    include_left = serializers.BooleanField(required=False, default=False)


class MemberWriteSerializer(serializers.Serializer):
    organization = serializers.CharField(max_length=15, required=False, help_text=_("Organization code (P…)"))
    full_name = serializers.CharField(max_length=64, required=False)
    group = serializers.CharField(max_length=15, required=False, allow_null=True, allow_blank=True)
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    full_on = serializers.DateField(required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=MemberCategory.choices), required=False)
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices, required=False)
    work_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    work_unit_party_org = serializers.CharField(max_length=100, required=False, allow_blank=True)
    skills = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    dues_base = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0)


class MemberLeaveSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.ChoiceField(choices=[c for c in LeftReason.choices if c[0] != LeftReason.TRANSFERRED_OUT])


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name")
    from_org = serializers.CharField(source="from_org.code", default=None)
    to_org = serializers.CharField(source="to_org.code", default=None)
    from_label = serializers.CharField()
    to_label = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    lost = serializers.SerializerMethodField(help_text=f"Pending for more than {TRANSFER_LOST_AFTER_DAYS} days")
    days_pending = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id", "member", "member_name", "kind", "from_org", "to_org", "from_label", "to_label", "requested_on",
            "received_on", "status", "status_label", "receipt_no", "note", "lost", "days_pending",
        ]

    def get_lost(self, t) -> bool:
        return transfer_is_lost(t, today=timezone.localdate())

    def get_days_pending(self, t) -> int | None:
        if t.status != TransferStatus.PENDING:
            return None
        return (timezone.localdate() - t.requested_on).days


class TransferFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)
    lost = serializers.BooleanField(required=False, default=False)


class TransferWriteSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    to_org = serializers.SlugRelatedField(
        slug_field="code", queryset=Organization.objects.filter(dissolved_on__isnull=True), required=False,
        allow_null=True, help_text=_("Receiving organization anywhere on the platform"),
    )
    to_outside_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    requested_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class TransferReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False)
    receipt_no = serializers.CharField(max_length=64, required=False, allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
