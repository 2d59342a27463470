"""``jiayuan export_residents OUT.xlsx --user NAME``: the user's residents register as .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiayuan.accounts.models import User
from jiayuan.ledgers.exporter import export_residents


class Command(BaseCommand):
    help = "Export the residents the user may see, with the import template's headers (masked by default)."

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--user", required=True)
        parser.add_argument("--place", default="", help="only under this territory code")
        parser.add_argument("--full-values", action="store_true", help="unmasked numbers (needs --purpose)")
        parser.add_argument("--purpose", default="")

    def handle(self, *args, out, user, place, full_values, purpose, **options):
        try:
            actor = User.objects.get(username=user)
            path, rows = export_residents(actor=actor, filters={"place": place}, full_values=full_values,
                                          purpose=purpose, path=Path(out))
        except User.DoesNotExist:
            raise CommandError(f"no such user: {user}") from None
        except Exception as exc:  # noqa: BLE001 - shown to the operator
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{rows} residents written to {path}")
