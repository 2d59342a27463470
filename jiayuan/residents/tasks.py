"""Background work for the registry (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import Resident
from .services import household_refresh_completeness_bulk


def refresh_completeness(territory_code: str = "") -> dict:
    """Recompute completeness scores under a territory code.

    Scores are stored so a grid's share of complete records is one indexed aggregate; bulk
    loads (demo, imports) and changes to the completeness rule can leave them stale, so the
    worker re-derives them nightly and after bulk work.
    """
    changed_residents = 0
    qs = Resident.objects.filter(territory_code__startswith=territory_code).only(
        "id", *[f.removesuffix("_id") for f in Resident.COMPLETENESS_FIELDS], "household_id", "completeness"
    )
    batch = []
    for resident in qs.iterator(chunk_size=2000):
        score = resident.compute_completeness()
        if score != resident.completeness:
            resident.completeness = score
            batch.append(resident)
        if len(batch) >= 1000:
            changed_residents += Resident.objects.bulk_update(batch, ["completeness"])
            batch = []
    if batch:
        changed_residents += Resident.objects.bulk_update(batch, ["completeness"])
    households = household_refresh_completeness_bulk(territory_code)
    return {"residents_changed": changed_residents, "households": households}


@db_task()
def refresh_completeness_task(territory_code: str = "") -> dict:
    return refresh_completeness(territory_code)


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_refresh_completeness() -> dict:
    return refresh_completeness("")
