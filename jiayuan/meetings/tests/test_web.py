"""The pages: who sees what (404 outside the area), the forms through the services (400 on a
refusal, 403 for readers), the sign-in code and QR code, a member's sign-in and secret vote on
the phone page, the must-visit list, and the iCalendar files parsed back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from jiayuan.meetings import services
from jiayuan.meetings.models import Attendance, BallotReceipt, Meeting, Minutes, SecretBallot, VisitTask

from .conftest import TODAY, at, counts, party  # noqa: F401


def make(web, party, org="branch", meeting_type="general_meeting", day=None, **extra):
    return services.meeting_schedule(actor=web.users["admin"], organization=party[org], meeting_type=meeting_type,
                                     title=extra.pop("title", "第四季度党员大会"), starts_at=at(day or TODAY), **extra)


@pytest.mark.parametrize("role, status", [
    ("secretary", 200), ("staff", 200), ("street", 200), ("admin", 200), ("other_worker", 404), ("worker", 404),
    ("other_staff", 404), ("resident", 404), ("nobody", 404), ("anonymous", 302),
])
def test_detail_is_scoped(web, party, role, status):
    m = make(web, party)
    assert web.client(role).get(f"/meetings/{m.pk}/").status_code == status


def test_home_lists_and_nav(web, party):
    make(web, party, title="已过期未记录", day=TODAY - dt.timedelta(days=5))
    make(web, party, title="下周党员大会", day=TODAY + dt.timedelta(days=7))
    html = web.client("secretary", language="zh-hans").get("/meetings/").content.decode()
    assert "已过期未记录" in html and "下周党员大会" in html and "礼仪社区党支部" in html
    assert 'href="/meetings/"' in html  # the navigation link
    assert "桂花社区" not in web.client("secretary").get("/meetings/").content.decode()
    assert "下周党员大会" not in web.client("resident").get("/meetings/").content.decode()


def test_year_view_shows_held_and_missing_months(web, party):
    year = TODAY.year - 1
    for month in (1, 2, 4):
        m = make(web, party, meeting_type="branch_committee", title=f"{month}月支委会", day=dt.date(year, month, 5))
        services.meeting_mark_held(actor=web.users["admin"], meeting=m, held_on=dt.date(year, month, 5))
    response = web.client("secretary", language="en").get(f"/meetings/org/{party['branch'].code}/?year={year}")
    assert response.status_code == 200
    rows = {r.meeting_type: r for r in response.context["rows"]}
    assert set(rows) == {"branch_committee", "general_meeting", "party_lecture", "democratic_life", "organizational_life"}
    states = [c.state for c in rows["branch_committee"].cells]
    assert states[:4] == ["met", "met", "missing", "met"] and len(states) == 12
    assert [c.label for c in rows["general_meeting"].cells] == [f"{year}-Q{q}" for q in range(1, 5)]
    assert len(rows["party_lecture"].cells) == 2 and len(rows["democratic_life"].cells) == 1
    group = web.client("secretary").get(f"/meetings/org/{party['group1'].code}/?year={year}")
    assert [r.meeting_type for r in group.context["rows"]] == ["party_group"]
    assert web.client("other_staff").get(f"/meetings/org/{party['branch'].code}/").status_code == 404


def test_schedule_form(web, party):
    client = web.client("staff", language="zh-hans")
    url = f"/meetings/org/{party['branch'].code}/new/"
    assert client.get(url).status_code == 200
    before = counts()
    response = client.post(url, {"meeting_type": "party_lecture", "title": "党课", "starts_at": "2026-12-10T15:00"})
    assert response.status_code == 400 and "请填写党课主讲人。" in response.content.decode()
    assert counts() == before
    response = client.post(url, {"meeting_type": "party_lecture", "title": "党课:党章学习", "lecturer": "李秀英",
                                 "starts_at": "2026-12-10T15:00", "location": "党群服务中心"})
    m = Meeting.objects.get(title="党课:党章学习")
    assert response.status_code == 302 and response["Location"] == f"/meetings/{m.pk}/"
    assert m.starts_at.hour == 7  # 15:00 in Asia/Shanghai, stored in UTC
    assert web.client("worker").get(url).status_code == 404


def test_signin_code_qr_and_member_signin(web, party):
    m = make(web, party)
    client = web.client("secretary")
    assert client.post(f"/meetings/{m.pk}/signin/").status_code == 302
    m.refresh_from_db()
    html = client.get(f"/meetings/{m.pk}/").content.decode()
    assert m.signin_code in html and "<svg" in html and f"/meetings/signin/?code={m.signin_code}" in html
    phone = web.client("resident", language="zh-hans")
    page = phone.get(f"/meetings/signin/?code={m.signin_code}")
    assert page.status_code == 200 and m.signin_code in page.content.decode()
    wrong = phone.post("/meetings/signin/", {"code": "999999" if m.signin_code != "999999" else "111111"})
    assert wrong.status_code == 400 and "签到码无效" in wrong.content.decode()
    assert phone.post("/meetings/signin/", {"code": m.signin_code}).status_code == 302
    assert Attendance.objects.get(meeting=m, member=party["a"]).method == "code"


def test_member_votes_secretly_on_the_phone(web, party):
    m = make(web, party)
    services.roll_call(actor=web.users["admin"], meeting=m, entries=[
        {"member": party[k], "status": "present"} for k in ("a", "b", "c")])
    secretary = web.client("secretary")
    secretary.post(f"/meetings/{m.pk}/motions/", {"question": "推选优秀党员", "method": "secret"})
    motion = m.motions.get()
    phone = web.client("resident")
    html = phone.get("/meetings/signin/").content.decode()
    assert "推选优秀党员" in html
    assert phone.post(f"/meetings/motions/{motion.pk}/vote/", {"choice": "yes"}).status_code == 302
    assert BallotReceipt.objects.filter(motion=motion).count() == SecretBallot.objects.filter(motion=motion).count() == 1
    assert "推选优秀党员" in phone.get("/meetings/signin/").content.decode()  # shown as voted
    assert web.client("nobody").post(f"/meetings/motions/{motion.pk}/vote/", {"choice": "yes"}).status_code == 404
    assert secretary.post(f"/meetings/motions/{motion.pk}/close/").status_code == 302
    motion.refresh_from_db()
    assert motion.result == "passed"


def test_roll_call_page_held_minutes_and_sign_off(web, party, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = make(web, party, day=TODAY - dt.timedelta(days=1))
    client = web.client("staff", language="zh-hans")
    page = client.get(f"/meetings/{m.pk}/roll-call/")
    assert page.status_code == 200 and page.content.decode().count('type="radio"') == 5 * 4
    before = counts()
    bad = client.post(f"/meetings/{m.pk}/roll-call/", {f"status_{party['c'].pk}": "excused"})
    assert bad.status_code == 400 and "请说明王芳请假的原因。" in bad.content.decode()
    assert counts() == before
    ok = client.post(f"/meetings/{m.pk}/roll-call/", {
        f"status_{party['a'].pk}": "present", f"status_{party['c'].pk}": "excused", f"reason_{party['c'].pk}": "住院"})
    assert ok.status_code == 302
    assert client.post(f"/meetings/{m.pk}/held/", {"held_on": (TODAY + dt.timedelta(days=3)).isoformat()}).status_code == 400
    assert client.post(f"/meetings/{m.pk}/held/", {"held_on": TODAY.isoformat()}).status_code == 302
    assert client.post(f"/meetings/{m.pk}/minutes/", {"text": ""}).status_code == 400
    assert client.post(f"/meetings/{m.pk}/minutes/", {"text": "学习党章", "decisions": "走访"}).status_code == 302
    assert client.post(f"/meetings/{m.pk}/sign-off/").status_code == 302
    assert Minutes.objects.get(meeting=m).is_signed_off
    assert client.post(f"/meetings/{m.pk}/minutes/", {"text": "改写"}).status_code == 400
    assert client.post(f"/meetings/{m.pk}/addendum/", {"text": "补记"}).status_code == 302
    upload = client.post(f"/meetings/{m.pk}/attachments/", {
        "title": "签到表", "file": SimpleUploadedFile("qd.png", b"\x89PNG fake", content_type="image/png")})
    assert upload.status_code == 302
    bad = client.post(f"/meetings/{m.pk}/attachments/", {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400
    a = m.attachments.get()
    assert client.get(f"/meetings/attachments/{a.pk}/").status_code == 200
    assert web.client("other_staff").get(f"/meetings/attachments/{a.pk}/").status_code == 404
    html = client.get(f"/meetings/{m.pk}/").content.decode()
    assert "学习党章" in html and "补记" in html and "签到表" in html


def test_readers_get_403(web, party):
    from jiayuan.party.models import Member

    from .conftest import make_org

    grid_branch = make_org(web.grid_a, "网格党支部", "party_branch", 9)
    Member.objects.create(full_name="钱九", organization=grid_branch)
    party["grid_branch"] = grid_branch
    m = make(web, party, org="grid_branch")
    worker = web.client("worker")
    assert worker.get(f"/meetings/{m.pk}/").status_code == 200
    before = counts()
    for url, data in [(f"/meetings/{m.pk}/cancel/", {"reason": "x"}), (f"/meetings/{m.pk}/signin/", {}),
                      (f"/meetings/{m.pk}/held/", {"held_on": TODAY.isoformat()})]:
        assert worker.post(url, data).status_code == 403, url
    assert worker.get(f"/meetings/{m.pk}/roll-call/").status_code == 403
    assert worker.get(f"/meetings/org/{grid_branch.code}/new/").status_code == 403
    assert counts() == before


def test_visits_page(web, party):
    task = services.visit_task_create(actor=web.users["secretary"], member=party["d"], reason="hardship", note="失业")
    client = web.client("secretary", language="zh-hans")
    html = client.get("/meetings/visits/").content.decode()
    assert "赵六" in html and "有困难必访" in html
    assert "赵六" not in web.client("other_staff").get("/meetings/visits/").content.decode()
    client.post("/meetings/visits/new/", {"member": party["c"].pk, "reason": "ill", "note": "住院"})
    assert VisitTask.objects.filter(member=party["c"], reason="ill", status="open").exists()
    assert client.post(f"/meetings/visits/{task.pk}/done/", {"done_on": TODAY.isoformat(), "note": "已送去慰问金"}
                       ).status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    assert web.client("other_staff").post(f"/meetings/visits/{task.pk}/done/", {}).status_code == 404


def test_icalendar_parses_back(web, party):
    m = make(web, party, location="党群服务中心", agenda="1. 学习")
    make(web, party, org="other_branch", title="桂花社区会议")
    response = web.client("secretary").get(f"/meetings/{m.pk}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "第四季度党员大会" and str(event["location"]) == "党群服务中心"
    assert event.decoded("dtstart") == m.starts_at
    assert str(event["uid"]) == f"meeting-{m.pk}@jiayuan"
    cal = Calendar.from_ical(web.client("secretary").get(f"/meetings/{party['branch'].code}/calendar.ics").content)
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["第四季度党员大会"]
    assert web.client("other_staff").get(f"/meetings/{m.pk}.ics").status_code == 404
    assert web.client("other_staff").get(f"/meetings/{party['branch'].code}/calendar.ics").status_code == 404
    assert web.client("anonymous").get(f"/meetings/{m.pk}.ics").status_code == 302
