"""End to end in real Chromium (issue 5): the community secretary sees this year's gaps in
organizational life, schedules this month's branch committee meeting, opens sign-in (code and
QR), takes the roll call on a phone, marks it held, records and signs off the minutes, and the
rulebook then shows this month's 支委会 (N-MEET-01, 002 L93) as met with the meeting as evidence."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiayuan.meetings.models import Attendance, Meeting
from jiayuan.party.models import Organization

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def general(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", quiet=True)
    return Organization.objects.get(org_type="general_party_branch")


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "jiayuan-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def test_secretary_runs_a_month_of_organizational_life(page, general):
    today = timezone.localdate()
    month = today.strftime("%Y-%m")
    sign_in(page, "secretary")

    # the year view: the branch committee's deliberately missing months are red, this month runs
    page.goto(f"/meetings/org/{general.code}/?year={today.year}")
    committee = page.locator('.year-row[data-rule="N-MEET-01"]')
    assert committee.locator('[data-state="missing"]').count() >= 1
    assert committee.locator(f'[data-period="{month}"]').get_attribute("data-state") == "open"

    # schedule this month's branch committee meeting
    page.locator(f'a[href="/meetings/org/{general.code}/new/"]').click()
    page.select_option("select[name=meeting_type]", "branch_committee")
    page.fill("input[name=title]", f"{month} 支委会")
    page.fill("input[name=starts_at]", f"{today.isoformat()}T00:30")
    page.fill("input[name=location]", "党员群众服务中心会议室")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(title=f"{month} 支委会")

    # sign-in by phone: a short code shown large, and its QR code
    page.locator(f'form[action="/meetings/{meeting.pk}/signin/"] button').click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert re.fullmatch(r"\d{6}", meeting.signin_code)
    assert meeting.signin_code in page.locator("#signin").inner_text()
    assert page.locator("#signin svg").count() == 1

    # roll call on a phone: everyone present but one, excused with a reason
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/meetings/{meeting.pk}/roll-call/")
    groups = page.locator("div.btn-group")
    n = groups.count()
    assert n >= 3
    for i in range(n):
        groups.nth(i).locator("label").first.click()  # present
    groups.nth(n - 1).locator("label").nth(2).click()  # excused
    page.locator("input[name^=reason_]").nth(n - 1).fill("住院治疗")
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "meetings-roll-call-phone.png"), full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == n - 1
    assert Attendance.objects.get(meeting=meeting, status="excused").reason == "住院治疗"

    # held today, minutes recorded and signed off (全程记实, 003 L331)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f'form[action="/meetings/{meeting.pk}/held/"] button').click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    page.fill("textarea[name=text]", "传达学习上级会议精神；研究本月为民服务事项。")
    page.fill("textarea[name=decisions]", "为平庄花园3栋加装扶手。")
    page.locator(f'form[action="/meetings/{meeting.pk}/minutes/"] button').click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/"))
    page.locator(f'form[action="/meetings/{meeting.pk}/sign-off/"] button').click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/"))
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.minutes.signed_off_at is not None
    assert "为平庄花园3栋加装扶手" in page.locator("#minutes").inner_text()

    # the year view and the rulebook now count it
    page.goto(f"/meetings/org/{general.code}/?year={today.year}")
    assert page.locator(f'.year-row[data-rule="N-MEET-01"] [data-period="{month}"]').get_attribute("data-state") == "met"
    page.goto(f"/norms/?subject={general.code}&period={month}")
    row = page.locator('.rule-row[data-rule="N-MEET-01"]')
    assert row.get_attribute("data-status") == "met"
    page.goto(f"/norms/rules/N-MEET-01/?subject={general.code}&period={month}")
    assert page.locator(f'a[href="/meetings/{meeting.pk}/"]').count() >= 1
