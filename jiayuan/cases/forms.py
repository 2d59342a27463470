"""Forms of the staff pages. They check types and choices; the services check everything else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.accounts.scope import get_scope
from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .categories import category_choices
from .choices import MEETING_CHANNELS, CaseChannel, CaseKind, CaseStatus

STAFF_CHANNELS = [c for c in CaseChannel.choices if c[0] not in (CaseChannel.OPEN311, *MEETING_CHANNELS)]
BATCH_ROWS = 8


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def intake_places(user):
    """The communities and grids where the user may take cases in (one query when read)."""
    qs = Place.objects.filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID]).order_by("code")
    return get_scope(user).filter(qs, "code")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs.setdefault("class", css)


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    category = forms.ChoiceField(label=_("Category"))
    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS, initial=CaseChannel.WALK_IN)
    place = PlaceChoiceField(label=_("Place"), queryset=Place.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Reporter"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's phone"), max_length=20, required=False)
    attachments = MultipleFileField(label=_("Photos or PDF"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["place"].queryset = intake_places(user)
        _bootstrap(self)
        self.fields["attachments"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,application/pdf"


class BatchHeaderForm(forms.Form):
    channel = forms.ChoiceField(label=_("Meeting"), choices=[(c.value, c.label) for c in MEETING_CHANNELS])
    place = PlaceChoiceField(label=_("Place"), queryset=Place.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = intake_places(user)
        _bootstrap(self)


class BatchRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in CaseKind.choices
                                                       if c[0] in ("appeal", "suggestion", "psychological")])
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("Reporter"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        _bootstrap(self)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All states")), *CaseStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices])
    category = forms.ChoiceField(label=_("Category"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *category_choices()]
        _bootstrap(self)
