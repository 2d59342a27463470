"""Background work of the rulebook (huey): the daily reminder sweep."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import reminders_sweep


@db_periodic_task(crontab(hour="6", minute="15"))
def daily_reminders() -> dict:
    """Every morning: reminders of obligations due soon, and overdue ones to the level above."""
    return reminders_sweep()
