"""Forms of the staff pages; they only validate input shapes, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Section, Timing

W = {"class": "form-control"}
S = {"class": "form-select"}


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=_("section"), choices=Section.choices, widget=forms.Select(attrs=S))
    timing = forms.ChoiceField(label=_("timing"), choices=Timing.choices, widget=forms.Select(attrs=S))
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices, initial=Kind.OTHER, widget=forms.Select(attrs=S))
    title = forms.CharField(label=_("title"), max_length=200, widget=forms.TextInput(attrs=W))
    body = forms.CharField(label=_("body"), widget=forms.Textarea(attrs={**W, "rows": 8}))
    publisher = forms.CharField(label=_("publishing organization"), max_length=120, widget=forms.TextInput(attrs=W))
    expires_on = forms.DateField(label=_("expires on"), required=False,
                                 widget=forms.DateInput(attrs={**W, "type": "date"}))
    # Departure audits only (离任审计, 002 L179): the services require them for that kind.
    cadre_post = forms.CharField(label=_("post of the cadre audited"), max_length=100, required=False,
                                 help_text=_("Departure audits only, e.g. 居委会主任."), widget=forms.TextInput(attrs=W))
    audit_from = forms.DateField(label=_("audit period from"), required=False,
                                 help_text=_("Departure audits only."),
                                 widget=forms.DateInput(attrs={**W, "type": "date"}))
    audit_to = forms.DateField(label=_("audit period to"), required=False, help_text=_("Departure audits only."),
                               widget=forms.DateInput(attrs={**W, "type": "date"}))

    AUDIT = ("cadre_post", "audit_from", "audit_to")

    def general_fields(self):
        return [f for f in self if f.name not in self.AUDIT]

    def audit_fields(self):
        return [self[name] for name in self.AUDIT]


class CorrectForm(ItemForm):
    change_note = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={**W, "rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), widget=forms.Textarea(attrs={**W, "rows": 3}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("published on"), required=False,
                                   widget=forms.DateInput(attrs={**W, "type": "date"}))


class FeedbackForm(forms.Form):
    """A resident's question or objection about a public item (意见箱, 002 L179). Labels, not
    placeholders; ``website`` is the honeypot of the public report page (hidden from people)."""

    text = forms.CharField(label=_("Your question or opinion about this item"), max_length=5000,
                           widget=forms.Textarea(attrs={**W, "rows": 4}))
    name = forms.CharField(label=_("Your name (optional)"), max_length=64, required=False,
                           widget=forms.TextInput(attrs={**W, "autocomplete": "name"}))
    phone = forms.CharField(label=_("Your phone (optional)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={**W, "inputmode": "tel", "autocomplete": "tel"}))
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The submission was not accepted."), code="honeypot")
        return data
