"""Forms for the register pages: they shape input; the rules live in the services and the
exporter, whose errors are put back onto these forms."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.residents.forms import BootstrapMixin
from jiayuan.territory import selectors as territory

from .reader import MAX_FILE_BYTES

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_("CSV or Excel (.xlsx) with the template's header row, at most {mb} MB.").format(
            mb=MAX_FILE_BYTES // (1024 * 1024)
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Choose a CSV or Excel (.xlsx) file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than {mb} MB.").format(mb=MAX_FILE_BYTES // (1024 * 1024))
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ExportForm(BootstrapMixin, forms.Form):
    grid = forms.ChoiceField(label=_("Grid"), required=False)
    place = forms.CharField(required=False, widget=forms.HiddenInput)
    full_values = forms.BooleanField(
        label=_("Full identity and phone numbers"), required=False,
        help_text=_("Without this, numbers are masked (e.g. 5203**********1234)."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, required=False,
        help_text=_("Needed for full numbers. It is written to the audit log."),
    )

    def __init__(self, *args, user, may_reveal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.grids = list(territory.grid_list(user=user))
        self.fields["grid"].choices = [("", _("All my area"))] + [(g.code, g.name) for g in self.grids]
        if not may_reveal:
            # The checkbox is not offered; a forged request still reaches the exporter (403).
            self.fields["full_values"].widget = forms.HiddenInput()
            self.fields["purpose"].widget = forms.HiddenInput()
        self.may_reveal = may_reveal
        self._style()

    def clean_place(self):
        return (self.cleaned_data.get("place") or "").strip()[:40]

    def filters(self) -> dict:
        return {"grid": self.cleaned_data.get("grid", ""), "place": self.cleaned_data.get("place", "")}
