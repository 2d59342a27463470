from django.contrib import admin
from django.urls import include, path

from jiayuan.core.api import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("jiayuan.api_urls")),
    path("open311/v2/", include("jiayuan.cases.open311.urls")),
    path("", include("jiayuan.web_urls")),
]
