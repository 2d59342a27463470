"""Feedback on a public item (意见箱, 002 L179): a case of the closed loop through
``cases.services.case_report`` plus its link row, in one transaction; the public page lists it
and shows the case's result once resolved (W-42 RESULT_DISCLOSED), never the reporter."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError

from jiayuan.cases import services as case_services
from jiayuan.cases.models import Case, CaseEvent
from jiayuan.core.crypto import decrypt
from jiayuan.disclosure import services
from jiayuan.disclosure.models import DisclosureFeedback

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def counts() -> dict[str, int]:
    return {"feedback": DisclosureFeedback.objects.count(), "cases": Case.objects.count(),
            "events": CaseEvent.objects.count(), "log": LogEntry.objects.count()}


def url(web, item, tail=""):
    return f"/public/{web.places['community'].code}/items/{item.pk}/{tail}"


def send(client, web, item, **over):
    data = {"text": "第四季度支出明细能否再细一些?", "name": "", "phone": "", "website": ""}
    data.update(over)
    return client.post(url(web, item, "feedback/"), data)


def resolve(web, case, comment="经核查,支出明细已补充公示。"):
    for who, action, data in (("staff", "accept", {}),
                              ("secretary", "assign", {"user": web.users["staff"], "target": "community"}),
                              ("staff", "start", {}), ("staff", "resolve", {"comment": comment})):
        case = case_services.case_transition(actor=web.users[who], case=case, action=action, **data)
    return case


# -- service ------------------------------------------------------------------------------------

def test_feedback_becomes_a_case_of_the_community(web, publish):
    item = publish(title="第四季度财务公开")
    feedback = services.feedback_submit(actor=None, item=item, text="  支出明细?  ", name="王女士",
                                        phone="139 1234 5678", client_key="1.2.3.4")
    case = feedback.case
    assert feedback.item == item and feedback.territory_code == item.territory_code
    assert case.kind == "suggestion" and case.category == "disclosure_feedback" and case.channel == "web"
    assert case.place == web.places["community"] and case.status == "reported"
    assert case.description == "支出明细?" and case.reporter_name == "王女士"
    assert case.reporter_phone_masked == "139****5678" and decrypt(case.reporter_phone_cipher) == PHONE
    assert PHONE not in case.reporter_phone_cipher
    assert case.tracking_no and case.public_secret and case_services.case_check_secret(case=case,
                                                                                       secret=case.public_secret)
    assert "第四季度财务公开" in case.title
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["reported"]


def test_category_is_routed_to_the_community():
    from jiayuan.cases.categories import category_get

    category = category_get("disclosure_feedback")
    assert category.routing == "community" and "suggestion" in category.kinds


@pytest.mark.parametrize(("over", "field"), [({"text": " "}, "text"), ({"phone": "12345"}, "phone"),
                                             ({"name": "名" * 65}, "name"), ({"text": "长" * 5001}, "text")])
def test_refused_feedback_writes_nothing(web, publish, over, field):
    item = publish()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.feedback_submit(actor=None, item=item, **{"text": "问题", **over})
    assert field in exc.value.message_dict
    assert counts() == before


def test_feedback_only_on_published_items(web, publish):
    gone = publish()
    services.item_withdraw(actor=web.users["staff"], item=gone, reason="误发")
    gone.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError):
        services.feedback_submit(actor=None, item=gone, text="问题")
    assert counts() == before


def test_link_failure_rolls_back_the_case(web, publish, monkeypatch):
    """One transaction: when the link row cannot be written, the case is not kept either."""
    item = publish()
    before = counts()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DisclosureFeedback.objects, "get_or_create", boom)
    with pytest.raises(RuntimeError):
        services.feedback_submit(actor=None, item=item, text="问题")
    assert counts() == before


def test_idempotency_key_replays(web, publish):
    item = publish()
    first = services.feedback_submit(actor=None, item=item, text="问题", idempotency_key="k1", client_key="a")
    again = services.feedback_submit(actor=None, item=item, text="问题", idempotency_key="k1", client_key="a")
    assert again.pk == first.pk and again.case.replayed and DisclosureFeedback.objects.count() == 1


# -- public pages --------------------------------------------------------------------------------

def test_form_on_public_item_page_with_labels(web, publish):
    item = publish()
    html = web.client("anonymous").get(url(web, item)).content.decode()
    assert 'id="feedback-form"' in html
    for name in ("text", "name", "phone"):
        assert f'<label class="form-label" for="id_{name}">' in html
    assert "placeholder" not in html.split('id="feedback-form"')[1]


def test_send_feedback_shows_tracking_number_and_secret_once(web, publish):
    item = publish()
    client = web.client("anonymous")
    response = send(client, web, item, name="王女士", phone=PHONE)
    assert response.status_code == 302 and response["Location"] == url(web, item, "feedback/done/")
    done = client.get(response["Location"])
    html = done.content.decode()
    case = Case.objects.get()
    assert done.status_code == 200 and case.tracking_no in html
    secret = re.search(r'id="secret">([A-Z0-9]+)<', html).group(1)
    assert case_services.case_check_secret(case=case, secret=secret)
    assert PHONE not in html and "王女士" not in html
    # once: a second visit goes back to the item
    assert client.get(url(web, item, "feedback/done/")).status_code == 302
    # the browser may follow its case on the cases app's page
    assert client.get(f"/report/track/{case.tracking_no}/").status_code == 200
    assert DisclosureFeedback.objects.get().case == case


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "此字段为必填项。"), ("en", "This field is required.")])
def test_empty_text_is_400_in_language(web, publish, language, text):
    item = publish()
    before = counts()
    response = send(web.client("anonymous", language=language), web, item, text="")
    assert response.status_code == 400 and text in response.content.decode()
    assert counts() == before


def test_bad_phone_is_400_with_message(web, publish):
    item = publish()
    before = counts()
    response = send(web.client("anonymous", language="en"), web, item, phone="12345")
    assert response.status_code == 400 and "11-digit mobile" in response.content.decode()
    assert counts() == before


def test_honeypot_is_refused(web, publish):
    item = publish()
    before = counts()
    assert send(web.client("anonymous"), web, item, website="http://spam").status_code == 400
    assert counts() == before


def test_withdrawn_item_takes_no_feedback(web, publish):
    item = publish()
    services.item_withdraw(actor=web.users["staff"], item=item, reason="误发")
    client = web.client("anonymous")
    assert 'id="feedback-form"' not in client.get(url(web, item)).content.decode()
    before = counts()
    assert send(client, web, item).status_code == 400
    assert counts() == before


def test_draft_item_has_no_feedback_url(web):
    from .conftest import data

    draft = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    assert send(web.client("anonymous"), web, draft).status_code == 404


def test_rate_limited_like_the_report_page(web, publish):
    item = publish()
    client = web.client("anonymous")
    for _n in range(5):
        assert send(client, web, item).status_code == 302
    response = send(client, web, item)
    assert response.status_code == 429 and 'id="too-many"' in response.content.decode()
    assert DisclosureFeedback.objects.count() == 5


def test_public_list_shows_state_then_result_never_the_reporter(web, publish):
    item = publish()
    client = web.client("anonymous", language="zh-hans")
    send(client, web, item, name="王秀英", phone=PHONE, text="漏计的600元买了什么?")
    case = Case.objects.get()
    html = client.get(url(web, item)).content.decode()
    section = html.split('id="feedback"')[1]
    assert 'id="feedback-count">1<' in section
    assert "王秀英" not in html and PHONE not in html and "139****5678" not in html
    assert "漏计的600元买了什么" not in html  # the question itself is the reporter's, not posted
    case = case_services.case_transition(actor=web.users["staff"], case=case, action="accept")
    assert "经核查" not in client.get(url(web, item)).content.decode()
    resolve_comment = f"经核查,600元用于购买打印纸,经办人电话{PHONE}。"
    for who, action, data in (("secretary", "assign", {"user": web.users["staff"], "target": "community"}),
                              ("staff", "start", {}), ("staff", "resolve", {"comment": resolve_comment})):
        case = case_services.case_transition(actor=web.users[who], case=case, action=action, **data)
    html = client.get(url(web, item)).content.decode()
    assert "经核查,600元用于购买打印纸" in html and "139****5678" in html and PHONE not in html
    # the board links the item's feedback
    board = client.get(f"/public/{web.places['community'].code}/").content.decode()
    assert f"{url(web, item)}#feedback" in board


def test_rejected_feedback_shows_the_reason(web, publish):
    item = publish()
    feedback = services.feedback_submit(actor=None, item=item, text="问题")
    case_services.case_transition(actor=web.users["staff"], case=feedback.case, action="reject",
                                  comment="该事项已在第三季度公开中答复。")
    assert "该事项已在第三季度公开中答复" in web.client("anonymous").get(url(web, item)).content.decode()


def test_feedback_on_an_earlier_version_shows_on_the_correction(web, publish):
    old = publish(title="第四季度公开")
    services.feedback_submit(actor=None, item=old, text="问题")
    new = services.item_correct(actor=web.users["staff"], item=old, data={}, change_note="更正")
    services.item_approve(actor=web.users["secretary"], item=new)
    services.item_publish(actor=web.users["staff"], item=new)
    html = web.client("anonymous").get(url(web, new)).content.decode()
    assert 'id="feedback-count">1<' in html


def test_result_selector_query_count(web, publish, django_assert_max_num_queries):
    from jiayuan.disclosure import selectors

    item = publish()
    for n in range(4):
        resolve(web, services.feedback_submit(actor=None, item=item, text=f"问题{n}").case)
    with django_assert_max_num_queries(2):
        rows = selectors.public_feedback(item_ids=[item.pk])
    assert [r.state for r in rows] == ["answered"] * 4 and all(r.result for r in rows)


# -- staff page ------------------------------------------------------------------------------------

def test_staff_item_page_lists_feedback_with_case_links(web, publish, other_community):
    item = publish()
    case = services.feedback_submit(actor=None, item=item, text="问题").case
    html = web.client("staff").get(f"/disclosure/{item.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html and case.tracking_no in html
    assert web.client("staff").get(f"/cases/{case.pk}/").status_code == 200
    assert web.client("secretary2").get(f"/disclosure/{item.pk}/").status_code == 404


def test_feedback_category_is_not_offered_on_the_report_forms(web):
    from jiayuan.cases.categories import categories_for, category_label
    from jiayuan.cases.public_forms import public_category_choices

    assert "disclosure_feedback" not in dict(public_category_choices())
    assert "disclosure_feedback" not in {c.code for c in categories_for("suggestion")}
    assert category_label("disclosure_feedback") in ("公开事项意见", "Feedback on a public disclosure")
