"""The services: each step allowed and refused (nothing written on refusal), conflicts,
idempotency, attachments, deadlines in working days and the overdue sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiayuan.cases import services
from jiayuan.cases.categories import categories, category_get
from jiayuan.cases.models import Case, CaseEvent, IdempotencyKey
from jiayuan.cases.selectors import possible_duplicates
from jiayuan.cases.services import CaseConflict
from jiayuan.core.crypto import decrypt
from jiayuan.norms.models import Reminder

from .conftest import act, counts, png_bytes, report, walk


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


# -- intake -------------------------------------------------------------------------------------

def test_report_writes_the_case_and_one_event(web):
    case = report(web, reporter_name="张建国", reporter_phone="13812345678")
    assert case.status == "reported" and case.level == "community" and case.territory_code == web.grid_a.code
    assert case.tracking_no == f"JY{timezone.localdate().year}-{case.pk:06d}"
    assert case.reporter_phone_masked == "138****5678" and decrypt(case.reporter_phone_cipher) == "13812345678"
    assert "13812345678" not in case.reporter_phone_cipher
    assert kinds(case) == ["reported"]
    assert services.case_check_secret(case=case, secret=case.public_secret)
    assert not services.case_check_secret(case=case, secret="WRONG1")
    assert case.public_secret not in case.public_secret_hash
    assert case.reply_due_on == services.reply_deadline(category_get("environment"), case.territory_code,
                                                          timezone.localdate()).date


def test_grid_worker_reports_only_in_their_grid(web):
    assert report(web, "worker", channel="grid_worker", kind="grid_event").territory_code == web.grid_a.code
    before = counts()
    with pytest.raises(PermissionDenied):
        report(web, "worker", place=web.grid_b, channel="grid_worker", kind="grid_event")
    assert counts() == before


def test_anonymous_and_residents_report_only_through_public_channels(web):
    community = web.places["community"]
    case = services.case_report(actor=None, kind="appeal", category="environment", title="垃圾没清", description="",
                                place=community, channel="web")
    assert case.reporter_user is None and case.status == "reported"
    mine = report(web, "resident", place=web.grid_a, channel="web")
    assert mine.reporter_user == web.users["resident"]
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.case_report(actor=None, kind="appeal", category="environment", title="x", description="",
                             place=web.unit_a, channel="walk_in")
    assert {"channel", "place"} <= set(exc.value.message_dict)
    assert counts() == before


@pytest.mark.parametrize("bad, field", [
    ({"kind": "nonsense"}, "kind"), ({"category": "nope"}, "category"), ({"category": "fire"}, "category"),
    ({"title": ""}, "title"), ({"reporter_phone": "12345"}, "reporter_phone"), ({"lat": 123}, "lat"),
    ({"channel": "fax"}, "channel"),
])
def test_report_refuses_bad_input_and_writes_nothing(web, bad, field):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        report(web, **bad)
    assert field in exc.value.message_dict
    assert counts() == before


def test_idempotency_key_returns_the_first_case(web):
    first = report(web, idempotency_key="k-1")
    again = report(web, idempotency_key="k-1")
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    # the same key by another user is another submission
    other = report(web, "secretary", idempotency_key="k-1")
    assert other.pk != first.pk
    # the same key with other content is refused
    before = counts()
    with pytest.raises(CaseConflict):
        report(web, idempotency_key="k-1", title="另一件事")
    assert counts() == before


def test_anonymous_idempotency_is_per_client_address(web):
    def anon(addr):
        return services.case_report(actor=None, kind="appeal", category="environment", title="垃圾没清",
                                    description="", place=web.grid_a, channel="web", idempotency_key="abc",
                                    client_key=addr)
    assert anon("10.0.0.1").pk == anon("10.0.0.1").pk
    assert anon("10.0.0.2").pk != anon("10.0.0.1").pk


def test_attachments_checked_by_content_and_size_and_count(web):
    good = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    pdf = SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", content_type="application/pdf")
    case = report(web, attachments=[good, pdf])
    assert sorted(case.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    before = counts()
    fake = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        report(web, attachments=[fake])
    assert "attachments" in exc.value.message_dict
    broken = SimpleUploadedFile("y.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, content_type="image/png")
    with pytest.raises(ValidationError):
        report(web, attachments=[broken])
    big = SimpleUploadedFile("z.pdf", b"%PDF-" + b"0" * (services.MAX_ATTACHMENT_BYTES), content_type="application/pdf")
    with pytest.raises(ValidationError):
        report(web, attachments=[big])
    many = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n", content_type="application/pdf") for i in range(7)]
    with pytest.raises(ValidationError):
        report(web, attachments=many)
    assert counts() == before
    with pytest.raises(ValidationError):
        services.case_attach(actor=web.users["staff"], case=case, files=[
            SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4\n") for i in range(5)])
    assert case.attachments.count() == 2


# -- deadlines ----------------------------------------------------------------------------------

def test_reply_deadline_crosses_the_national_day_holiday(web):
    d = services.reply_deadline(category_get("environment"), web.grid_a.code, dt.date(2026, 9, 30))
    assert d.date == dt.date(2026, 10, 13) and not d.provisional


def test_reply_deadline_beyond_the_calendar_is_provisional(web):
    d = services.reply_deadline(category_get("environment"), web.grid_a.code, dt.date(2027, 3, 1))
    assert d.provisional and d.date == dt.date(2027, 3, 8)


def test_category_value_wins_over_the_rulebook_and_overrides_apply(web):
    from jiayuan.norms.models import RuleOverride

    assert services.reply_workdays(category_get("fire"), web.grid_a.code) == 1
    assert services.reply_workdays(category_get("environment"), web.grid_a.code) == 5
    RuleOverride.objects.create(rule_id="N-APPEAL-02", parameter="days", value=3,
                                territory_code=web.places["community"].code, place=web.places["community"],
                                reason="本社区承诺3个工作日")
    assert services.reply_workdays(category_get("environment"), web.grid_a.code) == 3
    assert services.reply_workdays(category_get("environment"), "520371999") == 5


def test_categories_route_per_003_l267():
    cats = categories()
    assert cats["discipline"].routing == "discipline_commission"
    assert cats["party_building"].routing == "organization_department"
    assert cats["livelihood"].routing == "mass_work_department"


# -- the loop -----------------------------------------------------------------------------------

def test_full_loop_writes_one_event_per_step(web):
    case = walk(web, report(web), "closed")
    assert case.status == "closed" and case.version == 7 and case.rating == 5 and case.satisfied
    assert kinds(case) == ["reported", "accepted", "assigned", "started", "resolved", "visited", "closed"]
    assert case.owner == web.users["staff"] and case.assigned_by == web.users["secretary"]
    assert case.replied_on == timezone.localdate() and case.closed_on == timezone.localdate()
    events = list(CaseEvent.objects.filter(case=case))
    assert events[1].from_status == "reported" and events[1].to_status == "accepted"
    assert all(e.actor is not None for e in events)


def test_assigner_cannot_close(web):
    case = walk(web, report(web), "visited")
    before = counts()
    with pytest.raises(PermissionDenied):
        act(web, case, "close", "secretary")
    assert counts() == before
    assert "close" not in services.available_actions(web.users["secretary"], case)
    assert "close" in services.available_actions(web.users["staff"], case)


def test_close_refused_before_the_return_visit(web):
    case = walk(web, report(web), "resolved")
    before = counts()
    with pytest.raises(CaseConflict):
        act(web, case, "close", "staff")
    assert counts() == before


def test_rejected_case_needs_a_reason_then_can_close(web):
    case = report(web)
    with pytest.raises(ValidationError):
        act(web, case, "reject", comment="")
    case = act(web, case, "reject", comment="不属于社区职责，已告知拨打12345")
    assert case.status == "rejected" and case.replied_on == timezone.localdate()
    assert CaseEvent.objects.filter(case=case, kind="rejected").get().visibility == "public"
    assert act(web, case, "close").status == "closed"


def test_unsatisfied_visit_reopens_and_goes_round_again(web):
    case = walk(web, report(web), "resolved")
    case = act(web, case, "visit", rating=2, satisfied=False)
    with pytest.raises(ValidationError):
        act(web, case, "close")  # not satisfied: a reason is needed
    case = act(web, case, "reopen", comment="居民说灯还是不亮")
    assert case.status == "reopened" and case.rating is None and case.due_on is not None
    case = act(web, case, "assign", "secretary", user=web.users["staff"])
    assert case.status == "assigned"


def test_reply_sets_the_first_reply_once(web):
    case = act(web, report(web), "accept")
    with pytest.raises(ValidationError):
        act(web, case, "reply")
    reply_due = case.due_on
    case = act(web, case, "reply", comment="已联系物业，三天内维修")
    first = case.replied_on
    assert case.due_on > reply_due  # answered: the handling deadline applies now
    case = act(web, case, "reply", comment="物业已派人")
    assert case.replied_on == first
    assert [e.data.get("first") for e in CaseEvent.objects.filter(case=case, kind="replied")] == [True, False]


@pytest.mark.parametrize("role", ["worker", "other_worker", "resident", "nobody", "street", "district"])
def test_community_case_actions_refused_for_others(web, role):
    case = report(web)
    before = counts()
    with pytest.raises(PermissionDenied):
        act(web, case, "accept", role)
    assert counts() == before
    assert "accept" not in services.available_actions(web.users[role], case)


def test_grid_worker_may_comment_but_not_handle(web):
    case = report(web)
    assert services.available_actions(web.users["worker"], case) == ["comment"]
    act(web, case, "comment", "worker", comment="现场看过，确实不亮")
    assert services.available_actions(web.users["other_worker"], case) == []
    with pytest.raises(PermissionDenied):
        act(web, case, "comment", "other_worker", comment="x")


def test_assignee_may_work_on_the_case(web):
    from jiayuan.accounts import services as account_services

    case = act(web, report(web), "accept")
    case = act(web, case, "assign", "secretary", user=web.users["worker"])
    assert set(services.available_actions(web.users["worker"], case)) >= {"start", "comment"}
    case = act(web, case, "start", "worker")
    case = act(web, case, "resolve", "worker", comment="换了灯泡")
    assert case.status == "resolved"
    with pytest.raises(PermissionDenied):
        act(web, case, "visit", "worker", rating=5, satisfied=True)
    assert account_services  # imported for symmetry with other tests


def test_assign_refuses_a_user_without_a_role_here(web):
    case = act(web, report(web), "accept")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        act(web, case, "assign", "secretary", user=web.users["other_worker"])
    assert "user" in exc.value.message_dict
    assert counts() == before


def test_illegal_transition_is_a_conflict_and_writes_nothing(web):
    case = report(web)
    before = counts()
    with pytest.raises(CaseConflict) as exc:
        act(web, case, "resolve", comment="x")
    assert exc.value.code == "illegal_transition"
    assert counts() == before
    with pytest.raises(ValidationError):
        act(web, case, "fly")


def test_stale_version_conflict_exactly_one_of_two_wins(web):
    case = report(web)
    assert case.version == 1
    winner = act(web, case, "accept", expected_version=1)
    assert winner.version == 2
    before = counts()
    with pytest.raises(CaseConflict) as exc:
        act(web, case, "reject", "secretary", comment="重复", expected_version=1)
    assert exc.value.code == "stale_version"
    assert counts() == before
    assert Case.objects.get(pk=case.pk).status == "accepted"
    assert CaseEvent.objects.filter(case=case, kind__in=["accepted", "rejected"]).count() == 1


def test_escalate_by_hand_then_street_handles(web):
    case = act(web, report(web), "accept")
    with pytest.raises(ValidationError):
        act(web, case, "escalate")
    case = act(web, case, "escalate", comment="涉及多个小区，社区无法协调")
    assert case.status == "escalated" and case.level == "street" and case.assignee_place == web.places["street"]
    with pytest.raises(PermissionDenied):
        act(web, case, "assign", "staff")
    case = act(web, case, "assign", "street", target="street")
    assert case.status == "assigned"
    case = act(web, case, "escalate", "street", comment="需区里协调")
    assert case.level == "district"
    assert "escalate" not in services.available_actions(web.users["district"], case)


def test_merge_keeps_both_histories_and_duplicates_are_suggested(web):
    first = report(web)
    second = report(web, title="楼道灯坏了")
    assert [c.pk for c in possible_duplicates(second)] == [first.pk]
    assert possible_duplicates(report(web, category="facilities")) == []
    with pytest.raises(ValidationError):
        act(web, second, "merge", into=second)
    merged = act(web, second, "merge", into=first, comment="同一件事")
    assert merged.status == "merged" and merged.merged_into == first
    assert kinds(second) == ["reported", "merged"]
    assert kinds(first) == ["reported", "commented"]
    assert possible_duplicates(first) == []
    assert act(web, merged, "close").status == "closed"


# -- the sweep ----------------------------------------------------------------------------------

def test_overdue_sweep_escalates_reminds_and_is_idempotent(web):
    case = act(web, report(web), "accept")
    later = case.due_on + dt.timedelta(days=1)
    result = services.overdue_sweep(today=later)
    case.refresh_from_db()
    assert result["escalated"] == 1 and case.level == "street" and case.status == "escalated" and case.overdue
    assert case.due_on > later
    event = CaseEvent.objects.filter(case=case, kind="escalated").get()
    assert event.actor is None and event.data["overdue"] is True
    reminded = set(Reminder.objects.filter(rule_id="N-APPEAL-02", window_label=case.tracking_no)
                   .values_list("user__username", flat=True))
    assert reminded == {"staff", "street"}
    again = services.overdue_sweep(today=later)
    assert again == {"overdue": 0, "escalated": 0, "reminders": 0}
    assert CaseEvent.objects.filter(case=case).count() == 3
    # past the street's deadline too: to the district, then marked once there and no more
    services.overdue_sweep(today=case.due_on + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.level == "district"
    services.overdue_sweep(today=case.due_on + dt.timedelta(days=1))
    n = CaseEvent.objects.filter(case=case).count()
    assert services.overdue_sweep(today=case.due_on + dt.timedelta(days=2))["overdue"] == 0
    assert CaseEvent.objects.filter(case=case).count() == n


def test_sweep_leaves_closed_and_future_cases_alone(web):
    done = walk(web, report(web), "closed")
    fresh = report(web)
    services.overdue_sweep(today=fresh.due_on)
    assert Case.objects.get(pk=fresh.pk).level == "community"
    assert Case.objects.get(pk=done.pk).events.count() == 7


def test_events_are_append_only(web):
    event = CaseEvent.objects.get(case=report(web))
    with pytest.raises(ValueError):
        event.comment = "changed"
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_provisional_deadline_is_counted_again_when_holiday_data_arrives(web, django_capture_on_commit_callbacks):
    from jiayuan.core.choices import CalendarDayKind
    from jiayuan.core.models import CalendarDay
    from jiayuan.core.workdays import add_workdays

    case = report(web)
    received = timezone.make_aware(dt.datetime(2027, 3, 1, 10, 0))
    days = services.reply_workdays(category_get(case.category), case.territory_code)
    before = add_workdays(dt.date(2027, 3, 1), days)
    assert before.provisional  # 2027 is beyond the holiday data
    Case.objects.filter(pk=case.pk).update(due_on=before.date, deadline_provisional=True)  # as if reported then
    CaseEvent.objects.filter(case=case, kind="reported").update(at=received)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=dt.date(2027, 3, 2), kind=CalendarDayKind.HOLIDAY, name="测试假日")
    case.refresh_from_db()
    after = add_workdays(dt.date(2027, 3, 1), days)
    assert after.date > before.date and case.due_on == after.date
    event = CaseEvent.objects.get(case=case, kind="deadline_changed")
    assert event.visibility == "internal" and event.data["due_on"]["to"] == after.date.isoformat()
    assert services.recompute_provisional_deadlines() == 0  # counted once
