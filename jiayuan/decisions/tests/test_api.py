from __future__ import annotations

import datetime as dt

import pytest

from jiayuan.decisions import services

from .conftest import STAGE_MEETING, TODAY, closed_vote, held_meeting, voted


def url(matter=None):
    return "/api/v1/decisions/" if matter is None else f"/api/v1/decisions/{matter.pk}/"


def test_walk_through_api(web, party, matter, monkeypatch):
    client, sec = web.client("secretary"), web.users["secretary"]
    for code in ("branch_proposal", "two_committees", "members_assembly"):
        motion = voted(sec, party["branch"], STAGE_MEETING[code], title=code)
        r = client.post(url(matter) + "transitions/", {"action": "record_stage", "stage": code, "motion": motion.pk},
                        content_type="application/json")
        assert r.status_code == 200, r.content
    vote = closed_vote(web, held_meeting(web, present=35, eligible=35), yes=35)
    r = client.post(url(matter) + "transitions/", {"action": "record_stage", "stage": "residents_resolution",
                                                   "resident_vote": vote.pk}, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "resolved" and len(body["stages"]) == 4
    assert body["stages"][0]["meeting"]["title"] == "branch_proposal"
    assert body["stages"][3]["vote"]["result"] == "passed"
    assert body["available_actions"] == ["publish_notice"]
    r = client.post(url(matter) + "transitions/", {"action": "publish_notice", "text": "公告"},
                    content_type="application/json")
    assert r.json()["notices"][0]["ends_on"] == (TODAY + dt.timedelta(days=7)).isoformat()
    r = client.post(url(matter) + "transitions/", {"action": "start_implementation"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=8))
    r = client.post(url(matter) + "transitions/", {"action": "start_implementation"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "implementing"


def test_out_of_order_is_409(web, party, matter):
    client = web.client("secretary")
    motion = voted(web.users["secretary"], party["branch"], "general_meeting", title="越级")
    r = client.post(url(matter) + "transitions/", {"action": "record_stage", "stage": "members_assembly",
                                                   "motion": motion.pk}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "out_of_order"
    r = client.post(url(matter) + "transitions/", {"action": "close"}, content_type="application/json")
    assert r.status_code == 409
    r = client.post(url(matter) + "transitions/", {"action": "comment", "text": "x", "version": 99},
                    content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "stale_version"


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "未知"), ("en", "Unknown")])
def test_400_in_both_languages(web, party, matter, language, word):
    client = web.client("secretary", language=language)
    r = client.post(url(matter) + "transitions/", {"action": "record_stage", "stage": "branch_proposal",
                                                   "motion": 999999}, content_type="application/json")
    assert r.status_code == 400 and "motion" in r.json()
    r = client.post(url(matter) + "transitions/", {"action": "answer_objection"}, content_type="application/json")
    assert r.status_code == 409
    r = client.post(url(matter) + "transitions/", {"action": "comment", "text": ""}, content_type="application/json")
    assert r.status_code == 400
    r = client.post(url(matter) + "transitions/", {"action": "bogus"}, content_type="application/json")
    assert r.status_code == 400
    assert word in r.content.decode() or "bogus" in r.content.decode()


@pytest.mark.parametrize(("role", "list_count", "detail", "post"), [
    ("admin", 1, 200, 200), ("district", 1, 200, 200), ("street", 1, 200, 200), ("secretary", 1, 200, 200),
    ("staff", 1, 200, 200), ("worker", 0, 404, 404), ("resident", 0, 404, 404), ("nobody", 0, 404, 404),
    ("other_staff", 0, 404, 404),
])
def test_scoping_matrix(web, party, matter, role, list_count, detail, post):
    client = web.client(role)
    r = client.get(url())
    assert r.status_code == 200 and len(r.json()["results"] if isinstance(r.json(), dict) else r.json()) == list_count
    assert client.get(url(matter)).status_code == detail
    r = client.post(url(matter) + "transitions/", {"action": "comment", "text": "意见"}, content_type="application/json")
    assert r.status_code == post

