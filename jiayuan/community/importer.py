"""Reading a two-committees roster file (.xlsx or .csv) for :func:`services.roster_import`.

The file handling is the residents register's (:mod:`jiayuan.ledgers.reader`: Excel or CSV in
UTF-8 or GB18030, refused as a whole when unreadable); the columns are the roster's own:
委员会, 姓名, 出生日期, 学历, 职务, 任职日期, 离任日期 and an optional 备注 — the headers of the
``seats.xlsx`` export, so an exported roster imports again unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiayuan.ledgers.reader import FileRefused, _clean, _is_xlsx, _sniff_encoding
from jiayuan.residents.choices import _EDUCATION, EDUCATION_CHOICES

from .choices import POSTS_OF_COMMITTEE, ZH_COMMITTEE, ZH_POST, Committee, Post
from .models import TwoCommitteesSeat

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 500

# header → field; the Chinese headers of the export and their English equivalents
COLUMNS = [
    ("委员会", "committee"), ("姓名", "full_name"), ("出生日期", "birth_date"), ("学历", "education"),
    ("职务", "post"), ("任职日期", "started_on"), ("离任日期", "ended_on"), ("备注", "note"),
]
ZH_HEADERS = [zh for zh, _f in COLUMNS]
REQUIRED = {"committee", "full_name", "birth_date", "post", "started_on"}
HEADER_TO_FIELD = {zh: f for zh, f in COLUMNS} | {f: f for _zh, f in COLUMNS}
FIELD_TO_HEADER = {f: zh for zh, f in COLUMNS}

COMMITTEE_BY_NAME = {
    **{name: Committee.COMMUNITY_PARTY_ORG for name in (
        "社区党组织", "党组织", "社区党委", "党委", "社区党总支", "党总支", "社区党支部", "党支部", "社区党组织委员会")},
    **{name: Committee.RESIDENTS_COMMITTEE for name in ("居委会", "社区居委会", "居民委员会", "社区居民委员会")},
    **{c.value: c for c in Committee},
}
POST_BY_NAME = {
    Committee.COMMUNITY_PARTY_ORG: {"书记": Post.SECRETARY, "党组织书记": Post.SECRETARY, "副书记": Post.DEPUTY_SECRETARY,
                                    "专职副书记": Post.FULL_TIME_DEPUTY_SECRETARY, "委员": Post.COMMITTEE_MEMBER},
    Committee.RESIDENTS_COMMITTEE: {"主任": Post.DIRECTOR, "居委会主任": Post.DIRECTOR, "副主任": Post.DEPUTY_DIRECTOR,
                                    "委员": Post.MEMBER, "成员": Post.MEMBER},
}
assert all(set(ZH_POST[p] for p in posts) <= set(POST_BY_NAME[c]) for c, posts in POSTS_OF_COMMITTEE.items())
assert set(ZH_COMMITTEE.values()) <= set(COMMITTEE_BY_NAME)
EDUCATION_BY_NAME = (
    {zh: code for code, zh, _en in _EDUCATION}
    | {code: code for code, _label in EDUCATION_CHOICES}
    | {"博士": "10", "硕士": "10", "本科": "20", "大学": "20", "大专": "30", "专科": "30", "中专": "40",
       "高中": "60", "小学及以下": "80"}
)
EDUCATION_ZH = {code: zh for code, zh, _en in _EDUCATION}


def _header_fields(header: list[str]) -> list[str | None]:
    fields = [HEADER_TO_FIELD.get((h or "").strip()) for h in header]
    named = [f for f in fields if f]
    unknown = [h for h, f in zip(header, fields, strict=True) if f is None and (h or "").strip()]
    missing = [FIELD_TO_HEADER[f] for _zh, f in COLUMNS if f in REQUIRED and f not in named]
    if unknown or missing or len(set(named)) != len(named):
        parts = []
        if missing:
            parts.append(_("missing columns: {cols}").format(cols="、".join(missing)))
        if unknown:
            parts.append(_("unknown columns: {cols}").format(cols="、".join(unknown[:10])))
        if not parts:
            parts.append(_("a column appears twice"))
        raise FileRefused(_("The header row does not match the template ({problems}). Expected: {expected}.").format(
            problems="; ".join(parts), expected=",".join(ZH_HEADERS)))
    return fields


def _raw_rows(path: Path):
    if _is_xlsx(path):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            rows = iter(sheet.iter_rows())
            header = next(rows, None)
        except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for a broken workbook
            raise FileRefused(_("The file is not a readable Excel workbook ({error}).").format(
                error=type(exc).__name__)) from None
        if header is None:
            raise FileRefused(_("The file is empty."))
        yield [_clean(h) for h in header]
        for row in rows:
            yield [_cell(v) for v in row]
        return
    encoding = _sniff_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        if "\x00" in fh.read(4096):
            raise FileRefused(_("This is not a CSV or Excel file."))
        fh.seek(0)
        try:
            rows = list(csv.reader(fh))
        except csv.Error as exc:
            raise FileRefused(_("The file cannot be read as CSV: {error}").format(error=exc)) from None
    if not rows:
        raise FileRefused(_("The file is empty."))
    yield from ([c.strip() for c in row] for row in rows)


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _clean(value)


def read_roster(path: str | Path) -> list[tuple[int, dict]]:
    """``[(row number, {field: value})]`` of the non-empty data rows (row 1 is the header)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise FileRefused(_("The file is empty."))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES // (1024 * 1024)))
    rows = _raw_rows(path)
    fields = _header_fields(next(rows))
    out = []
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue
        out.append((number, {f: values[i] for i, f in enumerate(fields) if f and i < len(values)}))
        if len(out) > MAX_ROWS:
            raise FileRefused(_("A roster file has at most {n} rows.").format(n=MAX_ROWS))
    if not out:
        raise FileRefused(_("The file has no rows below the header."))
    return out


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(value) -> dt.date | None:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, or an Excel date cell; None when empty;
    ValueError when unreadable."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def parse_row(row: dict) -> tuple[dict, list[str]]:
    """The service arguments of one row, or the problems with it (each naming its column)."""
    problems: list[str] = []

    def problem(field_name: str, message: str) -> None:
        problems.append(_("{column}: {message}").format(column=FIELD_TO_HEADER[field_name], message=message))

    data: dict = {"note": str(row.get("note") or "").strip()}
    for key in REQUIRED:
        if not str(row.get(key) or "").strip():
            problem(key, _("this column is required."))
    name = str(row.get("full_name") or "").strip()
    if len(name) > 64:
        problem("full_name", _("a name has at most 64 characters."))
    data["full_name"] = name
    committee_text = str(row.get("committee") or "").strip()
    committee = COMMITTEE_BY_NAME.get(committee_text)
    if committee_text and committee is None:
        problem("committee", _("“{value}” is neither the Party organization committee (社区党组织) nor the residents' "
                               "committee (居委会).").format(value=committee_text))
    data["committee"] = committee.value if committee else ""
    post_text = str(row.get("post") or "").strip()
    post = None
    if committee is not None and post_text:
        post = POST_BY_NAME[committee].get(post_text)
        if post is None and post_text in POSTS_OF_COMMITTEE[committee]:
            post = Post(post_text)
        if post is None:
            allowed = "、".join(dict.fromkeys(ZH_POST[p] for p in POSTS_OF_COMMITTEE[committee]))
            problem("post", _("“{value}” is not a post of this committee ({allowed}).").format(
                value=post_text, allowed=allowed))
    data["post"] = post.value if post else ""
    education_text = str(row.get("education") or "").strip()
    data["education"] = EDUCATION_BY_NAME.get(education_text, "")
    if education_text and not data["education"]:
        problem("education", _("unknown education “{value}”.").format(value=education_text))
    for key in ("birth_date", "started_on", "ended_on"):
        try:
            data[key] = parse_date(row.get(key))
        except ValueError:
            data[key] = None
            problem(key, _("“{value}” is not a date (use YYYY-MM-DD).").format(value=row.get(key)))
    return data, problems


def resident_matches(*, actor, community, rows: list[tuple[int, dict]]) -> dict[tuple, object]:
    """Residents of the community named in the file, by (name, birth date), when exactly one
    living resident has that name and birth date (one query for the whole file)."""
    from jiayuan.residents.selectors import resident_list

    names = {str(r.get("full_name") or "").strip() for _n, r in rows} - {""}
    if not names:
        return {}
    found: dict[tuple, list] = {}
    qs = resident_list(user=actor, filters={"place": community.code}, with_address=False).prefetch_related(None)
    for resident in qs.filter(name__in=names).only("id", "name", "birth_date", "education", "territory_code"):
        found.setdefault((resident.name, resident.birth_date), []).append(resident)
    return {key: people[0] for key, people in found.items() if len(people) == 1}


def find_existing(community, parsed: dict) -> TwoCommitteesSeat | None:
    """The roster's seat for the same committee, person, post and start, if any."""
    qs = TwoCommitteesSeat.objects.filter(
        community=community, committee=parsed["committee"], post=parsed["post"], started_on=parsed["started_on"]
    ).select_related("community", "resident")
    for seat in qs:
        if parsed.get("resident") is not None and seat.resident_id:
            if seat.resident_id == parsed["resident"].pk:
                return seat
        elif (seat.full_name, seat.birth_date) == (parsed["full_name"], parsed["birth_date"]):
            return seat
    return None


def describe(exc: ValidationError) -> str:
    """A service's ValidationError as one line naming the columns."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    parts = []
    for key, messages in exc.message_dict.items():
        label = FIELD_TO_HEADER.get(key)
        for m in messages:
            parts.append(_("{column}: {message}").format(column=label, message=m) if label else m)
    return "; ".join(parts)
