"""Forms of the emergency pages; they only shape input, the rules live in
``jiayuan.emergencies.services``. Places and plans offered come from the user's scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.disputes.forms import DATE, TEXT, PlaceField, scoped_places
from jiayuan.residents.forms import BootstrapMixin

from . import selectors
from .choices import IncidentType, OnCallRole, ReportLevel, ResponseKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _Form(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class PlanForm(_Form):
    place = PlaceField(label=_("Community"), queryset=None)
    incident_type = forms.ChoiceField(label=_("Incident type"), choices=IncidentType.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    version = forms.CharField(label=_("Version"), max_length=20)
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)
    responsible_units = forms.CharField(label=_("Responsible units"), max_length=200)
    document = forms.FileField(label=_("Document (PDF, at most 10 MB)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scoped_places(user, ("community",))


class ShiftForm(_Form):
    place = PlaceField(label=_("Community"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DATE)
    person_name = forms.CharField(label=_("Person"), max_length=50)
    role = forms.ChoiceField(label=_("Role"), choices=OnCallRole.choices)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scoped_places(user, ("community",))


class IncidentForm(_Form):
    place = PlaceField(label=_("Place"), queryset=None)
    incident_type = forms.ChoiceField(label=_("Incident type"), choices=IncidentType.choices)
    plan = forms.ModelChoiceField(label=_("Plan activated"), queryset=None, required=False)
    location = forms.CharField(label=_("Location"), max_length=120)
    started_at = forms.DateTimeField(label=_("Started at"), widget=DATETIME)
    summary = forms.CharField(label=_("Summary"), widget=TEXT, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scoped_places(user)
        self.fields["plan"].queryset = selectors.plan_list(user=user)
        self.initial.setdefault("started_at", timezone.localtime().replace(second=0, microsecond=0))


class PlanActivateForm(_Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = selectors.plan_list(user=user)


class ReportForm(_Form):
    to_level = forms.ChoiceField(label=_("Report to"), choices=ReportLevel.choices)
    content = forms.CharField(label=_("Report"), widget=TEXT, required=False)


class EmptyForm(_Form):
    pass


class ResponseForm(_Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResponseKind.choices)
    note = forms.CharField(label=_("What was done"), widget=TEXT, required=False)


class NoteForm(_Form):
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class AftercareForm(_Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    visitor = forms.CharField(label=_("Visited by"), max_length=50, required=False)
    visited = forms.CharField(label=_("Who was visited"), max_length=120, required=False)
    notes = forms.CharField(label=_("Notes"), widget=TEXT, required=False)


class CloseForm(_Form):
    summary = forms.CharField(label=_("Closure summary"), widget=TEXT, required=False)
