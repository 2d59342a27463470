"""Importing and exporting the residents register (issue 3): a clean file imports, a dirty one
is refused with a report and nothing written, a re-import is a no-op, an export re-imports."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.utils import translation
from python_calamine import CalamineWorkbook

from jiayuan.core.idnumber import make_id_number
from jiayuan.core.testing import registry_counts
from jiayuan.ledgers.columns import EN_HEADERS, ZH_HEADERS
from jiayuan.ledgers.exporter import export_residents
from jiayuan.ledgers.importer import ResidentImporter
from jiayuan.ledgers.services import import_create, import_run
from jiayuan.residents.models import Household, Resident, ResidentMove, ResidentTag
from jiayuan.residents.services import household_refresh_completeness, household_refresh_completeness_bulk
from jiayuan.residents.tests.factories import _fast_hasher, places, users  # noqa: F401
from jiayuan.territory.models import Place

pytestmark = pytest.mark.django_db


def number(i: int, year: int = 1970) -> str:
    return make_id_number("520302", dt.date(year, 1, 1) + dt.timedelta(days=i // 400), (i % 400) * 2 + 1)


def family_rows(grid_code: str, start: int, households: int, building: int = 5) -> list[list[str]]:
    """Households of three: head, spouse (tagged), child."""
    rows = []
    for h in range(households):
        base = start + 3 * h
        head = number(base)
        room = str(101 + h)
        rows.append(["王" + str(base), head, "13800000000"[:-len(str(base))] + str(base), "汉族", "群众", "户主", "",
                     grid_code, f"{building}栋", "1单元", room, "", "户籍人口"])
        rows.append(["李" + str(base), number(base + 1), "", "苗族", "中共党员", "配偶", head,
                     grid_code, f"{building}栋", "1单元", room, "残疾人", "常住人口"])
        rows.append(["王小" + str(base), number(base + 2, 2010), "", "汉族", "共青团员", "子", head,
                     grid_code, f"{building}栋", "1单元", room, "", "户籍人口"])
    return rows


def write_csv(tmp_path: Path, rows, headers=ZH_HEADERS, name="register.csv", encoding="utf-8-sig") -> Path:
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def run(actor, path):
    return import_run(job=import_create(actor=actor, path=path))


def test_clean_file_imports_everything(tmp_path, users, places):
    grid = places["grids"][0]
    path = write_csv(tmp_path, family_rows(grid.code, 0, 10))
    job = run(users["staff"], path)
    assert job.status == "succeeded", job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (30, 0, 0)
    assert Resident.objects.count() == 30 and Household.objects.count() == 10
    assert all(h.head and h.head.relation_to_head == "02" for h in Household.objects.select_related("head"))
    assert ResidentTag.objects.filter(group__code="disabled_person").count() == 10
    assert ResidentMove.objects.filter(kind="move_in").count() == 30
    assert Place.objects.filter(code=grid.code + "005", kind="building").exists()
    r = Resident.objects.get(name="李3")
    assert r.ethnicity == "06" and r.political_status == "01" and r.residence_type == "permanent"
    assert r.id_number_masked.startswith("5203") and r.territory_code.startswith(grid.code + "00501")
    # household completeness matches the one-by-one rule
    for h in Household.objects.all():
        stored = h.completeness
        assert household_refresh_completeness(h) == stored
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__kind="import")
    assert entry.actor == users["staff"] and entry.additional_data["created"] == 30


def test_reimport_is_a_noop_and_a_change_leaves_history(tmp_path, users, places):
    grid = places["grids"][0]
    rows = family_rows(grid.code, 0, 5)
    run(users["staff"], write_csv(tmp_path, rows))
    before = registry_counts()
    job = run(users["staff"], write_csv(tmp_path, rows, name="again.csv"))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 15)
    after = registry_counts()
    assert after["residents"] == before["residents"] and after["moves"] == before["moves"]
    assert after["log_entries"] == before["log_entries"] + 1  # only the import's own entry

    rows[1][2] = "13912345678"  # the spouse got a phone
    rows[2][10] = "105"  # the child moved to room 105 (whose head is in the file)
    rows[2][6] = rows[12][1]
    job = run(users["staff"], write_csv(tmp_path, rows, name="changed.csv"))
    assert job.status == "succeeded", job.errors
    assert (job.created_count, job.updated_count) == (0, 2)
    spouse = Resident.objects.get(name="李0")
    entry = LogEntry.objects.get_for_object(spouse).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict["phone_masked"][1] == "139****5678" and "13912345678" not in str(entry.changes)
    child = Resident.objects.get(name="王小0")
    assert list(child.moves.order_by("id").values_list("kind", flat=True)) == ["move_in", "transfer"]


def test_dirty_file_is_refused_with_a_report_and_nothing_written(tmp_path, users, places):
    g1, g2 = places["grids"][0], places["grids"][1]
    rows = family_rows(g1.code, 0, 3)
    rows[0][1] = rows[0][1][:-1] + ("0" if rows[0][1][-1] != "0" else "1")  # bad checksum (row 2)
    rows[3][1] = rows[4][1]  # duplicate inside the file (rows 5 and 6)
    rows.append(["赵一", number(900), "", "汉族", "群众", "户主", "", "520371001001999", "41栋", "1单元", "101", "", ""])
    rows.append(["赵二", number(903), "", "火星族", "群众", "户主", "", g2.code, "1栋", "1单元", "101", "不存在类别", ""])
    rows.append(["赵三", number(906), "", "汉族", "群众", "子", number(999), g1.code, "1栋", "1单元", "102", "", ""])
    before = registry_counts()
    places_before = Place.objects.count()
    with translation.override("zh-hans"):
        job = run(users["worker1"], write_csv(tmp_path, rows))
    assert job.status == "refused"
    assert registry_counts()["residents"] == before["residents"] == 0
    assert Household.objects.count() == 0 and Place.objects.count() == places_before
    found = {(e["row"], e["column"]) for e in job.errors}
    assert (2, "公民身份号码") in found  # checksum
    assert (6, "公民身份号码") in found  # duplicate
    assert (11, "网格编码") in found  # unknown grid
    assert (12, "网格编码") in found  # grid of another worker: outside the area
    assert (12, "民族") in found and (12, "人员类别") in found
    assert (13, "户主公民身份号码") in found  # head neither in file nor in register
    assert any("校验码" in e["message"] for e in job.errors)
    report = CalamineWorkbook.from_path(job.report.path).get_sheet_by_index(0).to_python()
    assert report[0] == ["行号", "列", "问题"] and len(report) == job.error_count + 1


@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"),
    ("名字,号码\n张三,1\n".encode(), "header row"),
    (b"\x00\x01\x02\x03" * 100, "not"),
    (b"PK\x03\x04garbage-not-a-zip" * 10, "Excel"),
])
def test_malformed_files_are_refused(tmp_path, users, places, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with translation.override("en"):
        job = run(users["staff"], path)
    assert job.status == "refused" and fragment.lower() in job.message.lower()
    assert Resident.objects.count() == 0


def test_english_headers_gb18030_and_xlsx_round_trip(tmp_path, users, places):
    grid = places["grids"][0]
    job = run(users["staff"], write_csv(tmp_path, family_rows(grid.code, 0, 4), headers=EN_HEADERS, encoding="gb18030"))
    assert job.status == "succeeded" and job.created_count == 12, job.errors
    path, rows = export_residents(actor=users["staff"], full_values=True, purpose="年度核对", path=tmp_path / "out.xlsx")
    assert rows == 12
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ZH_HEADERS
    job = run(users["staff"], path)
    assert (job.status, job.unchanged_count, job.created_count, job.updated_count) == ("succeeded", 12, 0, 0), job.errors
    masked, _n = export_residents(actor=users["worker2"], path=tmp_path / "masked.xlsx")
    assert _n == 0  # worker 2 sees nothing of grid 1
    path, _n = export_residents(actor=users["worker1"], path=tmp_path / "masked1.xlsx")
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert all("*" in row[1] for row in cells[1:])
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__kind="export").count() == 3


def test_a_crash_midway_leaves_nothing_and_the_import_can_run_again(tmp_path, users, places):
    grid = places["grids"][0]
    path = write_csv(tmp_path, family_rows(grid.code, 0, 20))

    def crash(done):
        if done >= 20:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        ResidentImporter(actor=users["staff"], progress=crash, batch_size=10).run(path)
    assert Resident.objects.count() == 0 and Household.objects.count() == 0
    result = ResidentImporter(actor=users["staff"], batch_size=10).run(path)
    assert result.ok and result.created == 60


def test_import_needs_a_writer(tmp_path, users, places):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_create(actor=users["district"], path=write_csv(tmp_path, []))


def test_bulk_household_completeness_matches_rule(users, places):
    from django.core.management import call_command

    call_command("load_demo", quiet=True)
    expected = {h.pk: household_refresh_completeness(h) for h in Household.objects.all()}
    Household.objects.update(completeness=0)
    household_refresh_completeness_bulk("")
    assert dict(Household.objects.values_list("pk", "completeness")) == expected


