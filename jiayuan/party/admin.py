"""Admin: the Party registers, read-only. Every change to them goes through
``jiayuan.party.services`` (the pages and the API), which check the rules and keep the
history — an organization is dissolved, a member leaves, a dues line is reversed, a transfer is
received — so nothing is added, changed or deleted here."""

from django.contrib import admin

from .models import (
    Applicant,
    DuesPayment,
    Election,
    EnterpriseHandover,
    Member,
    MemberContact,
    MemberPost,
    MobileMemberRecord,
    Organization,
    OrganizationOfficer,
    PocketMemberFollowUp,
    PocketMemberLead,
    ReportIn,
    Transfer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """List, search and look; no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "org_type", "parent", "founded_on", "dissolved_on")
    list_filter = ("org_type", "host_kind")
    search_fields = ("code", "name", "territory_code")


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "organization", "status", "joined_on", "phone_masked", "left_on")
    list_filter = ("status", "management_mode")
    search_fields = ("full_name", "territory_code")
    exclude = ("phone_cipher",)  # never shown: the masked phone is enough here


@admin.register(OrganizationOfficer)
class OrganizationOfficerAdmin(ReadOnlyAdmin):
    list_display = ("organization", "member", "post", "started_on", "ended_on")
    list_filter = ("post",)
    search_fields = ("member__full_name", "territory_code")


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "held_on", "term_end", "votes_cast", "eligible")
    search_fields = ("territory_code",)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("member", "kind", "from_org", "to_org", "to_outside_name", "requested_on", "status")
    list_filter = ("status", "kind")
    search_fields = ("member__full_name", "territory_code", "to_territory_code")


@admin.register(MobileMemberRecord)
class MobileMemberRecordAdmin(ReadOnlyAdmin):
    list_display = ("member", "destination", "left_on", "last_verified_on", "returned_on")
    search_fields = ("member__full_name", "territory_code")


@admin.register(MemberContact)
class MemberContactAdmin(ReadOnlyAdmin):
    list_display = ("record", "contacted_on", "kind", "channel")


@admin.register(PocketMemberLead)
class PocketMemberLeadAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "place", "found_on", "status")
    list_filter = ("status",)
    search_fields = ("full_name", "territory_code")


@admin.register(PocketMemberFollowUp)
class PocketMemberFollowUpAdmin(ReadOnlyAdmin):
    list_display = ("lead", "on", "channel")


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnlyAdmin):
    list_display = ("member", "month", "amount", "paid_on", "receipt_no", "reverses")
    search_fields = ("member__full_name", "territory_code", "receipt_no")


@admin.register(Applicant)
class ApplicantAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "organization", "stage", "applied_on")
    list_filter = ("stage",)
    search_fields = ("full_name", "territory_code")


@admin.register(MemberPost)
class MemberPostAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "stage", "member", "ended_on")
    list_filter = ("stage",)
    search_fields = ("title", "territory_code")


@admin.register(ReportIn)
class ReportInAdmin(ReadOnlyAdmin):
    list_display = ("member", "community", "reported_on", "feedback_sent_on")
    search_fields = ("member__full_name", "territory_code")


@admin.register(EnterpriseHandover)
class EnterpriseHandoverAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "organization", "handed_over_on", "funds")
    search_fields = ("enterprise", "territory_code")
