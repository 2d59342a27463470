"""The emergency world: the web-test world plus a plan and an incident in grid 1 recorded by the
community secretary through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiayuan.core.tests.web_world import PASSWORD, _fast_web_tests, web  # noqa: F401
from jiayuan.emergencies import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="plan.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(web):
    return services.plan_add(actor=web.users["secretary"], place=web.places["community"], incident_type="mass",
                             title="群体性事件应急预案", version="2026版", document=pdf_file(),
                             effective_on=dt.date(2026, 1, 1), responsible_units="社区党委、社区居委会、礼仪派出所")


@pytest.fixture
def incident(web, plan):
    return services.incident_activate(actor=web.users["secretary"], place=web.grid_a, incident_type="mass",
                                      location="平庄花园3栋门口", started_at=timezone.now() - dt.timedelta(hours=1),
                                      summary="业主聚集反映停水问题", plan=plan)
