"""Imports run on the background worker so an upload returns at once."""

from huey.contrib.djhuey import db_task

from .models import ResidentImport
from .services import import_run


@db_task()
def import_residents_task(job_id: int) -> int:
    import_run(job=ResidentImport.objects.get(pk=job_id))
    return job_id
