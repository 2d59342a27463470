"""Importing a residents register (台账): validate every row, then write all or nothing.

The whole import runs in one database transaction: a refused file (any bad row), a crash or a
killed process leaves the registry exactly as it was, and the import can simply be run again.
Rows are checked as they stream in; once a row fails, writing stops but checking goes on, so the
report lists every problem in the file. Re-importing the same file changes nothing: people are
matched on the identity-number blind index, and only real changes are written (each with an
audit-log entry and, for a new address, a move in the person's history).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiayuan.accounts.scope import get_scope
from jiayuan.core import crypto
from jiayuan.core.idnumber import normalise, parse_id_number
from jiayuan.core.phone import normalise_phone
from jiayuan.residents.choices import (
    _ETHNICITIES,
    _POLITICAL,
    _RELATIONS,
    RELATION_HEAD,
    MoveKind,
    ResidenceType,
    ResidentStatus,
)
from jiayuan.residents.models import Household, Resident, ResidentMove, ResidentTag, SpecialGroup
from jiayuan.residents.search import name_grams
from jiayuan.residents.services import household_refresh_completeness_bulk
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .columns import LABELS
from .reader import FileRefused, iter_rows

BATCH_SIZE = 2000
MAX_KEPT_ERRORS = 100_000  # the report lists this many; the count is always exact
_SPLIT_TAGS = re.compile(r"[、,，;；/\s]+")
_DIGITS = re.compile(r"\d+")


def _code_map(table, *, strip_suffix: str = "") -> dict[str, str]:
    mapping = {}
    for code, zh, en in table:
        mapping[code] = code
        mapping[zh] = code
        mapping[en.lower()] = code
        if strip_suffix and zh.endswith(strip_suffix):
            mapping[zh[: -len(strip_suffix)]] = code
    return mapping


ETHNICITY = _code_map(_ETHNICITIES, strip_suffix="族")
POLITICAL = _code_map(_POLITICAL)
RELATION = _code_map(_RELATIONS) | {"本人": RELATION_HEAD, "01": RELATION_HEAD}
RESIDENCE = {c.value: c.value for c in ResidenceType} | {
    "户籍人口": "registered", "户籍": "registered", "常住人口": "permanent", "常住": "permanent",
    "流动人口": "floating", "流动": "floating", "租住": "renting", "租户": "renting",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.file_error


class _Refused(Exception):
    """Raised inside the transaction to roll back a file with errors."""


@dataclass
class _Row:
    number: int
    name: str
    id_number: str
    index: str
    birth: object
    sex: str
    phone: str
    ethnicity: str
    political_status: str
    relation_to_head: str
    residence_type: str
    grid_code: str
    building_code: str
    building_no: int
    unit_code: str
    unit_no: int
    household_code: str
    room: str
    tags: list[int]


def _number(value: str, *, maximum: int) -> int | None:
    match = _DIGITS.search(value or "")
    if not match:
        return None
    n = int(match.group())
    return n if 1 <= n <= maximum else None


class ResidentImporter:
    """Validates and writes one register file on behalf of ``actor`` (scope-checked)."""

    def __init__(self, *, actor, progress: Callable[[int], None] | None = None, batch_size: int = BATCH_SIZE):
        self.actor = actor
        self.scope = get_scope(actor)
        self.progress = progress or (lambda done: None)
        self.batch_size = batch_size
        if not any(self.scope.can_write(g.code) for g in self.scope.grants):
            raise PermissionDenied(_("You may not import residents."))
        grids = dict(Place.objects.filter(kind=PlaceKind.GRID).values_list("code", "id"))
        self.known_grids = set(grids)
        self.writable_grids = {c: pk for c, pk in grids.items() if self.scope.can_write(c)}
        self.groups = {}
        self.group_level = {}
        for g in SpecialGroup.objects.all():
            self.groups[g.code] = g.pk
            self.groups[g.name_zh] = g.pk
            self.group_level[g.pk] = g.sensitivity
        self.result = ImportResult()
        self._seen: set[int] = set()
        self._heads: dict[int, str] = {}  # head's index (64-bit prefix) -> household code, from the file
        self._pending_heads: list[tuple[int, str, str]] = []  # (row, head index, household code)
        self._places: dict[str, int] = {}
        self._households: dict[str, int] = {}
        self._loaded_grids: set[str] = set()
        # Households created by this import: [head id, members, sum of completeness], so their
        # head and score are known without querying; households that existed get a SQL refresh.
        self._new_household_stats: dict[int, list] = {}
        self._refresh_households: set[int] = set()
        self._last_head: tuple[str, str] = ("", "")

    # -- errors ------------------------------------------------------------------------------
    def _error(self, row: int, column: str, message) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < MAX_KEPT_ERRORS:
            self.result.errors.append(RowError(row, str(LABELS.get(column, column)), str(message)))

    # -- one row -----------------------------------------------------------------------------
    def _parse(self, number: int, raw: dict[str, str]) -> _Row | None:
        errors_before = self.result.error_count
        name = raw.get("name", "")
        if not name:
            self._error(number, "name", _("Enter the name."))
        elif len(name) > 64:
            self._error(number, "name", _("A name has at most 64 characters."))
        info = index = None
        try:
            info = parse_id_number(raw.get("id_number", ""))
        except ValidationError as exc:
            self._error(number, "id_number", exc.messages[0])
        else:
            index = crypto.blind_index(info.number)
            key = int(index[:16], 16)
            if key in self._seen:
                self._error(number, "id_number", _("This identity number appears more than once in the file."))
            self._seen.add(key)
        try:
            phone = normalise_phone(raw.get("phone", ""))
        except ValidationError as exc:
            self._error(number, "phone", exc.messages[0])
            phone = ""
        codes = {}
        for column, mapping in (("ethnicity", ETHNICITY), ("political_status", POLITICAL),
                                ("relation_to_head", RELATION), ("residence_type", RESIDENCE)):
            value = raw.get(column, "")
            code = mapping.get(value, mapping.get(value.lower())) if value else ""
            if code is None:
                self._error(number, column, _("Unknown value “{value}”.").format(value=value))
            codes[column] = code or ""
        grid_code = raw.get("grid_code", "")
        if grid_code not in self.writable_grids:
            if grid_code in self.known_grids:
                self._error(number, "grid_code", _("Grid {code} is outside your area.").format(code=grid_code))
            else:
                self._error(number, "grid_code", _("Unknown grid code {code}.").format(code=grid_code or "—"))
        building_no = _number(raw.get("building", ""), maximum=999)
        if building_no is None:
            self._error(number, "building", _("The building needs a number from 1 to 999, e.g. 12栋."))
        unit_no = _number(raw.get("unit", ""), maximum=99)
        if unit_no is None:
            self._error(number, "unit", _("The unit needs a number from 1 to 99, e.g. 2单元."))
        room = raw.get("room", "")
        room_no = _number(room, maximum=9999)
        if room_no is None or len(room) > 16:
            self._error(number, "room", _("The room needs a number from 1 to 9999, e.g. 302."))
        tags = []
        level = self.scope.max_sensitivity(grid_code) if grid_code else 0
        for label in _SPLIT_TAGS.split(raw.get("tags", "")):
            if not label:
                continue
            pk = self.groups.get(label)
            if pk is None:
                self._error(number, "tags", _("Unknown special group “{value}”.").format(value=label))
            elif self.group_level[pk] > level:
                self._error(number, "tags", _("You may not assign the tag {tag}.").format(tag=label))
            elif pk not in tags:
                tags.append(pk)
        if self.result.error_count > errors_before or info is None:
            return None
        building_code = f"{grid_code}{building_no:03d}"
        unit_code = f"{building_code}{unit_no:02d}"
        household_code = f"{unit_code}{room_no:04d}"
        head_raw = normalise(raw.get("head_id_number", ""))
        relation = codes["relation_to_head"]
        if relation == RELATION_HEAD:
            if head_raw and head_raw != info.number:
                self._error(number, "head_id_number", _("The head of household's own row must not name another head."))
                return None
            self._heads[int(index[:16], 16)] = household_code
            self._last_head = (info.number, index)
        elif head_raw:
            if head_raw == self._last_head[0]:  # members usually follow their head's row
                head_index = self._last_head[1]
            else:
                try:
                    head = parse_id_number(head_raw)
                except ValidationError as exc:
                    self._error(number, "head_id_number", exc.messages[0])
                    return None
                head_index = crypto.blind_index(head.number)
            known = self._heads.get(int(head_index[:16], 16))
            if known is not None and known != household_code:
                self._error(number, "head_id_number", _("The head of household lives in another room."))
                return None
            if known is None:
                self._pending_heads.append((number, head_index, household_code))
        return _Row(
            number=number, name=name, id_number=info.number, index=index, birth=info.birth_date, sex=info.sex,
            phone=phone, ethnicity=codes["ethnicity"], political_status=codes["political_status"],
            relation_to_head=relation, residence_type=codes["residence_type"], grid_code=grid_code,
            building_code=building_code, building_no=building_no, unit_code=unit_code, unit_no=unit_no,
            household_code=household_code, room=room, tags=tags,
        )

    # -- places and households ---------------------------------------------------------------
    def _load_grid(self, grid_code: str) -> None:
        if grid_code in self._loaded_grids:
            return
        self._loaded_grids.add(grid_code)
        self._places.update(
            Place.objects.filter(code__startswith=grid_code, kind__in=[PlaceKind.BUILDING, PlaceKind.UNIT])
            .values_list("code", "id")
        )
        self._households.update(
            Household.objects.filter(territory_code__startswith=grid_code).values_list("territory_code", "id")
        )

    def _ensure_places(self, rows: list[_Row]) -> None:
        for r in rows:
            self._load_grid(r.grid_code)
        buildings = {r.building_code: r for r in rows if r.building_code not in self._places}
        if buildings:
            created = Place.objects.bulk_create([
                Place(kind=PlaceKind.BUILDING, code=code, name=f"{r.building_no}栋", parent_id=self.writable_grids[r.grid_code])
                for code, r in buildings.items()
            ])
            self._places.update({p.code: p.pk for p in created})
        units = {r.unit_code: r for r in rows if r.unit_code not in self._places}
        if units:
            created = Place.objects.bulk_create([
                Place(kind=PlaceKind.UNIT, code=code, name=f"{r.unit_no}单元", parent_id=self._places[r.building_code])
                for code, r in units.items()
            ])
            self._places.update({p.code: p.pk for p in created})
        households = {r.household_code: r for r in rows if r.household_code not in self._households}
        if households:
            codes = list(households)
            ids = _insert_values(Household, [
                {"unit_id": self._places[households[c].unit_code], "room": households[c].room, "territory_code": c,
                 "created_by_id": self.actor.pk, "head_id": None, "hardship_status": "unknown", "hardship_cause": "",
                 "completeness": 0}
                for c in codes
            ])
            self._households.update(zip(codes, ids, strict=True))
            for pk in ids:
                self._new_household_stats[pk] = [None, 0, 0]

    # -- residents ---------------------------------------------------------------------------
    _COMPARED = ("name", "phone_index", "ethnicity", "political_status", "relation_to_head", "residence_type",
                 "household_id", "status")

    def _write(self, rows: list[_Row]) -> None:
        self._ensure_places(rows)
        existing = {
            r["id_number_index"]: r
            for r in Resident.objects.filter(id_number_index__in=[row.index for row in rows]).values(
                "id", "id_number_index", "territory_code", "phone_masked", *self._COMPARED
            )
        }
        existing_tags: dict[int, set[int]] = {}
        if existing:
            for rid, gid in ResidentTag.objects.filter(resident_id__in=[e["id"] for e in existing.values()]).values_list(
                "resident_id", "group_id"
            ):
                existing_tags.setdefault(rid, set()).add(gid)
        new, updates = [], []
        for row in rows:
            household_id = self._households[row.household_code]
            current = existing.get(row.index)
            values = {
                "name": row.name, "phone_index": crypto.blind_index(row.phone), "ethnicity": row.ethnicity,
                "political_status": row.political_status, "relation_to_head": row.relation_to_head,
                "residence_type": row.residence_type, "household_id": household_id, "status": ResidentStatus.ACTIVE,
            }
            if current is None:
                phone_index = values["phone_index"]
                values.update(
                    id_number_cipher=crypto.encrypt(row.id_number), id_number_index=row.index,
                    id_number_masked=crypto.mask_id_number(row.id_number), birth_date=row.birth, sex=row.sex,
                    phone_cipher=crypto.encrypt(row.phone), phone_masked=crypto.mask_phone(row.phone),
                    territory_code=row.household_code, created_by_id=self.actor.pk, education="",
                    name_grams=name_grams(row.name),
                    employment_status="",
                )
                values["completeness"] = round(100 * sum(
                    1 for v in (row.name, row.index, phone_index, row.ethnicity, row.political_status,
                                row.residence_type, household_id, row.relation_to_head) if v
                ) / len(Resident.COMPLETENESS_FIELDS))
                new.append((values, row))
                continue
            changed = {k: (current[k], v) for k, v in values.items() if current[k] != v}
            tags_changed = set(row.tags) != {
                g for g in existing_tags.get(current["id"], set()) if self.group_level[g] <= self.scope.max_sensitivity(row.grid_code)
            }
            if changed or tags_changed:
                self._refresh_households.update({household_id, current["household_id"]} - {None})
                updates.append((current, row, values, changed, existing_tags.get(current["id"], set())))
            else:
                self.result.unchanged += 1
        if new:
            ids = _insert_values(Resident, [values for values, _row in new])
            _insert_values(ResidentTag, [
                {"resident_id": pk, "group_id": g, "created_by_id": self.actor.pk, "since": None, "note": ""}
                for pk, (_v, row) in zip(ids, new, strict=True) for g in row.tags
            ])
            today = timezone.localdate()
            _insert_values(ResidentMove, [
                {"resident_id": pk, "kind": MoveKind.MOVE_IN, "to_household_id": values["household_id"],
                 "to_code": values["territory_code"], "date": today, "reason": "台账导入", "actor_id": self.actor.pk,
                 "from_household_id": None, "from_code": ""}
                for pk, (values, _row) in zip(ids, new, strict=True)
            ])
            created = ids
            for pk, (values, _row) in zip(ids, new, strict=True):
                stats = self._new_household_stats.get(values["household_id"])
                if stats is None:
                    self._refresh_households.add(values["household_id"])
                    continue
                if values["relation_to_head"] == RELATION_HEAD and stats[0] is None:
                    stats[0] = pk
                stats[1] += 1
                stats[2] += values["completeness"]
            self.result.created += len(created)
        for current, row, values, changed, old_tags in updates:
            self._update(current, row, values, changed, old_tags)

    def _update(self, current: dict, row: _Row, values: dict, changed: dict, old_tags: set[int]) -> None:
        """A changed person: update in place and keep history — auditlog records the field changes
        (masked numbers only) and a move row records a new address; tags above the importer's
        level are left alone."""
        resident = Resident.objects.get(pk=current["id"])
        for key, value in values.items():
            setattr(resident, key, value)
        if "phone_index" in changed:
            resident.phone_cipher = crypto.encrypt(row.phone)
            resident.phone_masked = crypto.mask_phone(row.phone)
        resident.territory_code = row.household_code
        resident.completeness = resident.compute_completeness()
        resident.save()
        level = self.scope.max_sensitivity(row.grid_code)
        visible_old = {g for g in old_tags if self.group_level[g] <= level}
        removed, added = visible_old - set(row.tags), set(row.tags) - visible_old
        if removed:
            ResidentTag.objects.filter(resident=resident, group_id__in=removed).delete()
        if added:
            for g in added:  # one by one, so the audit log records each
                ResidentTag.objects.create(resident=resident, group_id=g, created_by=self.actor)
        if "household_id" in changed:
            ResidentMove.objects.create(
                resident=resident, kind=MoveKind.TRANSFER, from_household_id=current["household_id"],
                from_code=current["territory_code"], to_household_id=resident.household_id,
                to_code=resident.territory_code, date=timezone.localdate(), reason="台账导入", actor=self.actor,
            )
        self.result.updated += 1

    # -- the whole file ----------------------------------------------------------------------
    def run(self, path, *, total: int | None = None) -> ImportResult:
        started = time.monotonic()
        try:
            with transaction.atomic():
                self._run(path)
        except _Refused:
            self.result.created = self.result.updated = self.result.unchanged = 0
        except FileRefused as exc:
            self.result.file_error = str(exc)
            self.result.created = self.result.updated = self.result.unchanged = 0
        self.result.seconds = time.monotonic() - started
        return self.result

    def _run(self, path) -> None:
        # Parsing and encrypting the next batch (Python) overlaps with the database ingesting
        # the current one (psycopg releases the GIL while it waits for the server).
        rows = iter_rows(path)
        language = translation.get_language()

        def parse_next():
            with translation.override(language):
                batch = list(islice(rows, self.batch_size))
                return batch, [self._parse(n, raw) for n, raw in batch]

        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(parse_next)
            while True:
                batch, parsed = future.result()
                if not batch:
                    break
                future = pool.submit(parse_next)
                self.result.total += len(batch)
                if not self.result.error_count:
                    self._write([p for p in parsed if p is not None])
                self.progress(self.result.total)
        self._resolve_pending_heads()
        if self.result.error_count:
            raise _Refused
        if self.result.total == 0:
            raise FileRefused(_("The file has no data rows."))
        self._finish()

    def _resolve_pending_heads(self) -> None:
        """Heads named by rows before the head's own row, or living in the register already."""
        in_db = []
        for number, head_index, household_code in self._pending_heads:
            key = int(head_index[:16], 16)
            if key in self._heads:
                if self._heads[key] != household_code:
                    self._error(number, "head_id_number", _("The head of household lives in another room."))
            elif key in self._seen:
                self._error(number, "head_id_number", _("The person named as head is not marked 户主 in the file."))
            else:
                in_db.append((number, head_index, household_code))
        for chunk in _chunks(in_db, 2000):
            found = dict(
                Resident.objects.filter(id_number_index__in=[p[1] for p in chunk], status=ResidentStatus.ACTIVE)
                .values_list("id_number_index", "territory_code")
            )
            for number, head_index, household_code in chunk:
                if head_index not in found:
                    self._error(number, "head_id_number",
                                _("The head of household is neither in the file nor in the register."))
                elif found[head_index] != household_code:
                    self._error(number, "head_id_number", _("The head of household lives in another room."))

    def _finish(self) -> None:
        """Name household heads and score the households this import touched."""
        rows = []
        for pk, (head_id, n, total) in self._new_household_stats.items():
            own = (head_id is not None) + (n > 0)  # hardship is not in the register: "not yet asked"
            rows.append((pk, head_id, int((100 * own / 3 + (total / n if n else 0)) / 2 + 0.5)))
        _update_households(rows)
        existing = sorted(self._refresh_households - set(self._new_household_stats))
        for chunk in _chunks(existing, 2000):
            _set_heads(chunk)
            household_refresh_completeness_bulk(ids=chunk)
        if connection.vendor == "postgresql" and self.result.created > 10_000:
            # fresh statistics, or the planner keeps treating the grown tables as small
            with connection.cursor() as cursor:
                for model in (Household, Resident, ResidentTag, ResidentMove):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value
    return str(value)  # int, date, aware datetime (isoformat with offset)


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _set_heads(ids: list[int]) -> None:
    from django.db.models import OuterRef, Subquery

    head = (
        Resident.objects.filter(household=OuterRef("pk"), relation_to_head=RELATION_HEAD, status=ResidentStatus.ACTIVE)
        .order_by("id")
        .values("id")[:1]
    )
    Household.objects.filter(pk__in=ids, head__isnull=True).update(head=Subquery(head))


def _update_households(rows: list[tuple[int, int | None, int]]) -> None:
    """Set (head, completeness) of many households in one statement on PostgreSQL."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [Household(pk=pk, head_id=head, completeness=score) for pk, head, score in rows]
        Household.objects.bulk_update(objs, ["head", "completeness"], batch_size=500)
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE jiayuan_household_scores (id bigint, head_id bigint, completeness smallint) ON COMMIT DROP")
        with connection.connection.cursor() as cur, cur.copy("COPY jiayuan_household_scores FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "UPDATE residents_household h SET head_id = s.head_id, completeness = s.completeness "
            "FROM jiayuan_household_scores s WHERE h.id = s.id"
        )


def _insert_values(model, rows: list[dict]) -> list[int]:
    """Insert many rows given as {attname: value} and return their primary keys, in order.

    PostgreSQL gets COPY with ids taken from the table's sequence beforehand (the fastest way in:
    no model instances, no per-field preparation); other databases get bulk_create. Every
    concrete field must be present except the primary key and the timestamps.
    """
    if not rows:
        return []
    meta = model._meta
    now = timezone.now()
    stamped = [f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for row in rows:
        for name in stamped:
            row[name] = now
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return [o.pk for o in objs]
    table = meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [len(rows)]
        )
        ids = [r[0] for r in cursor.fetchall()]
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: (f.get_default() if f.has_default() else None) for f in fields}
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    raw = connection.connection  # the psycopg connection, inside Django's transaction
    lines = []
    for pk, row in zip(ids, rows, strict=True):
        values = [row[n] if n in row else defaults[n] for n in names]
        lines.append(str(pk) + "\t" + "\t".join([_copy_text(v) for v in values]))
    with raw.cursor() as cur, cur.copy(f"COPY {connection.ops.quote_name(table)} (id, {columns}) FROM STDIN") as copy:
        copy.write("\n".join(lines) + "\n")
    return ids
