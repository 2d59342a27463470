"""``jiayuan gen_city --residents N --seed S --out FILE.csv``: a synthetic city (issue 3).

Creates the city's places in the database (idempotent), then writes its residents to a CSV in
the import template, for load tests and importer runs at city scale. Same N and S, same bytes.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from jiayuan.territory import synthetic


class Command(BaseCommand):
    help = "Create a deterministic synthetic city's places and write its residents as an import CSV."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, required=True, help="number of residents (rows)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", help="CSV file to write (UTF-8 with BOM)")
        parser.add_argument("--places-only", action="store_true", help="create the places, write no CSV")

    def handle(self, *args, residents, seed, out, places_only, **options):
        if residents < 1:
            raise CommandError("--residents must be at least 1.")
        if not out and not places_only:
            raise CommandError("--out is required unless --places-only is given.")
        started = time.perf_counter()
        created = synthetic.ensure_places(residents, seed)
        made = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
        self.stderr.write(f"places: {made} ({time.perf_counter() - started:.1f} s)")
        if places_only:
            return
        started = time.perf_counter()

        def progress(rows: int) -> None:
            elapsed = time.perf_counter() - started
            sys.stderr.write(f"  {rows:,} rows ({rows / elapsed:,.0f}/s)\n")
            sys.stderr.flush()

        stats = synthetic.write_residents(out, residents, seed, progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"{stats.residents:,} residents in {stats.households:,} households, {stats.buildings:,} buildings, "
            f"{stats.grids:,} grids → {out} ({elapsed:.1f} s, {stats.residents / elapsed:,.0f} rows/s)"
        ))
