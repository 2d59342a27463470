"""The working-day calendar: China's holidays and make-up working days, stored days, provisional years.

"时限不超过5个工作日" (002 L69) must count China's working days, not Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiayuan.core import workdays
from jiayuan.core.choices import CalendarDayKind
from jiayuan.core.models import CalendarDay, CalendarYear
from jiayuan.core.workdays import Deadline, add_workdays, day_info, is_workday, workdays_between

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def signals():
    received = []

    def receiver(sender, years, **kwargs):
        received.append((sender, years))

    workdays.calendar_changed.connect(receiver)
    yield received
    workdays.calendar_changed.disconnect(receiver)


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


# --- the library years --------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_workdays_after_national_day_eve():
    # 10-01..10-07 off; 10-10 (Saturday) is a make-up working day: 10-08, 10-09, 10-10, 10-12, 10-13.
    assert add_workdays(D(2026, 9, 30), 5) == Deadline(D(2026, 10, 13), False)
    assert day_info(D(2026, 10, 10)) == workdays.DayInfo(D(2026, 10, 10), True, "国庆节", False, "library")
    assert not is_workday(D(2026, 10, 1)) and not is_workday(D(2026, 10, 11))


@pytest.mark.django_db
def test_spring_festival_2026():
    for day in range(15, 24):  # 2026-02-15 .. 02-23 off
        info = day_info(D(2026, 2, day))
        assert not info.workday and info.name == "春节" and not info.provisional
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))  # Saturdays worked
    assert add_workdays(D(2026, 2, 13), 1) == Deadline(D(2026, 2, 14), False)
    assert add_workdays(D(2026, 2, 14), 1) == Deadline(D(2026, 2, 24), False)
    assert workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


@pytest.mark.django_db
def test_plain_weekend_and_zero():
    assert not is_workday(D(2026, 3, 7)) and not is_workday(D(2026, 3, 8))
    assert add_workdays(D(2026, 3, 6), 1).date == D(2026, 3, 9)  # Friday + 1 = Monday
    assert add_workdays(D(2026, 3, 7), 0).date == D(2026, 3, 9)  # a Saturday: the next working day
    assert add_workdays(D(2026, 3, 9), 0).date == D(2026, 3, 9)  # a working day: itself
    assert add_workdays(D(2026, 9, 30), 0) == Deadline(D(2026, 9, 30), False)
    assert workdays_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert workdays_between(D(2026, 3, 10), D(2026, 3, 9)) == 0


@pytest.mark.django_db
def test_agrees_with_the_library_on_every_day_it_covers():
    d = D(2004, 1, 1)
    while d <= D(2026, 12, 31):
        assert is_workday(d) is chinese_calendar.is_workday(d), d
        d += dt.timedelta(days=1)


@pytest.mark.django_db
def test_datetimes_and_bad_arguments():
    assert add_workdays(dt.datetime(2026, 9, 30, 18, 0), 5).date == D(2026, 10, 13)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 9, 30), -1)
    with pytest.raises(TypeError):
        add_workdays(D(2026, 9, 30), 1.5)
    with pytest.raises(TypeError):
        is_workday("2026-09-30")


# --- years without data -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2027, 2030, 2099])
def test_year_without_data_is_monday_to_friday_and_provisional(year):
    jan1 = D(year, 1, 1)
    friday = jan1 + dt.timedelta(days=(4 - jan1.weekday()) % 7 + 7)
    result = add_workdays(friday, 1)
    assert result == Deadline(friday + dt.timedelta(days=3), True)
    assert day_info(friday).provisional and day_info(friday).source == "fallback"
    assert workdays.year_coverage(year) == "provisional"


@pytest.mark.django_db
def test_crossing_into_a_year_without_data_is_provisional():
    assert add_workdays(D(2026, 12, 29), 2) == Deadline(D(2026, 12, 31), False)
    assert add_workdays(D(2026, 12, 30), 5) == Deadline(D(2027, 1, 6), True)
    assert add_workdays(D(2027, 12, 30), 10) == Deadline(D(2028, 1, 13), True)
    assert add_workdays(D(2003, 12, 30), 3) == Deadline(D(2004, 1, 5), True)  # 2003 is not covered; 2004-01-01 is off


@pytest.mark.django_db
def test_never_crashes_at_the_ends_of_the_calendar():
    assert add_workdays(D(1, 1, 1), 10).provisional
    assert day_info(D(1, 1, 1)).provisional
    assert add_workdays(D(9999, 12, 1), 5).date.year == 9999
    assert workdays_between(D(9999, 1, 1), D(9999, 12, 31)) > 250
    with pytest.raises(ValueError, match="9999-12-31"):
        add_workdays(D(9999, 12, 30), 5)


@pytest.mark.django_db
def test_stored_days_change_the_result_and_completing_the_year_removes_provisional():
    start = D(2027, 2, 5)  # a Friday before the (imagined) 2027 Spring Festival
    assert add_workdays(start, 3) == Deadline(D(2027, 2, 10), True)
    for day in range(8, 13):
        CalendarDay.objects.create(date=D(2027, 2, day), kind=CalendarDayKind.HOLIDAY, name="春节")
    CalendarDay.objects.create(date=D(2027, 2, 20), kind=CalendarDayKind.WORKDAY, name="春节")
    assert add_workdays(start, 3) == Deadline(D(2027, 2, 17), True)  # 15, 16, 17
    assert is_workday(D(2027, 2, 20)) and day_info(D(2027, 2, 20)).source == "stored"
    assert not day_info(D(2027, 2, 8)).provisional  # a stored day is known

    CalendarYear.objects.create(year=2027, complete=True, source="国办发明电〔2026〕号")
    assert add_workdays(start, 3) == Deadline(D(2027, 2, 17), False)
    assert add_workdays(D(2027, 2, 19), 1) == Deadline(D(2027, 2, 20), False)
    assert day_info(D(2027, 3, 1)).source == "declared"
    assert workdays.year_coverage(2027) == "complete"
    assert add_workdays(D(2027, 12, 30), 1) == Deadline(D(2027, 12, 31), False)
    assert add_workdays(D(2027, 12, 30), 2).provisional  # 2028 is still unknown

    CalendarYear.objects.filter(year=2027).first().delete()
    assert add_workdays(start, 3).provisional


@pytest.mark.django_db
def test_stored_row_wins_over_the_library():
    assert is_workday(D(2026, 10, 8))  # a working day for the library
    CalendarDay.objects.create(date=D(2026, 10, 8), kind=CalendarDayKind.HOLIDAY, name="国庆节", note="correction")
    assert not is_workday(D(2026, 10, 8))
    assert add_workdays(D(2026, 9, 30), 5).date == D(2026, 10, 14)


@pytest.mark.django_db
def test_calendar_changed_is_sent_with_the_years(signals):
    day = CalendarDay.objects.create(date=D(2027, 10, 1), kind=CalendarDayKind.HOLIDAY, name="国庆节")
    assert signals == [(CalendarDay, {2027})]
    day = CalendarDay.objects.get(pk=day.pk)
    day.date = D(2028, 10, 2)
    day.save()
    assert signals[-1] == (CalendarDay, {2027, 2028})  # moving a day changes both years
    day.delete()
    assert signals[-1] == (CalendarDay, {2028})
    year = CalendarYear.objects.create(year=2029, complete=True)
    assert signals[-1] == (CalendarYear, {2029})
    year.delete()
    assert signals[-1] == (CalendarYear, {2029})
    assert len(signals) == 5

    with workdays.batched_changes():
        CalendarDay.objects.create(date=D(2030, 1, 1), kind=CalendarDayKind.HOLIDAY)
        CalendarDay.objects.create(date=D(2031, 1, 1), kind=CalendarDayKind.HOLIDAY)
        assert len(signals) == 5
    assert signals[-1] == (CalendarDay, {2030, 2031}) and len(signals) == 6


# --- the cache ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cache_spares_the_database(django_assert_max_num_queries):
    add_workdays(D(2026, 9, 30), 5)
    with django_assert_max_num_queries(0):
        for i in range(10_000):
            add_workdays(D(2026, 1, 1) + dt.timedelta(days=i % 300), 5)
    with django_assert_max_num_queries(2):  # a new year: its rows and its CalendarYear
        add_workdays(D(2027, 3, 1), 5)


@pytest.mark.django_db
def test_cache_follows_saves_and_deletes():
    assert is_workday(D(2027, 5, 3))
    day = CalendarDay.objects.create(date=D(2027, 5, 3), kind=CalendarDayKind.HOLIDAY, name="劳动节")
    assert not is_workday(D(2027, 5, 3))
    day.delete()
    assert is_workday(D(2027, 5, 3))


@pytest.mark.django_db
def test_a_rolled_back_write_does_not_stay_in_the_cache():
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=D(2027, 5, 4), kind=CalendarDayKind.HOLIDAY)
        assert not is_workday(D(2027, 5, 4))
        raise RuntimeError("roll back")
    assert not CalendarDay.objects.exists()
    assert is_workday(D(2027, 5, 4))


@pytest.mark.django_db
def test_clear_cache_picks_up_writes_that_send_no_signal():
    assert is_workday(D(2027, 5, 5))
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2027, 5, 5), kind=CalendarDayKind.HOLIDAY)])
    workdays.clear_cache()
    assert not is_workday(D(2027, 5, 5))


# --- the command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_add():
    assert run("add", "2026-09-30", "5") == "2026-10-13\n"
    assert run("add", "2026-12-30", "5") == "2027-01-06 (provisional: no holiday data for 2027)\n"
    assert run("add", "2026-10-03", "0") == "2026-10-08\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (("add", "2026-02-30", "5"), "not a date"),
        (("add", "30/09/2026", "5"), "not a date"),
        (("add", "2026-09-30", "-1"), "between 0 and 3650"),
        (("add", "2026-09-30", "3651"), "between 0 and 3650"),
        (("add", "2026-09-30", "1.5"), "whole number"),
        (("add", "9999-12-30", "5"), "9999-12-31"),
        (("is", "tomorrow"), "not a date"),
        (("year", "10000"), "between 1 and 9999"),
        (("year", "twenty"), "not a year"),
    ],
)
def test_command_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_command_is_and_year():
    assert run("is", "2026-10-10") == "2026-10-10 workday 国庆节\n"
    assert run("is", "2026-10-01") == "2026-10-01 holiday 国庆节\n"
    assert run("is", "2026-10-11") == "2026-10-11 weekend\n"
    assert run("is", "2026-10-14") == "2026-10-14 workday\n"
    assert run("is", "2027-10-01") == "2027-10-01 workday (provisional: no holiday data for 2027)\n"
    lines = run("year", "2026").splitlines()
    assert lines[0] == "2026: covered by chinesecalendar"
    assert "2026-10-10 workday 国庆节" in lines and "2026-02-17 holiday 春节" in lines
    assert run("year", "2027").startswith("2027: provisional")


CSV_2027 = "date,kind,name\n2027-10-01,holiday,国庆节\n2027-10-04,休息,国庆节\n2027-10-09,上班,国庆节\n"


@pytest.mark.django_db
def test_command_load(tmp_path, signals):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    out = run("load", str(path), "--complete", "--source", "国务院办公厅通知")
    assert "3 days for 2027 (3 new, 0 changed, 0 unchanged); declared complete" in out
    assert CalendarDay.objects.count() == 3
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).kind == "workday"
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.source == "国务院办公厅通知"
    assert signals == [(CalendarDay, {2027})]  # one signal for the whole file
    assert add_workdays(D(2027, 9, 30), 3) == Deadline(D(2027, 10, 7), False)
    assert run("is", "2027-10-09") == "2027-10-09 workday 国庆节\n"
    assert "2027-10-04 holiday 国庆节 [stored]" in run("year", "2027")

    again = run("load", str(path), "--complete", "--source", "国务院办公厅通知")  # idempotent
    assert "(0 new, 0 changed, 3 unchanged)" in again
    assert CalendarDay.objects.count() == 3 and CalendarYear.objects.count() == 1

    path.write_text(CSV_2027.replace("2027-10-09,上班", "2027-10-09,休息"), encoding="gb18030")
    assert "(0 new, 1 changed, 2 unchanged)" in run("load", str(path))
    assert not is_workday(D(2027, 10, 9))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, message",
    [
        (CSV_2027 + "2027-02-30,holiday,春节\n", "line 5: not a date"),
        (CSV_2027 + "2027-02-10,off,春节\n", "line 5: unknown kind 'off'"),
        (CSV_2027 + "2027-10-01,holiday,国庆节\n", "line 5: 2027-10-01 appears twice"),
        ("day,type\n2027-10-01,holiday\n", "missing: date, kind"),
        ("", "is empty"),
        ("date,kind,name\n", "no days"),
    ],
)
def test_command_load_bad_file_writes_nothing(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("load", str(path), "--complete")
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_command_load_missing_file_and_source_without_complete(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("load", str(tmp_path / "none.csv"))
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    with pytest.raises(CommandError, match="with --complete"):
        run("load", str(path), "--source", "x")
    assert not CalendarDay.objects.exists()


# --- admin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_save_sets_created_by(admin_client, admin_user):
    response = admin_client.post(
        "/admin/core/calendarday/add/", {"date": "2027-10-01", "kind": "holiday", "name": "国庆节", "note": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.get().created_by == admin_user
    response = admin_client.post("/admin/core/calendaryear/add/", {"year": "2027", "complete": "on", "source": "通知"})
    assert response.status_code == 302
    assert CalendarYear.objects.get().created_by == admin_user
    assert admin_client.get("/admin/core/calendarday/").status_code == 200
    assert admin_client.get("/admin/core/calendaryear/?complete__exact=1").status_code == 200


@pytest.mark.django_db
def test_changes_are_audited():
    from auditlog.models import LogEntry

    day = CalendarDay.objects.create(date=D(2027, 10, 1), kind=CalendarDayKind.HOLIDAY)
    day.name = "国庆节"
    day.save()
    assert LogEntry.objects.get_for_object(day).count() == 2


# --- properties ---------------------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=D(2004, 1, 1), max_value=D(2040, 12, 31)), n=st.integers(min_value=0, max_value=60))
def test_add_workdays_properties(start, n):
    result = add_workdays(start, n)
    assert is_workday(result.date)
    assert result.date >= start
    if n > 0:
        assert result.date > start
        assert workdays_between(start, result.date) == n
        assert workdays_between(start, result.date - dt.timedelta(days=1)) == n - 1
    else:
        assert result.date == start or workdays_between(start, result.date) == 1
    assert result.provisional == (result.date.year >= 2027)  # the library covers 2004–2026
