"""Register imports and exports: the write paths (job rows, audit entries) around the importer
and the exporter."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiayuan.accounts.scope import get_scope
from jiayuan.core.audit import acting_as, log_access

from .choices import ImportStatus
from .importer import ResidentImporter
from .models import ResidentImport
from .reader import MAX_FILE_BYTES, count_rows

PROGRESS_KEY = "jiayuan:import:{pk}:progress"


def import_create(*, actor, path: str | Path, original_name: str = "") -> ResidentImport:
    """Keep the uploaded file and queue a job row; the importer runs later (task or command)."""
    if not any(get_scope(actor).can_write(g.code) for g in get_scope(actor).grants):
        raise PermissionDenied(_("You may not import residents."))
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        from django.core.exceptions import ValidationError

        raise ValidationError({"file": [_("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES // (1024 * 1024))]})
    job = ResidentImport(created_by=actor, original_name=(original_name or path.name)[:200])
    with path.open("rb") as fh, acting_as(actor):
        job.file.save(path.name, File(fh), save=False)
        job.save()
    return job


def _progress_store():
    from huey.contrib.djhuey import HUEY

    return HUEY


def progress_of(job: ResidentImport) -> int:
    """Rows checked so far. The import's own transaction hides the job row's updates, so the
    running count lives in the task queue's storage (a separate store from the database)."""
    if job.is_finished:
        return job.rows_done
    value = _progress_store().get(PROGRESS_KEY.format(pk=job.pk), peek=True)
    return int(value or 0)


def import_run(*, job: ResidentImport) -> ResidentImport:
    """Run one import job to the end: all rows written, or none and an error report."""
    store = _progress_store()
    key = PROGRESS_KEY.format(pk=job.pk)
    actor = job.created_by
    ResidentImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), message="", rows_done=0,
        total_rows=count_rows(job.file.path),
    )
    job.refresh_from_db()

    def progress(done: int) -> None:
        store.put(key, done)

    try:
        with acting_as(actor):
            result = ResidentImporter(actor=actor, progress=progress).run(job.file.path)
    except Exception as exc:  # noqa: BLE001 - recorded on the job; the transaction already rolled back
        ResidentImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), message=str(exc)[:500]
        )
        job.refresh_from_db()
        raise
    finally:
        store.get(key)  # consume the progress key
    job.rows_done = result.total
    job.total_rows = max(job.total_rows, result.total)
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.error_count = result.error_count + (1 if result.file_error else 0)
    job.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:200]]
    if result.file_error:
        job.errors = [{"row": 1, "column": _("File"), "message": result.file_error}]
    job.message = result.file_error
    job.status = ImportStatus.SUCCEEDED if result.ok else ImportStatus.REFUSED
    job.finished_at = timezone.now()
    if not result.ok:
        from .report import error_report_xlsx

        job.report.save(f"import-{job.pk}-errors.xlsx", ContentFile(error_report_xlsx(job, result)), save=False)
    with transaction.atomic(), acting_as(actor):
        job.save()
        if result.ok:
            log_access(actor=actor, instance=job, kind="import", purpose=job.original_name, extra={
                "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                "rows": result.total, "seconds": round(result.seconds, 2),
            })
    return job


def copy_to_tmp(upload, directory: Path) -> Path:
    """Stream an uploaded file to disk (never whole in memory)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / Path(upload.name).name
    with target.open("wb") as out:
        if hasattr(upload, "chunks"):
            for chunk in upload.chunks():
                out.write(chunk)
        else:
            shutil.copyfileobj(upload, out)
    return target
