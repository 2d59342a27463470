from django.urls import path

from . import public_views, views

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/act/", views.decision_act, name="decision_act"),
    path("decisions/<int:pk>/charter/", views.decision_charter, name="decision_charter"),
    # public, no sign-in (next to the disclosure board /public/<code>/)
    path("public/<str:code>/decisions/", public_views.public_decisions, name="decisions_public_list"),
    path("public/<str:code>/decisions/<int:pk>/", public_views.public_decision, name="decisions_public_detail"),
    path("public/<str:code>/charter/", public_views.public_charter, name="decisions_public_charter"),
]
