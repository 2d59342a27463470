import pytest

from jiayuan.disputes import services
from jiayuan.disputes.models import Dispute

from .conftest import EARLIER, TODAY, dispute_counts, mediating, signed

ROLES_SEE = {"admin": 200, "district": 200, "street": 200, "secretary": 200, "staff": 200, "worker": 200,
             "other_worker": 404, "resident": 404, "nobody": 404}


@pytest.mark.parametrize("role, status", ROLES_SEE.items())
def test_detail_scoping(web, dispute, role, status):
    assert web.client(role).get(f"/disputes/{dispute.pk}/").status_code == status


@pytest.mark.parametrize("role, listed", [("secretary", True), ("worker", True), ("other_worker", False),
                                          ("street", True)])
def test_list_scoping(web, dispute, role, listed):
    r = web.client(role).get("/disputes/")
    assert r.status_code == 200 and (dispute.number in r.content.decode()) is listed


@pytest.mark.parametrize("role", ["resident", "nobody"])
def test_list_is_404_without_a_staff_role(web, role):
    assert web.client(role).get("/disputes/").status_code == 404
    assert web.client(role).get("/disputes/rounds/").status_code == 404


def test_anonymous_is_sent_to_sign_in(web):
    assert web.client("anonymous").get("/disputes/").status_code == 302


def test_register_through_the_page(web, screening_round):
    r = web.client("worker").post("/disputes/new/", {
        "place": web.grid_a.pk, "title": "占道堆物", "kind": "neighbourhood", "intake_mode": "house_call",
        "found_on": TODAY.isoformat(), "party1_name": "王五", "party1_phone": "13900001111", "mediation_kind": "peoples",
    })
    assert r.status_code == 302
    d = Dispute.objects.get(title="占道堆物")
    assert d.parties.get().phone_masked == "139****1111"
    page = web.client("worker").get(f"/disputes/{d.pk}/").content.decode()
    assert "13900001111" not in page and "139****1111" in page


@pytest.mark.parametrize("language, text", [("zh-hans", "至少填写一名纠纷当事人。"),
                                            ("en", "Name at least one party to the dispute.")])
def test_bad_register_is_400_in_the_users_language(web, language, text):
    before = dispute_counts()
    r = web.client("secretary", language=language).post("/disputes/new/", {
        "place": web.grid_a.pk, "title": "x", "kind": "other", "intake_mode": "sit_in", "found_on": TODAY.isoformat(),
        "mediation_kind": "peoples",
    })
    assert r.status_code == 400 and text in r.content.decode()
    assert dispute_counts() == before


@pytest.mark.parametrize("language, text", [("zh-hans", "五个一"), ("en", "five ones")])
def test_start_without_five_ones_is_400(web, dispute, language, text):
    services.dispute_register  # noqa: B018
    Dispute.objects.filter(pk=dispute.pk).update(status="assigned")
    r = web.client("secretary", language=language).post(f"/disputes/{dispute.pk}/start/")
    assert r.status_code == 400 and text in r.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).status == "assigned"


def test_write_refused_for_reader(web, dispute):
    before = dispute_counts()
    assert web.client("worker").post(f"/disputes/{dispute.pk}/assign/", {"leader_name": "x"}).status_code == 403
    assert web.client("street").post(f"/disputes/{dispute.pk}/assign/", {"leader_name": "x"}).status_code == 403
    assert web.client("other_worker").post(f"/disputes/{dispute.pk}/assign/", {}).status_code == 404
    assert dispute_counts() == before


def test_walk_through_the_page(web, dispute):
    c = web.client("secretary")
    url = f"/disputes/{dispute.pk}/"
    assert c.post(url + "assign/", {"leader_name": "刘书记", "team": "王调解员\n陈网格员", "plan": "协商",
                                    "mediation_kind": "peoples"}).status_code == 302
    assert c.post(url + "checklist/", {"duties": ["information", "investigation"], "note": "已走访"}).status_code == 302
    assert c.post(url + "start/").status_code == 302
    assert c.post(url + "session/", {"held_on": TODAY.isoformat(), "location": "社区调解室", "mediation_kind": "peoples",
                                     "mediators": "王调解员", "parties_present": "张三、李四"}).status_code == 302
    assert c.post(url + "agreement/", {"parties": "张三、李四", "content": "赔偿八百元", "agreed_on": TODAY.isoformat()}).status_code == 302
    assert c.post(url + "sign/", {"name1": "张三", "date1": TODAY.isoformat(), "name2": "李四",
                                  "date2": TODAY.isoformat()}).status_code == 302
    d = Dispute.objects.get(pk=dispute.pk)
    assert d.status == "agreed" and d.agreement.signed_at
    page = c.get(url).content.decode()
    assert "agreement.pdf" in page
    pdf = c.get(url + "agreement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_pdf_scoped(web, dispute):
    signed(web, dispute)
    assert web.client("other_worker").get(f"/disputes/{dispute.pk}/agreement.pdf").status_code == 404


def test_excel_export_is_logged(web, dispute):
    from auditlog.models import LogEntry

    r = web.client("secretary").get("/disputes/export.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__register="disputes").exists()


def test_round_page(web, screening_round, dispute):
    page = web.client("staff").get("/disputes/rounds/").content.decode()
    assert "第一轮排查" in page
    r = web.client("staff").post("/disputes/rounds/", {"community": web.places["community"].pk, "title": "第二轮",
                                                        "period_start": TODAY.isoformat(), "period_end": EARLIER.isoformat(),
                                                        "households_covered": 10})
    assert r.status_code == 400
    assert web.client("worker").post("/disputes/rounds/", {}).status_code == 403


def test_list_query_count_is_fixed(web, screening_round, django_assert_max_num_queries):
    for n in range(8):
        d = services.dispute_register(actor=web.users["secretary"], place=web.grid_a, title=f"纠纷{n}", kind="other",
                                      intake_mode="screening", screening_round=screening_round, found_on=EARLIER,
                                      parties=[{"name": "甲"}, {"name": "乙"}])
        if n % 2:
            mediating(web, d)
    c = web.client("secretary")
    c.get("/disputes/")
    with django_assert_max_num_queries(22):
        r = c.get("/disputes/")
    assert r.status_code == 200
