from django.urls import path

from . import views

urlpatterns = [
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/export.xlsx", views.dispute_export, name="dispute_export"),
    path("disputes/rounds/", views.round_list, name="dispute_rounds"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/agreement.pdf", views.agreement_download, name="dispute_agreement_pdf"),
    path("disputes/<int:pk>/<str:action>/", views.dispute_action, name="dispute_action"),
]
