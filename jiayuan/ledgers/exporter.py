"""Exporting the residents register as .xlsx with the import template's headers, so an export
with full values re-imports cleanly. Streams rows (bounded memory) and is scoped to the user;
numbers are masked unless the user asked for full values, may see them, and gave a purpose."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import REVEALER_ROLES
from jiayuan.accounts.scope import get_scope
from jiayuan.core import crypto
from jiayuan.core.audit import log_access
from jiayuan.residents.choices import _ETHNICITIES, _POLITICAL, _RELATIONS, RELATION_HEAD, ResidenceType
from jiayuan.residents.models import ResidentTag
from jiayuan.residents.selectors import resident_list

from .columns import ZH_HEADERS

_ETH = {c: zh for c, zh, _en in _ETHNICITIES}
_POL = {c: zh for c, zh, _en in _POLITICAL}
_REL = {c: zh for c, zh, _en in _RELATIONS}
_RES = {"registered": "户籍人口", "permanent": "常住人口", "floating": "流动人口", "renting": "租住"}
assert set(_RES) == set(ResidenceType.values)


def export_residents(*, actor, filters: dict | None = None, full_values: bool = False, purpose: str = "",
                     path: Path | None = None) -> tuple[Path, int]:
    """Write the user's residents (optionally filtered) to an .xlsx file; returns (path, rows)."""
    scope = get_scope(actor)
    if not scope.grants:
        raise PermissionDenied(_("You may not export residents."))
    if full_values:
        if not all(g.role in REVEALER_ROLES for g in scope.grants):
            raise PermissionDenied(_("You may not export full identity and phone numbers."))
        if len((purpose or "").strip()) < 2:
            raise ValidationError({"purpose": [_("State why you need the full numbers.")]})
    if path is None:
        folder = Path(settings.MEDIA_ROOT) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"residents-{actor.pk}-{timezone.now():%Y%m%d-%H%M%S}.xlsx"
    qs = resident_list(user=actor, filters=filters).select_related("household__head").prefetch_related(None)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("居民台账")
    sheet.write_row(0, 0, ZH_HEADERS, workbook.add_format({"bold": True}))
    text = workbook.add_format({"num_format": "@"})
    sheet.set_column(0, len(ZH_HEADERS) - 1, 14, text)
    sheet.set_column(1, 1, 21, text)
    sheet.set_column(6, 6, 21, text)
    sheet.set_column(7, 7, 18, text)
    rows = 0
    chunk: list = []
    for resident in qs.iterator(chunk_size=2000):
        chunk.append(resident)
        if len(chunk) == 2000:
            rows = _write_chunk(sheet, chunk, rows, scope, full_values)
            chunk = []
    rows = _write_chunk(sheet, chunk, rows, scope, full_values)
    workbook.close()
    log_access(actor=actor, instance=actor, kind="export", purpose=purpose.strip(),
               fields=["id_number", "phone"] if full_values else [],
               extra={"rows": rows, "full_values": full_values, "filters": {k: v for k, v in (filters or {}).items() if v}})
    return path, rows


def _write_chunk(sheet, chunk, rows, scope, full_values) -> int:
    if not chunk:
        return rows
    tags: dict[int, list[str]] = {}
    for rid, name, level in ResidentTag.objects.filter(resident__in=chunk).values_list(
        "resident_id", "group__name_zh", "group__sensitivity"
    ).order_by("group__sensitivity", "group__code"):
        tags.setdefault(rid, []).append((name, level))
    for r in chunk:
        code = r.territory_code
        level = scope.max_sensitivity(code)
        household = r.household
        head = household.head if household else None
        if full_values:
            id_number, phone = crypto.decrypt(r.id_number_cipher), crypto.decrypt(r.phone_cipher)
            head_number = crypto.decrypt(head.id_number_cipher) if head and head.pk != r.pk else ""
        else:
            id_number, phone = r.id_number_masked, r.phone_masked
            head_number = head.id_number_masked if head and head.pk != r.pk else ""
        if r.relation_to_head == RELATION_HEAD:
            head_number = ""
        rows += 1
        sheet.write_row(rows, 0, [
            r.name, id_number, phone, _ETH.get(r.ethnicity, ""), _POL.get(r.political_status, ""),
            _REL.get(r.relation_to_head, ""), head_number, code[:15],
            f"{int(code[15:18])}栋" if len(code) >= 18 else "", f"{int(code[18:20])}单元" if len(code) >= 20 else "",
            household.room if household else "",
            "、".join(n for n, lvl in tags.get(r.pk, []) if lvl <= level), _RES.get(r.residence_type, ""),
        ])
    return rows
