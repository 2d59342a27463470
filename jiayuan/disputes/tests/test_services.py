import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.disputes import services
from jiayuan.disputes.models import Dispute, DisputeEvent, MediationAgreement
from jiayuan.disputes.pdf import agreement_pdf

from .conftest import EARLIER, TODAY, assign, dispute_counts, mediating, signed
from .pdftext import pdf_text


def test_register_counts_in_the_round_and_masks_phones(web, dispute, screening_round):
    assert dispute.number.startswith(f"MD{EARLIER:%Y}")
    assert dispute.level == "community" and dispute.status == "registered"
    assert dispute.territory_code == web.grid_a.code
    parties = list(dispute.parties.all())
    assert [p.name for p in parties] == ["张三", "李四"]
    assert parties[0].phone_masked == "138****5678" and "13812345678" not in parties[0].phone_cipher
    assert screening_round.disputes.count() == 1
    assert list(dispute.events.values_list("kind", flat=True)) == ["registered"]


def test_grid_worker_registers_in_own_grid_only(web, screening_round):
    data = dict(title="噪音", kind="neighbourhood", intake_mode="house_call", found_on=TODAY,
                parties=[{"name": "赵六"}])
    d = services.dispute_register(actor=web.users["worker"], place=web.grid_a, **data)
    assert d.level == "community"
    before = dispute_counts()
    with pytest.raises(PermissionDenied):
        services.dispute_register(actor=web.users["worker"], place=web.grid_b, **data)
    with pytest.raises(PermissionDenied):
        services.dispute_register(actor=web.users["resident"], place=web.grid_a, **data)
    assert dispute_counts() == before
    # ... and may do nothing more with it
    with pytest.raises(PermissionDenied):
        assign(web, d, "worker")


def test_street_registers_at_street_level(web):
    d = services.dispute_register(actor=web.users["street"], place=web.places["community"], title="征地补偿",
                                  kind="property_land", intake_mode="sit_in", found_on=TODAY, parties=[{"name": "村民甲"}])
    assert d.level == "street"
    with pytest.raises(PermissionDenied):  # the community does not write at street level
        assign(web, d, "staff")


def test_bad_input_reports_every_problem_and_writes_nothing(web, screening_round):
    before = dispute_counts()
    with pytest.raises(ValidationError) as exc:
        services.dispute_register(actor=web.users["staff"], place=web.grid_a, title="", kind="nonsense",
                                  intake_mode="screening", found_on=TODAY.replace(year=TODAY.year + 1),
                                  parties=[{"name": "", "phone": "123"}])
    assert {"parties", "found_on", "screening_round", "title", "kind"} <= set(exc.value.message_dict)
    assert dispute_counts() == before


def test_five_ones_required_before_mediation(web, dispute):
    before = dispute_counts()
    with pytest.raises(ValidationError) as exc:
        services.mediation_start(actor=web.users["secretary"], dispute=dispute)
    assert "五个一" in exc.value.messages[0]
    assert dispute_counts() == before
    with pytest.raises(ValidationError) as exc:
        services.dispute_assign(actor=web.users["secretary"], dispute=dispute, leader_name="", team=[], plan="")
    assert set(exc.value.message_dict) == {"leader_name", "team", "plan"}
    d = mediating(web, dispute)
    assert d.status == "mediating" and d.team == ["王调解员", "陈网格员"]
    with pytest.raises(ValidationError):  # no re-assignment once mediating
        assign(web, d)


def test_checklist_ticks_once(web, dispute):
    d = services.checklist_update(actor=web.users["staff"], dispute=dispute, done={"information": "已走访双方"})
    assert d.checklist["information"]["done"] is True
    n = DisputeEvent.objects.count()
    services.checklist_update(actor=web.users["staff"], dispute=dispute, done={"information": "again"})
    assert DisputeEvent.objects.count() == n
    with pytest.raises(ValidationError):
        services.checklist_update(actor=web.users["staff"], dispute=dispute, done={"nonsense": ""})


def test_agreement_is_immutable_once_signed(web, dispute):
    a = signed(web, dispute)
    assert a.signed_at and [s["name"] for s in a.signatures] == ["张三", "李四"]
    assert Dispute.objects.get(pk=dispute.pk).status == "agreed"
    before = dispute_counts()
    with pytest.raises(ValidationError):
        services.agreement_save(actor=web.users["secretary"], dispute=dispute, parties="x", content="改了", agreed_on=TODAY)
    with pytest.raises(ValidationError):
        services.agreement_sign(actor=web.users["secretary"], dispute=dispute,
                                signatures=[{"name": "a", "signed_on": TODAY}, {"name": "b", "signed_on": TODAY}])
    a = MediationAgreement.objects.get(pk=a.pk)
    a.content = "偷偷改"
    with pytest.raises(ValueError):
        a.save()
    with pytest.raises(ValueError):
        a.delete()
    assert dispute_counts() == before
    assert MediationAgreement.objects.get(pk=a.pk).content == "张三承担维修费用八百元。"


def test_signing_needs_two_parties(web, dispute):
    mediating(web, dispute)
    services.agreement_save(actor=web.users["secretary"], dispute=dispute, parties="张三、李四", content="x", agreed_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.agreement_sign(actor=web.users["secretary"], dispute=dispute, signatures=[{"name": "张三", "signed_on": TODAY}])
    assert "signatures" in exc.value.message_dict


def test_pdf_renders_chinese(web, dispute):
    a = signed(web, dispute)
    data = agreement_pdf(a)
    assert data.startswith(b"%PDF") and b"STSong-Light" in data
    text = pdf_text(data)
    for expected in ("人民调解协议书", "张三承担维修费用八百元", "张三", "李四", dispute.number):
        assert expected in text
    assert "草稿" not in text


def test_fail_escalate_to_street_then_street_handles(web, dispute):
    mediating(web, dispute)
    with pytest.raises(ValidationError):  # not before a failed attempt
        services.dispute_escalate(actor=web.users["secretary"], dispute=dispute, reason="x")
    services.mediation_fail(actor=web.users["secretary"], dispute=dispute, reason="双方分歧大,已做解释工作")
    d = services.dispute_escalate(actor=web.users["secretary"], dispute=dispute, reason="超出社区调处能力")
    assert (d.level, d.status, d.leader_name) == ("street", "registered", "")
    e = d.events.get(kind="escalated")
    assert (e.from_level, e.to_level) == ("community", "street")
    with pytest.raises(PermissionDenied):  # the community no longer writes it
        assign(web, d, "secretary")
    with pytest.raises(PermissionDenied):  # not even through a copy read before the escalation
        assign(web, dispute, "secretary")
    d = mediating(web, d, "street")
    assert d.status == "mediating"


def test_follow_up_then_close(web, dispute):
    signed(web, dispute)
    with pytest.raises(ValidationError):
        services.dispute_close(actor=web.users["secretary"], dispute=dispute, note="结案")
    services.follow_up_record(actor=web.users["secretary"], dispute=dispute, visited_on=TODAY, visitor="王调解员",
                              notes="协议已履行")
    d = services.dispute_close(actor=web.users["secretary"], dispute=dispute, note="协议履行完毕")
    assert d.status == "closed" and d.closed_at
    assert list(d.events.values_list("kind", flat=True))[-2:] == ["followed_up", "closed"]


def test_events_are_append_only(web, dispute):
    e = dispute.events.first()
    e.note = "changed"
    with pytest.raises(ValueError):
        e.save()
    with pytest.raises(ValueError):
        e.delete()


def test_case_link(web, dispute):
    d = services.dispute_link_case(actor=web.users["staff"], dispute=dispute, case_ref="SQ2026000123")
    assert d.case_ref == "SQ2026000123"
