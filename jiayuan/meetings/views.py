"""The meeting pages: the user's meetings, an organization's year, the schedule form, one
meeting (sign-in code and QR code, roll call, minutes, attachments, votes), the members' sign-in
page, the must-visit list, and the iCalendar files.

Reads come from the selectors (a meeting outside the user's area is 404); writes go through the
services (a reader who may not record organizational life gets 403, a refused input re-renders
with HTTP 400 and the messages, so nothing half-valid is saved). The sign-in page is for members
themselves (any signed-in user whose resident record is linked to a Party member).
"""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.party.permissions import may_write_meetings
from jiayuan.party.selectors import organization_get, organization_list, organization_tree
from jiayuan.residents.forms import apply_service_errors

from . import ical, selectors, services
from .choices import AttendanceStatus, MotionStatus, VisitReason, VoteMethod, VoteOption
from .forms import (
    AddendumForm,
    AttachmentForm,
    CancelForm,
    HeldForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    SignInForm,
    VisitDoneForm,
    VisitTaskForm,
)
from .models import BallotReceipt, Motion, NamedBallot


def _require_write(user, territory_code: str) -> None:
    if not may_write_meetings(user, territory_code):
        raise PermissionDenied(_("You may not record organizational life here."))


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


# -- lists --------------------------------------------------------------------------------------

@login_required
def home(request):
    """The user's organizations and their meetings: upcoming, overdue to record, recently held."""
    user = request.user
    orgs = list(organization_list(user=user))
    return render(request, "meetings/home.html", {
        "nav": "meetings", "sections": selectors.home_sections(user=user), "tree": organization_tree(orgs),
        "today": timezone.localdate(),
    })


@login_required
def organization_year(request, code: str):
    """One organization's year: per meeting type of 002 L93, which months / quarters / halves
    have a held meeting and which are missing (the rulebook's periods, N-MEET-01..05)."""
    user = request.user
    org = organization_get(user=user, code=code)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1949), 2200)
    meetings = selectors.meeting_list(user=user, filters={"organization": org.code})
    return render(request, "meetings/organization.html", {
        "nav": "meetings", "org": org, "year": year, "rows": selectors.year_view(organization=org, year=year),
        "meetings": list(meetings.filter(starts_at__year=year)[:200]), "can_write": may_write_meetings(user, org.territory_code),
        "today": today,
    })


@login_required
def meeting_new(request, code: str):
    user = request.user
    org = organization_get(user=user, code=code)
    _require_write(user, org.territory_code)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(actor=user, organization=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The meeting has been scheduled."))
                return redirect(meeting.get_absolute_url())
        status = 400
    else:
        initial = {"meeting_type": request.GET.get("type") or ("party_group" if org.org_type == "party_group" else "")}
        form = MeetingForm(initial=initial)
    return render(request, "meetings/form.html", {"nav": "meetings", "org": org, "form": form}, status=status)


# -- one meeting --------------------------------------------------------------------------------

def _detail(request, meeting, *, status: int = 200, errors=None, **forms):
    user = request.user
    can_write = may_write_meetings(user, meeting.territory_code)
    attendance = selectors.attendance_list(meeting=meeting)
    minutes = selectors.minutes_get(meeting=meeting)
    motions = selectors.motion_list(meeting=meeting)
    qr_svg, signin_url = "", ""
    if meeting.signin_open:
        signin_url = request.build_absolute_uri(reverse("meeting_signin")) + f"?code={meeting.signin_code}"
        qr_svg = segno.make(signin_url, error="m").svg_inline(scale=5, dark="#212529")
    context = {
        "nav": "meetings", "meeting": meeting, "org": meeting.organization, "attendance": attendance,
        "counts": {s: sum(1 for a in attendance if a.status == s) for s in AttendanceStatus.values},
        "minutes": minutes, "motions": motions, "attachments": list(meeting.attachments.all()),
        "events": list(meeting.events.select_related("actor")), "can_write": can_write,
        "qr_svg": qr_svg, "signin_url": signin_url, "errors": errors or [], "today": timezone.localdate(),
        "VoteMethod": VoteMethod, "MotionStatus": MotionStatus,
    }
    if can_write:
        context.update({
            "held_form": forms.get("held_form") or HeldForm(),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "minutes_form": forms.get("minutes_form") or MinutesForm(initial={
                "text": minutes.text, "decisions": minutes.decisions, "recorder_name": minutes.recorder_name,
            } if minutes else None),
            "addendum_form": forms.get("addendum_form") or AddendumForm(),
            "attachment_form": forms.get("attachment_form") or AttachmentForm(),
            "motion_form": forms.get("motion_form") or MotionForm(),
        })
    return render(request, "meetings/detail.html", context, status=status)


@login_required
def meeting_detail(request, pk: int):
    return _detail(request, selectors.meeting_get(user=request.user, pk=pk))


def _action(request, pk, run, success: str, form_class=None, form_name=None, files=False):
    """POST on a meeting: find it (404), check the writer (403), validate the form, run the
    service; on a refusal re-render the page with 400."""
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk)
    _require_write(user, meeting.territory_code)
    form = None
    if form_class is not None:
        form = form_class(request.POST, request.FILES) if files else form_class(request.POST)
        if not form.is_valid():
            return _detail(request, meeting, status=400, **{form_name: form})
    try:
        run(user, meeting, form.cleaned_data if form else {})
    except ValidationError as exc:
        if form is not None:
            apply_service_errors(form, exc)
            return _detail(request, meeting, status=400, errors=_errors(exc), **{form_name: form})
        return _detail(request, meeting, status=400, errors=_errors(exc))
    messages.success(request, success)
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def meeting_signin_open(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.meeting_open_signin(actor=u, meeting=m),
                   _("Sign-in is open: show the code in the room."))


@login_required
@require_POST
def meeting_held(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.meeting_mark_held(actor=u, meeting=m, held_on=d["held_on"]),
                   _("The meeting has been marked held."), HeldForm, "held_form")


@login_required
@require_POST
def meeting_cancel(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.meeting_cancel(actor=u, meeting=m, reason=d["reason"]),
                   _("The meeting has been cancelled."), CancelForm, "cancel_form")


@login_required
@require_POST
def minutes_save(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.minutes_save(actor=u, meeting=m, **d),
                   _("The minutes have been saved."), MinutesForm, "minutes_form")


@login_required
@require_POST
def minutes_sign_off(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.minutes_sign_off(actor=u, meeting=m),
                   _("The minutes have been signed off."))


@login_required
@require_POST
def minutes_addendum(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.minutes_add_addendum(actor=u, meeting=m, text=d["text"]),
                   _("The addendum has been added."), AddendumForm, "addendum_form")


@login_required
@require_POST
def attachment_add(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.attachment_add(actor=u, meeting=m, **d),
                   _("The file has been attached."), AttachmentForm, "attachment_form", files=True)


@login_required
def attachment_download(request, pk: int):
    from .models import MeetingAttachment

    attachment = MeetingAttachment.objects.select_related("meeting").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    selectors.meeting_get(user=request.user, pk=attachment.meeting_id)  # 404 outside the area
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)


@login_required
def roll_call(request, pk: int):
    """One row per expected member (and anyone already ticked), present / late / excused with
    the reason / absent; one submit for all — made for a phone in the meeting room."""
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk)
    _require_write(user, meeting.territory_code)
    current = {a.member_id: a for a in selectors.attendance_list(meeting=meeting)}
    members = list(services.expected_members(meeting))
    members += [a.member for a in current.values() if a.member_id not in {m.pk for m in members}]
    errors, status = [], 200
    if request.method == "POST":
        entries = []
        for m in members:
            st = request.POST.get(f"status_{m.pk}", "")
            if st:
                entries.append({"member": m, "status": st, "reason": request.POST.get(f"reason_{m.pk}", "")})
        try:
            services.roll_call(actor=user, meeting=meeting, entries=entries)
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        else:
            messages.success(request, _("The roll call has been saved."))
            return redirect(meeting.get_absolute_url())
    rows = []
    for m in members:
        a = current.get(m.pk)
        rows.append({
            "member": m,
            "status": request.POST.get(f"status_{m.pk}", "") if request.method == "POST" else (a.status if a else ""),
            "reason": request.POST.get(f"reason_{m.pk}", "") if request.method == "POST" else (a.reason if a else ""),
            "method": a.get_method_display() if a else "",
        })
    return render(request, "meetings/roll_call.html", {
        "nav": "meetings", "meeting": meeting, "rows": rows, "errors": errors, "statuses": AttendanceStatus.choices,
    }, status=status)


# -- votes --------------------------------------------------------------------------------------

@login_required
@require_POST
def motion_open(request, pk: int):
    return _action(request, pk, lambda u, m, d: services.motion_open(actor=u, meeting=m, **d),
                   _("The vote is open."), MotionForm, "motion_form")


def _motion_for(user, pk) -> Motion:
    """A motion the user may see as staff, or one open to them as a member (404 otherwise)."""
    try:
        return selectors.motion_get(user=user, pk=pk)
    except Http404:
        for motion in selectors.member_open_motions(user=user):
            if motion.pk == int(pk):
                return motion
        raise


@login_required
@require_POST
def motion_vote(request, pk: int):
    """A member casts their own vote (secret or named); a writer may record a named vote for a
    member (``member`` in the form)."""
    user = request.user
    motion = _motion_for(user, pk)
    member = None
    if request.POST.get("member"):
        member = services.Member.objects.filter(pk=services._int(request.POST["member"])).first()
    try:
        services.vote_cast(actor=user, motion=motion, choice=request.POST.get("choice", ""), member=member)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("Your vote has been recorded.") if member is None else _("The vote has been recorded."))
    if may_write_meetings(user, motion.meeting.territory_code):
        return redirect(motion.meeting.get_absolute_url() + f"#motion-{motion.pk}")
    return redirect("meeting_signin")


@login_required
@require_POST
def motion_tally(request, pk: int):
    user = request.user
    motion = selectors.motion_get(user=user, pk=pk)
    counts = {o: request.POST.get(f"count_{i}", "0") or "0" for i, o in enumerate(motion.options)}
    try:
        services.motion_tally(actor=user, motion=motion, counts=counts)
    except ValidationError as exc:
        return _detail(request, motion.meeting, status=400, errors=_errors(exc))
    messages.success(request, _("The count has been recorded."))
    return redirect(motion.meeting.get_absolute_url() + f"#motion-{motion.pk}")


@login_required
@require_POST
def motion_close(request, pk: int):
    user = request.user
    motion = selectors.motion_get(user=user, pk=pk)
    try:
        services.motion_close(actor=user, motion=motion)
    except ValidationError as exc:
        return _detail(request, motion.meeting, status=400, errors=_errors(exc))
    messages.success(request, _("The vote is closed."))
    return redirect(motion.meeting.get_absolute_url() + f"#motion-{motion.pk}")


# -- members: sign in and vote ------------------------------------------------------------------

@login_required
def signin(request):
    """A member types the code shown in the room (or opens the QR code's link) and is signed in;
    then sees the votes open to them at the meetings they are signed in to."""
    user = request.user
    member = services.member_for_user(user)
    status = 200
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            try:
                attendance = services.sign_in_with_code(actor=user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Signed in to {title}.").format(title=attendance.meeting.title))
                return redirect("meeting_signin")
        else:
            status = 400
    else:
        form = SignInForm(initial={"code": request.GET.get("code", "")})
    motions = selectors.member_open_motions(user=user)
    voted = set()
    if member is not None and motions:
        ids = [m.pk for m in motions]
        voted = set(BallotReceipt.objects.filter(member=member, motion_id__in=ids).values_list("motion_id", flat=True))
        voted |= set(NamedBallot.objects.filter(member=member, motion_id__in=ids).values_list("motion_id", flat=True))
    return render(request, "meetings/signin.html", {
        "nav": "meetings", "form": form, "member": member, "motions": motions, "voted": voted,
        "VoteOption": VoteOption,
    }, status=status)


# -- must-visit tasks ---------------------------------------------------------------------------

@login_required
def visits(request):
    """The open must-visit tasks of the user's area (五个必访, 002 L111), due first."""
    user = request.user
    tasks = list(selectors.visit_task_list(user=user))
    done = list(selectors.visit_task_list(user=user, status="done").order_by("-done_on", "-id")[:30])
    from jiayuan.accounts.scope import get_scope
    from jiayuan.party.selectors import member_list

    scope = get_scope(user)
    can_write = any(may_write_meetings(user, g.code) for g in scope.grants)
    return render(request, "meetings/visits.html", {
        "nav": "meetings", "tasks": tasks, "done": done, "done_form": VisitDoneForm(), "today": timezone.localdate(),
        "reasons": VisitReason.choices, "can_write": can_write,
        "members": list(member_list(user=user)) if can_write else [],
    })


@login_required
@require_POST
def visit_new(request):
    from jiayuan.party.selectors import member_get

    user = request.user
    form = VisitTaskForm(request.POST)
    if not form.is_valid():
        for m in (e for errs in form.errors.values() for e in errs):
            messages.error(request, m)
        return redirect("meeting_visits")
    member = member_get(user=user, pk=form.cleaned_data["member"])
    _require_write(user, member.territory_code)
    try:
        services.visit_task_create(actor=user, member=member, reason=form.cleaned_data["reason"],
                                   due_on=form.cleaned_data["due_on"], note=form.cleaned_data["note"])
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("The visit task has been opened."))
    return redirect("meeting_visits")


@login_required
@require_POST
def visit_done(request, pk: int):
    user = request.user
    task = selectors.visit_task_get(user=user, pk=pk)
    _require_write(user, task.territory_code)
    form = VisitDoneForm(request.POST)
    if form.is_valid():
        try:
            services.visit_task_done(actor=user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
        else:
            messages.success(request, _("The visit has been recorded."))
    else:
        for m in (e for errs in form.errors.values() for e in errs):
            messages.error(request, m)
    return redirect("meeting_visits")


# -- iCalendar ----------------------------------------------------------------------------------

def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def organization_calendar(request, code: str):
    """The organization's meetings of the last year and all to come, as one calendar."""
    org = organization_get(user=request.user, code=code)
    since = timezone.localdate() - dt.timedelta(days=366)
    meetings = selectors.meeting_list(user=request.user, filters={"organization": org.code, "date_from": since})
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ical.calendar_bytes(meetings.order_by("starts_at", "id"), name=org.name, base_url=base),
                f"{org.code}.ics")


@login_required
def meeting_calendar(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ical.calendar_bytes([meeting], name=meeting.title, base_url=base), f"meeting-{meeting.pk}.ics")


