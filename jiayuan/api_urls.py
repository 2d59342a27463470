"""Everything under /api/v1/ (filled by each app's api module)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("jiayuan.accounts.api.urls")),
    path("", include("jiayuan.territory.api.urls")),
    path("", include("jiayuan.residents.api.urls")),
    path("", include("jiayuan.norms.api.urls")),
    path("", include("jiayuan.party.api.urls")),
    path("", include("jiayuan.meetings.api.urls")),
    path("", include("jiayuan.cases.api.urls")),
    path("", include("jiayuan.decisions.api.urls")),
    path("", include("jiayuan.core.api.urls")),
    path("", include("jiayuan.disclosure.api.urls")),
]
