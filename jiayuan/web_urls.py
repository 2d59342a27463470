"""Server-rendered pages (each app's views, included here)."""

from django.urls import include, path

urlpatterns = [
    path("", include("jiayuan.accounts.urls")),
    path("", include("jiayuan.core.urls")),
    path("", include("jiayuan.territory.urls")),
    path("", include("jiayuan.residents.urls")),
    path("", include("jiayuan.ledgers.urls")),
    path("", include("jiayuan.norms.urls")),
    path("", include("jiayuan.community.urls")),
    path("", include("jiayuan.party.urls")),
    path("", include("jiayuan.meetings.urls")),
    path("", include("jiayuan.cases.urls")),
    path("", include("jiayuan.cases.public_urls")),
    path("", include("jiayuan.disputes.urls")),
    path("", include("jiayuan.emergencies.urls")),
    path("", include("jiayuan.disclosure.urls")),
    path("", include("jiayuan.decisions.urls")),
]
