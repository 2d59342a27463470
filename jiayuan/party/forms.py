"""Forms of the Party register pages. They only shape input; every rule lives in
``jiayuan.party.services``, whose field errors are put back onto these forms
(``residents.forms.apply_service_errors``). Choices of organizations, members and places come
from the selectors, so a form never offers what the user may not see."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.residents.choices import Sex
from jiayuan.residents.forms import BootstrapMixin
from jiayuan.territory import selectors as territory
from jiayuan.territory.choices import PlaceKind

from . import selectors
from .choices import (
    MEMBER_HOLDING_TYPES,
    ContactChannel,
    ContactKind,
    HostKind,
    LeftReason,
    ManagementMode,
    MemberCategory,
    MemberStatus,
    OfficerPost,
    OrgType,
    PostAssessment,
)
from .permissions import may_write_party

BLANK = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONEY = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


def _today():
    return timezone.localdate()


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} · {obj.organization.name}"


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def writable_places(user, kinds=(PlaceKind.STREET, PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.BUILDING)):
    """Places of the user's area where they may keep the Party registers (one query)."""
    places = territory.place_list(user=user).filter(kind__in=kinds)
    return [p.pk for p in places if may_write_party(user, p.code)]


def holding_orgs(user):
    return selectors.organization_list(user=user).filter(org_type__in=MEMBER_HOLDING_TYPES)


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


# -- organizations ------------------------------------------------------------------------------

class OrganizationForm(StyledForm):
    prefix = "org"

    name = forms.CharField(label=_("Name"), max_length=100)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    place = PlaceChoiceField(label=_("Place served"), queryset=None)
    parent = OrgChoiceField(label=_("Parent organization"), queryset=None, required=False)
    host_kind = forms.ChoiceField(label=_("Host"), choices=HostKind.choices, initial=HostKind.COMMUNITY)
    host_name = forms.CharField(label=_("Host name"), max_length=100, required=False)
    approved_by = forms.CharField(label=_("Approved by"), max_length=100, required=False,
                                  help_text=_("e.g. 街道党工委"))
    approval_ref = forms.CharField(label=_("Approval reference"), max_length=100, required=False)
    dual_supervisor = forms.CharField(label=_("also managed by"), max_length=100, required=False,
                                      help_text=_("Dual management (双重管理, 004 L70): the unit's own Party organization it still reports to."))
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DATE)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=10, required=False,
                                    help_text=_("Empty: the rulebook's term (three years)."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from jiayuan.territory.models import Place

        self.fields["place"].queryset = Place.objects.filter(pk__in=writable_places(user)).order_by("code")
        self.fields["parent"].queryset = selectors.organization_list(user=user).exclude(org_type=OrgType.PARTY_GROUP)


class DissolveForm(StyledForm):
    prefix = "dissolve"

    on = forms.DateField(label=_("Dissolved on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class OfficerForm(StyledForm):
    prefix = "officer"

    member = MemberChoiceField(label=_("Party member"), queryset=None)
    post = forms.ChoiceField(label=_("Post"), choices=OfficerPost.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.member_list(user=user, organization=organization)


class EndForm(StyledForm):
    """The end of a post or of a report-in: one date."""

    prefix = "end"

    on = forms.DateField(label=_("Ended on"), widget=DATE)


class ElectionForm(StyledForm):
    prefix = "election"

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    eligible = forms.IntegerField(label=_("Eligible voters"), min_value=0, required=False)
    votes_cast = forms.IntegerField(label=_("Votes cast"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


# -- members ------------------------------------------------------------------------------------

class MemberFilterForm(forms.Form):
    """The filters of the member list (GET): never an error, unknown values are ignored."""

    q = forms.CharField(label=_("Name"), required=False)
    organization = forms.CharField(label=_("Organization"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + MemberStatus.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + MemberCategory.choices, required=False)


class MemberForm(StyledForm):
    """A member's record; ``organization`` only when registering (it changes by transfer)."""

    prefix = "member"

    organization = OrgChoiceField(label=_("Organization"), queryset=None)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices, initial=MemberStatus.FULL)
    joined_on = forms.DateField(label=_("Joined the Party on"), required=False, widget=DATE)
    full_on = forms.DateField(label=_("Full member since"), required=False, widget=DATE)
    group = OrgChoiceField(label=_("Party group"), queryset=None, required=False)
    categories = forms.MultipleChoiceField(label=_("Categories"), choices=MemberCategory.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    management_mode = forms.ChoiceField(label=_("Management mode"), choices=ManagementMode.choices,
                                        initial=ManagementMode.DIRECT)
    work_unit = forms.CharField(label=_("Work unit"), max_length=100, required=False)
    work_unit_party_org = forms.CharField(label=_("Party organization of the work unit"), max_length=100,
                                          required=False)
    skills = forms.CharField(label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "class": "mono"}))
    dues_base = forms.DecimalField(label=_("Monthly income for dues (yuan)"), max_digits=10, decimal_places=2,
                                   min_value=Decimal("0"), required=False, widget=MONEY)

    FIELDS = ("full_name", "sex", "birth_date", "status", "joined_on", "full_on", "group", "categories",
              "management_mode", "work_unit", "work_unit_party_org", "skills", "dues_base")

    def __init__(self, *args, user, member=None, **kwargs):
        if member is not None:
            kwargs.setdefault("initial", {f: getattr(member, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)
        self.member = member
        groups = selectors.organization_list(user=user).filter(org_type=OrgType.PARTY_GROUP)
        if member is not None:
            del self.fields["organization"]
            groups = groups.filter(parent_id=member.organization_id)
            self.fields["phone"].help_text = _("Now {masked}. Leave empty to keep it.").format(
                masked=member.phone_masked or "—")
        else:
            self.fields["organization"].queryset = holding_orgs(user)
        self.fields["group"].queryset = groups

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.FIELDS}
        if data["sex"] is None:
            data["sex"] = ""
        if self.cleaned_data.get("phone") or self.member is None:
            data["phone"] = self.cleaned_data.get("phone") or ""
        return data


class LeaveForm(StyledForm):
    prefix = "leave"

    on = forms.DateField(label=_("Left on"), widget=DATE)
    reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[(v, label) for v, label in LeftReason.choices if v != LeftReason.TRANSFERRED_OUT],
    )


# -- transfers ----------------------------------------------------------------------------------

class TransferRequestForm(StyledForm):
    prefix = "transfer"

    to_org = OrgChoiceField(label=_("To organization here"), queryset=None, required=False)
    to_outside_name = forms.CharField(label=_("Or to an organization outside"), max_length=100, required=False)
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"requested_on": _today()})
        super().__init__(*args, **kwargs)
        # the receiving side may lie outside the user's area (selectors.transfer_destination_list)
        self.fields["to_org"].queryset = selectors.transfer_destination_list(user=user)


class ReceiveForm(StyledForm):
    prefix = "receive"

    received_on = forms.DateField(label=_("Date received"), widget=DATE)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": _today()})
        super().__init__(*args, **kwargs)


class ReasonForm(StyledForm):
    prefix = "reason"

    reason = forms.CharField(label=_("Reason"), max_length=200)


class TransferInForm(StyledForm):
    prefix = "in"

    organization = OrgChoiceField(label=_("Receiving organization"), queryset=None)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    from_outside_name = forms.CharField(label=_("From (outside the system)"), max_length=100)
    received_on = forms.DateField(label=_("Date received"), widget=DATE)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=MemberStatus.choices, initial=MemberStatus.FULL)
    joined_on = forms.DateField(label=_("Joined the Party on"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "class": "mono"}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"received_on": _today()})
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = holding_orgs(user)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["sex"] = data.get("sex") or ""
        return data


# -- dues ---------------------------------------------------------------------------------------

class DuesForm(StyledForm):
    prefix = "dues"

    member = MemberChoiceField(label=_("Party member"), queryset=None)
    month = forms.DateField(label=_("Month"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=10, decimal_places=2, widget=MONEY)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        today = _today()
        kwargs.setdefault("initial", {"month": today.replace(day=1), "paid_on": today})
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.member_list(user=user)


# -- recruitment --------------------------------------------------------------------------------

class ApplicantForm(StyledForm):
    prefix = "applicant"

    organization = OrgChoiceField(label=_("Organization"), queryset=None)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = holding_orgs(user)


class ApplicantRecordForm(StyledForm):
    prefix = "record"

    talked_on = forms.DateField(label=_("Talk with the organization on"), required=False, widget=DATE)
    training_days = forms.IntegerField(label=_("Days of concentrated training"), min_value=0, max_value=365,
                                       required=False)
    political_review_on = forms.DateField(label=_("Political review completed on"), required=False, widget=DATE)
    notice_on = forms.DateField(label=_("Public notice started on"), required=False, widget=DATE)

    FIELDS = ("talked_on", "training_days", "political_review_on", "notice_on")

    def __init__(self, *args, applicant=None, **kwargs):
        if applicant is not None:
            kwargs.setdefault("initial", {f: getattr(applicant, f) for f in self.FIELDS})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        """Only the fields given (an empty field keeps what is recorded)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class AdvanceForm(StyledForm):
    prefix = "advance"

    stage = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date of the step"), widget=DATE)


# -- mobile and pocket members ------------------------------------------------------------------

class OutflowForm(StyledForm):
    prefix = "outflow"

    member = MemberChoiceField(label=_("Party member"), queryset=None)
    left_on = forms.DateField(label=_("Left on"), widget=DATE)
    destination = forms.CharField(label=_("Destination"), max_length=100)
    inflow_org_name = forms.CharField(label=_("Host Party organization (outside)"), max_length=100, required=False)

    def __init__(self, *args, user, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = selectors.member_list(user=user)


class ContactForm(StyledForm):
    prefix = "contact"

    contacted_on = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    note = forms.CharField(label=_("Note"), required=False)


class ReturnForm(StyledForm):
    prefix = "return"

    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)


class PocketLeadForm(StyledForm):
    prefix = "lead"

    place = PlaceChoiceField(label=_("Community"), queryset=None)
    full_name = forms.CharField(label=_("Full name"), max_length=64)
    found_on = forms.DateField(label=_("Found on"), widget=DATE)
    relationship_at = forms.CharField(label=_("Relationship held at"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from jiayuan.territory.models import Place

        self.fields["place"].queryset = Place.objects.filter(
            pk__in=writable_places(user, kinds=(PlaceKind.COMMUNITY,))).order_by("code")


class FollowUpForm(StyledForm):
    prefix = "follow"

    on = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    note = forms.CharField(label=_("Note"), required=False)


class PocketReceiveForm(StyledForm):
    prefix = "intake"

    organization = OrgChoiceField(label=_("Receiving organization"), queryset=None)
    received_on = forms.DateField(label=_("Date received"), widget=DATE)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=64, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = holding_orgs(user)


# -- 设岗定责 and 双报到 ---------------------------------------------------------------------------

class PostDesignForm(StyledForm):
    prefix = "post"

    organization = OrgChoiceField(label=_("Organization"), queryset=None)
    title = forms.CharField(label=_("Post title"), max_length=100, help_text=_("e.g. 楼栋长, 政策宣传岗, 环境监督岗"))
    duties = forms.CharField(label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Designed on"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"on": _today()})
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.organization_list(user=user)


class PostAdvanceForm(StyledForm):
    prefix = "step"

    stage = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date of the step"), widget=DATE)
    member = MemberChoiceField(label=_("Party member"), queryset=None, required=False)
    assessment = forms.ChoiceField(label=_("Assessment"), choices=BLANK + PostAssessment.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.member_list(user=user)


class ReportInForm(StyledForm):
    prefix = "report"

    member = MemberChoiceField(label=_("Party member"), queryset=None)
    community = PlaceChoiceField(label=_("Community"), queryset=None)
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    pledge = forms.CharField(label=_("Service pledge"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from jiayuan.territory.models import Place

        self.fields["member"].queryset = selectors.member_list(user=user)
        self.fields["community"].queryset = Place.objects.filter(
            pk__in=writable_places(user, kinds=(PlaceKind.COMMUNITY,))).order_by("code")


class FeedbackForm(StyledForm):
    prefix = "feedback"

    feedback = forms.CharField(label=_("Feedback to the work unit"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Sent on"), widget=DATE)
