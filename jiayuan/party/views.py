"""The server-rendered pages of the Party registers (/party/...).

Reads come from ``jiayuan.party.selectors`` (scoped to the user): a record outside the user's
area is 404, and users without a staff role get 404 on every Party page (deny by default).
Writes go through ``jiayuan.party.services``: a user who may read but not keep the registers
gets 403 before anything is validated, and input the service refuses re-renders the page with
HTTP 400 and the messages next to the fields, so nothing half-valid is saved. Every page costs a
fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiayuan.accounts.scope import get_scope
from jiayuan.accounts.scope import require_staff_role as _staff_only
from jiayuan.residents.forms import apply_service_errors

from . import exporter, selectors, services
from .choices import (
    POST_ORDER,
    MemberCategory,
    MemberStatus,
    PocketLeadStatus,
    PostStage,
    RecruitmentStage,
    TransferKind,
    TransferStatus,
)
from .coverage import coverage_gaps
from .forms import (
    AdvanceForm,
    ApplicantForm,
    ApplicantRecordForm,
    ContactForm,
    DissolveForm,
    DuesForm,
    ElectionForm,
    EndForm,
    FeedbackForm,
    FollowUpForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    OfficerForm,
    OrganizationForm,
    OutflowForm,
    PocketLeadForm,
    PocketReceiveForm,
    PostAdvanceForm,
    PostDesignForm,
    ReasonForm,
    ReceiveForm,
    ReportInForm,
    ReturnForm,
    TransferInForm,
    TransferRequestForm,
)
from .permissions import PARTY_WRITER_ROLES, may_write_party

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TERM_WARNING_DAYS = 90
PER_PAGE = 50


# -- helpers ------------------------------------------------------------------------------------



def _writer_somewhere(user) -> bool:
    return any(g.role in PARTY_WRITER_ROLES for g in get_scope(user).grants)


def _require_write(user, territory_code: str) -> None:
    if not may_write_party(user, territory_code):
        raise PermissionDenied(_("You may not change the Party registers here."))


def _require_writer(user) -> None:
    if not _writer_somewhere(user):
        raise PermissionDenied(_("You may not change the Party registers here."))


def _for_write(request, getter, **lookup):
    """The record a POST changes, read through its selector (404 outside the user's area), and
    403 when the user may see it but not change the Party registers where it lives."""
    user = request.user
    _staff_only(user)
    obj = getter(user=user, **lookup)
    _require_write(user, obj.territory_code)
    return obj


def _submit(form, call):
    """Validate ``form`` and run ``call(cleaned_data)``; the service's refusal goes back onto
    the form. Returns the service's result, or None when the form now has errors."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    return result if result is not None else True


def _failed(form, action: str, title: str) -> dict:
    """A refused row action, shown again at the top of the list page with its messages."""
    return {"form": form, "action": action, "title": title}


def _xlsx(data: bytes, register: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, exporter.filename(register))
    response["Cache-Control"] = "no-store"
    return response


def _today() -> dt.date:
    return timezone.localdate()


def _arrears_members(user, today: dt.date) -> set[int]:
    """Members (ids) owing dues for a month of this year before the current one (two queries)."""
    this_month = today.replace(day=1)
    paid = set(
        selectors.dues_list(user=user, year=today.year).filter(month__lt=this_month).order_by()
        .values("member_id", "month").annotate(net=Sum("amount")).filter(net__gt=0)
        .values_list("member_id", "month")
    )
    owing = set()
    for pk, joined in selectors.member_list(user=user).values_list("pk", "joined_on"):
        month = dt.date(today.year, 1, 1)
        start = max(month, joined.replace(day=1)) if joined else month
        while start < this_month:
            if (pk, start) not in paid:
                owing.add(pk)
                break
            start = (start + dt.timedelta(days=32)).replace(day=1)
    return owing


# -- the organization tree (/party/) ------------------------------------------------------------

def _home_page(request, *, status: int = 200, org_form=None):
    user = request.user
    _staff_only(user)
    today = _today()
    orgs = list(selectors.organization_list(user=user))
    secretaries = selectors.current_secretaries(user=user, organizations=orgs)
    elections = selectors.last_elections(user=user, organizations=orgs)
    rows = []
    for depth, org in selectors.organization_tree(orgs):
        election = elections.get(org.pk)
        term_end = election.term_end if election else None
        rows.append({
            "depth": depth, "org": org, "secretary": secretaries.get(org.pk), "term_end": term_end,
            "expired": term_end is not None and term_end < today,
            "ending": term_end is not None and today <= term_end <= today + dt.timedelta(days=TERM_WARNING_DAYS),
        })
    counts = selectors.member_list(user=user).aggregate(
        members=Count("id"), probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)))
    can_write = _writer_somewhere(user)
    context = {
        "nav": "party", "rows": rows, "today": today, "can_write": can_write,
        "counters": {
            "members": counts["members"], "probationary": counts["probationary"],
            "lost": selectors.lost_transfer_list(user=user, today=today).count(),
            "arrears": len(_arrears_members(user, today)),
        },
        "gaps": coverage_gaps(user=user, today=today),
        "lost_days": selectors.TRANSFER_LOST_AFTER_DAYS,
    }
    if can_write:
        context["org_form"] = org_form or OrganizationForm(user=user)
    return render(request, "party/home.html", context, status=status)


@login_required
def home(request):
    return _home_page(request)


@login_required
@require_POST
def organization_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = OrganizationForm(request.POST, user=user)
    org = _submit(form, lambda d: services.organization_create(actor=user, **d))
    if org:
        messages.success(request, _("{name} has been set up.").format(name=org.name))
        return redirect("party_org", code=org.code)
    return _home_page(request, status=400, org_form=form)


# -- one organization ---------------------------------------------------------------------------

def _org_page(request, org, *, status: int = 200, **forms):
    user = request.user
    today = _today()
    officers = list(selectors.officer_list(user=user, organization=org))
    elections = list(selectors.election_list(user=user, organization=org))
    children = list(selectors.organization_list(user=user, include_dissolved=True).filter(parent=org))
    page = Paginator(selectors.member_list(user=user, organization=org), PER_PAGE).get_page(request.GET.get("page"))
    term_end = elections[0].term_end if elections else None
    can_write = may_write_party(user, org.territory_code) and org.is_active
    codes = {org.code, *(c.code for c in children)}
    context = {
        "nav": "party", "org": org, "today": today, "can_write": can_write,
        "current_officers": [o for o in officers if o.ended_on is None],
        "ended_officers": [o for o in officers if o.ended_on is not None],
        "elections": elections, "children": children, "page_obj": page, "members": page.object_list,
        "term_end": term_end, "term_expired": term_end is not None and term_end < today,
        "term_ending": term_end is not None and today <= term_end <= today + dt.timedelta(days=TERM_WARNING_DAYS),
        "gaps": [g for g in coverage_gaps(user=user, today=today)
                 if g.code in codes or g.code.startswith(org.place.code)],
        "open": forms.pop("open", ""),
    }
    if can_write:
        context["officer_form"] = forms.get("officer_form") or OfficerForm(user=user, organization=org)
        context["election_form"] = forms.get("election_form") or ElectionForm()
        context["dissolve_form"] = forms.get("dissolve_form") or DissolveForm(initial={"on": today})
        context["end_form"] = forms.get("end_form")
        context["end_pk"] = forms.get("end_pk")
    return render(request, "party/organization.html", context, status=status)


@login_required
def organization_detail(request, code: str):
    _staff_only(request.user)
    return _org_page(request, selectors.organization_get(user=request.user, code=code))


def _org_url(org, anchor: str) -> str:
    return reverse("party_org", args=[org.code]) + "#" + anchor


@login_required
@require_POST
def officer_appoint(request, code: str):
    org = _for_write(request, selectors.organization_get, code=code)
    user = request.user
    form = OfficerForm(request.POST, user=user, organization=org)
    if _submit(form, lambda d: services.officer_appoint(actor=user, organization=org, **d)):
        messages.success(request, _("The post has been recorded."))
        return redirect(_org_url(org, "officers"))
    return _org_page(request, org, status=400, officer_form=form, open="officers")


@login_required
@require_POST
def officer_end(request, code: str, pk: int):
    org = _for_write(request, selectors.organization_get, code=code)
    user = request.user
    officer = get_object_or_404(selectors.officer_list(user=user, organization=org), pk=pk)
    form = EndForm(request.POST)
    if _submit(form, lambda d: services.officer_end(actor=user, officer=officer, on=d["on"])):
        messages.success(request, _("The post has ended."))
        return redirect(_org_url(org, "officers"))
    return _org_page(request, org, status=400, end_form=form, end_pk=officer.pk)


@login_required
@require_POST
def election_record(request, code: str):
    org = _for_write(request, selectors.organization_get, code=code)
    user = request.user
    form = ElectionForm(request.POST)
    if _submit(form, lambda d: services.election_record(actor=user, organization=org, **d)):
        messages.success(request, _("The election has been recorded."))
        return redirect(_org_url(org, "elections"))
    return _org_page(request, org, status=400, election_form=form, open="elections")


@login_required
@require_POST
def organization_dissolve(request, code: str):
    org = _for_write(request, selectors.organization_get, code=code)
    user = request.user
    form = DissolveForm(request.POST)
    if _submit(form, lambda d: services.organization_dissolve(actor=user, organization=org, **d)):
        messages.success(request, _("{name} has been dissolved.").format(name=org.name))
        return redirect("party_org", code=org.code)
    return _org_page(request, org, status=400, dissolve_form=form, open="dissolve")


# -- members ------------------------------------------------------------------------------------

def _filtered_members(request):
    """The member list with the filters of the query string, and the filter form."""
    user = request.user
    form = MemberFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    organization = None
    qs = selectors.member_list(user=user)
    if data.get("organization"):
        organization = selectors.organization_list(user=user, include_dissolved=True).filter(
            code=data["organization"]).first()
        if organization is None:
            qs = qs.none()
        else:
            qs = selectors.member_list(user=user, organization=organization)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("category"):
        qs = qs.filter(categories__icontains=f'"{data["category"]}"')
    if data.get("q"):
        qs = qs.filter(full_name__contains=data["q"].strip())
    return qs, form, organization, data


@login_required
def member_list(request):
    user = request.user
    _staff_only(user)
    qs, form, organization, _data = _filtered_members(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "party/member_list.html", {
        "nav": "party", "filter_form": form, "page_obj": page, "members": page.object_list,
        "organizations": selectors.organization_list(user=user), "categories": MemberCategory.choices,
        "statuses": MemberStatus.choices, "organization": organization, "can_write": _writer_somewhere(user),
    })


@login_required
def member_export(request):
    user = request.user
    _staff_only(user)
    qs, _form, organization, data = _filtered_members(request)
    return _xlsx(exporter.export_members(actor=user, members=list(qs), organization=organization, filters=data),
                 "members")


@login_required
def member_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = MemberForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        member = _submit(form, lambda d: services.member_create(
            actor=user, organization=d["organization"], **form.service_data()))
        if member:
            messages.success(request, _("{name} has been registered.").format(name=member.full_name))
            return redirect("party_member", pk=member.pk)
        status = 400
    return render(request, "party/member_new.html", {"nav": "party", "form": form}, status=status)


def _member_page(request, member, *, status: int = 200, **forms):
    user = request.user
    today = _today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    lines = list(selectors.dues_list(user=user, member=member, year=year))
    reversed_ids = {line.reverses_id for line in lines if line.reverses_id}
    table = exporter.dues_table([member], lines, year=year, today=today)[0]
    can_write = may_write_party(user, member.territory_code) and member.is_active
    context = {
        "nav": "party", "member": member, "today": today, "year": year, "can_write": can_write,
        "officer_posts": list(selectors.member_officer_list(user=user, member=member)),
        "dues_lines": lines, "reversed_ids": reversed_ids, "dues_row": table,
        "transfers": list(selectors.transfer_list(user=user).filter(member=member)),
        "mobile_records": list(selectors.mobile_member_list(user=user, include_returned=True).filter(member=member)),
        "member_posts": list(selectors.member_post_list(user=user, include_ended=True).filter(member=member)),
        "categories": dict(MemberCategory.choices),
        "open": forms.pop("open", ""),
    }
    if can_write:
        context["edit_form"] = forms.get("edit_form") or MemberForm(user=user, member=member)
        context["leave_form"] = forms.get("leave_form") or LeaveForm(initial={"on": today})
        context["transfer_form"] = forms.get("transfer_form") or TransferRequestForm(user=user)
        context["outflow_form"] = forms.get("outflow_form") or OutflowForm(user=user, member=member)
    return render(request, "party/member_detail.html", context, status=status)


@login_required
def member_detail(request, pk: int):
    _staff_only(request.user)
    return _member_page(request, selectors.member_get(user=request.user, pk=pk))


@login_required
@require_POST
def member_edit(request, pk: int):
    member = _for_write(request, selectors.member_get, pk=pk)
    user = request.user
    form = MemberForm(request.POST, user=user, member=member)
    if _submit(form, lambda d: services.member_update(actor=user, member=member, **form.service_data())):
        messages.success(request, _("The record has been saved."))
        return redirect("party_member", pk=member.pk)
    return _member_page(request, member, status=400, edit_form=form, open="edit")


@login_required
@require_POST
def member_leave(request, pk: int):
    member = _for_write(request, selectors.member_get, pk=pk)
    user = request.user
    form = LeaveForm(request.POST)
    if _submit(form, lambda d: services.member_leave(actor=user, member=member, **d)):
        messages.success(request, _("The record of {name} has been closed.").format(name=member.full_name))
        return redirect("party_member", pk=member.pk)
    return _member_page(request, member, status=400, leave_form=form, open="leave")


@login_required
@require_POST
def transfer_request(request, pk: int):
    member = _for_write(request, selectors.member_get, pk=pk)
    user = request.user
    form = TransferRequestForm(request.POST, user=user)
    transfer = _submit(form, lambda d: services.transfer_request(actor=user, member=member, **d))
    if transfer:
        messages.success(request, _("The transfer has been requested; the member stays here until it is received."))
        return redirect("party_transfer", pk=transfer.pk)
    return _member_page(request, member, status=400, transfer_form=form, open="transfer")


@login_required
@require_POST
def mobile_outflow(request, pk: int):
    member = _for_write(request, selectors.member_get, pk=pk)
    user = request.user
    form = OutflowForm(request.POST, user=user, member=member)
    if _submit(form, lambda d: services.mobile_outflow_record(actor=user, member=member, **d)):
        messages.success(request, _("{name} is registered as a mobile member.").format(name=member.full_name))
        return redirect("party_member", pk=member.pk)
    return _member_page(request, member, status=400, outflow_form=form, open="outflow")


# -- transfers ----------------------------------------------------------------------------------

def _transfer_list_page(request, *, status: int = 200, in_form=None):
    user = request.user
    _staff_only(user)
    today = _today()
    transfers = list(selectors.transfer_list(user=user))
    for t in transfers:
        t.lost = selectors.transfer_is_lost(t, today=today)
    context = {
        "nav": "party", "today": today, "can_write": _writer_somewhere(user),
        "pending": [t for t in transfers if t.status == TransferStatus.PENDING],
        "received": [t for t in transfers if t.status == TransferStatus.RECEIVED],
        "closed": [t for t in transfers if t.status in (TransferStatus.REJECTED, TransferStatus.CANCELLED)],
        "lost_days": selectors.TRANSFER_LOST_AFTER_DAYS,
    }
    if context["can_write"]:
        context["in_form"] = in_form or TransferInForm(user=user)
    return render(request, "party/transfer_list.html", context, status=status)


@login_required
def transfer_list(request):
    return _transfer_list_page(request)


@login_required
def transfer_export(request):
    user = request.user
    _staff_only(user)
    return _xlsx(exporter.export_transfers(actor=user, transfers=list(selectors.transfer_list(user=user)),
                                           today=_today()), "transfers")


@login_required
@require_POST
def transfer_in(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = TransferInForm(request.POST, user=user)
    transfer = _submit(form, lambda d: services.transfer_in_record(actor=user, **form.service_data()))
    if transfer:
        messages.success(request, _("{name} has been received.").format(name=transfer.member.full_name))
        return redirect("party_transfer", pk=transfer.pk)
    return _transfer_list_page(request, status=400, in_form=form)


def _transfer_sides(user, t) -> dict:
    receiving = t.to_territory_code if t.kind == TransferKind.INTERNAL else t.territory_code
    pending = t.status == TransferStatus.PENDING
    return {
        "can_receive": pending and may_write_party(user, receiving),
        "can_reject": pending and may_write_party(user, t.to_territory_code or t.territory_code),
        "can_cancel": pending and may_write_party(user, t.territory_code),
    }


def _transfer_page(request, t, *, status: int = 200, **forms):
    user = request.user
    today = _today()
    context = {
        "nav": "party", "t": t, "lost": selectors.transfer_is_lost(t, today=today), "today": today,
        "lost_days": selectors.TRANSFER_LOST_AFTER_DAYS, **_transfer_sides(user, t),
        "receive_form": forms.get("receive_form") or ReceiveForm(),
        "reject_form": forms.get("reject_form") or ReasonForm(prefix="reject"),
        "cancel_form": forms.get("cancel_form") or ReasonForm(prefix="cancel"),
        "open": forms.get("open", ""),
    }
    return render(request, "party/transfer_detail.html", context, status=status)


@login_required
def transfer_detail(request, pk: int):
    _staff_only(request.user)
    return _transfer_page(request, selectors.transfer_get(user=request.user, pk=pk))


def _transfer_action(request, pk: int, action: str):
    user = request.user
    _staff_only(user)
    t = selectors.transfer_get(user=user, pk=pk)
    sides = _transfer_sides(user, t)
    if t.status == TransferStatus.PENDING and not sides[f"can_{action}"]:
        raise PermissionDenied(_("You may not change the Party registers here."))
    if action == "receive":
        form = ReceiveForm(request.POST)
        call = lambda d: services.transfer_receive(actor=user, transfer=t, **d)  # noqa: E731
        done = _("The transfer has been received.")
    else:
        form = ReasonForm(request.POST, prefix=action)
        service = services.transfer_reject if action == "reject" else services.transfer_cancel
        call = lambda d: service(actor=user, transfer=t, reason=d["reason"])  # noqa: E731
        done = _("The transfer has been rejected.") if action == "reject" else _("The transfer has been cancelled.")
    if _submit(form, call):
        messages.success(request, done)
        return redirect("party_transfer", pk=t.pk)
    return _transfer_page(request, t, status=400, open=action, **{f"{action}_form": form})


@login_required
@require_POST
def transfer_receive(request, pk: int):
    return _transfer_action(request, pk, "receive")


@login_required
@require_POST
def transfer_reject(request, pk: int):
    return _transfer_action(request, pk, "reject")


@login_required
@require_POST
def transfer_cancel(request, pk: int):
    return _transfer_action(request, pk, "cancel")


# -- dues ---------------------------------------------------------------------------------------

def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 1949 <= year <= today.year + 1 else today.year


def _dues_page(request, *, status: int = 200, dues_form=None, failed=None):
    user = request.user
    _staff_only(user)
    today = _today()
    year = _year(request, today)
    members = list(selectors.member_list(user=user))
    lines = list(selectors.dues_list(user=user, year=year))
    table = exporter.dues_table(members, lines, year=year, today=today)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    reversed_ids = {line.reverses_id for line in lines if line.reverses_id}
    can_write = _writer_somewhere(user)
    context = {
        "nav": "party", "year": year, "years": list(range(today.year, today.year - 6, -1)), "today": today,
        "table": table, "arrears": [row for row in table if row["arrears"]], "months": list(range(1, 13)),
        "page_obj": page, "lines": page.object_list, "reversed_ids": reversed_ids, "can_write": can_write,
        "failed": failed,
        "total": sum((line.amount for line in lines), start=0),
    }
    if can_write:
        context["dues_form"] = dues_form or DuesForm(user=user)
    return render(request, "party/dues.html", context, status=status)


@login_required
def dues(request):
    return _dues_page(request)


@login_required
def dues_export(request):
    user = request.user
    _staff_only(user)
    today = _today()
    year = _year(request, today)
    return _xlsx(exporter.export_dues(actor=user, members=list(selectors.member_list(user=user)),
                                      lines=list(selectors.dues_list(user=user, year=year)), year=year, today=today),
                 "dues")


@login_required
@require_POST
def dues_record(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = DuesForm(request.POST, user=user)
    payment = _submit(form, lambda d: services.dues_record(actor=user, **d))
    if payment:
        messages.success(request, _("The payment has been recorded."))
        return redirect(reverse("party_dues") + f"?year={payment.month.year}")
    return _dues_page(request, status=400, dues_form=form)


@login_required
@require_POST
def dues_reverse(request, pk: int):
    user = request.user
    _staff_only(user)
    payment = get_object_or_404(selectors.dues_list(user=user), pk=pk)
    _require_write(user, payment.territory_code)
    form = ReasonForm(request.POST)
    if _submit(form, lambda d: services.dues_reverse(actor=user, payment=payment, reason=d["reason"])):
        messages.success(request, _("The line has been reversed."))
        return redirect(reverse("party_dues") + f"?year={payment.month.year}")
    failed = _failed(form, reverse("party_dues_reverse", args=[payment.pk]),
                     _("Reverse {month} of {name}").format(month=f"{payment.month:%Y-%m}", name=payment.member.full_name))
    return _dues_page(request, status=400, failed=failed)


# -- recruitment --------------------------------------------------------------------------------

def _applicant_board(request, *, status: int = 200, applicant_form=None):
    user = request.user
    _staff_only(user)
    applicants = list(selectors.applicant_list(user=user))
    columns = [{"stage": s, "label": s.label, "rows": [a for a in applicants if a.stage == s.value]}
               for s in RecruitmentStage]
    can_write = _writer_somewhere(user)
    context = {"nav": "party", "columns": columns, "can_write": can_write}
    if can_write:
        context["applicant_form"] = applicant_form or ApplicantForm(user=user)
    return render(request, "party/applicant_list.html", context, status=status)


@login_required
def applicant_list(request):
    return _applicant_board(request)


@login_required
def applicant_export(request):
    user = request.user
    _staff_only(user)
    return _xlsx(exporter.export_applicants(actor=user, applicants=list(selectors.applicant_list(user=user))),
                 "applicants")


@login_required
@require_POST
def applicant_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = ApplicantForm(request.POST, user=user)
    applicant = _submit(form, lambda d: services.applicant_create(actor=user, **d))
    if applicant:
        messages.success(request, _("The application of {name} has been registered.").format(name=applicant.full_name))
        return redirect("party_applicant", pk=applicant.pk)
    return _applicant_board(request, status=400, applicant_form=form)


def _applicant_page(request, applicant, *, status: int = 200, **forms):
    user = request.user
    today = _today()
    next_stage = services.recruitment_next_stage(applicant)
    can_write = may_write_party(user, applicant.territory_code)
    context = {
        "nav": "party", "a": applicant, "today": today, "can_write": can_write,
        "next_stage": RecruitmentStage(next_stage) if next_stage else None,
        "refusals": services.recruitment_refusals(applicant, next_stage, today) if next_stage else [],
        "stages": [{"stage": s, "date": getattr(applicant, f) if f else applicant.applied_on,
                    "done": list(RecruitmentStage).index(s) <= list(RecruitmentStage).index(applicant.stage)}
                   for s, f in zip(RecruitmentStage, [None, "activist_on", "candidate_on", "admitted_on", "full_on"],
                                   strict=True)],
        "open": forms.pop("open", ""),
    }
    if can_write:
        context["record_form"] = forms.get("record_form") or ApplicantRecordForm(applicant=applicant)
        if next_stage:
            context["advance_form"] = forms.get("advance_form") or AdvanceForm(
                initial={"stage": next_stage, "on": today})
    return render(request, "party/applicant_detail.html", context, status=status)


@login_required
def applicant_detail(request, pk: int):
    _staff_only(request.user)
    return _applicant_page(request, selectors.applicant_get(user=request.user, pk=pk))


@login_required
@require_POST
def applicant_record(request, pk: int):
    applicant = _for_write(request, selectors.applicant_get, pk=pk)
    user = request.user
    form = ApplicantRecordForm(request.POST, applicant=applicant)
    if _submit(form, lambda d: services.applicant_record(actor=user, applicant=applicant, **form.changes())):
        messages.success(request, _("The record has been saved."))
        return redirect("party_applicant", pk=applicant.pk)
    return _applicant_page(request, applicant, status=400, record_form=form, open="record")


@login_required
@require_POST
def applicant_advance(request, pk: int):
    applicant = _for_write(request, selectors.applicant_get, pk=pk)
    user = request.user
    form = AdvanceForm(request.POST)
    if _submit(form, lambda d: services.recruitment_advance(actor=user, applicant=applicant, **d)):
        messages.success(request, _("{name} has moved to the next stage.").format(name=applicant.full_name))
        return redirect("party_applicant", pk=applicant.pk)
    return _applicant_page(request, applicant, status=400, advance_form=form, open="advance")


# -- mobile members -----------------------------------------------------------------------------

def _mobile_records(user, include_returned):
    return selectors.mobile_member_list(user=user, include_returned=include_returned).prefetch_related("contacts")


def _mobile_page(request, *, status: int = 200, outflow_form=None, failed=None):
    user = request.user
    _staff_only(user)
    include_returned = request.GET.get("returned") == "1"
    can_write = _writer_somewhere(user)
    context = {
        "nav": "party", "records": list(_mobile_records(user, include_returned)), "today": _today(),
        "include_returned": include_returned, "can_write": can_write, "failed": failed,
        "channels": ContactForm.base_fields["channel"].choices, "kinds": ContactForm.base_fields["kind"].choices,
    }
    if can_write:
        context["outflow_form"] = outflow_form or OutflowForm(user=user)
    return render(request, "party/mobile.html", context, status=status)


@login_required
def mobile(request):
    return _mobile_page(request)


@login_required
def mobile_export(request):
    user = request.user
    _staff_only(user)
    return _xlsx(exporter.export_mobile(actor=user, records=list(_mobile_records(user, True))), "mobile")


@login_required
@require_POST
def mobile_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = OutflowForm(request.POST, user=user)
    if _submit(form, lambda d: services.mobile_outflow_record(actor=user, **d)):
        messages.success(request, _("The mobile member has been registered."))
        return redirect("party_mobile")
    return _mobile_page(request, status=400, outflow_form=form)


@login_required
@require_POST
def mobile_contact(request, pk: int):
    record = _for_write(request, selectors.mobile_member_get, pk=pk)
    user = request.user
    form = ContactForm(request.POST)
    if _submit(form, lambda d: services.mobile_contact_add(actor=user, record=record, **d)):
        messages.success(request, _("The contact has been logged."))
        return redirect(reverse("party_mobile") + f"#mobile-{record.pk}")
    failed = _failed(form, reverse("party_mobile_contact", args=[record.pk]),
                     _("Contact with {name}").format(name=record.member.full_name))
    return _mobile_page(request, status=400, failed=failed)


@login_required
@require_POST
def mobile_return(request, pk: int):
    record = _for_write(request, selectors.mobile_member_get, pk=pk)
    user = request.user
    form = ReturnForm(request.POST)
    if _submit(form, lambda d: services.mobile_return(actor=user, record=record, **d)):
        messages.success(request, _("The return of {name} has been recorded.").format(name=record.member.full_name))
        return redirect("party_mobile")
    failed = _failed(form, reverse("party_mobile_return", args=[record.pk]),
                     _("Return of {name}").format(name=record.member.full_name))
    return _mobile_page(request, status=400, failed=failed)


# -- pocket members -----------------------------------------------------------------------------

def _pocket_page(request, *, status: int = 200, lead_form=None, failed=None):
    user = request.user
    _staff_only(user)
    can_write = _writer_somewhere(user)
    leads = list(selectors.pocket_lead_list(user=user).prefetch_related("follow_ups"))
    context = {
        "nav": "party", "leads": leads, "today": _today(), "can_write": can_write, "failed": failed,
        "open_statuses": (PocketLeadStatus.FOUND, PocketLeadStatus.CONTACTED),
        "channels": FollowUpForm.base_fields["channel"].choices,
    }
    if can_write:
        context["lead_form"] = lead_form or PocketLeadForm(user=user)
        context["organizations"] = list(PocketReceiveForm(user=user).fields["organization"].queryset)
    return render(request, "party/pocket.html", context, status=status)


@login_required
def pocket(request):
    return _pocket_page(request)


@login_required
def pocket_export(request):
    user = request.user
    _staff_only(user)
    leads = list(selectors.pocket_lead_list(user=user).prefetch_related("follow_ups"))
    return _xlsx(exporter.export_pocket(actor=user, leads=leads), "pocket")


@login_required
@require_POST
def pocket_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = PocketLeadForm(request.POST, user=user)
    if _submit(form, lambda d: services.pocket_lead_create(actor=user, **d)):
        messages.success(request, _("The lead has been registered."))
        return redirect("party_pocket")
    return _pocket_page(request, status=400, lead_form=form)




def _lead_action(request, pk, form, call, done, action_name, title):
    lead = _for_write(request, selectors.pocket_lead_get, pk=pk)
    if _submit(form, lambda d: call(lead, d)):
        messages.success(request, done)
        return redirect(reverse("party_pocket") + f"#lead-{lead.pk}")
    failed = _failed(form, reverse(action_name, args=[lead.pk]), title.format(name=lead.full_name))
    return _pocket_page(request, status=400, failed=failed)


@login_required
@require_POST
def pocket_follow_up(request, pk: int):
    user = request.user
    return _lead_action(request, pk, FollowUpForm(request.POST),
                        lambda lead, d: services.pocket_follow_up_add(actor=user, lead=lead, **d),
                        _("The follow-up has been logged."), "party_pocket_follow_up", _("Follow-up of {name}"))


@login_required
@require_POST
def pocket_receive(request, pk: int):
    user = request.user
    _staff_only(user)
    return _lead_action(request, pk, PocketReceiveForm(request.POST, user=user),
                        lambda lead, d: services.pocket_lead_receive(actor=user, lead=lead, **d),
                        _("The relationship has been received."), "party_pocket_receive", _("Intake of {name}"))


@login_required
@require_POST
def pocket_close(request, pk: int):
    user = request.user
    return _lead_action(request, pk, ReasonForm(request.POST),
                        lambda lead, d: services.pocket_lead_close(actor=user, lead=lead, reason=d["reason"]),
                        _("The lead has been closed."), "party_pocket_close", _("Close the lead on {name}"))


# -- posts for members without posts (设岗定责) ----------------------------------------------------

def _posts_page(request, *, status: int = 200, post_form=None, failed=None):
    user = request.user
    _staff_only(user)
    include_ended = request.GET.get("ended") == "1"
    posts = list(selectors.member_post_list(user=user, include_ended=include_ended))
    for p in posts:
        i = POST_ORDER.index(p.stage)
        p.next_stage = PostStage(POST_ORDER[i + 1]) if i + 1 < len(POST_ORDER) and p.ended_on is None else None
    columns = [{"stage": s, "rows": [p for p in posts if p.stage == s.value]} for s in PostStage]
    can_write = _writer_somewhere(user)
    context = {
        "nav": "party", "columns": columns, "today": _today(), "can_write": can_write, "failed": failed,
        "include_ended": include_ended,
        "assessments": PostAdvanceForm.base_fields["assessment"].choices,
    }
    if can_write:
        context["post_form"] = post_form or PostDesignForm(user=user)
        context["without_post"] = list(selectors.member_list(user=user).filter(
            categories__icontains=f'"{MemberCategory.WITHOUT_POST}"'))
    return render(request, "party/posts.html", context, status=status)


@login_required
def posts(request):
    return _posts_page(request)


@login_required
def posts_export(request):
    user = request.user
    _staff_only(user)
    return _xlsx(exporter.export_posts(actor=user, posts=list(selectors.member_post_list(user=user, include_ended=True))),
                 "posts")


@login_required
@require_POST
def post_design(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = PostDesignForm(request.POST, user=user)
    if _submit(form, lambda d: services.post_design(actor=user, **d)):
        messages.success(request, _("The post has been designed."))
        return redirect("party_posts")
    return _posts_page(request, status=400, post_form=form)


@login_required
@require_POST
def post_advance(request, pk: int):
    post = _for_write(request, selectors.member_post_get, pk=pk)
    user = request.user
    form = PostAdvanceForm(request.POST, user=user)
    if _submit(form, lambda d: services.post_advance(
            actor=user, post=post, stage=d["stage"], on=d["on"], member=d.get("member"),
            assessment=d.get("assessment") or "")):
        messages.success(request, _("The post has moved to the next step."))
        return redirect(reverse("party_posts") + f"#post-{post.pk}")
    failed = _failed(form, reverse("party_post_advance", args=[post.pk]), _("Next step of {title}").format(title=post.title))
    return _posts_page(request, status=400, failed=failed)


@login_required
@require_POST
def post_end(request, pk: int):
    post = _for_write(request, selectors.member_post_get, pk=pk)
    user = request.user
    form = EndForm(request.POST)
    if _submit(form, lambda d: services.post_end(actor=user, post=post, on=d["on"])):
        messages.success(request, _("The post has ended."))
        return redirect("party_posts")
    failed = _failed(form, reverse("party_post_end", args=[post.pk]), _("End {title}").format(title=post.title))
    return _posts_page(request, status=400, failed=failed)


# -- report-in of in-service members (双报到) -----------------------------------------------------

def _report_ins_page(request, *, status: int = 200, report_form=None, failed=None):
    user = request.user
    _staff_only(user)
    can_write = _writer_somewhere(user)
    context = {"nav": "party", "reports": list(selectors.report_in_list(user=user)), "today": _today(),
               "can_write": can_write, "failed": failed}
    if can_write:
        context["report_form"] = report_form or ReportInForm(user=user)
    return render(request, "party/report_ins.html", context, status=status)


@login_required
def report_ins(request):
    return _report_ins_page(request)


@login_required
def report_ins_export(request):
    user = request.user
    _staff_only(user)
    return _xlsx(exporter.export_report_ins(actor=user, reports=list(selectors.report_in_list(user=user,
                                                                                             include_ended=True))),
                 "report_ins")


@login_required
@require_POST
def report_in_create(request):
    user = request.user
    _staff_only(user)
    _require_writer(user)
    form = ReportInForm(request.POST, user=user)
    if _submit(form, lambda d: services.report_in_record(actor=user, **d)):
        messages.success(request, _("The report-in has been recorded."))
        return redirect("party_report_ins")
    return _report_ins_page(request, status=400, report_form=form)


@login_required
@require_POST
def report_in_feedback(request, pk: int):
    user = request.user
    _staff_only(user)
    report = selectors.report_in_get(user=user, pk=pk)
    _require_write(user, report.territory_code)
    form = FeedbackForm(request.POST)
    if _submit(form, lambda d: services.report_in_feedback(actor=user, report=report, **d)):
        messages.success(request, _("The feedback has been recorded."))
        return redirect(reverse("party_report_ins") + f"#report-{report.pk}")
    failed = _failed(form, reverse("party_report_in_feedback", args=[report.pk]),
                     _("Feedback on {name}").format(name=report.member.full_name))
    return _report_ins_page(request, status=400, failed=failed)

