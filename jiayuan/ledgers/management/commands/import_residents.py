"""``jiayuan import_residents FILE --user NAME``: import a residents register (CSV or .xlsx)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jiayuan.accounts.models import User
from jiayuan.ledgers.services import import_create, import_run


class Command(BaseCommand):
    help = "Import a residents register (台账). All rows or none; re-importing the same file changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the account the import acts for (its scope applies)")
        parser.add_argument("--queue", action="store_true", help="hand the import to the background worker")
        parser.add_argument("--language", default="zh-hans", help="language of the error messages (zh-hans, en)")

    def handle(self, *args, file, user, queue, language, **options):
        translation.activate(language)
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no such user: {user}") from None
        try:
            job = import_create(actor=actor, path=file)
        except Exception as exc:  # noqa: BLE001 - shown to the operator
            raise CommandError(str(exc)) from None
        if queue:
            from jiayuan.ledgers.tasks import import_residents_task

            import_residents_task(job.pk)
            self.stdout.write(f"queued import #{job.pk}")
            return
        job = import_run(job=job)
        if job.status == "succeeded":
            self.stdout.write(self.style.SUCCESS(
                f"import #{job.pk}: {job.rows_done} rows; {job.created_count} added, {job.updated_count} updated, "
                f"{job.unchanged_count} unchanged"
            ))
            return
        for e in job.errors[:50]:
            self.stderr.write(f"row {e['row']} [{e['column']}]: {e['message']}")
        self.stderr.write(f"import #{job.pk} refused: {job.error_count} error(s); nothing was written. "
                          f"Report: {job.report.path if job.report else '-'}")
        sys.exit(1)
