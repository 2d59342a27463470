"""Background work of the case loop (huey): the overdue sweep every half hour."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import overdue_sweep


@db_periodic_task(crontab(minute="*/30"))
def cases_overdue_sweep() -> dict:
    """Mark cases past their deadline, escalate them one level and remind those responsible."""
    return overdue_sweep()
