"""End to end in real Chromium: the community secretary reads the rulebook for their community,
adapts a rule (003 L319's yearly Party lecture instead of 002 L93's half-yearly one) and sees the
obligations calendar on a phone (issue 4)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from jiayuan.norms.models import RuleOverride
from jiayuan.territory.models import Place

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    return Place.objects.get(kind="community")


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jiayuan-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def test_secretary_reads_and_adapts_the_rulebook(page, demo):
    sign_in(page, "secretary")
    assert page.locator(".norms-panel").count() == 1  # the home page shows this month's obligations

    page.goto(f"/norms/?subject={demo.code}&period=2026-Q3")
    rows = page.locator(".rule-row")
    assert rows.count() >= 40
    lecture = page.locator('.rule-row[data-rule="N-MEET-04"]')
    assert "002 L93" in lecture.inner_text() and "每半年上1次党课" in lecture.inner_text()
    # every rule has a state for this community
    assert page.locator(".rule-row[data-status]").count() == rows.count()

    lecture.locator("a").first.click()
    page.wait_for_url(re.compile(r"/norms/rules/N-MEET-04/"))
    page.select_option("select[name=parameter]", "period")
    page.select_option("select[name=place]", demo.code)
    page.fill("input[name=value]", "year")
    page.fill("input[name=reason]", "按 003 L319 每年至少讲一次党课")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1
    assert "003 L319" in page.locator("main").inner_text()
    override = RuleOverride.objects.get()
    assert (override.rule_id, override.value, override.set_by.username) == ("N-MEET-04", "year", "secretary")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/norms/obligations/?subject={demo.code}&period=2026-Q4")
    assert page.locator('.obligation[data-rule="N-MEET-01"]').count() == 3  # one per month
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "rulebook-obligations-phone.png"), full_page=False)
