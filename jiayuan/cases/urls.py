from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.case_home, name="case_home"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/batch/", views.case_batch, name="case_batch"),
    path("cases/export.xlsx", views.case_export, name="case_export"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/", views.case_act, name="case_act"),
    path("cases/<int:pk>/attachments/", views.case_attach, name="case_attach"),
    path("cases/attachments/<int:pk>/", views.attachment_download, name="case_attachment"),
]
