"""Forms of the meeting pages. They only shape input; every rule is in the services, whose
field errors are shown next to the fields (``residents.forms.apply_service_errors``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import MeetingType, VisitReason, VoteMethod

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


class MeetingForm(forms.Form):
    meeting_type = forms.ChoiceField(label=_("Type"), choices=MeetingType.choices,
                                     widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"],
                                  required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    lecturer = forms.CharField(label=_("Lecturer"), max_length=64, required=False, widget=forms.TextInput(attrs=TEXT),
                               help_text=_("For a Party lecture."))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4}))


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE, initial=timezone.localdate)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200, widget=forms.TextInput(attrs=TEXT))


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={**TEXT, "rows": 8}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    recorder_name = forms.CharField(label=_("Recorded by"), max_length=64, required=False,
                                    widget=forms.TextInput(attrs=TEXT))


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(label=_("File"), help_text=_("pdf, jpg, png, docx or xlsx; at most 10 MB."),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))


class MotionForm(forms.Form):
    question = forms.CharField(label=_("Question put to the vote"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    method = forms.ChoiceField(label=_("Method"), choices=VoteMethod.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))


class SignInForm(forms.Form):
    code = forms.CharField(label=_("Sign-in code"), max_length=16, widget=forms.TextInput(attrs={
        "class": "form-control form-control-lg text-center mono", "inputmode": "numeric", "autocomplete": "off",
        "pattern": "[0-9 ]*", "autofocus": True}))


class VisitTaskForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=VisitReason.choices,
                               widget=forms.Select(attrs={"class": "form-select"}))
    due_on = forms.DateField(label=_("Visit by"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput(attrs=TEXT))


class VisitDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Visited on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("What the visit found or did"), widget=forms.TextInput(attrs=TEXT))
