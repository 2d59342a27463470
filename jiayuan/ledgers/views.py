"""Pages for the residents register (台账): upload a file and follow its import, download the
template and the error report, export the register as .xlsx.

An import runs on the background worker; its page polls a small partial once a second with
htmx. Everything shown comes from the job row and the worker's progress counter, so a reload
(or another device) shows the same state. Someone else's import is 404 (admins see all).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiayuan.accounts.choices import REVEALER_ROLES, WRITER_ROLES
from jiayuan.accounts.scope import get_scope
from jiayuan.residents.forms import apply_service_errors

from . import services
from .choices import ImportStatus
from .exporter import export_residents
from .forms import ExportForm, ImportForm
from .models import ResidentImport
from .tasks import import_residents_task
from .template_xlsx import residents_template_xlsx

RECENT_IMPORTS = 20
SHOWN_ERRORS = 20
# A running import reports progress every batch (2,000 rows, a second or two); one that has not
# moved for this long lost its worker. Its transaction rolled back, so it can simply run again.
STALE_AFTER = dt.timedelta(minutes=10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_import(user) -> bool:
    return any(g.role in WRITER_ROLES for g in get_scope(user).grants)


def may_reveal(user) -> bool:
    grants = get_scope(user).grants
    return bool(grants) and all(g.role in REVEALER_ROLES for g in grants)


def _require_import(user) -> None:
    if not may_import(user):
        raise PermissionDenied(_("You may not import residents."))


def _job_get(user, pk: int) -> ResidentImport:
    """The user's own import (any, for an admin); 404 otherwise, like records outside the area."""
    qs = ResidentImport.objects.select_related("created_by")
    if not get_scope(user).is_admin:
        qs = qs.filter(created_by=user)
    return get_object_or_404(qs, pk=pk)


# -- progress ----------------------------------------------------------------------------------
def _last_moved(job: ResidentImport, done: int) -> dt.datetime:
    """When the job's row count last changed, as seen by these pages (kept in the cache)."""
    key = f"jiayuan:import:{job.pk}:seen"
    now = timezone.now()
    seen = cache.get(key)
    if seen is None or seen[0] != done:
        seen = (done, now)
        cache.set(key, seen, timeout=24 * 3600)
    return max(seen[1], job.started_at or job.created_at)


def _is_stale(job: ResidentImport, done: int) -> bool:
    if job.status != ImportStatus.RUNNING:
        return False
    return timezone.now() - _last_moved(job, done) > STALE_AFTER


def _job_context(request, job: ResidentImport) -> dict:
    done = services.progress_of(job)
    total = job.total_rows
    stale = _is_stale(job, done)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else (100 if job.is_finished else 0),
        "stale": stale,
        "polling": not job.is_finished and not stale,
        "errors": job.errors[:SHOWN_ERRORS],
        "more_errors": max(0, job.error_count - SHOWN_ERRORS),
        "may_rerun": stale,
    }


# -- pages -------------------------------------------------------------------------------------
@login_required
def import_page(request):
    user = request.user
    _require_import(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            folder = Path(tempfile.mkdtemp(prefix="jiayuan-upload-"))
            try:
                path = services.copy_to_tmp(upload, folder)
                job = services.import_create(actor=user, path=path, original_name=Path(upload.name).name)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                import_residents_task(job.pk)
                messages.success(request, _("The file has been received; the import runs in the background."))
                return redirect("ledgers_import_detail", pk=job.pk)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    jobs = ResidentImport.objects.select_related("created_by")
    if not get_scope(user).is_admin:
        jobs = jobs.filter(created_by=user)
    context = {
        "nav": "ledgers",
        "form": form,
        "jobs": jobs[:RECENT_IMPORTS],
        "show_owner": get_scope(user).is_admin,
    }
    return render(request, "ledgers/import.html", context, status=status)


@login_required
def import_detail(request, pk: int):
    job = _job_get(request.user, pk)
    return render(request, "ledgers/import_detail.html", {"nav": "ledgers", **_job_context(request, job)})


@never_cache
@login_required
def import_progress(request, pk: int):
    """The progress partial; once the job is finished it carries the result and no more polling."""
    job = _job_get(request.user, pk)
    return render(request, "ledgers/_import_progress.html", _job_context(request, job))


@login_required
@require_POST
def import_rerun(request, pk: int):
    """Queue a job again whose worker went away (its transaction rolled back: nothing was written)."""
    job = _job_get(request.user, pk)
    _require_import(request.user)
    if not _is_stale(job, services.progress_of(job)):
        messages.error(request, _("This import is not stuck; it cannot be run again."))
        return redirect("ledgers_import_detail", pk=job.pk)
    ResidentImport.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, message="")
    cache.delete(f"jiayuan:import:{job.pk}:seen")
    import_residents_task(job.pk)
    messages.success(request, _("The import has been queued again."))
    return redirect("ledgers_import_detail", pk=job.pk)


@login_required
def import_report(request, pk: int):
    job = _job_get(request.user, pk)
    if not job.report:
        raise Http404
    try:
        handle = job.report.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stem = Path(job.original_name).stem or f"import-{job.pk}"
    return FileResponse(handle, as_attachment=True, filename=f"{stem}-错误报告.xlsx", content_type=XLSX)


@login_required
def template_download(request):
    _require_import(request.user)
    response = HttpResponse(residents_template_xlsx(user=request.user), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "居民台账模板.xlsx")
    return response


@never_cache
@login_required
def export_page(request):
    """The export form; a POST returns the .xlsx (masked unless full numbers were asked for)."""
    user = request.user
    if not get_scope(user).is_staff_role:
        raise PermissionDenied(_("You may not export residents."))
    reveal = may_reveal(user)
    form = ExportForm(request.POST or None, user=user, may_reveal=reveal,
                      initial={"place": request.GET.get("place", ""), "grid": request.GET.get("grid", "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            folder = Path(tempfile.mkdtemp(prefix="jiayuan-export-"))
            path = folder / "export.xlsx"
            try:
                path, rows = export_residents(
                    actor=user, filters=form.filters(), full_values=data["full_values"],
                    purpose=data["purpose"], path=path,
                )
            except ValidationError as exc:
                shutil.rmtree(folder, ignore_errors=True)
                apply_service_errors(form, exc)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            else:
                # The open handle keeps the data; nothing with personal numbers stays on disk.
                handle = path.open("rb")
                shutil.rmtree(folder, ignore_errors=True)
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                name = f"居民台账-{stamp}{'-完整号码' if data['full_values'] else ''}.xlsx"
                response = FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)
                response["X-Export-Rows"] = str(rows)
                return response
    context = {"nav": "ledgers", "form": form, "may_reveal": reveal, "may_import": may_import(user)}
    return render(request, "ledgers/export.html", context, status=status)
