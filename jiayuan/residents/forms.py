"""Forms for the resident pages. They only shape input; every rule lives in the services, whose
ValidationError field dicts are put back onto these forms (:func:`apply_service_errors`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.scope import get_scope
from jiayuan.territory import selectors as territory

from . import selectors
from .choices import (
    EDUCATION_CHOICES,
    ETHNICITY_CHOICES,
    POLITICAL_STATUS_CHOICES,
    RELATION_CHOICES,
    EmploymentStatus,
    MoveKind,
    ResidenceType,
)

BLANK = [("", "—")]


class BootstrapMixin:
    """Give every widget its Bootstrap class, so templates can render fields one by one."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def apply_service_errors(form: forms.Form, exc: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's field errors next to the matching form fields (others at the top)."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            name = aliases.get(field, field)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.address


class ResidentFieldsMixin(forms.Form):
    """The personal fields shared by the create and edit forms (codes from national tables)."""

    name = forms.CharField(label=_("Name"), max_length=64)
    id_number = forms.CharField(
        label=_("Identity number"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "class": "mono"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "class": "mono"}),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=BLANK + ETHNICITY_CHOICES, required=False)
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=BLANK + POLITICAL_STATUS_CHOICES, required=False
    )
    residence_type = forms.ChoiceField(label=_("Residence type"), choices=BLANK + ResidenceType.choices, required=False)
    education = forms.ChoiceField(label=_("Education"), choices=BLANK + EDUCATION_CHOICES, required=False)
    employment_status = forms.ChoiceField(
        label=_("Employment status"), choices=BLANK + EmploymentStatus.choices, required=False
    )
    relation_to_head = forms.ChoiceField(
        label=_("Relation to head"), choices=BLANK + RELATION_CHOICES, required=False
    )
    tags = forms.MultipleChoiceField(
        label=_("Special groups"), required=False, widget=forms.CheckboxSelectMultiple
    )

    PLAIN = ("name", "ethnicity", "political_status", "residence_type", "education", "employment_status",
             "relation_to_head")

    def _set_tag_choices(self, user):
        self.fields["tags"].choices = [(g.code, g.name) for g in selectors.special_group_list(user=user)]


class ResidentCreateForm(BootstrapMixin, ResidentFieldsMixin):
    household = HouseholdChoiceField(label=_("Household"), queryset=None, required=False, empty_label="—")
    grid_code = forms.ChoiceField(
        label=_("Grid"), required=False,
        help_text=_("Only for a person not yet in a registered household."),
    )
    move_date = forms.DateField(
        label=_("Moved in on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )
    move_reason = forms.CharField(label=_("Note on moving in"), max_length=200, required=False)

    field_order = ["name", "id_number", "phone", "household", "grid_code", "relation_to_head"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        # Only places the user may write to: the service would refuse the others anyway.
        self.fields["household"].queryset = selectors.household_list(user=user)
        self.fields["grid_code"].choices = BLANK + [
            (g.code, g.name) for g in territory.grid_list(user=user) if scope.can_write(g.code)
        ]
        self._set_tag_choices(user)
        self._style()

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.PLAIN}
        data.update(
            id_number=self.cleaned_data["id_number"],
            phone=self.cleaned_data["phone"],
            household=self.cleaned_data["household"],
            grid_code=self.cleaned_data["grid_code"],
            tags=self.cleaned_data["tags"],
            move_date=self.cleaned_data["move_date"] or timezone.localdate(),
            move_reason=self.cleaned_data["move_reason"],
        )
        return data


class ResidentUpdateForm(BootstrapMixin, ResidentFieldsMixin):
    """Numbers are never shown in full here (that would be an unlogged reveal): leaving them
    empty keeps the stored ones."""

    def __init__(self, *args, user, resident, tags, **kwargs):
        initial = {k: getattr(resident, k) for k in self.PLAIN}
        initial["tags"] = [g.code for g in tags]
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("Now {masked}. Leave empty to keep it.").format(
            masked=resident.id_number_masked or "—"
        )
        self.fields["phone"].help_text = _("Now {masked}. Leave empty to keep it.").format(
            masked=resident.phone_masked or "—"
        )
        self._set_tag_choices(user)
        self._style()

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.PLAIN}
        data["tags"] = self.cleaned_data["tags"]
        if self.cleaned_data["id_number"]:
            data["id_number"] = self.cleaned_data["id_number"]
        if self.cleaned_data["phone"]:
            data["phone"] = self.cleaned_data["phone"]
        return data


class RevealForm(BootstrapMixin, forms.Form):
    field = forms.ChoiceField(label=_("Number"), choices=[("id_number", _("Identity number")), ("phone", _("Phone"))])
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200,
        help_text=_("Why you need the full number. It is written to the audit log."),
    )

    def __init__(self, *args, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resident is not None and not resident.phone_masked:
            self.fields["field"].choices = [("id_number", _("Identity number"))]
        self._style()


class MoveForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of move"), choices=MoveKind.choices)
    to_household = HouseholdChoiceField(
        label=_("Moves to household"), queryset=None, required=False, empty_label="—",
        help_text=_("Needed when moving in or moving within the area."),
    )
    relation_to_head = forms.ChoiceField(
        label=_("Relation to head in the new household"), choices=BLANK + RELATION_CHOICES, required=False
    )
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                           help_text=_("Leave empty for today."))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_household"].queryset = selectors.household_list(user=user)
        self._style()
