"""The OpenAPI schema generates cleanly and the Swagger UI is served without a CDN."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command


def test_schema_endpoint(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/auth/token/", "/api/v1/residents/", "/api/v1/residents/{id}/",
                 "/api/v1/residents/{id}/reveal/", "/api/v1/residents/{id}/move/", "/api/v1/households/",
                 "/api/v1/households/{id}/", "/api/v1/places/", "/api/v1/places/{code}/", "/api/v1/grids/",
                 "/api/v1/audit-events/"]:
        assert path in paths, path
    assert "delete" not in paths["/api/v1/residents/{id}/"]


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").stat().st_size > 1000


def test_swagger_ui_uses_local_assets(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html


def test_swagger_ui_assets_are_served(client):
    html = client.get("/api/v1/docs/").content.decode()
    bundle = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', html)
    assert bundle, html[:500]
    response = client.get(bundle.group(1))
    assert response.status_code == 200
