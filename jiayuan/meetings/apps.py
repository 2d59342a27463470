from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "jiayuan.meetings"
    label = "meetings"
    verbose_name = _("Meetings (三会一课)")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            Attendance,
            Meeting,
            MeetingAttachment,
            Minutes,
            MinutesAddendum,
            Motion,
            MotionTally,
            NamedBallot,
            VisitTask,
        )

        # SecretBallot and BallotReceipt are deliberately NOT registered: a log entry per ballot
        # (or per receipt) written in the same instant would tell who chose what.
        for model in (Meeting, Attendance, Minutes, MinutesAddendum, MeetingAttachment, Motion, MotionTally, NamedBallot, VisitTask):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
