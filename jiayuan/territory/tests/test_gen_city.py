"""``gen_city``: a synthetic city whose CSV the importer can read, realistic and reproducible."""

import csv
import datetime as dt
import hashlib
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jiayuan.core.idnumber import make_id_number, parse_id_number
from jiayuan.residents.choices import _ETHNICITIES, _POLITICAL, _RELATIONS, ResidenceType
from jiayuan.residents.special_groups import SPECIAL_GROUPS
from jiayuan.territory import synthetic
from jiayuan.territory.models import Place

pytestmark = pytest.mark.django_db

N = 3000
HEADER = "姓名,公民身份号码,联系电话,民族,政治面貌,与户主关系,户主公民身份号码,网格编码,楼栋,单元,房号,人员类别,居住类型"


def _gen(path, seed=1, n=N) -> bytes:
    call_command("gen_city", residents=n, seed=seed, out=str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path.read_bytes()


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _age(number: str) -> int:
    born = parse_id_number(number, today=synthetic.REF_DATE).birth_date
    ref = synthetic.REF_DATE
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


def test_header_encoding_and_csv_form(tmp_path):
    data = _gen(tmp_path / "city.csv")
    assert data.startswith("\ufeff".encode()) and b"\r" not in data
    text = data.decode("utf-8-sig")
    assert text.split("\n", 1)[0] == HEADER
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == N + 1 and all(len(r) == 13 for r in rows)
    # the rows are joined by hand for speed: csv.writer must give the very same bytes
    again = io.StringIO()
    csv.writer(again, lineterminator="\n").writerows(rows)
    assert again.getvalue() == text


def test_identity_numbers_valid_and_unique(tmp_path):
    rows = _rows(_gen(tmp_path / "city.csv"))
    numbers = [r["公民身份号码"] for r in rows]
    assert len(set(numbers)) == len(numbers) == N
    for n in numbers:
        info = parse_id_number(n)
        # the fast path agrees with the reference implementation
        assert make_id_number(n[:6], info.birth_date, int(n[14:17])) == n


def test_values_come_from_the_code_tables(tmp_path):
    rows = _rows(_gen(tmp_path / "city.csv"))
    with translation.override("zh-hans"):
        residence = {str(label) for label in ResidenceType.labels}
    groups = {zh for _c, zh, *_r in SPECIAL_GROUPS}
    assert {r["民族"] for r in rows} <= {zh for _c, zh, _e in _ETHNICITIES}
    assert {r["政治面貌"] for r in rows} <= {zh for _c, zh, _e in _POLITICAL}
    assert {r["与户主关系"] for r in rows} <= {zh for _c, zh, _e in _RELATIONS}
    assert {r["居住类型"] for r in rows} <= residence
    assert {t for r in rows if r["人员类别"] for t in r["人员类别"].split("、")} <= groups
    for r in rows:
        assert 2 <= len(r["姓名"]) <= 4
        assert r["联系电话"] == "" or (len(r["联系电话"]) == 11 and r["联系电话"].startswith("1"))
        assert r["楼栋"].endswith("栋") and r["单元"].endswith("单元") and r["房号"].isdigit()
        if "流动人口" in r["人员类别"]:
            assert r["居住类型"] == "流动人口"


def test_places_exist_for_every_row(tmp_path):
    rows = _rows(_gen(tmp_path / "city.csv"))
    grids = set(Place.objects.filter(kind="grid").values_list("code", flat=True))
    units = set(Place.objects.filter(kind="unit").values_list("code", flat=True))
    for r in rows:
        assert r["网格编码"] in grids and r["网格编码"].startswith(synthetic.DISTRICT_PREFIX)
        assert f"{r['网格编码']}{int(r['楼栋'][:-1]):03d}{int(r['单元'][:-2]):02d}" in units
    for place in Place.objects.exclude(parent=None).select_related("parent"):
        assert place.code.startswith(place.parent.code)
        place.clean()  # codes have the right length for their level, parents the right kind


def test_households_head_first_in_their_room(tmp_path):
    rows = _rows(_gen(tmp_path / "city.csv"))
    heads_by_room: dict[tuple, str] = {}
    for r in rows:
        room = (r["网格编码"], r["楼栋"], r["单元"], r["房号"])
        if r["与户主关系"] == "户主":
            assert r["户主公民身份号码"] == "" and room not in heads_by_room
            heads_by_room[room] = r["公民身份号码"]
        else:
            assert r["户主公民身份号码"] == heads_by_room[room]


def test_realistic_ratios(tmp_path):
    rows = _rows(_gen(tmp_path / "city.csv"))
    households = sum(r["与户主关系"] == "户主" for r in rows)
    assert 2.2 <= N / households <= 2.8
    ages = [_age(r["公民身份号码"]) for r in rows]
    adults = [r for r, a in zip(rows, ages, strict=True) if a >= 18]
    members = sum(r["政治面貌"] in ("中共党员", "中共预备党员") for r in adults)
    assert 0.05 <= members / len(adults) <= 0.09
    assert not any(r["政治面貌"] == "共青团员" and not 14 <= a <= 28 for r, a in zip(rows, ages, strict=True))
    assert 0.05 <= sum(r["联系电话"] == "" for r in rows) / N <= 0.11
    assert 0.85 <= sum(r["民族"] == "汉族" for r in rows) / N <= 0.95
    tags = Counter(t for r in rows if r["人员类别"] for t in r["人员类别"].split("、"))
    assert 0.015 <= tags["残疾人"] / N <= 0.035
    assert tags["独居老人"] and tags["空巢老人"] and tags["低保"] and tags["流动人口"]
    for restricted in ("刑释解教人员", "社区矫正对象", "吸毒人员", "严重精神障碍患者"):
        assert tags[restricted] / N <= 0.01
    grids = Counter(r["网格编码"] for r in rows if r["与户主关系"] == "户主")
    assert all(150 <= n <= 600 for n in grids.values())


def test_deterministic_and_idempotent(tmp_path):
    first = hashlib.sha256(_gen(tmp_path / "a.csv")).hexdigest()
    places = sorted(Place.objects.values_list("code", "name", "kind"))
    second = hashlib.sha256(_gen(tmp_path / "b.csv")).hexdigest()
    assert first == second
    assert sorted(Place.objects.values_list("code", "name", "kind")) == places
    assert hashlib.sha256(_gen(tmp_path / "c.csv", seed=2)).hexdigest() != first


def test_places_only_and_required_out(tmp_path):
    call_command("gen_city", residents=N, places_only=True, stderr=io.StringIO())
    assert Place.objects.filter(kind="grid").exists()
    count = Place.objects.count()
    _gen(tmp_path / "city.csv")
    assert Place.objects.count() == count
    with pytest.raises(CommandError):
        call_command("gen_city", residents=N, stderr=io.StringIO())


def test_tree_shape_at_city_scale():
    """Without the database: ~300 households a grid, 8–12 grids a community, 5–8 streets a district."""
    grids = list(synthetic.iter_grids(2_000_000, 7))
    assert sum(g.quota for g in grids) == 2_000_000
    per_community = Counter(g.community[0] for g in grids)
    assert all(8 <= n <= 12 for n in list(per_community.values())[:-1])
    streets = Counter(g.street[0][:6] for g in {g.street: g for g in grids}.values())
    assert all(5 <= n <= 8 for n in list(streets.values())[:-1])
    assert len({g.district for g in grids}) >= 2
    assert dt.date.today() >= synthetic.REF_DATE  # no birth date can be in the future
