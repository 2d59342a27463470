"""The rulebook pages: who sees them, bad input, adapting a rule, the home panel, reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from jiayuan.norms.models import Reminder, RuleOverride
from jiayuan.norms.services import reminders_sweep

from .test_evaluate import meetings


@pytest.mark.django_db
@pytest.mark.parametrize("role, status", [("secretary", 200), ("street", 200), ("worker", 200), ("resident", 404), ("nobody", 404)])
def test_rulebook_page_access(web, role, status):
    assert web.client(role).get("/norms/").status_code == status


@pytest.mark.django_db
def test_rulebook_page_anonymous_goes_to_login(web):
    response = web.client("anonymous").get("/norms/")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.django_db
def test_rulebook_page_shows_sources_and_colours(web, provide):
    provide("meetings.held", meetings({"branch_committee": [dt.date(2026, 7, 3)]}))
    code = web.places["community"].code
    response = web.client("secretary").get(f"/norms/?subject={code}&period=2026-Q3")
    html = response.content.decode()
    assert response.status_code == 200
    assert "每半年上1次党课" in html and "002 L93" in html
    assert 'data-rule="N-MEET-01" data-status=' in html
    assert "/meetings/2026-07-03" in html  # the evidence link


@pytest.mark.django_db
def test_bad_period_is_400_with_message(web):
    response = web.client("secretary").get("/norms/obligations/?period=2026-Q9")
    assert response.status_code == 400
    assert "2026-Q3" in response.content.decode()


@pytest.mark.django_db
def test_place_beside_the_users_area_is_404(web, other_community):
    assert web.client("secretary2").get(f"/norms/?subject={web.places['community'].code}").status_code == 404
    assert web.client("worker").get(f"/norms/?subject={web.places['community'].code}").status_code == 404


@pytest.mark.django_db
def test_adapt_a_rule_in_the_page(web):
    client = web.client("secretary")
    url = "/norms/rules/N-MEET-04/"
    page = client.get(url)
    assert page.status_code == 200 and "Adapt" in page.content.decode() or "调整" in page.content.decode()
    code = web.places["community"].code
    bad = client.post(url, {"parameter": "period", "place": code, "value": "weekly", "reason": "x"})
    assert bad.status_code == 400 and RuleOverride.objects.count() == 0
    no_reason = client.post(url, {"parameter": "period", "place": code, "value": "year", "reason": ""})
    assert no_reason.status_code == 400
    ok = client.post(url, {"parameter": "period", "place": code, "value": "year", "reason": "003 L319"})
    assert ok.status_code == 302
    override = RuleOverride.objects.get()
    assert override.value == "year" and override.set_by == web.users["secretary"]
    detail = client.get(url).content.decode()
    assert "003 L319" in detail  # the reason is shown with who set it
    # staff may read but not adapt
    assert web.client("staff").post(url, {"parameter": "period", "place": code, "value": "quarter", "reason": "x"}).status_code == 403
    assert RuleOverride.objects.get().value == "year"


@pytest.mark.django_db
def test_obligations_calendar_and_home_panel(web, provide, monkeypatch):
    provide("meetings.held", meetings({}))
    today = dt.date.today()
    code = web.places["community"].code
    page = web.client("secretary").get(f"/norms/obligations/?subject={code}")
    assert page.status_code == 200
    assert 'data-rule="N-MEET-01"' in page.content.decode()
    home = web.client("secretary").get("/").content.decode()
    assert "norms-panel" in home
    assert today.strftime("%Y-%m") in home


@pytest.mark.django_db
def test_reminder_sweep_tells_the_secretary_then_the_street(web, provide):
    provide("meetings.held", meetings({}))
    code = web.places["community"].code
    made = reminders_sweep(today=dt.date(2026, 8, 27), community_codes=[code])
    mine = Reminder.objects.filter(user=web.users["secretary"], rule_id="N-MEET-01", window_label="2026-08")
    assert mine.count() == 1 and made["due_soon"] >= 1
    assert not Reminder.objects.filter(user=web.users["staff"], rule_id="N-MEET-01").exists()  # not responsible
    again = reminders_sweep(today=dt.date(2026, 8, 27), community_codes=[code])
    assert again == {"due_soon": 0, "overdue": 0}
    reminders_sweep(today=dt.date(2026, 9, 2), community_codes=[code])
    overdue = Reminder.objects.filter(user=web.users["street"], kind="overdue", rule_id="N-MEET-01")
    assert set(overdue.values_list("window_label", flat=True)) >= {"2026-07", "2026-08"}
    # the street's overdue page lists them
    page = web.client("street").get("/norms/overdue/")
    assert page.status_code == 200
    # marking a reminder done
    reminder = mine.get()
    assert web.client("street").post(f"/norms/reminders/{reminder.pk}/read/").status_code == 404
    assert web.client("secretary").post(f"/norms/reminders/{reminder.pk}/read/").status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
