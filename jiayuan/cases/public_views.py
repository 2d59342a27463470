"""The public pages of the case loop (no sign-in needed) and the grid worker's phone page.

- ``/report/``: anyone submits an appeal, suggestion or psychological-support request (002 L51)
  with photos. Anonymous submissions are rate-limited per client address (a fixed-window
  counter in the cache, ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_report"]``, 429 when
  exceeded); refused input answers 400 with the form again and writes nothing; a filled
  honeypot field is refused the same way. A signed-in resident's case is linked to them.
- ``/report/done/``: the tracking number and the follow-up secret, shown once (the secret is
  kept in the session only until this page has been read; only its hash is stored).
- ``/report/track/``: tracking number + secret → the case's public status and public events;
  an unknown number and a wrong secret get the same answer (no oracle) and failed tries are
  rate-limited too. When the case is resolved, the reporter rates it (``services.public_rate``).
- ``/report/mine/``: a signed-in user's own reported cases.
- ``/cases/grid-report/``: a grid worker reports a grid event in their own grid, with building,
  location, optional browser coordinates and photos (403 for everybody else).
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jiayuan.accounts.choices import Role
from jiayuan.accounts.scope import get_scope
from jiayuan.residents.forms import apply_service_errors

from . import selectors, services
from .categories import category_get
from .choices import CaseChannel, CaseKind, CaseStatus
from .models import Case
from .public_forms import GridReportForm, PublicReportForm, RateForm, TrackForm
from .services import CaseConflict

DONE_KEY = "cases_public_done"
TRACKED_KEY = "cases_public_tracked"
MAX_TRACKED = 20
DEFAULT_RATES = {"public_report": "5/hour", "public_track": "30/hour"}


# -- rate limits ----------------------------------------------------------------------------------

def _rate(scope: str) -> tuple[int, int]:
    """(requests, seconds) of a named rate like "5/hour" from the DRF throttle rates."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope) or DEFAULT_RATES[scope]
    number, period = rate.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(request, scope: str) -> bool:
    """Count one hit for the client's address in the current fixed window; True when over."""
    limit, period = _rate(scope)
    window = int(time.time() // period)
    key = f"jiayuan:rate:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count > limit


def _too_many(request, template: str, context: dict):
    context = {**context, "too_many": True}
    return render(request, template, context, status=429)


# -- report ---------------------------------------------------------------------------------------

def _reporter(request):
    """The signed-in non-staff user (linked to the case), else nobody: staff use the staff forms,
    and a staff member on the public page reports as anybody would."""
    user = request.user
    if user.is_authenticated and not get_scope(user).is_staff_role:
        return user
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def public_report(request):
    template = "cases/public/report.html"
    if request.method != "POST":
        form = PublicReportForm(initial={"kind": request.GET.get("kind") or CaseKind.APPEAL})
        return render(request, template, {"form": form, "idempotency_key": uuid.uuid4().hex, "nav": "report"})
    key = (request.POST.get("idempotency_key") or "")[:64]
    reporter = _reporter(request)
    if reporter is None and _over_limit(request, "public_report"):
        return _too_many(request, template, {"form": PublicReportForm(), "idempotency_key": uuid.uuid4().hex})
    form = PublicReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("website", None)
        try:
            case = services.case_report(
                actor=reporter, channel=CaseChannel.WEB, attachments=data.pop("attachments") or (),
                idempotency_key=key or None, client_key=client_address(request), **data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except CaseConflict as exc:
            form.add_error(None, exc.message)
        else:
            request.session[DONE_KEY] = {"tracking_no": case.tracking_no,
                                         "secret": getattr(case, "public_secret", "") if not case.replayed else ""}
            _remember(request, case.tracking_no)
            return redirect("public_report_done")
    return render(request, template, {"form": form, "idempotency_key": key or uuid.uuid4().hex, "nav": "report"},
                  status=400)


@never_cache
def public_report_done(request):
    """The tracking number and the secret, once: the session entry is removed as it is read."""
    done = request.session.pop(DONE_KEY, None)
    if not done:
        return redirect("public_track")
    return render(request, "cases/public/done.html", {"done": done, "nav": "report"})


# -- follow-up ------------------------------------------------------------------------------------

def _remember(request, tracking_no: str) -> None:
    tracked = [t for t in request.session.get(TRACKED_KEY, []) if t != tracking_no]
    request.session[TRACKED_KEY] = [tracking_no, *tracked][:MAX_TRACKED]


def _visible_case(request, tracking_no: str):
    """The case when this browser proved the secret for it, or the signed-in user reported it."""
    case = selectors.case_get_by_tracking_no(tracking_no=tracking_no)
    if case is None:
        return None
    if case.tracking_no in request.session.get(TRACKED_KEY, []):
        return case
    user = request.user
    if user.is_authenticated and case.reporter_user_id == user.pk:
        return case
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def public_track(request):
    template = "cases/public/track.html"
    if request.method != "POST":
        return render(request, template, {"form": TrackForm(initial={"tracking_no": request.GET.get("no", "")}),
                                          "nav": "track"})
    form = TrackForm(request.POST)
    if form.is_valid():
        case = selectors.case_get_by_tracking_no(tracking_no=form.cleaned_data["tracking_no"])
        # An unknown number is checked against a blank hash, so both answers take the same path.
        ok = services.case_check_secret(case=case or Case(public_secret_hash="0" * 64),
                                        secret=form.cleaned_data["secret"]) and case is not None
        if ok:
            _remember(request, case.tracking_no)
            return redirect("public_case", tracking_no=case.tracking_no)
        if _over_limit(request, "public_track"):
            return _too_many(request, template, {"form": form, "nav": "track"})
        form.add_error(None, _("No case with this tracking number and secret. Check both and try again."))
        return render(request, template, {"form": form, "nav": "track"}, status=404)
    return render(request, template, {"form": form, "nav": "track"}, status=400)


def _case_page(request, case, *, rate_form=None, status=200, errors=()):
    return render(request, "cases/public/case.html", {
        "case": case, "events": selectors.public_events(case), "category": category_get(case.category),
        "rate_form": rate_form or (RateForm() if case.status == CaseStatus.RESOLVED else None),
        "errors": list(errors), "nav": "track",
    }, status=status)


@never_cache
def public_case(request, tracking_no: str):
    case = _visible_case(request, tracking_no)
    if case is None:
        return redirect(reverse("public_track") + "?no=" + tracking_no[:20])
    return _case_page(request, case)


@never_cache
@require_POST
def public_rate(request, tracking_no: str):
    case = _visible_case(request, tracking_no)
    if case is None:
        return redirect(reverse("public_track") + "?no=" + tracking_no[:20])
    form = RateForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, rate_form=form, status=400)
    own = request.user if request.user.is_authenticated and case.reporter_user_id == request.user.pk else None
    data = form.cleaned_data
    try:
        services.public_rate(case=case, user=own, secret=data["secret"], rating=data["rating"],
                             satisfied=data["satisfied"], comment=data["comment"])
    except PermissionDenied:
        if _over_limit(request, "public_track"):
            return _too_many(request, "cases/public/track.html", {"form": TrackForm(), "nav": "track"})
        form.add_error("secret", _("The secret is not right."))
        return _case_page(request, case, rate_form=form, status=400)
    except CaseConflict as exc:
        return _case_page(request, selectors.case_get_by_tracking_no(tracking_no=case.tracking_no),
                          status=409, errors=[exc.message])
    except ValidationError as exc:
        return _case_page(request, case, rate_form=form, status=400, errors=exc.messages)
    return redirect("public_case", tracking_no=case.tracking_no)


@login_required
def public_mine(request):
    """The cases the signed-in user reported (``case_list`` scope: a resident sees only these)."""
    cases = list(selectors.case_list(user=request.user).filter(reporter_user=request.user)[:200])
    return render(request, "cases/public/mine.html", {"cases": cases, "nav": "mine"})


# -- grid worker ----------------------------------------------------------------------------------

def _grid_codes(user) -> list[str]:
    return sorted({g.code for g in get_scope(user).grants if g.role == Role.GRID_WORKER and len(g.code) == 15})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def grid_report(request):
    """A grid event (网格事件) from the grid worker's phone, inside their own grid."""
    user = request.user
    codes = _grid_codes(user)
    if not codes:
        raise PermissionDenied(_("This page is for grid workers."))
    template = "cases/public/grid_report.html"
    if request.method != "POST":
        return render(request, template, {"form": GridReportForm(grid_codes=codes), "nav": "grid_report",
                                          "idempotency_key": uuid.uuid4().hex})
    key = (request.POST.get("idempotency_key") or "")[:64]
    form = GridReportForm(request.POST, request.FILES, grid_codes=codes)
    if form.is_valid():
        data = form.cleaned_data
        place = data["building"] or data["grid"]
        category = category_get(data["category"])
        title = data["title"] or "{} · {}".format(category.label if category else data["category"],
                                                   data["building"].name if data["building"] else data["grid"].name)
        try:
            case = services.case_report(
                actor=user, kind=CaseKind.GRID_EVENT, category=data["category"], title=title[:200],
                description=data["description"], place=place, channel=CaseChannel.GRID_WORKER,
                location=data["location"], lat=data["lat"], lng=data["lng"], attachments=data["attachments"] or (),
                idempotency_key=key or None, client_key=client_address(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except CaseConflict as exc:
            form.add_error(None, exc.message)
        else:
            from django.contrib import messages

            messages.success(request, _("Grid event {no} has been reported.").format(no=case.tracking_no))
            return redirect(case.get_absolute_url())
    return render(request, template, {"form": form, "nav": "grid_report", "idempotency_key": key or uuid.uuid4().hex},
                  status=400)
