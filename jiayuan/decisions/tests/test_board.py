"""The 4+2 method on the public board (002 L161 "决议公开,实施结果公开"): the notice and the result
are posted by the step itself, residents see the whole matter and may object while the notice
runs, the rulebook sees undisclosed results, and the charter is adopted through the method."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiayuan.decisions import services
from jiayuan.decisions.models import CharterVersion, Objection
from jiayuan.disclosure import selectors as board
from jiayuan.disclosure.choices import Kind, Status, Timing
from jiayuan.norms import periods
from jiayuan.norms.evaluate import evaluate
from jiayuan.norms.facts import Subject, Window, provider_for

from .conftest import TODAY

ALL = ["branch_proposal", "two_committees", "members_assembly", "residents_resolution"]
ID = "520302199001011234"
PHONE = "13812345678"


@pytest.fixture
def resolved(web, party, matter, stage):
    m = matter
    for code in ALL:
        m = stage(m, code)
    return m


def _notice(web, m, **kw):
    return services.decision_transition(actor=web.users["secretary"], matter=m, action="publish_notice", **kw)


def test_notice_and_result_are_posted_on_the_board(web, resolved, monkeypatch):
    sec, place = web.users["secretary"], web.places["community"]
    m = _notice(web, resolved, text="办公楼重建决议公告")
    notice = m.notices.get()
    item = notice.disclosure_item
    assert (item.kind, item.timing, item.status) == (Kind.RESOLUTION, Timing.IMMEDIATE, Status.PUBLISHED)
    assert item.published_on == notice.published_on and item.expires_on == notice.ends_on - dt.timedelta(days=1)
    assert item.approved_by is None and item.publisher.endswith("居民委员会")
    for text in ("办公楼重建决议公告", "党支部会提议", "“两委”会商议", "党员大会审议", "居民代表会议或居民会议决议",
                 "同意35票", "资金来源:财政拨款与社会筹资", "共7天"):
        assert text in item.body, text
    assert item in board.public_current(community=place)
    # the last day of the notice it is still up, the day it ends it is down (but in the history)
    assert item in board.public_current(community=place, today=notice.ends_on - dt.timedelta(days=1))
    assert item not in board.public_current(community=place, today=notice.ends_on)
    assert item in board.public_history(community=place)

    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=8))
    m = services.decision_transition(actor=sec, matter=m, action="start_implementation")
    m = services.decision_transition(actor=sec, matter=m, action="publish_result", text="办公楼已建成并投入使用")
    result = m.result.disclosure_item
    assert (result.kind, result.timing, result.expires_on) == (Kind.RESULT, Timing.PERIODIC, None)
    assert "办公楼已建成并投入使用" in result.body and "收到异议0件" in result.body


def test_notice_days_follow_the_rulebook_override(web, resolved):
    from jiayuan.norms.services import rule_override_set

    rule_override_set(actor=web.users["admin"], rule_id="N-DEMO-08", parameter="days", place=web.places["community"],
                      value=10, reason="本社区公示十天")
    notice = _notice(web, resolved).notices.get()
    assert notice.ends_on - notice.published_on == dt.timedelta(days=10)


def test_results_fact_reports_a_result_past_due(web, resolved, monkeypatch, django_assert_max_num_queries):
    sec = web.users["secretary"]
    subject = Subject.for_place(web.places["community"])
    window = Window(dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31), str(TODAY.year))
    m = _notice(web, resolved, due_on=TODAY + dt.timedelta(days=20))
    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=8))
    m = services.decision_transition(actor=sec, matter=m, action="start_implementation")
    facts = provider_for("decisions.results")(subject, window, {})
    assert facts.values == {"decisions": 1, "undisclosed_resolutions": 0, "undisclosed_results": 0}
    later = TODAY + dt.timedelta(days=30)
    monkeypatch.setattr("jiayuan.decisions.norms_facts.timezone.localdate", lambda: later)
    with django_assert_max_num_queries(1):
        facts = provider_for("decisions.results")(subject, window, {})
    assert m.result_due_on <= window.end and facts.values["undisclosed_results"] == 1
    assert facts.items[0].url == f"/decisions/{m.pk}/"
    [rule] = evaluate(subject, periods.parse_period(str(TODAY.year)), rule_ids=["N-DEMO-02b"], today=later)
    assert rule.status == "unmet"
    services.decision_transition(actor=sec, matter=m, action="publish_result", text="已完成")
    assert provider_for("decisions.results")(subject, window, {}).values["undisclosed_results"] == 0


def test_notices_fact_counts_the_days_up(web, resolved, monkeypatch):
    subject = Subject.for_place(web.places["community"])
    window = Window(dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31), str(TODAY.year))
    notice = _notice(web, resolved).notices.get()
    [item] = provider_for("disclosure.notices")(subject, window, {"notice": "resolution"}).items
    assert item.start == notice.published_on and item.done is None  # still up
    monkeypatch.setattr("jiayuan.disclosure.norms_facts.timezone.localdate", lambda: notice.ends_on)
    [item] = provider_for("disclosure.notices")(subject, window, {"notice": "resolution"}).items
    assert (item.done - item.start).days == 7


def test_public_pages_and_objections(web, resolved, monkeypatch):
    code = web.places["community"].code
    anon = web.client("anonymous")
    url = f"/public/{code}/decisions/{resolved.pk}/"
    assert anon.get(url).status_code == 404  # resolved but not yet made public
    m = _notice(web, resolved)
    r = anon.get(f"/public/{code}/decisions/")
    assert r.status_code == 200 and m.title in r.content.decode()
    r = anon.get(url)
    page = r.content.decode()
    assert r.status_code == 200 and "objection-form" in page and "35" in page
    assert anon.post(url, {"text": "  "}).status_code == 400
    assert not Objection.objects.exists()
    r = anon.post(url, {"text": f"施工噪音太大,请联系{PHONE},身份证{ID}", "author_name": "王小明"})
    assert r.status_code == 302
    page = anon.get(url).content.decode()
    assert "王**" in page and "王小明" not in page and PHONE not in page and ID not in page
    assert "138****5678" in page and 'id="objection-sent"' in page
    o = Objection.objects.get()
    assert o.created_by is None and o.author_name == "王小明"
    # the notice ended: the form is gone and a late objection is refused
    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=7))
    monkeypatch.setattr("jiayuan.decisions.public_views.timezone.localdate", lambda: TODAY + dt.timedelta(days=7))
    assert "objection-form" not in anon.get(url).content.decode()
    assert anon.post(url, {"text": "迟到的异议"}).status_code == 400
    assert Objection.objects.count() == 1


def test_public_objections_are_rate_limited(web, resolved, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "public_report": "2/hour"}}
    m = _notice(web, resolved)
    url = f"/public/{web.places['community'].code}/decisions/{m.pk}/"
    anon = web.client("anonymous")
    codes = [anon.post(url, {"text": f"异议{i}"}, REMOTE_ADDR="10.9.8.7").status_code for i in range(3)]
    assert codes == [302, 302, 429]


def test_staff_page_answers_each_objection_and_refuses_bad_input(web, resolved):
    m = _notice(web, resolved)
    m = services.decision_transition(actor=web.users["secretary"], matter=m, action="file_objection", text="噪音")
    o = Objection.objects.get()
    c = web.client("secretary")
    page = c.get(f"/decisions/{m.pk}/").content.decode()
    assert f'id="answer-{o.pk}"' in page
    act = f"/decisions/{m.pk}/act/"
    assert c.post(act, {"action": "answer_objection", "objection": o.pk, "text": "",
                        "version": m.version}).status_code == 400
    assert c.post(act, {"action": "publish_result", "text": "x", "version": m.version}).status_code == 409
    assert c.post(act, {"action": "comment", "text": "x", "on": "2026-13-40"}).status_code == 400
    assert c.post(act, {"action": "answer_objection", "objection": o.pk, "text": "夜间不施工",
                        "version": m.version}).status_code == 302
    o.refresh_from_db()
    assert o.answer == "夜间不施工"


def _charter_matter(web, party, stage, monkeypatch, *, title="修订居民自治章程"):
    m = services.matter_propose(actor=web.users["secretary"], place=web.places["community"], category="charter",
                                title=title, necessity="规范居民自治")
    monkeypatch.setattr(services, "_today", lambda: TODAY)
    for code in ALL:
        m = stage(m, code)
    m = _notice(web, m)
    monkeypatch.setattr(services, "_today", lambda: TODAY + dt.timedelta(days=8))
    return services.decision_transition(actor=web.users["secretary"], matter=m, action="start_implementation")


def test_charter_versions_are_adopted_through_the_method(web, party, stage, matter, monkeypatch):
    sec, place = web.users["secretary"], web.places["community"]
    with pytest.raises(services.DecisionConflict):  # not a charter matter
        services.charter_adopt(actor=sec, matter=matter, kind="charter", title="章程", text="第一条")
    m1 = _charter_matter(web, party, stage, monkeypatch, title="制定居民自治章程")
    with pytest.raises(ValidationError):
        services.charter_adopt(actor=sec, matter=m1, kind="constitution", title="", text="")
    v1 = services.charter_adopt(actor=sec, matter=m1, kind="charter", title="礼仪社区居民自治章程", text="第一条 每月10日民主议事。")
    assert v1.version == 1 and v1.disclosure_item.kind == Kind.CHARTER and v1.disclosure_item.timing == Timing.STANDING
    with pytest.raises(services.DecisionConflict):  # one version per matter
        services.charter_adopt(actor=sec, matter=m1, kind="charter", title="章程", text="第一条")
    m2 = _charter_matter(web, party, stage, monkeypatch)
    with pytest.raises(ValidationError):  # a revision says what changed
        services.charter_adopt(actor=sec, matter=m2, kind="charter", title="礼仪社区居民自治章程", text="第一条 修订")
    v2 = services.charter_adopt(actor=sec, matter=m2, kind="charter", title="礼仪社区居民自治章程",
                                text="第一条 每月10日民主议事;第二条 双票表决。", change_note="增加第二条")
    assert v2.version == 2 and v2.disclosure_item.supersedes == v1.disclosure_item
    today = TODAY + dt.timedelta(days=8)
    current = list(board.public_current(community=place, today=today))
    assert v2.disclosure_item in current and v1.disclosure_item not in current
    with pytest.raises(ValueError):
        v2.save()
    page = web.client("anonymous").get(f"/public/{place.code}/charter/").content.decode()
    assert "双票表决" in page and "增加第二条" in page and 'id="charter-earlier-charter"' in page
    assert CharterVersion.objects.count() == 2


def test_charter_adoption_page(web, party, stage, monkeypatch):
    m = _charter_matter(web, party, stage, monkeypatch)
    c = web.client("secretary")
    assert 'id="charter-form"' in c.get(f"/decisions/{m.pk}/").content.decode()
    url = f"/decisions/{m.pk}/charter/"
    assert c.post(url, {"kind": "covenant", "title": "", "text": ""}).status_code == 400
    assert c.post(url, {"kind": "covenant", "title": "居民公约", "text": "爱护环境。"}).status_code == 302
    assert CharterVersion.objects.get().kind == "covenant"
