"""The demo community: 平庄花园 compound of 礼仪社区 in 新蒲新区 (seed 004 L30-80).

Deterministic (fixed seed): the same command gives the same people. Identity numbers are valid
(GB 11643 checksum) but synthetic; the place codes follow the national scheme but the district
code is illustrative.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from faker import Faker

from jiayuan.core import crypto
from jiayuan.core.idnumber import make_id_number
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Compound, Place

from .choices import RELATION_HEAD, EmploymentStatus, HardshipStatus, MoveKind, ResidenceType, ResidentStatus
from .models import Household, Resident, ResidentMove, ResidentTag, SpecialGroup
from .search import name_grams
from .special_groups import ensure_special_groups

DISTRICT = ("520371", "新蒲新区")
STREET = ("520371001", "礼仪街道")
COMMUNITY = ("520371001001", "礼仪社区")
COMPOUND = "平庄花园"
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格"]
BUILDINGS_PER_GRID = [7, 7, 7, 6]  # 27 buildings (issue 2)
UNITS_PER_BUILDING = 2
FLOORS = 6
ROOMS_PER_FLOOR = 2
ORIGIN = (106.98, 27.72)  # lon, lat near Zunyi; grid squares laid side by side
# Birth-place codes for synthetic identity numbers (Zunyi districts and a few elsewhere).
AREAS = ["520302", "520303", "520304", "520321", "520322", "520323", "510104", "500103", "530102", "430102"]


def grid_code(i: int) -> str:
    return f"{COMMUNITY[0]}{i + 1:03d}"


def _square(i: int) -> dict:
    lon, lat = ORIGIN[0] + 0.004 * i, ORIGIN[1]
    ring = [[lon, lat], [lon + 0.0038, lat], [lon + 0.0038, lat + 0.0038], [lon, lat + 0.0038], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


@transaction.atomic
def build_places() -> dict[str, Place]:
    """Create (or find) the district → unit tree of the demo compound."""

    def place(kind, code, name, parent, **extra):
        obj, _ = Place.objects.get_or_create(code=code, defaults={"kind": kind, "name": name, "parent": parent, **extra})
        return obj

    district = place(PlaceKind.DISTRICT, *DISTRICT, None)
    street = place(PlaceKind.STREET, *STREET, district)
    community = place(PlaceKind.COMMUNITY, *COMMUNITY, street, address="贵州省遵义市新蒲新区礼仪街道")
    compound, _ = Compound.objects.get_or_create(community=community, name=COMPOUND)
    grids, number = [], 0
    for i, gname in enumerate(GRID_NAMES):
        grid = place(PlaceKind.GRID, grid_code(i), gname, community, boundary=_square(i))
        grids.append(grid)
        for _b in range(BUILDINGS_PER_GRID[i]):
            number += 1
            building = place(
                PlaceKind.BUILDING, f"{grid.code}{number:03d}", f"{number}栋", grid, compound=compound,
                address=f"{COMPOUND}{number}栋",
            )
            for u in range(1, UNITS_PER_BUILDING + 1):
                place(PlaceKind.UNIT, f"{building.code}{u:02d}", f"{u}单元", building)
    return {"district": district, "street": street, "community": community, "grids": grids}


def _person(fake: Faker, rng: random.Random, *, age: int, sex: str | None = None, surname: str | None = None):
    sex = sex or rng.choice(["male", "female"])
    today = dt.date(2026, 1, 1)
    birth = today - dt.timedelta(days=365 * age + rng.randint(0, 364))
    seq = rng.randrange(1 if sex == "male" else 0, 999, 2)
    number = make_id_number(rng.choice(AREAS), birth, seq)
    given = fake.first_name_male() if sex == "male" else fake.first_name_female()
    return {"name": (surname or fake.last_name()) + given, "id_number": number, "birth": birth, "sex": sex, "age": age}


def _household_people(fake, rng) -> list[dict]:
    """One household: a head and a realistic mix of spouse, children and parents (~2.6 people)."""
    kind = rng.choices(["single_elder", "couple_elder", "young_single", "family", "three_gen"], [8, 14, 10, 48, 20])[0]
    if kind == "single_elder":
        return [dict(_person(fake, rng, age=rng.randint(68, 90)), relation=RELATION_HEAD)]
    if kind == "couple_elder":
        head = _person(fake, rng, age=rng.randint(60, 85), sex="male")
        return [dict(head, relation=RELATION_HEAD), dict(_person(fake, rng, age=head["age"] - rng.randint(0, 4), sex="female"), relation="10")]
    if kind == "young_single":
        return [dict(_person(fake, rng, age=rng.randint(20, 35)), relation=RELATION_HEAD)]
    head = _person(fake, rng, age=rng.randint(28, 55), sex="male")
    people = [dict(head, relation=RELATION_HEAD), dict(_person(fake, rng, age=head["age"] - rng.randint(0, 5), sex="female"), relation="10")]
    surname = head["name"][0]
    for _c in range(rng.choices([0, 1, 2], [15, 55, 30])[0]):
        age = max(0, head["age"] - rng.randint(22, 34))
        sex = rng.choice(["male", "female"])
        people.append(dict(_person(fake, rng, age=age, sex=sex, surname=surname), relation="20" if sex == "male" else "30"))
    if kind == "three_gen":
        people.append(dict(_person(fake, rng, age=min(95, head["age"] + rng.randint(24, 32))), relation="50"))
    return people


def _attributes(rng, p, household_size: int) -> dict:
    age = p["age"]
    if age < 6:
        employment, education = EmploymentStatus.PRESCHOOL, ""
    elif age < 22:
        employment, education = EmploymentStatus.STUDENT, rng.choice(["80", "70", "60"])
    elif age >= 60:
        employment, education = EmploymentStatus.RETIRED, rng.choice(["80", "70", "60", "30"])
    else:
        employment = rng.choices(
            [EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.UNEMPLOYED, EmploymentStatus.OTHER],
            [70, 15, 8, 7],
        )[0]
        education = rng.choice(["20", "30", "40", "60", "70", "10"])
    if age >= 18 and rng.random() < 0.075:
        political = "01" if rng.random() < 0.9 else "02"  # about 7% members (issue 3)
    elif 14 <= age <= 28 and rng.random() < 0.3:
        political = "03"
    else:
        political = "13"
    residence = rng.choices(
        [ResidenceType.REGISTERED, ResidenceType.PERMANENT, ResidenceType.FLOATING, ResidenceType.RENTING], [72, 12, 10, 6]
    )[0]
    ethnicity = rng.choices(["01", "06", "37", "09", "15", "03"], [82, 6, 4, 3, 3, 2])[0]
    return {
        "employment_status": employment, "education": education, "political_status": political,
        "residence_type": residence, "ethnicity": ethnicity,
    }


def _tags_for(rng, p, attrs, household_size: int, household_hardship: bool) -> list[str]:
    tags, age = [], p["age"]
    if age >= 65 and household_size == 1:
        tags.append("solitary_elder")
    elif age >= 60 and household_size == 2 and p["relation"] in (RELATION_HEAD, "10"):
        if rng.random() < 0.5:
            tags.append("empty_nest_elder")
    if age < 16 and rng.random() < 0.04:
        tags.append("left_behind_child")
    if attrs["residence_type"] == ResidenceType.FLOATING:
        tags.append("floating_resident")
    if attrs["employment_status"] == EmploymentStatus.UNEMPLOYED:
        tags.append("laid_off_person")
    for code, share in [
        ("disabled_person", 0.025), ("entitled_group", 0.01), ("five_guarantee", 0.002),
        ("released_prisoner", 0.003), ("community_correction", 0.002), ("drug_user", 0.0015),
        ("at_risk_mental_patient", 0.004),
    ]:
        if rng.random() < share:
            tags.append(code)
    if 12 <= age <= 18 and rng.random() < 0.02:
        tags.append("at_risk_youth")
    if household_hardship:
        tags.append("needy_household")
        if rng.random() < 0.5:
            tags.append("subsistence_allowance")
    return tags


@transaction.atomic
def build_people(places: dict, *, seed: int = 2026, occupancy: float = 0.96) -> int:
    """Fill the demo units with households and residents; returns how many residents exist."""
    community = places["community"]
    if Resident.objects.filter(territory_code__startswith=community.code).exists():
        return Resident.objects.filter(territory_code__startswith=community.code).count()
    ensure_special_groups()
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    groups = {g.code: g for g in SpecialGroup.objects.all()}
    units = list(Place.objects.filter(kind=PlaceKind.UNIT, code__startswith=community.code).select_related("parent"))
    seen_numbers: set[str] = set()
    households, pending = [], []
    for unit in units:
        for floor in range(1, FLOORS + 1):
            for r in range(1, ROOMS_PER_FLOOR + 1):
                if rng.random() > occupancy:
                    continue
                room = f"{floor}{r:02d}"
                hardship = rng.random() < 0.05
                h = Household(
                    unit=unit, room=room, territory_code=f"{unit.code}{int(room):04d}",
                    hardship_status=(HardshipStatus.HARDSHIP if hardship else rng.choices(
                        [HardshipStatus.NONE, HardshipStatus.UNKNOWN], [85, 15])[0]),
                    hardship_cause=rng.choice(["因病", "因残", "失业", "子女上学"]) if hardship else "",
                )
                households.append(h)
                pending.append((h, _household_people(fake, rng)))
    Household.objects.bulk_create(households, batch_size=500)
    residents, tag_links, people_of = [], [], []
    for h, people in pending:
        size = len(people)
        for p in people:
            while p["id_number"] in seen_numbers:
                p = dict(p, id_number=make_id_number(rng.choice(AREAS), p["birth"], rng.randrange(1 if p["sex"] == "male" else 0, 999, 2)))
            seen_numbers.add(p["id_number"])
            attrs = _attributes(rng, p, size)
            phone = fake.phone_number() if p["age"] >= 14 and rng.random() < 0.92 else ""
            if rng.random() < 0.08:  # records still to complete on the next visit (003 L491-493)
                attrs[rng.choice(["education", "employment_status", "ethnicity"])] = ""
            res = Resident(
                name=p["name"], id_number_cipher=crypto.encrypt(p["id_number"]),
                id_number_index=crypto.blind_index(p["id_number"]), id_number_masked=crypto.mask_id_number(p["id_number"]),
                birth_date=p["birth"], sex=p["sex"], phone_cipher=crypto.encrypt(phone), phone_index=crypto.blind_index(phone),
                phone_masked=crypto.mask_phone(phone), household=h, relation_to_head=p["relation"],
                territory_code=h.territory_code, status=ResidentStatus.ACTIVE, **attrs,
            )
            res.completeness = res.compute_completeness()
            res.name_grams = name_grams(res.name)
            residents.append(res)
            people_of.append((res, _tags_for(rng, p, attrs, size, h.hardship_status == HardshipStatus.HARDSHIP)))
    Resident.objects.bulk_create(residents, batch_size=500)
    moves = []
    for res, tags in people_of:
        tag_links.extend(ResidentTag(resident=res, group=groups[c]) for c in tags)
        moves.append(ResidentMove(resident=res, kind=MoveKind.MOVE_IN, to_household=res.household, to_code=res.territory_code,
                                  date=dt.date(2019, 6, 1), reason="平庄花园交房入住"))
    ResidentTag.objects.bulk_create(tag_links, batch_size=1000)
    ResidentMove.objects.bulk_create(moves, batch_size=1000)
    heads = {r.household_id: r for r in residents if r.relation_to_head == RELATION_HEAD}
    for h in households:
        h.head = heads.get(h.pk)
    Household.objects.bulk_update(households, ["head"], batch_size=500)
    from .services import household_refresh_completeness

    for h in households:
        household_refresh_completeness(h)
    return len(residents)
