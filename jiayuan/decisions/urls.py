from django.urls import path

from . import views

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/act/", views.decision_act, name="decision_act"),
]
