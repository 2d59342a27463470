"""The write path of the Party registers: each service allowed, refused with nothing written,
and the invariants the seeds care about (001 L21 「党员关系不漏」)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiayuan.core.crypto import decrypt
from jiayuan.party import selectors, services
from jiayuan.party.models import Applicant, DuesPayment, Member, MemberPost, Transfer

from .conftest import Y, party_counts

TODAY = timezone.localdate()


def test_organization_codes_and_tree(web, party):
    assert party.general.code == "P" + web.places["community"].code + "01"
    assert party.branch.code.endswith("02") and party.group.code.endswith("03")
    tree = selectors.organization_tree(selectors.organization_list(user=web.users["secretary"]))
    assert [(d, o.name) for d, o in tree] == [(0, "礼仪社区党总支"), (1, "第一党支部"), (2, "第一党小组")]
    assert LogEntry.objects.get_for_object(party.general).filter(actor=web.users["secretary"]).exists()


@pytest.mark.parametrize("role", ["staff", "worker", "resident", "nobody", "secretary2"])
def test_only_party_writers_set_up_organizations(web, party, role):
    before = party_counts()
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=web.users[role], name="x", org_type="party_branch",
                                     place=web.places["community"])
    assert party_counts() == before


def test_street_staff_may_set_up_a_community_organization(web, party):
    org = services.organization_create(actor=web.users["street"], name="礼仪社区临时党支部",
                                       org_type="temporary_branch", place=web.places["community"])
    assert org.territory_code == web.places["community"].code


def test_a_group_needs_a_branch_and_a_member_is_held_by_a_branch(web, party):
    actor = web.users["secretary"]
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=actor, name="孤立小组", org_type="party_group", place=web.grid_a)
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=actor, organization=party.group, full_name="某")
    assert "organization" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a group of another organization
        services.member_create(actor=actor, organization=party.general, full_name="某", group=party.group)
    assert "group" in exc.value.message_dict


def test_member_phone_encrypted_and_masked_dues_by_rule(web, party):
    m = party.members[0]
    assert m.phone_masked == "138****5678" and decrypt(m.phone_cipher) == "13812345678"
    assert m.dues_monthly == Decimal("14.00")  # retired, 2,800 ≤ 5,000 → 0.5%
    assert party.members[1].dues_monthly == Decimal("90.00")  # in service, 5,000–10,000 → 1.5%
    assert party.members[2].dues_monthly == Decimal("0.20")  # laid off → flat
    assert services.dues_monthly_for(base=Decimal("12000"), categories=["in_service"]) == Decimal("240.00")
    entry = LogEntry.objects.get_for_object(m).first()
    assert "13812345678" not in str(entry.changes) and "phone_cipher" not in entry.changes_dict


def test_member_validation_reports_every_problem(web, party):
    before = party_counts()
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=web.users["secretary"], organization=party.branch, full_name="某",
                               phone="12345", birth_date=dt.date(2000, 1, 1), joined_on=dt.date(2010, 1, 1),
                               categories=["astronaut"])
    assert {"phone", "joined_on", "categories"} <= set(exc.value.message_dict)
    assert party_counts() == before


def test_one_member_record_per_resident(web, party):
    with pytest.raises(ValidationError) as exc:
        services.member_create(actor=web.users["secretary"], organization=party.general, full_name="张建国",
                               resident=web.resident_a)
    assert "resident" in exc.value.message_dict


def test_internal_transfer_moves_the_member_only_when_received(web, party):
    actor, member = web.users["secretary"], party.members[1]
    t = services.transfer_request(actor=actor, member=member, to_org=party.general, requested_on=TODAY)
    member.refresh_from_db()
    assert member.organization == party.branch and t.status == "pending"
    with pytest.raises(ValidationError):  # at most one pending transfer per member
        services.transfer_request(actor=actor, member=member, to_outside_name="某地党委")
    services.transfer_receive(actor=actor, transfer=t, received_on=TODAY)
    member.refresh_from_db()
    assert member.organization == party.general and member.group is None
    with pytest.raises(ValidationError):
        services.transfer_receive(actor=actor, transfer=t)


def test_transfer_to_another_community_is_received_by_the_other_side(web, party):
    member = party.members[1]
    t = services.transfer_request(actor=web.users["secretary"], member=member, to_org=party.other_branch)
    # both sides see it; only the receiving side confirms
    assert selectors.transfer_list(user=web.users["secretary2"]).filter(pk=t.pk).exists()
    with pytest.raises(PermissionDenied):
        services.transfer_receive(actor=web.users["staff"], transfer=t)
    with pytest.raises(PermissionDenied):  # the community secretary is the releasing side
        services.transfer_receive(actor=web.users["secretary"], transfer=t)
    services.transfer_receive(actor=web.users["secretary2"], transfer=t)
    member.refresh_from_db()
    assert member.organization == party.other_branch
    assert member.territory_code == party.other_branch.territory_code
    # the member now belongs to the other community: out of the first secretary's lists
    assert not selectors.member_list(user=web.users["secretary"]).filter(pk=member.pk).exists()


def test_a_transfer_never_received_shows_as_lost_after_the_limit(web, party):
    actor = web.users["secretary"]
    old = TODAY - dt.timedelta(days=selectors.TRANSFER_LOST_AFTER_DAYS + 1)
    lost = services.transfer_request(actor=actor, member=party.members[1], to_outside_name="贵阳市某党委",
                                     requested_on=old)
    fresh = services.transfer_request(actor=actor, member=party.members[2], to_outside_name="遵义市某党委",
                                      requested_on=TODAY - dt.timedelta(days=3))
    assert list(selectors.lost_transfer_list(user=actor, today=TODAY)) == [lost]
    assert selectors.transfer_is_lost(lost, today=TODAY) and not selectors.transfer_is_lost(fresh, today=TODAY)
    # the member is still in exactly one organization meanwhile
    assert Member.objects.get(pk=party.members[1].pk).organization == party.branch


def test_transfer_out_closes_the_record_on_the_receipt(web, party):
    actor, member = web.users["secretary"], party.members[1]
    t = services.transfer_request(actor=actor, member=member, to_outside_name="贵阳市某党委",
                                  requested_on=TODAY - dt.timedelta(days=5))
    with pytest.raises(ValidationError) as exc:
        services.transfer_receive(actor=actor, transfer=t)
    assert "receipt_no" in exc.value.message_dict
    services.transfer_receive(actor=actor, transfer=t, receipt_no="回执001")
    member.refresh_from_db()
    assert member.left_reason == "transferred_out" and member.left_on == TODAY


def test_cancel_and_reject_keep_the_member(web, party):
    actor, member = web.users["secretary"], party.members[1]
    t = services.transfer_request(actor=actor, member=member, to_org=party.other_branch)
    with pytest.raises(ValidationError):
        services.transfer_reject(actor=web.users["secretary2"], transfer=t, reason=" ")
    services.transfer_reject(actor=web.users["secretary2"], transfer=t, reason="不在本社区居住")
    t2 = services.transfer_request(actor=actor, member=member, to_org=party.general)
    services.transfer_cancel(actor=actor, transfer=t2, reason="本人暂缓")
    member.refresh_from_db()
    assert member.organization == party.branch
    assert set(Transfer.objects.filter(member=member).values_list("status", flat=True)) == {"rejected", "cancelled"}


def test_dissolving_needs_an_empty_organization(web, party):
    with pytest.raises(ValidationError):
        services.organization_dissolve(actor=web.users["secretary"], organization=party.branch, on=TODAY, reason="合并")
    services.organization_dissolve(actor=web.users["secretary"], organization=party.group, on=TODAY, reason="合并")
    assert Member.objects.get(pk=party.members[0].pk).group is None


def test_election_term_from_the_rulebook_and_the_four_fifths_rule(web, party):
    actor = web.users["secretary"]
    with pytest.raises(ValidationError) as exc:
        services.election_record(actor=actor, organization=party.general, held_on=dt.date(Y, 3, 1),
                                 eligible=100, votes_cast=80)
    assert "four fifths" in str(exc.value) or "五分之四" in str(exc.value)
    e = services.election_record(actor=actor, organization=party.general, held_on=dt.date(Y, 3, 1),
                                 eligible=100, votes_cast=81)
    assert e.term_end == dt.date(Y + 3, 3, 1)


def test_officer_secretary_is_replaced_not_doubled(web, party):
    actor = web.users["secretary"]
    services.officer_appoint(actor=actor, organization=party.branch, member=party.members[0], post="secretary",
                             started_on=dt.date(Y, 1, 1))
    services.officer_appoint(actor=actor, organization=party.branch, member=party.members[1], post="secretary",
                             started_on=dt.date(Y, 6, 1))
    current = selectors.officer_list(user=actor, organization=party.branch, as_of=TODAY)
    assert [o.member for o in current] == [party.members[1]]
    with pytest.raises(ValidationError):
        services.officer_appoint(actor=web.users["street"], organization=party.other_branch, member=party.members[0],
                                 post="committee_member", started_on=dt.date(Y, 1, 1))


def test_dues_ledger_is_append_only(web, party):
    actor, member = web.users["secretary"], party.members[0]
    p = services.dues_record(actor=actor, member=member, month=dt.date(Y, 5, 17), amount="14", paid_on=dt.date(Y, 5, 20))
    assert p.month == dt.date(Y, 5, 1)
    with pytest.raises(ValueError):
        p.amount = Decimal("1")
        p.save()
    r = services.dues_reverse(actor=actor, payment=p, reason="录错")
    assert r.amount == Decimal("-14.00") and r.reverses == p
    with pytest.raises(ValidationError):
        services.dues_reverse(actor=actor, payment=p, reason="again")
    with pytest.raises(ValidationError):
        services.dues_record(actor=actor, member=member, month=TODAY.replace(day=1) + dt.timedelta(days=40), amount="1")
    with pytest.raises(ValidationError) as exc:
        services.dues_record(actor=actor, member=member, month=dt.date(Y, 1, 1), amount="abc")
    assert "amount" in exc.value.message_dict
    assert DuesPayment.objects.count() == 2


def test_recruitment_steps_in_order_and_not_before_their_rule(web, party):
    actor = web.users["secretary"]
    a = services.applicant_create(actor=actor, organization=party.branch, full_name="陈思远", applied_on=dt.date(Y - 2, 1, 5))
    with pytest.raises(ValidationError) as exc:
        services.recruitment_advance(actor=actor, applicant=a, stage="development_candidate", on=dt.date(Y - 1, 1, 5))
    assert "in order" in str(exc.value) or "逐步" in str(exc.value) or "依次" in str(exc.value)
    with pytest.raises(ValidationError):  # the talk is not recorded yet
        services.recruitment_advance(actor=actor, applicant=a, stage="activist", on=dt.date(Y - 2, 2, 1))
    a = services.applicant_record(actor=actor, applicant=a, talked_on=dt.date(Y - 2, 1, 20))
    a = services.recruitment_advance(actor=actor, applicant=a, stage="activist", on=dt.date(Y - 2, 2, 1))
    early = dt.date(Y - 2, 12, 1)
    reasons = services.recruitment_refusals(a, "development_candidate", early)
    assert reasons and str(dt.date(Y - 1, 2, 1)) in reasons[0]
    a = services.recruitment_advance(actor=actor, applicant=a, stage="development_candidate", on=dt.date(Y - 1, 2, 2))
    assert len(services.recruitment_refusals(a, "probationary", dt.date(Y - 1, 6, 1))) == 3  # review, notice, training
    a = services.applicant_record(actor=actor, applicant=a, political_review_on=dt.date(Y - 1, 4, 1),
                                  notice_on=dt.date(Y - 1, 5, 4), training_days=3)
    a = services.recruitment_advance(actor=actor, applicant=a, stage="probationary", on=dt.date(Y - 1, 6, 1))
    assert a.member.status == "probationary" and a.member.organization == party.branch
    with pytest.raises(ValidationError):  # one year of probation
        services.recruitment_advance(actor=actor, applicant=a, stage="full", on=dt.date(Y - 1, 12, 1))
    a = services.recruitment_advance(actor=actor, applicant=a, stage="full", on=dt.date(Y, 6, 1))
    assert Member.objects.get(pk=a.member_id).status == "full"
    assert Applicant.objects.get(pk=a.pk).stage == "full"


def test_posts_for_members_without_posts_step_by_step(web, party):
    actor, member = web.users["secretary"], party.members[2]
    p = services.post_design(actor=actor, organization=party.general, title="楼栋长", on=dt.date(Y, 3, 1))
    with pytest.raises(ValidationError):
        services.post_advance(actor=actor, post=p, stage="confirmed", on=dt.date(Y, 3, 2))
    p = services.post_advance(actor=actor, post=p, stage="claimed", on=dt.date(Y, 3, 2), member=member)
    p = services.post_advance(actor=actor, post=p, stage="confirmed", on=dt.date(Y, 3, 3))
    with pytest.raises(ValidationError):  # before the previous step
        services.post_advance(actor=actor, post=p, stage="announced", on=dt.date(Y, 3, 1))
    p = services.post_advance(actor=actor, post=p, stage="announced", on=dt.date(Y, 3, 5))
    with pytest.raises(ValidationError):
        services.post_advance(actor=actor, post=p, stage="assessed", on=dt.date(Y, 12, 1), assessment="")
    services.post_advance(actor=actor, post=p, stage="assessed", on=dt.date(Y, 12, 1), assessment="excellent")
    assert MemberPost.objects.get(pk=p.pk).stage == "assessed"


def test_mobile_member_contacts_refresh_verification(web, party):
    actor, member = web.users["secretary"], party.members[1]
    rec = services.mobile_outflow_record(actor=actor, member=member, left_on=dt.date(Y, 2, 1), destination="深圳")
    assert "mobile" in Member.objects.get(pk=member.pk).categories
    services.mobile_contact_add(actor=actor, record=rec, contacted_on=dt.date(Y, 4, 1), channel="phone")
    services.mobile_contact_add(actor=actor, record=rec, contacted_on=dt.date(Y, 3, 1), channel="visit", kind="review")
    rec.refresh_from_db()
    assert rec.last_verified_on == dt.date(Y, 4, 1)
    with pytest.raises(ValidationError):
        services.mobile_contact_add(actor=actor, record=rec, contacted_on=dt.date(Y, 1, 1), channel="phone")
    services.mobile_return(actor=actor, record=rec, returned_on=dt.date(Y, 9, 1))
    assert "mobile" not in Member.objects.get(pk=member.pk).categories


def test_pocket_member_lead_to_intake(web, party):
    actor = web.users["secretary"]
    lead = services.pocket_lead_create(actor=actor, place=web.places["community"], full_name="周国华",
                                       found_on=dt.date(Y, 5, 6), relationship_at="原单位")
    services.pocket_follow_up_add(actor=actor, lead=lead, on=dt.date(Y, 5, 20), channel="visit")
    lead.refresh_from_db()
    assert lead.status == "contacted"
    t = services.pocket_lead_receive(actor=actor, lead=lead, organization=party.branch, received_on=dt.date(Y, 6, 1))
    lead.refresh_from_db()
    assert lead.status == "received" and lead.member == t.member and t.kind == "in"
    with pytest.raises(ValidationError):
        services.pocket_lead_close(actor=actor, lead=lead, reason="x")


def test_enterprise_handover_lands_whole_or_not_at_all(web, party):
    actor = web.users["secretary"]
    before = party_counts()
    with pytest.raises(ValidationError) as exc:
        services.handover_record(actor=actor, organization=party.branch, enterprise="某机械厂",
                                 handed_over_on=dt.date(2009, 11, 1),
                                 members=[{"full_name": "冯德山"}, {"full_name": "蒋桂兰", "phone": "bad"}])
    assert "members" in exc.value.message_dict
    assert party_counts() == before
    h = services.handover_record(actor=actor, organization=party.branch, enterprise="某机械厂",
                                 handed_over_on=dt.date(2009, 11, 1), funds="30000",
                                 members=[{"full_name": "冯德山"}, {"full_name": "蒋桂兰"}])
    assert h.transfers.count() == 2 and h.funds == Decimal("30000")


def test_report_in_once_per_community(web, party):
    actor = web.users["secretary"]
    r = services.report_in_record(actor=actor, member=party.other_member, community=web.places["community"],
                                  reported_on=dt.date(Y, 3, 5), pledge="每月服务一次")
    assert r.territory_code == web.places["community"].code
    with pytest.raises(ValidationError):
        services.report_in_record(actor=actor, member=party.other_member, community=web.places["community"],
                                  reported_on=dt.date(Y, 4, 5))
    services.report_in_feedback(actor=actor, report=r, feedback="表现积极", on=dt.date(Y, 12, 1))


def test_term_reminders_before_and_after_expiry(web, party):
    from jiayuan.norms.models import Reminder

    held = TODAY.replace(year=TODAY.year - 3) + dt.timedelta(days=30)  # term ends in about 30 days
    services.election_record(actor=web.users["secretary"], organization=party.general, held_on=held)
    assert services.term_reminders_sweep(today=TODAY) == {"made": 1}
    assert services.term_reminders_sweep(today=TODAY) == {"made": 0}
    r = Reminder.objects.get()
    assert r.user == web.users["secretary"] and r.kind == "due_soon" and r.subject_code == party.general.code
    later = TODAY + dt.timedelta(days=60)
    assert services.term_reminders_sweep(today=later) == {"made": 2}  # overdue: the secretary and the street
    assert set(Reminder.objects.filter(kind="overdue").values_list("user__username", flat=True)) == {"secretary", "street"}
