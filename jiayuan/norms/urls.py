from django.urls import path

from . import views

urlpatterns = [
    path("norms/", views.rulebook_page, name="norms_rulebook"),
    path("norms/obligations/", views.obligations_page, name="norms_obligations"),
    path("norms/overdue/", views.overdue_page, name="norms_overdue"),
    path("norms/rules/<str:rule_id>/", views.rule_detail, name="norms_rule"),
    path("norms/overrides/<int:pk>/remove/", views.override_remove, name="norms_override_remove"),
    path("norms/reminders/<int:pk>/read/", views.reminder_read, name="norms_reminder_read"),
]
