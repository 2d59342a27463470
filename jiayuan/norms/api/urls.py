from django.urls import path

from .views import EvaluationView, ObligationListView, OverrideDetailView, OverrideListView, RuleListView

urlpatterns = [
    path("norms/", RuleListView.as_view(), name="api-norms"),
    path("norms/evaluation/", EvaluationView.as_view(), name="api-norms-evaluation"),
    path("norms/obligations/", ObligationListView.as_view(), name="api-norms-obligations"),
    path("norms/overrides/", OverrideListView.as_view(), name="api-norms-overrides"),
    path("norms/overrides/<int:pk>/", OverrideDetailView.as_view(), name="api-norms-override"),
]
