"""Background work of the emergency records (huey): chasing unacknowledged reports."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import report_chase_sweep


@db_periodic_task(crontab(minute="*/10"))
def chase_unacknowledged_reports() -> dict:
    """Every ten minutes: re-notify the level above of each report it has not acknowledged."""
    return report_chase_sweep()
