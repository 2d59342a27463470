"""三会一课 and every other meeting of a Party organization, with attendance, minutes and votes.

The seeds ask for the meetings themselves (002 L93: monthly branch committee and Party group
meetings, a quarterly general meeting, a Party lecture every half year, democratic life and
organizational life meetings once a year), for a full record of each (003 L331 「工作全程记实」:
who came, what was said and decided, signed and never rewritten) and for a visit to any member
who stays away (002 L111 「党员不参加活动必访」). Every row carries the ``territory_code`` of the
organization's place (directly or through its meeting), so scoping is the usual prefix scan.
Only ``jiayuan.meetings.services`` writes these tables.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiayuan.core.models import ActorMixin, ScopedModel, TimeStampedModel

from .choices import (
    DEFAULT_OPTIONS,
    AttendanceMethod,
    AttendanceStatus,
    MeetingEventKind,
    MeetingStatus,
    MeetingType,
    MotionResult,
    MotionStatus,
    VisitReason,
    VisitStatus,
    VoteMethod,
)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx"]


class Meeting(ScopedModel, ActorMixin):
    """One meeting or organized activity of one Party organization (三会一课 002 L93 and the
    other kinds the rulebook counts). Scheduled → held (with the day it was held) or cancelled
    (with the reason). A Party group's meeting belongs to the group organization, so "each group
    met" is a question about the group. ``signin_code`` is set while members may sign in with
    their phones and cleared when the meeting is marked held."""

    organization = models.ForeignKey(
        "party.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="meetings"
    )
    meeting_type = models.CharField(_("type"), max_length=32, choices=MeetingType.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    lecturer = models.CharField(_("lecturer"), max_length=64, blank=True, help_text=_("For a Party lecture."))
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, db_index=True
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    signin_code = models.CharField(_("sign-in code"), max_length=8, blank=True, editable=False)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["territory_code", "meeting_type", "held_on"], name="meetings_scope_type_held"),
            models.Index(fields=["signin_code"], name="meetings_signin_code"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.territory_code = self.organization.territory_code
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "territory_code", "updated_at"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def signin_open(self) -> bool:
        return bool(self.signin_code) and self.status == MeetingStatus.SCHEDULED


class MeetingEvent(models.Model):
    """One step in a meeting's life (scheduled, sign-in opened, held, minutes signed off, ...).
    Append-only: the meeting's history as 全程记实 (003 L331) asks, beside the field log."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=MeetingEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.meeting_id} · {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("meeting events are append-only")
        super().save(*args, **kwargs)


class Attendance(TimeStampedModel, ActorMixin):
    """Whether one member came to one meeting: present, late, excused (请假, with the reason) or
    absent. Written by the roll call, by the member's own sign-in code, or — for expected members
    nobody ticked — as absent when the meeting is marked held. Absences feed 五个必访 (002 L111)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        "party.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    method = models.CharField(_("recorded by"), max_length=16, choices=AttendanceMethod.choices)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meetings_attendance_once")]

    def __str__(self):
        return f"{self.meeting_id} · {self.member_id} · {self.status}"

    def clean(self):
        if self.status == AttendanceStatus.EXCUSED and not (self.reason or "").strip():
            raise ValidationError({"reason": _("State why the member is excused.")})


class Minutes(TimeStampedModel, ActorMixin):
    """The minutes of one meeting (会议记录). Editable until signed off; after that never changed
    (003 L331 全程记实): a correction is a :class:`MinutesAddendum`."""

    meeting = models.OneToOneField(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"))
    decisions = models.TextField(_("decisions"), blank=True)
    recorder_name = models.CharField(_("recorded by"), max_length=64, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorder (user)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.meeting_id}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class MinutesAddendum(TimeStampedModel, ActorMixin):
    """A correction or addition to signed-off minutes. Append-only (architecture §4.5)."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(_("addendum"))

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.minutes_id} · {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("addenda are append-only")
        super().save(*args, **kwargs)


def validate_attachment_size(file) -> None:
    if file.size is not None and file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))


class MeetingAttachment(TimeStampedModel):
    """A document or photo of a meeting (sign-in sheet, slides, photos): evidence of 全程记实."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to="meetings/%Y/%m/",
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title or Path(self.file.name).name

    @property
    def filename(self) -> str:
        return Path(self.file.name).name


def default_options() -> list[str]:
    return list(DEFAULT_OPTIONS)


class Motion(TimeStampedModel, ActorMixin):
    """A question put to the vote at a meeting (表决), reusable by the 4+2 decision method.

    ``eligible`` (full members expected at the meeting: probationary members have no vote) is
    frozen when the vote opens. Closing freezes ``present`` and ``votes_cast`` and decides:
    no quorum unless present > ``quorum_ratio`` × eligible ("more than half present"), passed
    when the ``yes`` votes are more than ``majority_ratio`` × votes cast. With options other than
    yes/no/abstain, ``winner`` is the option with such a majority (empty when none has one).
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="motions")
    question = models.CharField(_("question"), max_length=300)
    method = models.CharField(_("method"), max_length=16, choices=VoteMethod.choices)
    options = models.JSONField(_("options"), default=default_options)
    quorum_ratio = models.DecimalField(
        _("quorum (share of eligible)"), max_digits=4, decimal_places=3, default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    majority_ratio = models.DecimalField(
        _("majority (share of votes cast)"), max_digits=4, decimal_places=3, default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    eligible = models.PositiveIntegerField(_("eligible voters"), default=0)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MotionStatus.choices, default=MotionStatus.OPEN)
    result = models.CharField(_("result"), max_length=16, choices=MotionResult.choices, blank=True)
    winner = models.CharField(_("winning option"), max_length=100, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.question


class MotionTally(models.Model):
    """The chair's count of raised hands for one option of a show-of-hands vote."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="tallies")
    option = models.CharField(_("option"), max_length=100)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "option"], name="meetings_tally_once")]

    def __str__(self):
        return f"{self.motion_id} · {self.option} · {self.count}"


class NamedBallot(TimeStampedModel, ActorMixin):
    """One member's open vote in a named vote (记名投票): who chose what is part of the record."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="named_ballots")
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="meetings_named_ballot_once")]

    def __str__(self):
        return f"{self.motion_id} · {self.member_id}"


class BallotReceipt(models.Model):
    """THAT a member voted in a secret ballot (so nobody votes twice) — never what they chose.
    No timestamp and no audit-log registration, so nothing lines it up with a ballot."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey("party.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="meetings_receipt_once")]

    def __str__(self):
        return f"{self.motion_id} · {self.member_id}"


class SecretBallot(models.Model):
    """One anonymous choice of a secret ballot (无记名投票).

    Deliberately nothing but the motion and the choice: no member, no user, no timestamp (so not
    a TimeStampedModel), a random UUID key and random order, and no audit-log registration — so
    neither the table nor the log can be lined up with the :class:`BallotReceipt` written in the
    same transaction. Closing the vote also rewrites the ballots under fresh keys in shuffled
    order, so even the physical order of insertion (a database detail outside the application)
    no longer follows the receipts.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="secret_ballots")
    choice = models.CharField(_("choice"), max_length=100)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.motion_id} · {self.choice}"


class VisitTask(ScopedModel, ActorMixin):
    """A visit owed to a member (五个必访, 002 L111): ill, in hardship, missing activities,
    complained about by residents, or died (to the family). The "missed meetings" task is opened
    by :func:`jiayuan.meetings.services.must_visit_check` when a meeting is marked held; the
    others by hand. At most one open task per member and reason (constraint), so the automatic
    check can run again and again."""

    member = models.ForeignKey("party.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="visit_tasks")
    reason = models.CharField(_("reason"), max_length=16, choices=VisitReason.choices)
    due_on = models.DateField(_("visit by"))
    status = models.CharField(_("status"), max_length=8, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    trigger = models.CharField(_("why opened"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("must-visit task")
        verbose_name_plural = _("must-visit tasks")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "reason"], condition=models.Q(status="open"), name="meetings_visit_one_open"
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.get_reason_display()}"

    def save(self, *args, **kwargs):
        self.territory_code = self.member.territory_code
        super().save(*args, **kwargs)
