"""End to end in real Chromium: a grid worker signs in, opens their grid and sees only its
residents; another grid's page is not found (issue 2)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from jiayuan.residents.models import Resident
from jiayuan.territory.models import Place

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    return list(Place.objects.filter(kind="grid").order_by("code"))


def test_grid_worker_sees_only_their_grid(page, demo):
    grid1, grid2 = demo[0], demo[1]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "gridworker1")
    page.fill("input[name=password]", "jiayuan-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    assert grid1.name in page.locator("main").inner_text()

    page.goto(f"/places/{grid1.code}/")
    section = page.locator("#grid-residents")
    section.wait_for()
    hrefs = section.locator("a[href^='/residents/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    shown = {int(m.group(1)) for h in hrefs if (m := re.match(r"^/residents/(\d+)/$", h))}
    in_grid1 = set(Resident.objects.filter(territory_code__startswith=grid1.code).values_list("id", flat=True))
    assert len(shown) == 50  # the first page
    assert shown <= in_grid1
    total = Resident.objects.filter(territory_code__startswith=grid1.code, status="active").count()
    assert str(total) in section.inner_text()
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(out / "grid-worker-grid-page.png"), full_page=False)

    # The full list never includes another grid's rows, and another grid's page is 404.
    page.goto("/residents/")
    hrefs = page.locator("a[href^='/residents/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    listed = {int(m.group(1)) for h in hrefs if (m := re.match(r"^/residents/(\d+)/$", h))}
    assert listed and listed <= in_grid1
    response = page.goto(f"/places/{grid2.code}/")
    assert response.status == 404
    other = Resident.objects.filter(territory_code__startswith=grid2.code).first()
    assert page.goto(f"/residents/{other.pk}/").status == 404
