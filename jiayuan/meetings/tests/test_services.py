"""The services: allowed, refused with nothing written, and the events and log they leave."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from jiayuan.meetings import services
from jiayuan.meetings.models import Attendance, Meeting, MeetingEvent, Minutes, VisitTask

from .conftest import TODAY, at, counts, party  # noqa: F401


def schedule(web, party, org="branch", meeting_type="branch_committee", day=None, actor="secretary", **extra):
    return services.meeting_schedule(
        actor=web.users[actor], organization=party[org], meeting_type=meeting_type, title=extra.pop("title", "支委会"),
        starts_at=at(day or TODAY - dt.timedelta(days=3)), **extra)


def test_schedule_writes_the_meeting_event_and_log(web, party):
    m = schedule(web, party, location="党群服务中心", agenda="1. 学习")
    assert m.territory_code == web.places["community"].code and m.status == "scheduled"
    assert list(MeetingEvent.objects.filter(meeting=m).values_list("kind", flat=True)) == ["scheduled"]
    entry = LogEntry.objects.get_for_object(m).get()
    assert entry.actor == web.users["secretary"]


@pytest.mark.parametrize("role", ["worker", "other_worker", "resident", "nobody", "other_staff"])
def test_schedule_refused_writes_nothing(web, party, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        schedule(web, party, actor=role)
    assert counts() == before


@pytest.mark.parametrize("role", ["admin", "district", "street", "secretary", "staff"])
def test_meeting_writers(web, party, role):
    assert schedule(web, party, actor=role).pk


def test_schedule_validates_everything_at_once(web, party):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.meeting_schedule(actor=web.users["secretary"], organization=party["branch"],
                                  meeting_type="party_lecture", title="", starts_at=at(TODAY),
                                  ends_at=at(TODAY) - dt.timedelta(hours=2))
    assert set(exc.value.message_dict) >= {"title", "ends_at", "lecturer"}
    with pytest.raises(ValidationError) as exc:
        schedule(web, party, meeting_type="party_group")  # a group meeting belongs to the group
    assert "meeting_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        schedule(web, party, meeting_type="no_such_type")
    assert "meeting_type" in exc.value.message_dict
    assert counts() == before


def test_messages_in_chinese(web, party):
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=web.users["secretary"], meeting=schedule(web, party), reason=" ")
    assert exc.value.message_dict["reason"] == ["请说明取消会议的原因。"]


def test_update_only_while_scheduled_and_cancel(web, party):
    m = schedule(web, party)
    m = services.meeting_update(actor=web.users["staff"], meeting=m, title="十一月支委会", location="会议室")
    assert (m.title, m.location) == ("十一月支委会", "会议室")
    with pytest.raises(ValidationError):
        services.meeting_update(actor=web.users["staff"], meeting=m, status="held")
    m = services.meeting_cancel(actor=web.users["staff"], meeting=m, reason="台风")
    assert m.status == "cancelled" and m.cancelled_reason == "台风"
    with pytest.raises(ValidationError):
        services.meeting_update(actor=web.users["staff"], meeting=m, title="x")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=web.users["staff"], meeting=m, reason="again")
    kinds = list(MeetingEvent.objects.filter(meeting=m).values_list("kind", flat=True))
    assert kinds == ["scheduled", "updated", "cancelled"]


def test_expected_members(web, party):
    general = schedule(web, party, meeting_type="general_meeting")
    assert {m.full_name for m in services.expected_members(general)} == {"张建国", "李秀英", "王芳", "赵六", "孙七"}
    group = schedule(web, party, org="group1", meeting_type="party_group")
    assert {m.full_name for m in services.expected_members(group)} == {"张建国", "李秀英", "王芳"}
    committee = schedule(web, party)  # the officers
    assert {m.full_name for m in services.expected_members(committee)} == {"李秀英", "王芳"}


def test_signin_with_code(web, party):
    m = schedule(web, party, meeting_type="general_meeting", day=TODAY)
    with pytest.raises(PermissionDenied):
        services.meeting_open_signin(actor=web.users["worker"], meeting=m)
    code = services.meeting_open_signin(actor=web.users["secretary"], meeting=m)
    assert len(code) == 6 and code.isdigit()
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.sign_in_with_code(actor=web.users["resident"], code="00000x")
    assert "签到码" in exc.value.message_dict["code"][0]
    with override("en"), pytest.raises(ValidationError) as exc:
        services.sign_in_with_code(actor=web.users["nobody"], code=code)  # not a member
    assert "not linked" in exc.value.message_dict["code"][0]
    a = services.sign_in_with_code(actor=web.users["resident"], code=f" {code} ")
    assert a.member == party["a"] and a.method == "code" and a.status in ("present", "late") and a.signed_in_at
    assert services.sign_in_with_code(actor=web.users["resident"], code=code).pk == a.pk  # twice: no change
    services.meeting_mark_held(actor=web.users["secretary"], meeting=m, held_on=TODAY)
    m.refresh_from_db()
    assert m.signin_code == "" and not m.signin_open
    with pytest.raises(ValidationError):
        services.sign_in_with_code(actor=web.users["resident"], code=code)


def test_signin_code_of_another_organization_is_not_valid(web, party):
    m = schedule(web, party, org="group2", meeting_type="party_group", day=TODAY)  # 张建国 is in group 1
    code = services.meeting_open_signin(actor=web.users["secretary"], meeting=m)
    with pytest.raises(ValidationError):
        services.sign_in_with_code(actor=web.users["resident"], code=code)


def test_roll_call_and_mark_held(web, party):
    m = schedule(web, party, meeting_type="general_meeting")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.roll_call(actor=web.users["staff"], meeting=m, entries=[
            {"member": party["a"], "status": "excused", "reason": ""},
            {"member": party["other_member"], "status": "present"},
            {"member": party["b"], "status": "sleeping"},
        ])
    assert set(exc.value.message_dict) == {"entries.0.reason", "entries.1.member", "entries.2.status"}
    assert counts() == before
    with pytest.raises(PermissionDenied):
        services.roll_call(actor=web.users["worker"], meeting=m, entries=[{"member": party["a"], "status": "present"}])
    rows = services.roll_call(actor=web.users["staff"], meeting=m, entries=[
        {"member": party["a"], "status": "present"}, {"member": party["b"].pk, "status": "late"},
        {"member": party["c"], "status": "excused", "reason": "住院"},
    ])
    assert [r.status for r in rows] == ["present", "late", "excused"]
    with pytest.raises(ValidationError) as exc:
        services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=TODAY + dt.timedelta(days=1))
    assert "held_on" in exc.value.message_dict
    services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=TODAY - dt.timedelta(days=3))
    m.refresh_from_db()
    assert m.status == "held" and m.held_on == TODAY - dt.timedelta(days=3)
    got = dict(Attendance.objects.filter(meeting=m).values_list("member__full_name", "status"))
    assert got == {"张建国": "present", "李秀英": "late", "王芳": "excused", "赵六": "absent", "孙七": "absent"}
    assert Attendance.objects.get(meeting=m, member=party["d"]).method == "manual"
    with pytest.raises(ValidationError):
        services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=TODAY)


def test_minutes_sign_off_and_addendum(web, party):
    m = schedule(web, party)
    with pytest.raises(ValidationError):
        services.minutes_save(actor=web.users["staff"], meeting=m, text="  ")
    services.minutes_save(actor=web.users["staff"], meeting=m, text="讨论了慰问方案", decisions="同意")
    services.minutes_save(actor=web.users["staff"], meeting=m, text="讨论了慰问困难党员方案", decisions="同意")
    assert Minutes.objects.get(meeting=m).text == "讨论了慰问困难党员方案"
    with pytest.raises(ValidationError):  # not held yet
        services.minutes_sign_off(actor=web.users["secretary"], meeting=m)
    with pytest.raises(ValidationError):  # an addendum is for signed-off minutes
        services.minutes_add_addendum(actor=web.users["secretary"], meeting=m, text="补充")
    services.meeting_mark_held(actor=web.users["secretary"], meeting=m, held_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.minutes_sign_off(actor=web.users["worker"], meeting=m)
    minutes = services.minutes_sign_off(actor=web.users["secretary"], meeting=m)
    assert minutes.signed_off_by == web.users["secretary"] and minutes.is_signed_off
    before = counts()
    with pytest.raises(ValidationError):
        services.minutes_save(actor=web.users["secretary"], meeting=m, text="改写")
    with pytest.raises(ValidationError):
        services.minutes_sign_off(actor=web.users["secretary"], meeting=m)
    assert counts() == before
    services.minutes_add_addendum(actor=web.users["secretary"], meeting=m, text="补充:会后已发放慰问金")
    minutes.refresh_from_db()
    assert minutes.text == "讨论了慰问困难党员方案" and minutes.addenda.count() == 1
    with pytest.raises(ValueError):
        a = minutes.addenda.get()
        a.text = "rewritten"
        a.save()


def test_attachments(web, party, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = schedule(web, party)
    a = services.attachment_add(actor=web.users["staff"], meeting=m, title="签到表",
                                file=SimpleUploadedFile("signin.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    assert a.file.name.startswith(f"meetings/{timezone.now():%Y/%m}/") and a.uploaded_by == web.users["staff"]
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(actor=web.users["staff"], meeting=m, file=SimpleUploadedFile("x.exe", b"MZ"))
    assert "file" in exc.value.message_dict
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        services.attachment_add(actor=web.users["staff"], meeting=m, file=big)
    assert counts() == before


def test_visit_tasks_by_hand(web, party):
    t = services.visit_task_create(actor=web.users["secretary"], member=party["d"], reason="ill", note="住院")
    assert t.status == "open" and t.due_on == TODAY + dt.timedelta(days=14) and t.territory_code == party["d"].territory_code
    with pytest.raises(ValidationError):  # one open task per member and reason
        services.visit_task_create(actor=web.users["secretary"], member=party["d"], reason="ill")
    with pytest.raises(PermissionDenied):
        services.visit_task_create(actor=web.users["worker"], member=party["d"], reason="hardship")
    with pytest.raises(ValidationError) as exc:
        services.visit_task_done(actor=web.users["secretary"], task=t, done_on=TODAY + dt.timedelta(days=1), note="")
    assert set(exc.value.message_dict) == {"done_on", "note"}
    t = services.visit_task_done(actor=web.users["secretary"], task=t, done_on=TODAY, note="已上门看望")
    assert t.status == "done" and t.done_on == TODAY
    # a new illness later opens a new task
    assert services.visit_task_create(actor=web.users["secretary"], member=party["d"], reason="ill").pk != t.pk


def _held_group_meeting(web, party, day, present=()):
    m = schedule(web, party, org="group2", meeting_type="party_group", day=day, title=f"党小组会 {day}")
    services.roll_call(actor=web.users["staff"], meeting=m,
                       entries=[{"member": party[k], "status": "present"} for k in present])
    return services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=day)


def test_must_visit_after_three_missed_meetings_once(web, party):
    days = [TODAY - dt.timedelta(days=d) for d in (90, 60, 30, 10)]
    _held_group_meeting(web, party, days[0], present=("e",))
    _held_group_meeting(web, party, days[1], present=("e",))
    assert not VisitTask.objects.exists()  # 赵六 missed two
    _held_group_meeting(web, party, days[2], present=("e",))
    [task] = VisitTask.objects.all()
    assert task.member == party["d"] and task.reason == "missed_meetings" and task.status == "open"
    assert task.due_on == days[2] + dt.timedelta(days=14) and days[2].isoformat() in task.trigger
    _held_group_meeting(web, party, days[3], present=("e",))  # a fourth miss: still one open task
    assert VisitTask.objects.count() == 1
    assert services.must_visit_check(actor=web.users["staff"], members=[party["d"]]) == []


def test_an_attended_meeting_breaks_the_series(web, party, settings):
    settings.JIAYUAN_MUST_VISIT_AFTER_MISSED = 2
    days = [TODAY - dt.timedelta(days=d) for d in (90, 60, 30)]
    _held_group_meeting(web, party, days[0])
    _held_group_meeting(web, party, days[1], present=("d",))
    _held_group_meeting(web, party, days[2])
    assert set(VisitTask.objects.values_list("member__full_name", flat=True)) == {"孙七"}  # absent both times


def test_excused_is_not_missed(web, party):
    for d in (90, 60, 30):
        m = schedule(web, party, org="group2", meeting_type="party_group", day=TODAY - dt.timedelta(days=d))
        services.roll_call(actor=web.users["staff"], meeting=m, entries=[
            {"member": party["d"], "status": "excused", "reason": "出差"}, {"member": party["e"], "status": "present"}])
        services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=TODAY - dt.timedelta(days=d))
    assert not VisitTask.objects.exists()


def test_refused_transition_writes_nothing(web, party):
    m = schedule(web, party)
    services.meeting_cancel(actor=web.users["staff"], meeting=m, reason="改期")
    before = counts()
    for call in (
        lambda: services.meeting_mark_held(actor=web.users["staff"], meeting=m, held_on=TODAY),
        lambda: services.meeting_open_signin(actor=web.users["staff"], meeting=m),
        lambda: services.roll_call(actor=web.users["staff"], meeting=m, entries=[]),
        lambda: services.motion_open(actor=web.users["staff"], meeting=m, question="?", method="named"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert counts() == before
    assert Meeting.objects.get(pk=m.pk).status == "cancelled"
