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


class CorrectForm(ItemForm):
    change_note = forms.CharField(label=_("what changed"), widget=forms.Textarea(attrs={**W, "rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal"), widget=forms.Textarea(attrs={**W, "rows": 3}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("published on"), required=False,
                                   widget=forms.DateInput(attrs={**W, "type": "date"}))
