"""Admin: reference data is editable; people and households are read-only here because their
writes must go through the services (encryption, scope checks, history)."""

from django.contrib import admin

from .models import Household, Resident, ResidentMove, SpecialGroup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpecialGroup)
class SpecialGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "sensitivity", "source")


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_number_masked", "territory_code", "status", "completeness")
    search_fields = ("name", "territory_code")
    exclude = ("id_number_cipher", "id_number_index", "phone_cipher", "phone_index")


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("territory_code", "room", "hardship_status", "completeness")


@admin.register(ResidentMove)
class ResidentMoveAdmin(ReadOnlyAdmin):
    list_display = ("resident", "kind", "date", "from_code", "to_code")
