from django.urls import path

from . import views

urlpatterns = [
    path("ledgers/residents/import/", views.import_page, name="ledgers_import"),
    path("ledgers/residents/import/<int:pk>/", views.import_detail, name="ledgers_import_detail"),
    path("ledgers/residents/import/<int:pk>/progress/", views.import_progress, name="ledgers_import_progress"),
    path("ledgers/residents/import/<int:pk>/rerun/", views.import_rerun, name="ledgers_import_rerun"),
    path("ledgers/residents/import/<int:pk>/report.xlsx", views.import_report, name="ledgers_import_report"),
    path("ledgers/residents/template.xlsx", views.template_download, name="ledgers_template"),
    path("ledgers/residents/export/", views.export_page, name="ledgers_export"),
]
