"""Tasks the harness runs inside ``jiayuan shell`` (Django loaded, bench database).

Chosen by the environment variable BENCH_TASK; prints one JSON document on its last line.

- ``users``: the bench users. ``benchadmin`` holds the admin role (RoleAssignment place=None),
  ``benchgrid`` is the grid worker of the grid with the most active residents (worst case for
  the list's count query). Both get the password BENCH_PASSWORD.
- ``capture``: the SQL (with parameters) that ``GET /api/v1/residents/`` runs for ``benchgrid``,
  recorded with ``connection.execute_wrapper`` around a test-client request.
- ``devseed``: development only, while ``gen_city``/``import_residents`` do not exist: a small
  synthetic city (places + households + residents by bulk_create) and its CSV in the import
  template. Never used for committed figures.
"""

from __future__ import annotations

import json
import os
import sys


def _out(doc) -> None:
    sys.stdout.write("\n" + json.dumps(doc, ensure_ascii=False, default=str) + "\n")


def users() -> dict:
    from django.db.models import Count
    from django.db.models.functions import Substr

    from jiayuan.accounts.choices import Role
    from jiayuan.accounts.models import RoleAssignment, User
    from jiayuan.residents.models import Resident
    from jiayuan.territory.models import Place

    password = os.environ["BENCH_PASSWORD"]
    admin, _ = User.objects.get_or_create(username="benchadmin", defaults={"full_name": "bench admin"})
    admin.set_password(password)
    admin.save()
    RoleAssignment.objects.get_or_create(user=admin, role=Role.ADMIN, place=None)

    top = (
        Resident.objects.filter(status="active")
        .annotate(g=Substr("territory_code", 1, 15))
        .values("g")
        .annotate(n=Count("id"))
        .order_by("-n", "g")
        .first()
    )
    grid = Place.objects.filter(code=top["g"], kind="grid").first() if top else None
    if grid is None:
        grid = Place.objects.filter(kind="grid").order_by("code").first()
    doc = {
        "admin": "benchadmin",
        "grid_user": None,
        "grid_code": None,
        "grid_residents": 0,
        "total_residents": Resident.objects.count(),
        "total_active": Resident.objects.filter(status="active").count(),
        "grids": Place.objects.filter(kind="grid").count(),
    }
    if grid is not None:
        worker, _ = User.objects.get_or_create(
            username="benchgrid", defaults={"full_name": "bench grid worker"}
        )
        worker.set_password(password)
        worker.save()
        RoleAssignment.objects.filter(user=worker).exclude(role=Role.GRID_WORKER, place=grid).delete()
        RoleAssignment.objects.get_or_create(user=worker, role=Role.GRID_WORKER, place=grid)
        doc.update(
            grid_user="benchgrid",
            grid_code=grid.code,
            grid_residents=Resident.objects.filter(
                territory_code__startswith=grid.code, status="active"
            ).count(),
        )
    return doc


def capture() -> dict:
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from jiayuan.accounts.models import User

    user = User.objects.get(username=os.environ.get("BENCH_USER", "benchgrid"))
    token, _ = Token.objects.get_or_create(user=user)
    path = os.environ.get("BENCH_PATH", "/api/v1/residents/")
    queries = []

    def record(execute, sql, params, many, context):
        queries.append({"sql": sql, "params": list(params or [])})
        return execute(sql, params, many, context)

    client = Client()
    client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")  # warm (content types, caches)
    queries.clear()
    with connection.execute_wrapper(record):
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")
    body = response.json() if response.status_code == 200 else {}
    return {
        "status": response.status_code,
        "count": body.get("count"),
        "results": len(body.get("results", [])),
        "first": (body.get("results") or [None])[0],
        "queries": queries,
    }


def devseed() -> dict:
    """A small city for developing the harness (not the real generator)."""
    import csv
    import datetime as dt
    import random

    from django.db import transaction

    from jiayuan.core import crypto
    from jiayuan.core.idnumber import make_id_number
    from jiayuan.residents.models import Household, Resident
    from jiayuan.territory.models import Place

    n = int(os.environ["BENCH_N"])
    out = os.environ["BENCH_OUT"]
    rng = random.Random(int(os.environ.get("BENCH_SEED", "1")))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志"
    header = [
        "姓名",
        "公民身份号码",
        "联系电话",
        "民族",
        "政治面貌",
        "与户主关系",
        "户主公民身份号码",
        "网格编码",
        "楼栋",
        "单元",
        "房号",
        "人员类别",
        "居住类型",
    ]
    seen: set[str] = set()

    def person_id(age_min=0, age_max=90):
        while True:
            birth = dt.date(2025 - rng.randint(age_min, age_max), rng.randint(1, 12), rng.randint(1, 28))
            number = make_id_number("520302", birth, rng.randrange(0, 999))
            if number not in seen:
                seen.add(number)
                return number, birth

    with transaction.atomic():

        def place(kind, code, name, parent):
            return Place.objects.get_or_create(
                code=code, defaults={"kind": kind, "name": name, "parent": parent}
            )[0]

        district = place("district", "990100", "基准区", None)
        street = place("street", "990100001", "基准街道", district)
        residents, households, rows = [], [], []
        made = 0
        c = g = 0
        while made < n:
            c += 1
            community = place("community", f"{street.code}{c:03d}", f"社区{c}", street)
            for g in range(1, 11):
                grid = place("grid", f"{community.code}{g:03d}", f"网格{g}", community)
                for b in range(1, 6):
                    building = place("building", f"{grid.code}{b:03d}", f"{b}栋", grid)
                    for u in range(1, 3):
                        unit = place("unit", f"{building.code}{u:02d}", f"{u}单元", building)
                        for room in range(101, 131):
                            if made >= n:
                                break
                            h = Household(unit=unit, room=str(room), territory_code=f"{unit.code}{room:04d}")
                            households.append(h)
                            size = min(n - made, rng.choice([1, 2, 2, 3, 3, 4]))
                            head_id = None
                            for k in range(size):
                                number, birth = person_id(18 if k == 0 else 0)
                                head_id = head_id or number
                                name = rng.choice(surnames) + "".join(rng.sample(given, rng.choice([1, 2])))
                                phone = f"13{rng.randrange(10**9):09d}"
                                relation = "户主" if k == 0 else rng.choice(["配偶", "子", "女"])
                                rows.append(
                                    [
                                        name,
                                        number,
                                        phone,
                                        "汉族",
                                        "群众",
                                        relation,
                                        head_id,
                                        grid.code,
                                        f"{b}栋",
                                        f"{u}单元",
                                        str(room),
                                        "",
                                        "户籍人口",
                                    ]
                                )
                                residents.append(
                                    (
                                        h,
                                        Resident(
                                            name=name,
                                            id_number_cipher=crypto.encrypt(number),
                                            id_number_index=crypto.blind_index(number),
                                            id_number_masked=crypto.mask_id_number(number),
                                            birth_date=birth,
                                            sex="male" if int(number[16]) % 2 else "female",
                                            ethnicity="01",
                                            political_status="13",
                                            phone_cipher=crypto.encrypt(phone),
                                            phone_index=crypto.blind_index(phone),
                                            phone_masked=crypto.mask_phone(phone),
                                            relation_to_head="02" if k == 0 else "20",
                                            residence_type="registered",
                                            territory_code=h.territory_code,
                                            status="active",
                                            completeness=80,
                                        ),
                                    )
                                )
                                made += 1
        Household.objects.bulk_create(households, batch_size=2000)
        objs = []
        for h, r in residents:
            r.household = h
            objs.append(r)
        Resident.objects.bulk_create(objs, batch_size=2000)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return {"residents": made, "households": len(households), "csv": out}


if __name__ == "__main__":
    task = os.environ["BENCH_TASK"]
    _out({"users": users, "capture": capture, "devseed": devseed}[task]())
