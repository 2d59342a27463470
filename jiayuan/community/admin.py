"""Admin: the service centre and the roster can be corrected here (the models' clean() holds
their rules); the fund ledger is read-only, because it is append-only and corrected by reversal
rows through the services."""

from django.contrib import admin

from .models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat


@admin.register(MemberResidentServiceCenter)
class MemberResidentServiceCenterAdmin(admin.ModelAdmin):
    list_display = ("name", "community", "area_m2", "opened_on")
    search_fields = ("name", "territory_code")
    readonly_fields = ("territory_code", "created_by")


@admin.register(FundAllocation)
class FundAllocationAdmin(admin.ModelAdmin):
    list_display = ("community", "year", "fund", "amount", "received_on", "source", "reverses")
    list_filter = ("fund", "year")
    search_fields = ("territory_code", "document_no")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TwoCommitteesSeat)
class TwoCommitteesSeatAdmin(admin.ModelAdmin):
    list_display = ("full_name", "community", "committee", "post", "started_on", "ended_on")
    list_filter = ("committee", "post")
    search_fields = ("full_name", "territory_code")
    raw_id_fields = ("resident",)
    readonly_fields = ("territory_code", "created_by")

    def has_delete_permission(self, request, obj=None):
        return False  # a seat is ended, not deleted: the roster is history
