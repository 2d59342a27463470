"""The Party register pages: permission matrix per page, a POST per form that changes data through
the services (and nothing on denial), bad input re-rendered with HTTP 400 and its message in
Chinese and English, the cost of the list pages, the navigation link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from jiayuan.party import services
from jiayuan.party.models import (
    Applicant,
    DuesPayment,
    Election,
    Member,
    MemberContact,
    MemberPost,
    MobileMemberRecord,
    Organization,
    OrganizationOfficer,
    PocketMemberFollowUp,
    PocketMemberLead,
    ReportIn,
    Transfer,
)

from .conftest import Y

LOGIN = 302
ROLES = ["anonymous", "resident", "nobody", "worker", "other_worker", "secretary2", "staff", "secretary", "street",
         "district", "admin"]
# A record of the community's organizations: its readers are the community's staff and secretary and
# those above; a grid worker's area is one grid, another community's secretary sees nothing here.
OBJECT_READ = [LOGIN, 404, 404, 404, 404, 404, 200, 200, 200, 200, 200]
# The list pages exist for every staff role (showing what their area holds); 404 for the rest.
LIST_READ = [LOGIN, 404, 404, 200, 200, 200, 200, 200, 200, 200, 200]


def _counts() -> dict[str, int]:
    """Every Party register, and the audit log: nothing moves when a write is refused."""
    models = [Organization, Member, OrganizationOfficer, Election, Transfer, DuesPayment, MobileMemberRecord,
              MemberContact, PocketMemberLead, PocketMemberFollowUp, Applicant, MemberPost, ReportIn, LogEntry]
    return {m.__name__: m.objects.count() for m in models}


def _matrix(web, address, expected):
    got = [web.client(role).get(address).status_code for role in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True)), address


def test_object_pages_matrix(web, party, party_registers):
    r = party_registers
    for address in [
        f"/party/organizations/{party.general.code}/",
        f"/party/members/{party.members[1].pk}/",
        f"/party/transfers/{r.transfer.pk}/",
        f"/party/applicants/{r.applicant.pk}/",
    ]:
        _matrix(web, address, OBJECT_READ)


def test_list_pages_matrix(web, party, party_registers):
    for address in ["/party/", "/party/members/", "/party/transfers/", "/party/dues/", "/party/applicants/",
                    "/party/mobile/", "/party/pocket/", "/party/posts/", "/party/report-ins/", "/party/members.xlsx",
                    "/party/transfers.xlsx", "/party/dues.xlsx", "/party/applicants.xlsx", "/party/mobile.xlsx",
                    "/party/pocket.xlsx", "/party/posts.xlsx", "/party/report-ins.xlsx"]:
        _matrix(web, address, LIST_READ)
    # the new-member page is a writer's page
    expected = [LOGIN, 404, 404, 403, 403, 200, 403, 200, 200, 200, 200]
    _matrix(web, "/party/members/new/", expected)


def test_anonymous_goes_to_sign_in(web, party):
    response = web.client("anonymous").get("/party/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_grid_worker_sees_the_group_of_their_grid_only(web, party):
    response = web.client("worker").get("/party/")
    assert [row["org"].name for row in response.context["rows"]] == ["第一党小组"]
    assert web.client("worker").get(f"/party/organizations/{party.group.code}/").status_code == 200
    assert web.client("other_worker").get(f"/party/organizations/{party.group.code}/").status_code == 404
    assert web.client("other_worker").get("/party/").context["rows"] == []


@pytest.mark.parametrize("role, can_write", [("secretary", True), ("street", True), ("staff", False),
                                             ("district", True)])
def test_write_buttons_follow_may_write_party(web, party, party_registers, role, can_write):
    client = web.client(role)
    for address in ["/party/", f"/party/organizations/{party.general.code}/", f"/party/members/{party.members[0].pk}/",
                    "/party/dues/", "/party/applicants/", "/party/mobile/", "/party/posts/"]:
        response = client.get(address)
        assert response.context["can_write"] is can_write, address
        main = response.content.decode().split("<main", 1)[1]
        assert ('<form method="post"' in main) is can_write, address


def _extra_member(web, party) -> Member:
    return services.member_create(actor=web.users["secretary"], organization=party.branch, full_name="赵六",
                                  joined_on=dt.date(1990, 7, 1))


def _posts(web, party, r, extra):
    """(name, address, data, needs an object) for every form; a callable resolves rows made by an
    earlier POST of the same run."""
    community, today = web.places["community"], timezone.localdate().isoformat()
    zhang, wang, liu = party.members
    g, b = party.general, party.branch

    def pending_of(member):
        t = Transfer.objects.filter(member=member, status="pending").first()
        return t.pk if t else r.transfer.pk

    def lead_pk(name):
        lead = PocketMemberLead.objects.filter(full_name=name).first()
        return lead.pk if lead else r.lead.pk

    def post_pk(title):
        post = MemberPost.objects.filter(title=title).first()
        return post.pk if post else r.post.pk

    return [
        ("org create", "/party/organizations/new/", {
            "org-name": "第二党支部", "org-org_type": "party_branch", "org-place": community.pk, "org-parent": g.pk,
            "org-host_kind": "community", "org-founded_on": f"{Y}-01-01"}, False),
        ("officer appoint", f"/party/organizations/{g.code}/officers/", {
            "officer-member": zhang.pk, "officer-post": "propaganda", "officer-started_on": f"{Y}-04-01"}, True),
        ("officer end", f"/party/organizations/{g.code}/officers/{r.officer.pk}/end/", {"end-on": f"{Y}-12-01"}, True),
        ("election", f"/party/organizations/{b.code}/elections/", {
            "election-held_on": f"{Y}-06-01", "election-eligible": "10", "election-votes_cast": "9"}, True),
        ("member create", "/party/members/new/", {
            "member-organization": b.pk, "member-full_name": "新党员", "member-status": "full",
            "member-management_mode": "direct", "member-joined_on": "2000-07-01", "member-phone": "13900001111",
            "member-categories": ["retired"], "member-dues_base": "3000"}, False),
        ("member edit", f"/party/members/{zhang.pk}/edit/", {
            "member-full_name": "张建国", "member-status": "full", "member-management_mode": "direct",
            "member-work_unit": "已退休", "member-categories": ["retired", "old_member"],
            "member-joined_on": "1975-07-01", "member-dues_base": "2800", "member-group": party.group.pk}, True),
        ("member leave", f"/party/members/{extra.pk}/leave/", {"leave-on": today, "leave-reason": "died"}, True),
        ("transfer request", f"/party/members/{zhang.pk}/transfer/", {
            "transfer-to_org": g.pk, "transfer-requested_on": today}, True),
        ("transfer cancel", lambda: f"/party/transfers/{pending_of(zhang)}/cancel/", {"cancel-reason": "申请有误"}, True),
        ("transfer receive", f"/party/transfers/{r.transfer.pk}/receive/", {"receive-received_on": today}, True),
        ("transfer reject", f"/party/transfers/{r.lost_transfer.pk}/reject/", {"reject-reason": "对方不接收"}, True),
        ("transfer in", "/party/transfers/in/", {
            "in-organization": b.pk, "in-full_name": "孙强", "in-from_outside_name": "贵阳市某党委",
            "in-received_on": today, "in-status": "full", "in-receipt_no": "介001"}, False),
        ("member outflow", f"/party/members/{wang.pk}/away/", {
            "outflow-left_on": f"{Y}-06-01", "outflow-destination": "浙江省宁波市"}, True),
        ("dues record", "/party/dues/record/", {
            "dues-member": zhang.pk, "dues-month": f"{Y}-02", "dues-amount": "14.00", "dues-paid_on": f"{Y}-02-10"},
         False),
        ("dues reverse", f"/party/dues/{r.payment.pk}/reverse/", {"reason-reason": "录错"}, True),
        ("applicant create", "/party/applicants/new/", {
            "applicant-organization": b.pk, "applicant-full_name": "刘欣怡", "applicant-applied_on": f"{Y}-03-01"}, False),
        ("applicant record", f"/party/applicants/{r.applicant.pk}/record/", {"record-talked_on": f"{Y}-03-05"}, True),
        ("applicant advance", f"/party/applicants/{r.applicant.pk}/advance/", {
            "advance-stage": "activist", "advance-on": f"{Y}-05-01"}, True),
        ("mobile create", "/party/mobile/new/", {
            "outflow-member": liu.pk, "outflow-left_on": f"{Y}-07-01", "outflow-destination": "四川省成都市"}, False),
        ("mobile contact", f"/party/mobile/{r.mobile.pk}/contact/", {
            "contact-contacted_on": f"{Y}-03-01", "contact-channel": "phone", "contact-kind": "contact",
            "contact-note": "核实"}, True),
        ("mobile return", f"/party/mobile/{r.mobile.pk}/return/", {"return-returned_on": f"{Y}-09-01"}, True),
        ("pocket create", "/party/pocket/new/", {
            "lead-place": community.pk, "lead-full_name": "吴晓燕", "lead-found_on": f"{Y}-10-12"}, False),
        ("pocket follow-up", f"/party/pocket/{r.lead.pk}/follow-up/", {
            "follow-on": f"{Y}-05-20", "follow-channel": "visit", "follow-note": "动员转入"}, True),
        ("pocket receive", f"/party/pocket/{r.lead.pk}/receive/", {
            "intake-organization": b.pk, "intake-received_on": today}, True),
        ("pocket close", lambda: f"/party/pocket/{lead_pk('吴晓燕')}/close/", {"reason-reason": "查无此人"}, True),
        ("post design", "/party/posts/new/", {
            "post-organization": g.pk, "post-title": "政策宣传岗", "post-on": f"{Y}-03-01"}, False),
        ("post advance", f"/party/posts/{r.post.pk}/advance/", {
            "step-stage": "claimed", "step-on": f"{Y}-03-10", "step-member": liu.pk}, True),
        ("post end", lambda: f"/party/posts/{post_pk('政策宣传岗')}/end/", {"end-on": f"{Y}-04-01"}, True),
        ("report-in", "/party/report-ins/new/", {
            "report-member": zhang.pk, "report-community": community.pk, "report-reported_on": f"{Y}-04-01"}, False),
        ("report-in feedback", f"/party/report-ins/{r.report_in.pk}/feedback/", {
            "feedback-feedback": "服务表现良好", "feedback-on": f"{Y}-06-01"}, True),
        ("dissolve", f"/party/organizations/{party.group.code}/dissolve/", {
            "dissolve-on": today, "dissolve-reason": "并入支部"}, True),
    ]


DENIED = {"anonymous": LOGIN, "resident": 404, "nobody": 404, "staff": 403}


@pytest.mark.parametrize("role", ["anonymous", "resident", "nobody", "other_worker", "secretary2", "staff"])
def test_denied_writes_change_nothing(web, party, party_registers, role):
    client = web.client(role)
    extra = _extra_member(web, party)
    for name, address, data, is_object in _posts(web, party, party_registers, extra):
        address = address() if callable(address) else address
        before = _counts()
        response = client.post(address, data)
        expected = DENIED.get(role, 404 if is_object else 403)
        if role == "secretary2" and not is_object:
            expected = 400  # a writer elsewhere: the form does not offer this community's rows
        assert response.status_code == expected, (name, role, response.status_code)
        assert _counts() == before, (name, role)


@pytest.mark.parametrize("role", ["secretary", "street"])
def test_allowed_writes_go_through_the_services(web, party, party_registers, role):
    client = web.client(role)
    r = party_registers
    extra = _extra_member(web, party)
    for name, address, data, _is_object in _posts(web, party, r, extra):
        address = address() if callable(address) else address
        response = client.post(address, data)
        assert response.status_code == 302, (name, response.content.decode()[:4000])
    user = web.users[role]
    zhang, wang, liu = party.members
    assert Organization.objects.get(name="第二党支部").created_by == user
    assert OrganizationOfficer.objects.filter(member=zhang, post="propaganda", ended_on__isnull=True).exists()
    r.officer.refresh_from_db()
    assert r.officer.ended_on == dt.date(Y, 12, 1)
    assert Election.objects.filter(organization=party.branch, held_on=dt.date(Y, 6, 1)).exists()
    new = Member.objects.get(full_name="新党员")
    assert new.phone_masked and new.phone_masked != "13900001111" and new.dues_monthly is not None
    zhang.refresh_from_db()
    assert zhang.work_unit == "已退休" and "old_member" in zhang.categories and zhang.phone_masked  # phone kept
    extra.refresh_from_db()
    assert extra.left_reason == "died"
    assert Transfer.objects.filter(member=zhang, status="cancelled").exists()
    wang.refresh_from_db()
    assert wang.organization == party.general  # received: only now did the organization change
    r.lost_transfer.refresh_from_db()
    assert r.lost_transfer.status == "rejected"
    assert Transfer.objects.filter(kind="in", member__full_name="孙强", status="received").exists()
    assert MobileMemberRecord.objects.filter(member=wang, destination="浙江省宁波市").exists()
    assert DuesPayment.objects.filter(member=zhang, month=dt.date(Y, 2, 1), amount=Decimal("14.00")).exists()
    assert DuesPayment.objects.filter(reverses=r.payment, amount=Decimal("-14.00")).exists()
    a = Applicant.objects.get(pk=r.applicant.pk)
    assert (a.talked_on, a.stage, a.activist_on) == (dt.date(Y, 3, 5), "activist", dt.date(Y, 5, 1))
    assert Applicant.objects.filter(full_name="刘欣怡").exists()
    assert MobileMemberRecord.objects.filter(member=liu).exists()
    r.mobile.refresh_from_db()
    assert r.mobile.returned_on == dt.date(Y, 9, 1) and r.mobile.contacts.count() == 1
    r.lead.refresh_from_db()
    assert r.lead.status == "received" and r.lead.member.organization == party.branch
    assert PocketMemberLead.objects.get(full_name="吴晓燕").status == "closed"
    r.post.refresh_from_db()
    assert (r.post.stage, r.post.member) == ("claimed", liu)
    assert MemberPost.objects.get(title="政策宣传岗").ended_on == dt.date(Y, 4, 1)
    assert ReportIn.objects.filter(member=zhang).exists()
    r.report_in.refresh_from_db()
    assert r.report_in.feedback == "服务表现良好"
    party.group.refresh_from_db()
    assert party.group.dissolved_on == timezone.localdate()


def _bad_inputs(web, party, r):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    community = web.places["community"]
    return [
        ("/party/organizations/new/", {"org-name": "某支部", "org-org_type": "party_branch", "org-place": community.pk,
                                       "org-host_kind": "community", "org-founded_on": future},
         "org_form", "founded_on", "该日期在未来。", "This date is in the future."),
        (f"/party/organizations/{party.branch.code}/elections/", {
            "election-held_on": f"{Y}-06-01", "election-eligible": "10", "election-votes_cast": "7"},
         "election_form", "votes_cast", "五分之四", "four fifths"),
        ("/party/dues/record/", {"dues-member": party.members[0].pk, "dues-month": f"{Y}-03", "dues-amount": "0",
                                 "dues-paid_on": f"{Y}-03-10"},
         "dues_form", "amount", "请输入大于零的金额。", "Enter an amount above zero."),
        (f"/party/members/{party.members[0].pk}/transfer/", {"transfer-requested_on": f"{Y}-03-10"},
         "transfer_form", "to_org", "请选择平台内的接收组织", "Choose the receiving organization here"),
        (f"/party/dues/{r.payment.pk}/reverse/", {"reason-reason": ""}, "failed", "reason", "此字段为必填项。",
         "This field is required"),
        (f"/party/applicants/{r.applicant.pk}/advance/", {"advance-stage": "activist", "advance-on": f"{Y}-05-01"},
         "advance_form", "stage", "请先记录", "Record the talk with the organization first."),
        (f"/party/transfers/{r.transfer.pk}/receive/", {"receive-received_on": future},
         "receive_form", "received_on", "该日期在未来。", "This date is in the future."),
        (f"/party/mobile/{r.mobile.pk}/contact/", {"contact-contacted_on": f"{Y - 3}-01-01", "contact-channel": "phone",
                                                   "contact-kind": "contact"},
         "failed", "contacted_on", None, "before the member left"),
        ("/party/members/new/", {"member-organization": party.group.pk, "member-full_name": "某",
                                 "member-status": "full", "member-management_mode": "direct"},
         "form", "organization", None, None),
        (f"/party/organizations/{party.branch.code}/dissolve/", {"dissolve-on": f"{Y}-12-01", "dissolve-reason": "撤"},
         "dissolve_form", None, None, "Transfer its members to another organization first."),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bad_input_rerenders_with_400_in_the_users_language(web, party, party_registers, language):
    client = web.client("secretary", language=language)
    before = _counts()
    for address, data, form_name, field, zh, en in _bad_inputs(web, party, party_registers):
        response = client.post(address, data)
        assert response.status_code == 400, (address, response.status_code)
        form = response.context[form_name]
        form = form["form"] if isinstance(form, dict) else form
        assert form.errors, address
        if field:
            assert field in form.errors, (address, field, form.errors)
        html = response.content.decode()
        expected = zh if language == "zh-hans" else en
        if expected:
            assert expected in html, (address, expected)
    assert _counts() == before


def test_applicant_page_shows_the_refusals_before_the_step(web, party, party_registers):
    response = web.client("secretary", language="zh-hans").get(f"/party/applicants/{party_registers.applicant.pk}/")
    assert response.context["refusals"] and "请先记录" in response.content.decode()
    assert response.context["next_stage"] == "activist"


def test_tree_flags_terms_and_counts(web, party, party_registers):
    # the general branch's election of last March opened a three-year term: no flag; a term
    # that ended is flagged red
    response = web.client("street").get("/party/")
    rows = {row["org"].pk: row for row in response.context["rows"]}
    assert rows[party.general.pk]["term_end"] == dt.date(Y + 3, 3, 15)
    Election.objects.filter(organization=party.general).update(term_end=timezone.localdate() - dt.timedelta(days=1))
    response = web.client("street").get("/party/")
    rows = {row["org"].pk: row for row in response.context["rows"]}
    assert rows[party.general.pk]["expired"] and 'data-flag="term"' in response.content.decode()
    assert [row["depth"] for row in response.context["rows"][:3]] == [0, 1, 2]
    counters = response.context["counters"]
    assert counters["members"] == 4 and counters["lost"] == 1  # street sees both communities
    assert rows[party.general.pk]["secretary"].member == party.members[2]


def test_member_pages_show_the_masked_phone_only(web, party, party_registers):
    zhang = party.members[0]
    for address in ["/party/members/", f"/party/members/{zhang.pk}/", f"/party/organizations/{party.branch.code}/"]:
        html = web.client("secretary").get(address).content.decode()
        assert zhang.phone_masked in html and "13812345678" not in html and zhang.phone_cipher not in html


def test_member_filters(web, party):
    client = web.client("secretary")

    def names(query):
        return sorted(m.full_name for m in client.get("/party/members/" + query).context["members"])

    assert names("") == ["刘洋", "张建国", "王丽"]
    assert names(f"?organization={party.branch.code}") == ["张建国", "王丽"]
    assert names("?category=without_post") == ["刘洋"]
    assert names("?q=王") == ["王丽"]
    assert names("?status=probationary") == []
    assert names("?organization=P000") == []


def test_lost_transfer_is_flagged(web, party, party_registers):
    response = web.client("secretary").get("/party/transfers/")
    pending = {t.pk: t.lost for t in response.context["pending"]}
    assert pending == {party_registers.transfer.pk: False, party_registers.lost_transfer.pk: True}
    assert 'data-flag="lost"' in web.client("secretary").get(f"/party/transfers/{party_registers.lost_transfer.pk}/").content.decode()


def test_dues_grid(web, party, party_registers):
    zhang = party.members[0]
    services.dues_record(actor=web.users["secretary"], member=zhang, month=dt.date(Y, 2, 1), amount="14", paid_on=dt.date(Y, 2, 5))
    services.dues_reverse(actor=web.users["secretary"], payment=party_registers.payment, reason="录错")
    response = web.client("secretary").get(f"/party/dues/?year={Y}")
    row = next(r for r in response.context["table"] if r["member"].pk == zhang.pk)
    states = [c["state"] for c in row["cells"]]
    assert states[:3] == ["reversed", "paid", "unpaid"] and len(row["arrears"]) == 11
    assert any(r["member"].pk == zhang.pk for r in response.context["arrears"])


def test_organization_page_sections_and_links(web, party, party_registers):
    html = web.client("secretary").get(f"/party/organizations/{party.general.code}/").content.decode()
    for fragment in ['id="elections"', 'id="officers"', 'id="members"', 'id="children"',
                     f'href="/meetings/org/{party.general.code}/"', f'?subject={party.general.code}"',
                     f'id="election-{party_registers.election.pk}"']:
        assert fragment in html, fragment


def _add(web, party, n: int) -> None:
    actor, community = web.users["secretary"], web.places["community"]
    for i in range(n):
        org = services.organization_create(actor=actor, name=f"支部{i}", org_type="party_branch", place=community,
                                           parent=party.general)
        m = services.member_create(actor=actor, organization=org, full_name=f"党员{i}", joined_on=dt.date(2000, 1, 1),
                                   phone=f"1390000{i:04d}", categories=["in_service"], dues_base="5000")
        services.officer_appoint(actor=actor, organization=org, member=m, post="secretary", started_on=dt.date(Y, 1, 1))
        services.election_record(actor=actor, organization=org, held_on=dt.date(Y, 1, 2))
        services.dues_record(actor=actor, member=m, month=dt.date(Y, 1, 1), amount="20", paid_on=dt.date(Y, 1, 3))
        services.transfer_request(actor=actor, member=m, to_outside_name="外地", requested_on=dt.date(Y, 1, 5))
        services.applicant_create(actor=actor, organization=org, full_name=f"申请人{i}", applied_on=dt.date(Y, 1, 1))
        services.mobile_outflow_record(actor=actor, member=m, left_on=dt.date(Y, 1, 1), destination="外地")
        services.post_design(actor=actor, organization=org, title=f"岗位{i}", on=dt.date(Y, 1, 1))
        services.report_in_record(actor=actor, member=m, community=community, reported_on=dt.date(Y, 1, 1))
        services.pocket_lead_create(actor=actor, place=community, full_name=f"线索{i}", found_on=dt.date(Y, 1, 1))


PAGES = ["/party/", "/party/members/", "/party/transfers/", f"/party/dues/?year={Y}", "/party/applicants/",
         "/party/mobile/", "/party/pocket/", "/party/posts/", "/party/report-ins/"]


@pytest.mark.parametrize("role", ["secretary", "street"])
def test_query_count_does_not_grow_with_the_registers(web, party, django_assert_max_num_queries, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web.client(role)
    pages = [*PAGES, f"/party/organizations/{party.general.code}/"]
    for address in pages:
        client.get(address)  # warm the session and content types
    _add(web, party, 2)
    small = {}
    for address in pages:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        small[address] = len(ctx.captured_queries)
    _add_more = 8
    actor = web.users["secretary"]
    for i in range(_add_more):
        services.organization_create(actor=actor, name=f"新支部{i}", org_type="party_branch",
                                     place=web.places["community"], parent=party.general)
    _add_many(web, party)
    for address in pages:
        with django_assert_max_num_queries(small[address]):
            assert client.get(address).status_code == 200, address


def _add_many(web, party):
    actor, community = web.users["secretary"], web.places["community"]
    branch = Organization.objects.get(name="支部0")
    for i in range(10):
        m = services.member_create(actor=actor, organization=branch, full_name=f"多{i}", joined_on=dt.date(2000, 1, 1),
                                   categories=["without_post"], dues_base="3000")
        services.dues_record(actor=actor, member=m, month=dt.date(Y, 1, 1), amount="9", paid_on=dt.date(Y, 1, 3))
        services.transfer_request(actor=actor, member=m, to_outside_name="外地", requested_on=dt.date(Y, 1, 5))
        services.applicant_create(actor=actor, organization=branch, full_name=f"多申请{i}", applied_on=dt.date(Y, 1, 1))
        rec = services.mobile_outflow_record(actor=actor, member=m, left_on=dt.date(Y, 1, 1), destination="外地")
        services.mobile_contact_add(actor=actor, record=rec, contacted_on=dt.date(Y, 2, 1), channel="phone")
        services.post_design(actor=actor, organization=branch, title=f"多岗{i}", on=dt.date(Y, 1, 1))
        lead = services.pocket_lead_create(actor=actor, place=community, full_name=f"多线索{i}", found_on=dt.date(Y, 1, 1))
        services.pocket_follow_up_add(actor=actor, lead=lead, on=dt.date(Y, 1, 2), channel="visit")


@pytest.mark.parametrize("role, shown", [("secretary", True), ("staff", True), ("street", True), ("worker", True),
                                         ("resident", False), ("nobody", False)])
def test_navigation_link(web, role, shown):
    html = web.client(role).get("/").content.decode()
    assert ('href="/party/"' in html) is shown


def test_pages_are_chinese_first_with_english_alongside(web, party, party_registers):
    zh = web.client("secretary", language="zh-hans").get("/party/").content.decode()
    en = web.client("secretary", language="en").get("/party/").content.decode()
    for text in ("新建党组织", "欠缴党费的党员", "组织关系接转", "设岗定责", "双报到"):
        assert text in zh, text
    assert "家庭成员" not in zh and "委员</th>" not in zh  # "Members" of a household is another word
    assert "New organization" in en and "Members in arrears with dues" in en
    zh = web.client("secretary", language="zh-hans").get(f"/party/organizations/{party.general.code}/").content.decode()
    assert "换届选举" in zh and "班子成员" in zh


def test_a_transfer_may_go_to_another_community_here(web, party):
    """The receiving side is outside the secretary's area: it is offered, received by its own
    secretary, and only then does the member move."""
    wang = party.members[1]
    client = web.client("secretary")
    form = client.get(f"/party/members/{wang.pk}/").context["transfer_form"]
    assert party.other_branch in form.fields["to_org"].queryset
    assert not web.client("staff").get(f"/party/members/{wang.pk}/").context.get("transfer_form")
    response = client.post(f"/party/members/{wang.pk}/transfer/", {
        "transfer-to_org": party.other_branch.pk, "transfer-requested_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    transfer = Transfer.objects.get(member=wang, status="pending")
    # the releasing secretary may cancel but not receive; the receiving one may receive
    detail = client.get(f"/party/transfers/{transfer.pk}/").context
    assert (detail["can_receive"], detail["can_cancel"]) == (False, True)
    assert client.post(f"/party/transfers/{transfer.pk}/receive/", {"receive-received_on": "2020-01-01"}).status_code == 403
    other = web.client("secretary2")
    assert other.get(f"/party/transfers/{transfer.pk}/").context["can_receive"] is True
    assert other.post(f"/party/transfers/{transfer.pk}/receive/", {
        "receive-received_on": timezone.localdate().isoformat()}).status_code == 302
    wang.refresh_from_db()
    assert wang.organization == party.other_branch
