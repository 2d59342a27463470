from django.urls import path

from . import views

urlpatterns = [
    path("emergencies/", views.home, name="emergency_home"),
    path("emergencies/incidents/new/", views.incident_new, name="emergency_incident_new"),
    path("emergencies/plans/new/", views.plan_new, name="emergency_plan_new"),
    path("emergencies/plans/<int:pk>/document.pdf", views.plan_document, name="emergency_plan_document"),
    path("emergencies/shifts/new/", views.shift_new, name="emergency_shift_new"),
    path("emergencies/shifts/<int:pk>/remove/", views.shift_remove, name="emergency_shift_remove"),
    path("emergencies/reports/<int:pk>/acknowledge/", views.report_acknowledge, name="emergency_report_ack"),
    path("emergencies/incidents/<int:pk>/", views.incident_detail, name="emergency_incident"),
    path("emergencies/incidents/<int:pk>/<str:action>/", views.incident_action, name="emergency_incident_action"),
]
