"""A synthetic city (issue 3): a deterministic territory tree and its residents as an import CSV.

Why: load tests, the importer and the UI need city-scale data (up to millions of residents) that
looks like a real registry and is the same on every run, so a slow page or a failed import can
be reproduced from ``(residents, seed)`` alone.

How it stays fast and small:

* The city is a stream of grids. Each grid's layout (households, buildings, rooms) is drawn from
  its own RNG seeded by ``(seed, grid code)``, so the places pass and the CSV pass replay the
  same layout without keeping it, and memory does not grow with the number of residents.
* People are drawn from one RNG stream in file order; draws use lookup tables rather than
  ``random.choices`` and identity numbers use precomputed partial checksums (the same result as
  ``core.idnumber.make_id_number``, which costs ~13 µs a call: more than the whole row budget).
* Identity numbers are unique by construction: the 3-digit sequence is a counter per
  (birth-place code, birth date, sex), kept in fixed-size arrays, not a set of numbers seen.

District codes are fictional (prefix 5299, never used by GB/T 2260) so they cannot collide with
the demo's 520371 or with real data.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import random
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction

from jiayuan.core.idnumber import CHECK_CHARS, WEIGHTS
from jiayuan.residents.special_groups import SPECIAL_GROUPS

from .choices import PlaceKind
from .models import Place

HEADER = [
    "姓名", "公民身份号码", "联系电话", "民族", "政治面貌", "与户主关系", "户主公民身份号码",
    "网格编码", "楼栋", "单元", "房号", "人员类别", "居住类型",
]
DISTRICT_PREFIX = "5299"  # not a GB/T 2260 prefecture: fictional, cannot collide with real codes
MAX_DISTRICTS = 99
REF_DATE = dt.date(2026, 1, 1)  # ages are counted to this fixed day so output does not change daily
PROGRESS_EVERY = 100_000

# ---------------------------------------------------------------------------------------------
# Names and code tables
# ---------------------------------------------------------------------------------------------

DISTRICT_NAMES = [
    "青山区", "临江区", "金湖区", "凤鸣区", "丹霞区", "松涛区", "明珠区", "白鹭区", "秀水区", "枫林区",
    "星河区", "翠屏区", "云峰区", "南湖区", "北岭区", "东源区",
]
STREET_WORDS = [
    "和平", "光明", "朝阳", "新华", "人民", "解放", "建设", "胜利", "中山", "长征", "红旗", "友谊",
    "团结", "东风", "兴隆", "富民", "文化", "育才", "滨江", "南门", "北门", "西城", "东城", "花溪",
    "龙井", "桂花", "杏林", "碧桂", "清泉", "望城",
]
COMMUNITY_WORDS = [
    "和平", "幸福", "阳光", "翠湖", "春晖", "绿荫", "金桥", "银杏", "紫荆", "梧桐", "丰收", "康乐",
    "安居", "乐业", "兴旺", "锦绣", "百花", "春风", "晨曦", "碧水", "青松", "玉兰", "荷塘", "枫香",
    "明月", "星光", "彩虹", "瑞丰", "福寿", "长青", "东湖", "西苑", "南苑", "北苑", "新村", "鑫源",
    "花园", "园丁", "书香", "德馨", "泰和", "永安", "广济", "恒丰", "馨园", "景苑", "佳苑", "华庭",
]
# ~100 common surnames with rough weights (per mille of the population, 2020 census order).
SURNAMES = [
    ("王", 72), ("李", 72), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 32), ("黄", 23), ("赵", 22),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 14), ("胡", 13), ("郭", 12),
    ("何", 12), ("林", 11), ("高", 11), ("罗", 11), ("郑", 10), ("梁", 10), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("邓", 7), ("冯", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("潘", 5), ("袁", 5), ("蔡", 5), ("蒋", 5), ("余", 5),
    ("于", 5), ("杜", 5), ("叶", 4), ("程", 4), ("魏", 4), ("苏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("卢", 4), ("姚", 4), ("沈", 4), ("钟", 4), ("姜", 4), ("崔", 3), ("谭", 3),
    ("陆", 3), ("范", 3), ("汪", 3), ("廖", 3), ("石", 3), ("金", 3), ("韦", 3), ("贾", 3),
    ("夏", 3), ("付", 3), ("方", 3), ("邹", 2), ("熊", 2), ("白", 2), ("孟", 2), ("秦", 2),
    ("邱", 2), ("侯", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2),
    ("龙", 2), ("黎", 2), ("史", 2), ("陶", 2), ("贺", 2), ("毛", 2), ("郝", 2), ("顾", 2),
    ("龚", 2), ("邵", 2), ("万", 1), ("覃", 1), ("武", 1), ("钱", 1), ("戴", 1), ("严", 1),
    ("莫", 1), ("孔", 1), ("向", 1), ("常", 1), ("欧阳", 1), ("司马", 1),
]
GIVEN_MALE = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信"
    "子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超"
    "浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠"
)
GIVEN_FEMALE = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳"
    "嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑"
    "婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝"
)
# (zh name, weight) drawn from residents/choices.py _ETHNICITIES; a Guizhou-like mix, ~90% Han.
ETHNICITY_WEIGHTS = [
    ("汉族", 900), ("苗族", 30), ("布依族", 20), ("侗族", 10), ("土家族", 12), ("仡佬族", 8), ("彝族", 5),
    ("回族", 5), ("水族", 3), ("壮族", 2), ("满族", 1), ("白族", 1), ("蒙古族", 1), ("瑶族", 1), ("其他", 1),
]
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "184", "185",
    "186", "187", "188", "189", "191", "198", "199",
]
# Birth-place codes. Permanent residents (常住) come from elsewhere in the province; floating
# residents and tenants from anywhere in the country.
PROVINCE_AREAS = ["520102", "520103", "520111", "520302", "520303", "520304", "520402", "520502", "522601", "522701"]
COUNTRY_AREAS = [
    "510104", "500103", "530102", "430102", "450103", "420102", "440106", "360102", "350102", "330106",
    "320102", "370102", "410102", "130102", "610103", "340102", "220102", "230102", "140105", "620102",
]

RESIDENCE_REGISTERED, RESIDENCE_PERMANENT, RESIDENCE_FLOATING, RESIDENCE_RENTING = (
    "户籍人口", "常住人口", "流动人口", "租住"
)

# Household kinds. Each has a size fixed by the layout draw (so the places pass knows the number
# of households per grid without drawing people) and details drawn later from the people stream.
SOLO_ELDER, SOLO_YOUNG, ELDER_COUPLE, YOUNG_COUPLE, NUCLEAR, THREE_GEN, SINGLE_PARENT, SKIP_GEN, SHARED = range(9)
KIND_WEIGHTS = [
    (SOLO_ELDER, 9), (SOLO_YOUNG, 12), (ELDER_COUPLE, 15), (YOUNG_COUPLE, 10), (NUCLEAR, 35), (THREE_GEN, 9),
    (SINGLE_PARENT, 5), (SKIP_GEN, 3), (SHARED, 2),
]
# Building shapes (units, floors, rooms per floor) → 24–72 households, mostly 24–48.
BUILDING_SHAPES = [
    ((2, 6, 2), 3), ((2, 7, 2), 2), ((3, 6, 2), 3), ((2, 6, 3), 2), ((2, 9, 2), 2), ((2, 11, 2), 2),
    ((4, 6, 2), 2), ((2, 12, 2), 2), ((3, 8, 2), 1), ((3, 6, 3), 1), ((2, 18, 2), 1),
]
VACANCY = 0.08
GRID_SQUARE = 0.004  # degrees; grids are drawn as simple squares, communities as blocks of 4×3
ORIGIN = (106.60, 26.50)

_GROUP_INDEX = {code: i for i, (code, *_rest) in enumerate(SPECIAL_GROUPS)}
_GROUP_ZH = [zh for _code, zh, *_rest in SPECIAL_GROUPS]


def _bit(code: str) -> int:
    return 1 << _GROUP_INDEX[code]


SOLITARY, EMPTY_NEST, ENTITLED, FLOATING, LEFT_BEHIND, DISABLED, DIBAO, WUBAO, NEEDY, UNEMPLOYED, YOUTH, RELEASED, \
    CORRECTION, DRUG, MENTAL = (_bit(c) for c, *_r in SPECIAL_GROUPS)


def _table(weights, size: int = 1000) -> list:
    """A lookup list where each item appears in proportion to its weight: ``t[int(random() * len(t))]``
    is one multiplication and an index, against ~1 µs for ``random.choices``."""
    total = sum(w for _item, w in weights)
    out = []
    for item, w in weights:
        out.extend([item] * max(1, round(w * size / total)))
    return out


# ---------------------------------------------------------------------------------------------
# The tree: districts → streets → communities → grids (quotas of residents)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridSpec:
    index: int  # 0-based, city-wide, in file order
    district: tuple[str, str]  # (code, name)
    street: tuple[str, str]
    community: tuple[str, str]
    community_index: int
    code: str
    name: str
    quota: int  # residents living in this grid


def iter_grids(residents: int, seed: int) -> Iterator[GridSpec]:
    """Walk the tree in code order, handing out ~750 residents (~300 households) per grid until
    ``residents`` are placed. The draws are sequential, so a larger city with the same seed
    starts with the same tree."""
    if residents < 1:
        raise ValueError("residents must be at least 1")
    rng = random.Random(f"jiayuan-city:{seed}:tree")
    left, index, community_index = residents, 0, 0
    for d in itertools.count(1):
        if left <= 0:
            return
        if d > MAX_DISTRICTS:
            raise ValueError("too many residents for 99 districts")
        base = DISTRICT_NAMES[(d - 1) % len(DISTRICT_NAMES)]
        round_ = (d - 1) // len(DISTRICT_NAMES)
        district = (f"{DISTRICT_PREFIX}{d:02d}", base if not round_ else f"{base[:-1]}{round_ + 1}区")
        n_streets = rng.randint(5, 8)
        for s, word in enumerate(rng.sample(STREET_WORDS, n_streets), start=1):
            if left <= 0:
                break
            street = (f"{district[0]}{s:03d}", f"{word}街道")
            n_communities = rng.randint(8, 12)
            for c, cword in enumerate(rng.sample(COMMUNITY_WORDS, n_communities), start=1):
                if left <= 0:
                    break
                community = (f"{street[0]}{c:03d}", f"{cword}社区")
                for g in range(1, rng.randint(8, 12) + 1):
                    if left <= 0:
                        break
                    quota = rng.randint(600, 900)
                    if left - quota < 300:
                        quota = left
                    left -= quota
                    yield GridSpec(
                        index=index, district=district, street=street, community=community,
                        community_index=community_index, code=f"{community[0]}{g:03d}", name=f"第{g}网格",
                        quota=quota,
                    )
                    index += 1
                community_index += 1


# ---------------------------------------------------------------------------------------------
# A grid's layout: households (kind and size) in rooms of buildings
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class GridPlan:
    grid: GridSpec
    buildings: list[tuple[int, int]]  # (building number, units)
    households: list[tuple[int, int, int, int, int, str]]  # (kind, a, b, building no., unit no., room)


_KIND_TABLE = _table(KIND_WEIGHTS)
_SHAPE_TABLE = _table(BUILDING_SHAPES, 100)


def household_size(kind: int, a: int, b: int) -> int:
    """Members of a household: ``a`` children (or housemates), ``b`` elders of the household."""
    if kind in (SOLO_ELDER, SOLO_YOUNG):
        return 1
    if kind in (ELDER_COUPLE, YOUNG_COUPLE):
        return 2
    if kind == NUCLEAR:
        return 2 + a
    if kind == THREE_GEN:
        return 2 + a + b
    if kind == SINGLE_PARENT:
        return 1 + a
    if kind == SKIP_GEN:
        return a + b
    return 1 + a  # SHARED


def plan_grid(seed: int, grid: GridSpec, first_building: int) -> GridPlan:
    """Draw the grid's households until its quota of residents is met (the last household is
    cut to fit), then put them in rooms of buildings numbered from ``first_building``."""
    rng = random.Random(f"jiayuan-city:{seed}:grid:{grid.code}")
    r = rng.random
    kinds, left = [], grid.quota
    while left > 0:
        kind = _KIND_TABLE[int(r() * len(_KIND_TABLE))]
        a = b = 0
        if kind == NUCLEAR:
            a = 1 if r() < 0.68 else (2 if r() < 0.9 else 3)
        elif kind == THREE_GEN:
            a, b = (1 if r() < 0.7 else 2), (1 if r() < 0.55 else 2)
        elif kind == SINGLE_PARENT:
            a = 1 if r() < 0.75 else 2
        elif kind == SKIP_GEN:
            a, b = (1 if r() < 0.7 else 2), (1 if r() < 0.45 else 2)
        elif kind == SHARED:
            a = 1 if r() < 0.7 else 2
        size = household_size(kind, a, b)
        if size > left:  # the last household of the grid: the smallest kind that fits exactly
            kind, a, b = (SOLO_YOUNG, 0, 0) if left == 1 else (YOUNG_COUPLE, 0, 0) if left == 2 else (NUCLEAR, left - 2, 0)
            size = left
        kinds.append((kind, a, b))
        left -= size
    households, buildings, number, i = [], [], first_building, 0
    while i < len(kinds):
        units, floors, per_floor = _SHAPE_TABLE[int(r() * len(_SHAPE_TABLE))]
        buildings.append((number, units))
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for room in range(1, per_floor + 1):
                    if i < len(kinds) and r() >= VACANCY:
                        households.append((*kinds[i], number, unit, f"{floor}{room:02d}"))
                        i += 1
        number += 1
    return GridPlan(grid=grid, buildings=buildings, households=households)


def iter_plans(residents: int, seed: int) -> Iterator[GridPlan]:
    """Grid layouts in file order. Buildings are numbered through the community (1栋, 2栋, …
    across its grids), as on the street, so a building label is unambiguous in its community."""
    community, number = None, 1
    for grid in iter_grids(residents, seed):
        if grid.community[0] != community:
            community, number = grid.community[0], 1
        plan = plan_grid(seed, grid, number)
        number += len(plan.buildings)
        if number > 1000:
            raise ValueError(f"community {community} would need more than 999 buildings")
        yield plan


# ---------------------------------------------------------------------------------------------
# Places in the database
# ---------------------------------------------------------------------------------------------


def _square(grid: GridSpec) -> dict:
    """A simple square per grid; communities sit as blocks of 4×3 grids on a 25-block-wide map."""
    col, row = grid.community_index % 25, grid.community_index // 25
    g = int(grid.code[-3:]) - 1
    lon = ORIGIN[0] + GRID_SQUARE * (col * 4 + g % 4)
    lat = ORIGIN[1] + GRID_SQUARE * (row * 3 + g // 4)
    d = GRID_SQUARE * 0.95
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def ensure_places(residents: int, seed: int, *, batch_size: int = 1000) -> dict[str, int]:
    """Create the city's places that do not exist yet; returns how many of each kind were made.

    Idempotent by code: running again with the same arguments creates nothing. Works one
    community at a time (one transaction each), so memory stays bounded however big the city.
    ``bulk_create`` skips ``save()`` and its audit-log signal on purpose: these are generated
    rows, and logging 100 000 of them would cost more than creating them.
    """
    created = dict.fromkeys(PlaceKind.values, 0)
    upper: dict[str, int] = {}  # district/street/community code → id (a few hundred at most)

    def ensure_upper(kind, code, name, parent_code, **extra) -> int:
        if code not in upper:
            parent_id = upper[parent_code] if parent_code else None
            obj = Place.objects.filter(code=code).only("id").first()
            if obj is None:
                obj = Place.objects.create(kind=kind, code=code, name=name, parent_id=parent_id, **extra)
                created[kind] += 1
            upper[code] = obj.id
        return upper[code]

    def flush(plans: list[GridPlan]) -> None:
        grid0 = plans[0].grid
        with transaction.atomic():
            ensure_upper(PlaceKind.DISTRICT, *grid0.district, None)
            ensure_upper(PlaceKind.STREET, *grid0.street, grid0.district[0])
            ensure_upper(
                PlaceKind.COMMUNITY, *grid0.community, grid0.street[0],
                address=f"{grid0.district[1]}{grid0.street[1]}{grid0.community[1]}",
            )
            prefix = grid0.community[0]
            existing = set(Place.objects.filter(code__startswith=prefix).values_list("code", flat=True))

            def create(objs: list[Place], kind: str) -> dict[str, int]:
                new = [o for o in objs if o.code not in existing]
                Place.objects.bulk_create(new, batch_size=batch_size)
                created[kind] += len(new)
                return dict(Place.objects.filter(code__startswith=prefix, kind=kind).values_list("code", "id"))

            cid = upper[prefix]
            grid_ids = create(
                [Place(kind=PlaceKind.GRID, code=p.grid.code, name=p.grid.name, parent_id=cid, boundary=_square(p.grid))
                 for p in plans],
                PlaceKind.GRID,
            )
            buildings = [
                Place(kind=PlaceKind.BUILDING, code=f"{p.grid.code}{n:03d}", name=f"{n}栋", parent_id=grid_ids[p.grid.code],
                      address=f"{p.grid.community[1]}{n}栋")
                for p in plans for n, _units in p.buildings
            ]
            building_ids = create(buildings, PlaceKind.BUILDING)
            units = [
                Place(kind=PlaceKind.UNIT, code=f"{p.grid.code}{n:03d}{u:02d}", name=f"{u}单元",
                      parent_id=building_ids[f"{p.grid.code}{n:03d}"])
                for p in plans for n, count in p.buildings for u in range(1, count + 1)
            ]
            create(units, PlaceKind.UNIT)

    batch: list[GridPlan] = []
    for plan in iter_plans(residents, seed):
        if batch and batch[0].grid.community != plan.grid.community:
            flush(batch)
            batch = []
        batch.append(plan)
    if batch:
        flush(batch)
    return created


# ---------------------------------------------------------------------------------------------
# Residents: the CSV stream
# ---------------------------------------------------------------------------------------------

_BASE_DATE = dt.date(1920, 1, 1)
_DAYS = (REF_DATE - _BASE_DATE).days + 1
_DATE_STR: list[str] = []
_DATE_SUM: list[int] = []
for _d in range(_DAYS):
    _s = (_BASE_DATE + dt.timedelta(days=_d)).strftime("%Y%m%d")
    _DATE_STR.append(_s)
    _DATE_SUM.append(sum(int(c) * w for c, w in zip(_s, WEIGHTS[6:14], strict=True)))
_SEQ_STR = [f"{i:03d}" for i in range(1000)]
_SEQ_SUM = [sum(int(c) * w for c, w in zip(s, WEIGHTS[14:17], strict=True)) for s in _SEQ_STR]
_REF_DAY = _DAYS - 1


@dataclass
class CityStats:
    residents: int = 0
    households: int = 0
    grids: int = 0
    buildings: int = 0


class _People:
    """Draws the people of one household after another from a single RNG stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"jiayuan-city:{seed}:people")
        self.surnames = _table(SURNAMES, 2000)
        self.ethnicities = _table(ETHNICITY_WEIGHTS, 1000)
        # per birth-place code: (numbers issued per (birth day, sex), the code's checksum part)
        self.areas: dict[str, tuple[array, int]] = {}
        self.tag_names: dict[int, str] = {0: ""}

    def add_area(self, area: str) -> tuple[array, int]:
        """Start counting numbers for a birth-place code: 2 bytes per (day, sex), ~146 KB."""
        info = self.areas[area] = (
            array("H", bytes(4 * _DAYS)),
            sum(int(c) * w for c, w in zip(area, WEIGHTS[:6], strict=True)),
        )
        return info

    def tags_text(self, mask: int) -> str:
        text = self.tag_names.get(mask)
        if text is None:
            text = self.tag_names[mask] = "、".join(z for i, z in enumerate(_GROUP_ZH) if mask >> i & 1)
        return text


_RESIDENCE_TABLES = {
    "young": _table([(RESIDENCE_REGISTERED, 30), (RESIDENCE_PERMANENT, 15), (RESIDENCE_FLOATING, 35),
                     (RESIDENCE_RENTING, 20)]),
    "elder": _table([(RESIDENCE_REGISTERED, 88), (RESIDENCE_PERMANENT, 9), (RESIDENCE_FLOATING, 2),
                     (RESIDENCE_RENTING, 1)]),
    "family": _table([(RESIDENCE_REGISTERED, 70), (RESIDENCE_PERMANENT, 14), (RESIDENCE_FLOATING, 10),
                      (RESIDENCE_RENTING, 6)]),
}
_RESIDENCE_BY_KIND = {
    SOLO_ELDER: "elder", ELDER_COUPLE: "elder", SKIP_GEN: "elder", SOLO_YOUNG: "young", SHARED: "young",
    YOUNG_COUPLE: "family", NUCLEAR: "family", THREE_GEN: "family", SINGLE_PARENT: "family",
}
_HARDSHIP = {SOLO_ELDER: 0.10, SINGLE_PARENT: 0.15, SKIP_GEN: 0.15, ELDER_COUPLE: 0.05}
_BUILDING_LABELS = [f"{n}栋" for n in range(1000)]
_UNIT_LABELS = [f"{n}单元" for n in range(100)]
_OTHER_PARTIES = ["民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员", "无党派人士"]


def _given_names(chars: str) -> list[str]:
    """Every one- and two-character given name, singles repeated so a quarter of names have
    one character: one draw per name instead of three."""
    singles = [c for c in chars for _ in range(len(chars) // 3)]
    return singles + [a + b for a in chars for b in chars]


def _members(kind: int, a: int, b: int, r, surname) -> list[tuple[int, int, str, str]]:
    """The people of one household as (male, age, relation, surname), head first."""

    def ri(lo: int, hi: int) -> int:  # randint without its argument checks (5× faster)
        return lo + int(r() * (hi - lo + 1))

    def kids(parent_age: int, n: int, s: str, relation: str | None = None) -> list:
        top = max(0, min(25, parent_age - 22))
        out = []
        for _ in range(n):
            male = int(r() < 0.52)
            out.append((male, ri(0, top), relation or ("子" if male else "女"), s))
        return out

    if kind == SOLO_ELDER:
        return [(int(r() < 0.4), ri(65, 92), "户主", surname())]
    if kind == SOLO_YOUNG:
        return [(int(r() < 0.55), ri(18, 45), "户主", surname())]
    if kind == ELDER_COUPLE:
        age = ri(60, 88)
        return [(1, age, "户主", surname()), (0, max(55, age - ri(0, 5)), "配偶", surname())]
    if kind == YOUNG_COUPLE:
        male, age = int(r() < 0.85), ri(22, 40)
        return [(male, age, "户主", surname()), (1 - male, max(20, age + ri(-3, 3)), "配偶", surname())]
    if kind in (NUCLEAR, THREE_GEN):
        male, age = int(r() < 0.8), ri(26, 55) if kind == NUCLEAR else ri(30, 55)
        head_s, spouse_s = surname(), surname()
        members = [(male, age, "户主", head_s), (1 - male, max(20, age + ri(-4, 4)), "配偶", spouse_s)]
        members += kids(age, a, head_s if male else spouse_s)
        if b:
            old = min(98, age + ri(24, 34))
            if b == 2:
                members += [(1, old, "父母", head_s), (0, max(old - ri(0, 5), age + 20), "父母", surname())]
            else:
                members.append((1, old, "父母", head_s) if r() < 0.4 else (0, old, "父母", surname()))
        return members
    if kind == SINGLE_PARENT:
        age, head_s = ri(28, 55), surname()
        return [(int(r() < 0.3), age, "户主", head_s), *kids(age, a, head_s)]
    if kind == SKIP_GEN:  # grandparents raising grandchildren whose parents work elsewhere
        age, head_s = ri(55, 78), surname()
        male = 1 if b == 2 else int(r() < 0.4)
        members = [(male, age, "户主", head_s)]
        if b == 2:
            members.append((0, max(50, age - ri(0, 5)), "配偶", surname()))
        return members + kids(40, a, head_s if male else surname(), "孙子女")  # grandchildren 0–15
    age, head_s = ri(20, 35), surname()  # SHARED: siblings or unrelated housemates
    members = [(int(r() < 0.55), age, "户主", head_s)]
    for _ in range(a):
        if r() < 0.3:
            members.append((int(r() < 0.5), max(18, age + ri(-6, 6)), "兄弟姐妹", head_s))
        else:
            members.append((int(r() < 0.55), ri(19, 38), "非亲属", surname()))
    return members


def write_residents(
    path, residents: int, seed: int, *, progress: Callable[[int], None] | None = None
) -> CityStats:
    """Write the city's residents to ``path`` (UTF-8 with BOM, ``\\n`` line ends) in the import
    template's columns, household by household with the head first. Streams grid by grid.

    The inner loop is written for speed (locals, one draw per decision, identity numbers from
    precomputed partial checksums, one encode per grid): it is what decides rows per second.
    """
    stats = CityStats()
    people = _People(seed)
    r = people.rng.random
    surnames, n_surnames = people.surnames, len(people.surnames)
    ethnicities, n_eth = people.ethnicities, len(people.ethnicities)
    given_names = (_given_names(GIVEN_FEMALE), _given_names(GIVEN_MALE))
    n_given = (len(given_names[0]), len(given_names[1]))
    prefixes, n_prefixes = [int(p) * 10**8 for p in MOBILE_PREFIXES], len(MOBILE_PREFIXES)
    n_province, n_country = len(PROVINCE_AREAS), len(COUNTRY_AREAS)
    areas = people.areas
    date_str, date_sum, seq_str, seq_sum, ref_day = _DATE_STR, _DATE_SUM, _SEQ_STR, _SEQ_SUM, _REF_DAY
    tag_names = people.tag_names
    next_progress = PROGRESS_EVERY

    def surname() -> str:
        return surnames[int(r() * n_surnames)]

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(HEADER)
        for plan in iter_plans(residents, seed):
            grid = plan.grid
            stats.grids += 1
            stats.buildings += len(plan.buildings)
            grid_code, local_area = grid.code, grid.district[0]
            rows = []
            for kind, a, b, number, unit, room in plan.households:
                members = _members(kind, a, b, r, surname)
                building_label, unit_label = _BUILDING_LABELS[number], _UNIT_LABELS[unit]
                table = _RESIDENCE_TABLES[_RESIDENCE_BY_KIND[kind]]
                residence = table[int(r() * len(table))]
                registered = residence == RESIDENCE_REGISTERED
                if registered:
                    area = local_area
                elif residence == RESIDENCE_PERMANENT:
                    area = PROVINCE_AREAS[int(r() * n_province)]
                else:
                    area = COUNTRY_AREAS[int(r() * n_country)]
                house_mask = 0
                if r() < _HARDSHIP.get(kind, 0.025):
                    house_mask = NEEDY | (DIBAO if r() < 0.45 else 0)
                    if kind == SOLO_ELDER and r() < 0.3:
                        house_mask |= WUBAO
                if residence == RESIDENCE_FLOATING:
                    house_mask |= FLOATING
                eth = ethnicities[int(r() * n_eth)]
                head_id = ""
                for male, age, relation, sname in members:
                    # identity number: mostly the household's birth place, sometimes another
                    if r() < 0.85:
                        person_area = area
                    else:
                        person_area = local_area if registered else COUNTRY_AREAS[int(r() * n_country)]
                    info = areas.get(person_area) or people.add_area(person_area)
                    counts = info[0]
                    day = ref_day - int((age + r()) * 365.25)
                    key = day + day + male
                    k = counts[key]
                    while k >= 500:  # all 500 numbers of that day are taken: the person is a day older
                        day -= 1
                        key -= 2
                        k = counts[key]
                    counts[key] = k + 1
                    seq = ((k * 173 + day) % 500) * 2 + male  # scrambled so neighbours differ
                    idn = (
                        f"{person_area}{date_str[day]}{seq_str[seq]}"
                        f"{CHECK_CHARS[(info[1] + date_sum[day] + seq_sum[seq]) % 11]}"
                    )
                    if r() < (0.25 if age < 12 else 0.2 if age >= 80 else 0.03):
                        phone = ""  # small children and the very old often have no phone of their own
                    else:  # one draw: its integer part picks the prefix, its fraction the 8 digits
                        x = r() * n_prefixes
                        i = int(x)
                        phone = str(prefixes[i] + int((x - i) * 1e8))
                    if relation == "配偶" or relation == "非亲属":
                        person_eth = eth if r() < 0.85 else ethnicities[int(r() * n_eth)]
                    else:
                        person_eth = eth
                    x = r()
                    if age >= 18 and x < 0.07:
                        political = "中共党员" if x < 0.064 else "中共预备党员"
                    elif 14 <= age <= 28 and x < 0.32:
                        political = "共青团员"
                    elif age >= 25 and x > 0.997:
                        political = _OTHER_PARTIES[int(r() * 8)]
                    else:
                        political = "群众"
                    mask = house_mask
                    if kind == SOLO_ELDER:
                        mask |= SOLITARY
                    elif kind == ELDER_COUPLE:
                        if age >= 60:
                            mask |= EMPTY_NEST
                    elif kind == SKIP_GEN and age < 16 and r() < 0.75:
                        mask |= LEFT_BEHIND
                    if r() < (0.008 if age < 18 else 0.02 if age < 60 else 0.045):
                        mask |= DISABLED
                    if age >= 18:
                        x = r()
                        if x < 0.035:
                            if age < 60:
                                mask |= UNEMPLOYED
                        elif x > (0.985 if age >= 40 else 0.998):
                            mask |= ENTITLED
                        x = r()
                        if x < 0.012:  # the restricted groups, rare; one draw decides them all
                            if x < 0.005:
                                if age <= 70 and (male or x < 0.001):
                                    mask |= RELEASED
                            elif x < 0.0065:
                                mask |= CORRECTION
                            elif x < 0.0077:
                                mask |= DRUG
                            else:
                                mask |= MENTAL
                    if 12 <= age <= 25 and r() < 0.008:
                        mask |= YOUTH
                    if mask:
                        tags = tag_names.get(mask) or people.tags_text(mask)
                    else:
                        tags = ""
                    # No value can hold a comma, quote or line break (all come from the tables
                    # above), so joining gives exactly what csv.writer would, at 1/5 of its cost.
                    rows.append(",".join((
                        sname + given_names[male][int(r() * n_given[male])], idn, phone, person_eth, political,
                        relation, head_id, grid_code, building_label, unit_label, room, tags, residence,
                    )))
                    if not head_id:
                        head_id = idn
                stats.households += 1
            rows.append("")
            f.write("\n".join(rows))
            stats.residents += len(rows) - 1
            if progress and stats.residents >= next_progress:
                progress(stats.residents)
                next_progress = (stats.residents // PROGRESS_EVERY + 1) * PROGRESS_EVERY
    return stats
