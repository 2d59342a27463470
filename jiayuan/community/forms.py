"""Forms of the register page. They only shape input; every rule lives in the services, whose
field errors are put back onto these forms (``residents.forms.apply_service_errors``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core import crypto
from jiayuan.core.idnumber import normalise
from jiayuan.residents.choices import EDUCATION_CHOICES
from jiayuan.residents.forms import BootstrapMixin

from .choices import Committee, Fund, Post, ServiceRoom
from .importer import MAX_FILE_BYTES

BLANK = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceCenterForm(BootstrapMixin, forms.Form):
    prefix = "centre"

    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    area_m2 = forms.DecimalField(
        label=_("Floor area (m²)"), max_digits=9, decimal_places=2, min_value=Decimal("0.01"),
        max_value=Decimal("100000"), widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE)
    rooms = forms.MultipleChoiceField(
        label=_("Function rooms"), choices=ServiceRoom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_rooms = forms.CharField(
        label=_("Other rooms and facilities"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, center=None, **kwargs):
        if center is not None:
            kwargs.setdefault("initial", {f: getattr(center, f) for f in
                                          ("name", "address", "area_m2", "opened_on", "rooms", "other_rooms")})
        super().__init__(*args, **kwargs)
        self._style()


class AllocationForm(BootstrapMixin, forms.Form):
    prefix = "fund"

    fund = forms.ChoiceField(label=_("Fund"), choices=Fund.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=9999)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    source = forms.CharField(label=_("Source"), max_length=100, required=False, help_text=_("e.g. 区财政"))
    document_no = forms.CharField(label=_("Document number"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self._style()


class ReverseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SeatForm(BootstrapMixin, forms.Form):
    """Add or correct a seat. A resident is linked by their full identity number (matched
    through the blind index, within the community); name, birth date and education then default
    from the residents register."""

    prefix = "seat"

    committee = forms.ChoiceField(label=_("Committee"), choices=Committee.choices)
    post = forms.ChoiceField(label=_("Post"), choices=Post.choices)
    resident_id_number = forms.CharField(
        label=_("Identity number of the resident"), max_length=32, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "mono"}),
        help_text=_("Optional: links the seat to the residents register, which fills name, birth date and education."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=64, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + EDUCATION_CHOICES, required=False)
    started_on = forms.DateField(label=_("In office since"), widget=DATE)
    ended_on = forms.DateField(label=_("Left office on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, seat=None, **kwargs):
        if seat is not None:
            kwargs.setdefault("initial", {f: getattr(seat, f) for f in (
                "committee", "post", "full_name", "birth_date", "education", "started_on", "ended_on", "note")})
        super().__init__(*args, **kwargs)
        if seat is not None and seat.resident_id:
            self.fields["resident_id_number"].help_text = _(
                "Linked to {name} ({masked}). Leave empty to keep the link."
            ).format(name=seat.resident.name, masked=seat.resident.id_number_masked)
        self._style()

    def clean_resident_id_number(self):
        value = normalise(self.cleaned_data.get("resident_id_number") or "")
        if value and len(value) != 18:
            raise forms.ValidationError(_("An identity number has 18 characters."))
        return value

    def resident_index(self) -> str:
        number = self.cleaned_data.get("resident_id_number")
        return crypto.blind_index(number) if number else ""

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in (
            "committee", "post", "full_name", "birth_date", "education", "started_on", "ended_on", "note")}
        return data


class EndSeatForm(BootstrapMixin, forms.Form):
    prefix = "end"

    ended_on = forms.DateField(label=_("Left office on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"ended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._style()


class RosterImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # formatted here, not at import, so the text follows the request's language
        self.fields["file"].help_text = _(
            "CSV or Excel (.xlsx) with the header row 委员会, 姓名, 出生日期, 学历, 职务, 任职日期, 离任日期 "
            "(备注 optional), at most {mb} MB."
        ).format(mb=MAX_FILE_BYTES // (1024 * 1024))
        self._style()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Choose a CSV or Excel (.xlsx) file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES // (1024 * 1024)))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
