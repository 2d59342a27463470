"""Forms of the public pages (report, follow-up, rating) and of the grid worker's phone page.

They check types, lengths and choices; ``services.case_report`` checks everything else (kinds
against categories, the place, the phone number, every attachment by its content).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiayuan.territory.choices import PlaceKind
from jiayuan.territory.models import Place

from .categories import categories_for, category_choices, category_get
from .choices import RESIDENT_KINDS, CaseKind
from .forms import MultipleFileField, PlaceChoiceField, _bootstrap
from .services import MAX_ATTACHMENTS

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
PUBLIC_KINDS = [(k.value, k.label) for k in RESIDENT_KINDS]


def public_category_choices() -> list[tuple[str, str]]:
    """The categories offered for appeals, suggestions and psychological requests, once each."""
    seen: dict[str, str] = {}
    for kind in RESIDENT_KINDS:
        for c in categories_for(kind):
            seen.setdefault(c.code, c.label)
    return list(seen.items())


class _Files(MultipleFileField):
    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most {n} files.").format(n=MAX_ATTACHMENTS))
        return files


class PublicReportForm(forms.Form):
    """Anyone's appeal, suggestion or psychological-support request (心理诉求、意见建议, 002 L51).

    ``website`` is a honeypot: hidden from people, filled in by bots; a filled one is refused."""

    kind = forms.ChoiceField(label=_("What is it?"), choices=PUBLIC_KINDS, initial=CaseKind.APPEAL)
    category = forms.ChoiceField(label=_("Category"))
    place = PlaceChoiceField(label=_("Community or grid"), queryset=Place.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("Your phone (optional)"), max_length=20, required=False)
    attachments = _Files(label=_("Photos or PDF (optional)"), required=False,
                         help_text=_("At most {n} files, 10 MB each: JPEG, PNG, WebP or PDF.").format(n=MAX_ATTACHMENTS))
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = public_category_choices()
        self.fields["place"].queryset = Place.objects.filter(
            kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID]).order_by("code")
        _bootstrap(self)
        self.fields["attachments"].widget.attrs["accept"] = ACCEPT
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["reporter_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The submission was not accepted."), code="honeypot")
        category, kind = category_get(data.get("category", "")), data.get("kind")
        if category is not None and kind and kind not in category.kinds:
            self.add_error("category", _("This category is not for this kind of case."))
        return data


class TrackForm(forms.Form):
    tracking_no = forms.CharField(label=_("Tracking number"), max_length=20)
    secret = forms.CharField(label=_("Secret"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["tracking_no"].widget.attrs.update({"autocomplete": "off", "placeholder": "JY2026-000123"})
        self.fields["secret"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})


class RateForm(forms.Form):
    """The reporter's rating of a resolved case. The secret is asked again (the signed-in
    reporter may leave it empty): the rating service checks it itself."""

    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(i, "★" * i) for i in range(5, 0, -1)])
    satisfied = forms.TypedChoiceField(label=_("Are you satisfied with the result?"), widget=forms.RadioSelect,
                                       coerce=lambda v: v == "yes",
                                       choices=[("yes", _("Yes, satisfied")), ("no", _("No, not satisfied"))])
    comment = forms.CharField(label=_("Comment (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    secret = forms.CharField(label=_("Secret"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off",
                                                           "autocapitalize": "characters"}))


class GridReportForm(forms.Form):
    """A grid event (网格事件) found by a grid worker on their rounds, inside their own grid."""

    grid = PlaceChoiceField(label=_("Grid"), queryset=Place.objects.none())
    category = forms.ChoiceField(label=_("Category"))
    building = PlaceChoiceField(label=_("Building (optional)"), queryset=Place.objects.none(), required=False)
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    description = forms.CharField(label=_("What did you find?"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(label=_("Where exactly?"), max_length=200, required=False)
    lat = forms.DecimalField(required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                             widget=forms.HiddenInput)
    lng = forms.DecimalField(required=False, max_digits=10, decimal_places=6, min_value=-180, max_value=180,
                             widget=forms.HiddenInput)
    attachments = _Files(label=_("Photos"), required=False)

    def __init__(self, *args, grid_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        grids = Place.objects.filter(kind=PlaceKind.GRID, code__in=list(grid_codes)).order_by("code")
        self.fields["grid"].queryset = grids
        if len(grid_codes) == 1:
            self.fields["grid"].initial = grids.first()
        buildings = Place.objects.filter(kind=PlaceKind.BUILDING, parent__code__in=list(grid_codes)).order_by("code")
        self.fields["building"].queryset = buildings
        self.fields["category"].choices = category_choices(CaseKind.GRID_EVENT)
        _bootstrap(self)
        self.fields["attachments"].widget.attrs["accept"] = ACCEPT

    def clean(self):
        data = super().clean()
        grid, building = data.get("grid"), data.get("building")
        if grid and building and not building.code.startswith(grid.code):
            self.add_error("building", _("The building is not in this grid."))
        return data
