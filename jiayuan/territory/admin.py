from django.contrib import admin

from .models import Compound, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "responsible_worker")


@admin.register(Compound)
class CompoundAdmin(admin.ModelAdmin):
    list_display = ("name", "community")
