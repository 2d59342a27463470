"""The community's own registers (台账) that the rulebook reads: the member–resident service
centre, the funds received and the roster of the two committees.

Each row belongs to one community (a territory Place of kind ``community``) and carries its code
as ``territory_code``, so "the registers of my area" is the same prefix scan as everywhere else.
Writes go through :mod:`jiayuan.community.services`; ``clean()`` holds the single-row rules so
the admin and the services agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core.errors import FieldErrors
from jiayuan.core.models import ActorMixin, ScopedModel
from jiayuan.residents.choices import EDUCATION_CHOICES
from jiayuan.territory.choices import PlaceKind

from .choices import POSTS_OF_COMMITTEE, REQUIRED_ROOMS, Committee, Fund, Post, ServiceRoom

MAX_AREA_M2 = Decimal("100000")


def _is_date(value) -> bool:
    """A date that passed field validation (full_clean runs clean() even when a field failed)."""
    return isinstance(value, dt.date)


class CommunityRegisterRow(ScopedModel, ActorMixin):
    """A row of one community's register: its territory code is the community's code."""

    class Meta:
        abstract = True

    def _check_community(self, errors: FieldErrors) -> None:
        community = self.community if self.community_id else None
        if community is None:
            errors.add("community", _("Choose the community."))
        elif community.kind != PlaceKind.COMMUNITY:
            errors.add("community", _("Registers are kept by a community (社区), not a {kind}.").format(
                kind=community.get_kind_display()))

    def save(self, *args, **kwargs):
        self.territory_code = self.community.code
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "territory_code"}
        super().save(*args, **kwargs)

    def register_url(self, anchor: str) -> str:
        return reverse("community_registers", args=[self.territory_code]) + "#" + anchor


class MemberResidentServiceCenter(CommunityRegisterRow):
    """The community's member–resident service centre (党员群众服务中心).

    003 L309 asks for 「面积不少于每百户20平方米」 and 「配备便民服务、党群活动、电化教育、文化娱乐等
    功能室及设施」, so the register keeps the floor area and which function rooms exist (codes of
    :class:`~jiayuan.community.choices.ServiceRoom`, including the police, residents'-talk and
    legal-consultation rooms of 004 L28); the rulebook compares them with the households. One
    centre per community.
    """

    community = models.ForeignKey(
        "territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="service_centers",
        limit_choices_to={"kind": PlaceKind.COMMUNITY},
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=2,
        help_text=_("More than 0 and at most 100,000 m²."),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    rooms = models.JSONField(_("function rooms"), default=list, blank=True)
    other_rooms = models.TextField(_("other rooms and facilities"), blank=True)

    class Meta:
        verbose_name = _("member–resident service centre")
        verbose_name_plural = _("member–resident service centres")
        ordering = ["territory_code"]
        constraints = [
            models.UniqueConstraint(fields=["community"], name="one_service_center_per_community"),
            models.CheckConstraint(
                condition=models.Q(area_m2__gt=0) & models.Q(area_m2__lte=MAX_AREA_M2), name="service_center_area_range"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return self.register_url("centre")

    def clean(self):
        errors = FieldErrors()
        self._check_community(errors)
        if isinstance(self.area_m2, Decimal | int):
            if self.area_m2 <= 0:
                errors.add("area_m2", _("The floor area must be more than 0 m²."))
            elif self.area_m2 > MAX_AREA_M2:
                errors.add("area_m2", _("The floor area is at most 100,000 m²."))
        if _is_date(self.opened_on) and self.opened_on > timezone.localdate():
            errors.add("opened_on", _("The opening date is in the future."))
        rooms = self.rooms
        if not isinstance(rooms, list) or not all(isinstance(r, str) for r in rooms):
            errors.add("rooms", _("The rooms must be a list of room codes."))
        else:
            unknown = [r for r in rooms if r not in ServiceRoom.values]
            if unknown:
                errors.add("rooms", _("Unknown room code(s): {codes}.").format(codes=", ".join(unknown)))
            elif len(set(rooms)) != len(rooms):
                errors.add("rooms", _("A room is listed twice."))
            else:
                # stored in the order of the code table, so equal sets compare equal in the log
                self.rooms = [r for r in ServiceRoom.values if r in rooms]
        errors.raise_if_any()

    @property
    def room_labels(self) -> list[str]:
        return [str(ServiceRoom(r).label) for r in self.rooms if r in ServiceRoom.values]

    @property
    def missing_required_rooms(self) -> list[str]:
        return [r.value for r in REQUIRED_ROOMS if r.value not in (self.rooms or [])]

    @property
    def missing_required_labels(self) -> list[str]:
        return [str(ServiceRoom(r).label) for r in self.missing_required_rooms]


class FundAllocation(CommunityRegisterRow):
    """Money the community received for one of its funds (社区工作运行经费 / 党员活动经费 /
    惠民项目资金).

    003 L335: 「社区工作运行经费不少于30元/户,党员活动经费不低于100元/人。切实用实、用好20万元惠民
    项目资金」 (and 002 L27 「按每人每年100元的标准,将党员活动经费纳入财政预算」): the rulebook
    sums what was received in a year and compares it with the households and members.

    An append-only ledger: a row is never edited or deleted. A mistake is corrected by a reversal
    row (the negative amount, ``reverses`` pointing at the original, a reason), then, if needed, a
    new correct row. A row is reversed at most once and a reversal is never reversed.
    """

    community = models.ForeignKey(
        "territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="fund_allocations",
        limit_choices_to={"kind": PlaceKind.COMMUNITY},
    )
    fund = models.CharField(_("fund"), max_length=32, choices=Fund.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("source"), max_length=100, blank=True, help_text=_("e.g. 区财政"))
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("reason for the reversal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-year", "fund", "received_on", "id"]
        indexes = [models.Index(fields=["community", "fund", "received_on"], name="fund_alloc_by_fund_date")]
        constraints = [
            # an original row is a positive amount; a reversal is negative and names its original
            models.CheckConstraint(
                condition=(models.Q(reverses__isnull=True) & models.Q(amount__gt=0))
                | (models.Q(reverses__isnull=False) & models.Q(amount__lt=0)),
                name="fund_allocation_sign",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_fund_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return self.register_url(f"allocation-{self.pk}")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    def clean(self):
        errors = FieldErrors()
        self._check_community(errors)
        today = timezone.localdate()
        if isinstance(self.year, int) and not 1949 <= self.year <= today.year:
            errors.add("year", _("The year must lie between 1949 and {year}.").format(year=today.year))
        if isinstance(self.amount, Decimal | int):
            if self.reverses_id is None and self.amount <= 0:
                errors.add("amount", _("The amount must be more than 0."))
            if self.reverses_id is not None and self.amount >= 0:
                errors.add("amount", _("A reversal has a negative amount."))
        if _is_date(self.received_on):
            if self.received_on > today:
                errors.add("received_on", _("The date received is in the future."))
            if isinstance(self.year, int) and self.received_on.year != self.year:
                errors.add("received_on", _("The date received must lie in {year}.").format(year=self.year))
        if self.reverses_id is not None and not (self.reason or "").strip():
            errors.add("reason", _("State why the row is reversed."))
        errors.raise_if_any()


class TwoCommitteesSeat(CommunityRegisterRow):
    """One person's seat on one of the two committees (两委) for a period.

    003 L297: 「社区“两委”成员5—9人,有1名35岁以下年轻干部,有1名大学生 … 实行“双向进入、交叉
    任职”。社区党组织书记和居委会主任“一肩挑”的,配备一名专职副书记」. The roster keeps who sat
    where and when (a seat is ended, never deleted), with birth date and education, so the
    rulebook can count distinct persons, the young, the graduates, the cross-appointed and the
    dual-role secretary as of any date.

    A person is the linked resident when there is one, otherwise the pair (full name, birth date);
    linking a resident fills name, birth date and education from the residents register.
    """

    community = models.ForeignKey(
        "territory.Place", verbose_name=_("community"), on_delete=models.PROTECT, related_name="two_committees_seats",
        limit_choices_to={"kind": PlaceKind.COMMUNITY},
    )
    committee = models.CharField(_("committee"), max_length=32, choices=Committee.choices)
    full_name = models.CharField(_("full name"), max_length=64)
    resident = models.ForeignKey(
        "residents.Resident", verbose_name=_("resident"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="two_committees_seats",
    )
    birth_date = models.DateField(_("date of birth"))
    education = models.CharField(_("education"), max_length=2, choices=EDUCATION_CHOICES, blank=True)
    post = models.CharField(_("post"), max_length=32, choices=Post.choices)
    started_on = models.DateField(_("in office since"))
    ended_on = models.DateField(_("left office on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("two-committees seat")
        verbose_name_plural = _("two-committees seats")
        ordering = ["committee", "ended_on", "started_on", "id"]
        indexes = [models.Index(fields=["community", "started_on"], name="seat_by_community_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="seat_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} · {self.get_committee_display()} · {self.get_post_display()}"

    def get_absolute_url(self) -> str:
        return self.register_url(f"seat-{self.pk}")

    @property
    def person_key(self) -> tuple:
        if self.resident_id:
            return ("resident", self.resident_id)
        return ("name", self.full_name, self.birth_date)

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def fill_from_resident(self) -> None:
        """Name, birth date and education default from the linked resident's record."""
        r = self.resident if self.resident_id else None
        if r is None:
            return
        if not (self.full_name or "").strip():
            self.full_name = r.name
        if self.birth_date is None:
            self.birth_date = r.birth_date
        if not self.education:
            self.education = r.education

    def clean(self):
        self.fill_from_resident()
        errors = FieldErrors()
        self._check_community(errors)
        if (
            self.committee in Committee.values and self.post in Post.values
            and self.post not in POSTS_OF_COMMITTEE[Committee(self.committee)]
        ):
            errors.add("post", _("“{post}” is not a post of the {committee}.").format(
                post=Post(self.post).label, committee=Committee(self.committee).label))
        today = timezone.localdate()
        birth = self.birth_date if _is_date(self.birth_date) else None
        if birth is not None and birth > today:
            errors.add("birth_date", _("The date of birth is in the future."))
        ended = self.ended_on if _is_date(self.ended_on) else None
        if _is_date(self.started_on):
            if self.started_on > today:
                errors.add("started_on", _("The start of office is in the future."))
            if birth and self.started_on <= birth:
                errors.add("started_on", _("The start of office is before the date of birth."))
            if ended is not None and ended < self.started_on:
                errors.add("ended_on", _("The end of office is before its start."))
        if ended is not None and ended > today:
            errors.add("ended_on", _("The end of office is in the future."))
        if self.resident_id and self.community_id and not self.resident.territory_code.startswith(self.community.code):
            errors.add("resident", _("This resident is not registered in the community."))
        errors.raise_if_any()


def distinct_persons(seats) -> dict[int, tuple]:
    """The person behind each seat, ``{seat.pk: person key}``.

    A person is the linked resident when the seat has one, otherwise (full name, birth date). An
    unlinked seat whose name and birth date are those of exactly one linked person's seat is that
    person (the same cadre entered once from the residents register and once by hand).
    """
    seats = list(seats)
    linked: dict[tuple, set] = {}
    for s in seats:
        if s.resident_id:
            linked.setdefault((s.full_name, s.birth_date), set()).add(s.resident_id)
    keys = {}
    for s in seats:
        if s.resident_id:
            keys[s.pk] = ("resident", s.resident_id)
        else:
            ids = linked.get((s.full_name, s.birth_date), set())
            keys[s.pk] = ("resident", next(iter(ids))) if len(ids) == 1 else ("name", s.full_name, s.birth_date)
    return keys
