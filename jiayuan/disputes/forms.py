"""Forms of the dispute pages. They only shape input; every rule lives in
``jiayuan.disputes.services``, whose field errors are put back onto these forms. The places and
rounds offered come from the user's scope, so a form never offers what the user may not see."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.scope import get_scope
from jiayuan.residents.forms import BootstrapMixin
from jiayuan.territory.models import Place

from . import selectors
from .choices import DisputeKind, DisputeStatus, HandlingLevel, IntakeMode, MediationKind, SevenDuty

BLANK = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class _Form(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _lines(value: str) -> list[str]:
    return [x.strip() for x in (value or "").replace("、", "\n").replace(",", "\n").replace(",", "\n").splitlines()
            if x.strip()]


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


def scoped_places(user, kinds=("community", "grid")):
    return get_scope(user).filter(Place.objects.filter(kind__in=kinds), "code").order_by("code")


class FilterForm(_Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + DisputeStatus.choices, required=False)
    level = forms.ChoiceField(label=_("Handling level"), choices=BLANK + HandlingLevel.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + DisputeKind.choices, required=False)
    intake_mode = forms.ChoiceField(label=_("Found by"), choices=BLANK + IntakeMode.choices, required=False)
    screening_round = forms.ModelChoiceField(label=_("Screening round"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screening_round"].queryset = selectors.round_list(user=user)


class RegisterForm(_Form):
    place = PlaceField(label=_("Place"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=DisputeKind.choices)
    intake_mode = forms.ChoiceField(label=_("Found by"), choices=IntakeMode.choices)
    screening_round = forms.ModelChoiceField(label=_("Screening round"), queryset=None, required=False)
    found_on = forms.DateField(label=_("Found on"), widget=DATE)
    party1_name = forms.CharField(label=_("Party 1"), max_length=50, required=False)
    party1_phone = forms.CharField(label=_("Phone of party 1"), max_length=20, required=False)
    party2_name = forms.CharField(label=_("Party 2"), max_length=50, required=False)
    party2_phone = forms.CharField(label=_("Phone of party 2"), max_length=20, required=False)
    other_parties = forms.CharField(label=_("Other parties (one a line)"), required=False, widget=TEXT)
    mediation_kind = forms.ChoiceField(label=_("Mediation kind"), choices=MediationKind.choices)
    summary = forms.CharField(label=_("What it is about"), required=False, widget=TEXT)
    case_ref = forms.CharField(label=_("Case number"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scoped_places(user)
        self.fields["screening_round"].queryset = selectors.round_list(user=user)
        self.initial.setdefault("found_on", timezone.localdate())

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        parties = [{"name": c["party1_name"], "phone": c["party1_phone"]},
                   {"name": c["party2_name"], "phone": c["party2_phone"]}]
        parties += [{"name": n} for n in _lines(c["other_parties"])]
        return dict(place=c["place"], title=c["title"], kind=c["kind"], intake_mode=c["intake_mode"],
                    screening_round=c["screening_round"], found_on=c["found_on"], parties=parties,
                    mediation_kind=c["mediation_kind"], summary=c["summary"], case_ref=c["case_ref"])


class RoundForm(_Form):
    community = PlaceField(label=_("Community"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    participants = forms.CharField(label=_("Who took part"), required=False, widget=TEXT)
    households_covered = forms.IntegerField(label=_("Households covered"), min_value=0, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = scoped_places(user, ("community",))


class AssignForm(_Form):
    leader_name = forms.CharField(label=_("One leader"), max_length=50, required=False)
    team = forms.CharField(label=_("One team (one name a line)"), required=False, widget=TEXT)
    plan = forms.CharField(label=_("One plan"), required=False, widget=TEXT)
    mediation_kind = forms.ChoiceField(label=_("Mediation kind"), choices=MediationKind.choices)

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return dict(leader_name=c["leader_name"], team=_lines(c["team"]), plan=c["plan"], mediation_kind=c["mediation_kind"])


class ChecklistForm(_Form):
    duties = forms.MultipleChoiceField(label=_("Seven duties (七包)"), choices=SevenDuty.choices,
                                       widget=forms.CheckboxSelectMultiple, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def service_kwargs(self) -> dict:
        return dict(done={code: self.cleaned_data["note"] for code in self.cleaned_data["duties"]})


class EmptyForm(_Form):
    def service_kwargs(self) -> dict:
        return {}


class SessionForm(_Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    location = forms.CharField(label=_("Place"), max_length=100)
    mediation_kind = forms.ChoiceField(label=_("Mediation kind"), choices=MediationKind.choices)
    mediators = forms.CharField(label=_("Mediators"), max_length=200)
    parties_present = forms.CharField(label=_("Parties present"), max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AgreementForm(_Form):
    parties = forms.CharField(label=_("Parties"), max_length=200, required=False)
    mediators = forms.CharField(label=_("Mediators"), max_length=200, required=False)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    content = forms.CharField(label=_("Agreed terms"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SignForm(_Form):
    name1 = forms.CharField(label=_("Signed by"), max_length=50, required=False)
    date1 = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    name2 = forms.CharField(label=_("Signed by"), max_length=50, required=False)
    date2 = forms.DateField(label=_("Signed on"), widget=DATE, required=False)
    name3 = forms.CharField(label=_("Signed by"), max_length=50, required=False)
    date3 = forms.DateField(label=_("Signed on"), widget=DATE, required=False)

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return dict(signatures=[{"name": c[f"name{i}"], "signed_on": c[f"date{i}"]} for i in (1, 2, 3)])


class ReasonForm(_Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXT)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class FollowUpForm(_Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    visitor = forms.CharField(label=_("Visited by"), max_length=50, required=False)
    holding = forms.BooleanField(label=_("The settlement holds"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CloseForm(_Form):
    note = forms.CharField(label=_("Closing note"), required=False, widget=TEXT)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CaseForm(_Form):
    case_ref = forms.CharField(label=_("Case number"), max_length=40, required=False)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
