"""Admin for the working-day calendar: for now the place where an administrator enters a year's
official holidays and make-up working days (State Council notice) and declares the year complete.

Every change is in the audit log (django-auditlog); the admin records who created each row.
"""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear


class CreatedByAdminMixin:
    """Set ``created_by`` to the administrator who saves a row that has none (new rows)."""

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(CreatedByAdminMixin, admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "note", "created_by", "updated_at")
    list_filter = ("kind", "name")
    search_fields = ("name", "note")
    date_hierarchy = "date"
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_select_related = ("created_by",)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "D")


@admin.register(CalendarYear)
class CalendarYearAdmin(CreatedByAdminMixin, admin.ModelAdmin):
    list_display = ("year", "complete", "source", "created_by", "updated_at")
    list_filter = ("complete",)
    search_fields = ("source",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_select_related = ("created_by",)
