"""The form that adapts a rule's parameter for a place (validated again by the service)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rulebook import Rule

EVERYWHERE = "*"


class OverrideForm(forms.Form):
    parameter = forms.ChoiceField(label=gettext_lazy("Parameter"))
    place = forms.ChoiceField(label=gettext_lazy("For"))
    value = forms.CharField(label=gettext_lazy("New value"), max_length=40)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("The decision or document behind the change, e.g. 区委组织部文件 2026-12."),
    )

    def __init__(self, *args, rule: Rule, places: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.places = {(p.code if p else EVERYWHERE): p for p in places}
        self.fields["parameter"].choices = [
            (name, f"{p.display_label()} ({p.default})")
            for name, p in rule.params.items()
        ]
        self.fields["place"].choices = [
            (code, _("Everywhere") if p is None else f"{p.name} ({p.get_kind_display()})") for code, p in self.places.items()
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"

    def clean_place(self):
        return self.places[self.cleaned_data["place"]]

    def clean(self):
        data = super().clean()
        param = self.rule.params.get(data.get("parameter"))
        if param is not None and data.get("value") is not None:
            try:
                data["value"] = param.parse(data["value"])
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            self.add_error(field if field in self.fields else None, errors)
