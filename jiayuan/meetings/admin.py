"""Admin: read-only views of the meeting records. Every change goes through the services (one
write path, events and audit log); minutes, attendance and votes are records (003 L331). Secret
ballots are not shown at all."""

from django.contrib import admin

from .models import Attendance, Meeting, MeetingEvent, Minutes, Motion, VisitTask


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ("member", "status", "reason", "method", "signed_in_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = MeetingEvent
    fields = ("at", "kind", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "meeting_type", "starts_at", "status", "held_on")
    list_filter = ("meeting_type", "status")
    search_fields = ("title", "territory_code", "organization__name")
    inlines = [AttendanceInline, EventInline]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "recorder_name", "signed_off_by", "signed_off_at")


@admin.register(Motion)
class MotionAdmin(ReadOnlyAdmin):
    list_display = ("question", "meeting", "method", "status", "result", "eligible", "votes_cast")
    exclude = ()


@admin.register(VisitTask)
class VisitTaskAdmin(ReadOnlyAdmin):
    list_display = ("member", "reason", "due_on", "status", "done_on")
    list_filter = ("reason", "status")
    search_fields = ("member__full_name", "territory_code")
