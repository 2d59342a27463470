"""Background work of the Party registers (huey): the daily term-expiry sweep."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import term_reminders_sweep


@db_periodic_task(crontab(hour="6", minute="20"))
def daily_term_reminders() -> dict:
    """Every morning: terms ending within 90 days or run out."""
    return term_reminders_sweep()
