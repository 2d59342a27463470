from __future__ import annotations

import datetime as dt

from jiayuan.decisions.models import DecisionMatter

from .conftest import STAGE_MEETING, TODAY, voted


def test_list_detail_and_overdue_badge(web, party, matter, stage):
    client = web.client("secretary")
    r = client.get("/decisions/")
    assert r.status_code == 200 and "社区办公楼重建" in r.content.decode()
    m = matter
    for code in (*STAGE_MEETING, "residents_resolution"):
        m = stage(m, code)
    DecisionMatter.objects.filter(pk=m.pk).update(result_due_on=TODAY - dt.timedelta(days=1))
    assert "逾期未公开" in client.get("/decisions/").content.decode()
    page = client.get(f"/decisions/{m.pk}/").content.decode()
    assert "党员大会审议" in page and "publish_notice" in page


def test_propose_and_act_in_the_page(web, party):
    client = web.client("secretary")
    r = client.post("/decisions/new/", {"place": web.places["community"].code, "category": "land", "title": "",
                                        "necessity": ""})
    assert r.status_code == 400
    r = client.post("/decisions/new/", {"place": web.places["community"].code, "category": "land",
                                        "title": "土地调整", "necessity": "道路拓宽"})
    assert r.status_code == 302
    matter = DecisionMatter.objects.get(title="土地调整")
    motion = voted(web.users["secretary"], party["branch"], "branch_committee", title="提议")
    r = client.post(f"/decisions/{matter.pk}/act/", {"action": "record_stage", "stage": "branch_proposal",
                                                     "motion": motion.pk, "version": matter.version})
    assert r.status_code == 302
    assert matter.stages.get().result == "passed"
    r = client.post(f"/decisions/{matter.pk}/act/", {"action": "close"})
    assert r.status_code == 409 and "alert-danger" in r.content.decode()


def test_pages_404_for_residents_and_outsiders(web, party, matter):
    assert web.client("resident").get("/decisions/").status_code == 404
    assert web.client("other_staff").get(f"/decisions/{matter.pk}/").status_code == 404
    assert web.client("anonymous").get("/decisions/").status_code == 302
