"""The board's band (公开承诺 · 评议结果 · 离任审计 · 光荣榜, issue 7) and departure audits (002 L179)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiayuan.disclosure import selectors, services
from jiayuan.disclosure.demo import build_disclosures
from jiayuan.disclosure.models import DisclosureFeedback, DisclosureItem

from .conftest import counts, data

AUDIT = {"kind": "departure_audit", "section": "finance", "title": "离任审计结果公示", "cadre_post": "原居委会主任",
         "audit_from": dt.date(2022, 1, 1), "audit_to": dt.date(2025, 12, 31)}


def test_departure_audit_needs_post_and_period(web):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_draft(actor=web.users["staff"], community=web.places["community"],
                            data=data(kind="departure_audit"))
    assert {"cadre_post", "audit_from", "audit_to"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.item_draft(actor=web.users["staff"], community=web.places["community"],
                            data=data(**{**AUDIT, "audit_from": dt.date(2026, 1, 1)}))
    assert "audit_to" in exc.value.message_dict
    assert counts() == before
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data(**AUDIT))
    assert item.cadre_post == "原居委会主任" and item.audit_to == dt.date(2025, 12, 31)


def test_other_kinds_carry_no_audit_fields(web):
    with pytest.raises(ValidationError) as exc:
        services.item_draft(actor=web.users["staff"], community=web.places["community"],
                            data=data(cadre_post="主任"))
    assert "cadre_post" in exc.value.message_dict
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    assert item.cadre_post == "" and item.audit_from is None


def test_staff_form_asks_for_the_audit_fields(web):
    client = web.client("staff", language="zh-hans")
    html = client.get("/disclosure/new/").content.decode()
    assert 'id="audit-fields"' in html and 'for="id_cadre_post"' in html and 'for="id_audit_from"' in html
    form = {"community": web.places["community"].code, "section": "finance", "timing": "periodic",
            "kind": "departure_audit", "title": "离任审计", "body": "审计结论……", "publisher": "礼仪社区居委会",
            "expires_on": "", "cadre_post": "", "audit_from": "", "audit_to": ""}
    before = counts()
    response = client.post("/disclosure/new/", form)
    assert response.status_code == 400 and "审计期间" in response.content.decode()
    assert counts() == before
    response = client.post("/disclosure/new/", {**form, "cadre_post": "原居委会主任", "audit_from": "2022-01-01",
                                                "audit_to": "2025-12-31"})
    assert response.status_code == 302
    item = DisclosureItem.objects.get()
    assert item.audit_from == dt.date(2022, 1, 1)
    assert "原居委会主任" in client.get(f"/disclosure/{item.pk}/").content.decode()


def test_band_groups_the_four_kinds_only_when_present(web, publish):
    code = web.places["community"].code
    publish(title="普通季度公开")
    html = web.client("anonymous").get(f"/public/{code}/").content.decode()
    assert 'id="band"' not in html
    audit = publish(**AUDIT)
    roll = publish(kind="honour_roll", section="party_affairs", title="创先争优光荣榜")
    pledge = publish(kind="commitment", section="party_affairs", title="年度公开承诺")
    resolution = publish(kind="resolution", section="affairs", title="决议公告")
    sections, band = selectors.public_columns(community=web.places["community"])
    assert [k for k, _label, _items in band] == ["commitment", "departure_audit", "honour_roll"]
    in_sections = {i.pk for _c, _l, items in sections for i in items}
    assert {audit.pk, roll.pk, pledge.pk}.isdisjoint(in_sections) and resolution.pk in in_sections
    html = web.client("anonymous", language="zh-hans").get(f"/public/{code}/").content.decode()
    band_html = html.split('id="band"')[1].split('id="history"')[0]
    assert "公开承诺 · 评议结果 · 离任审计 · 光荣榜" in html
    assert "离任审计结果公示" in band_html and "原居委会主任" in band_html and "2022-01-01" in band_html
    assert "创先争优光荣榜" in band_html and "年度公开承诺" in band_html and "决议公告" not in band_html
    assert "财务" in band_html  # the card names its section


def test_departure_audit_page_pdf_and_text(web, publish):
    from .test_public import _pdf_text

    item = publish(**AUDIT)
    base = f"/public/{web.places['community'].code}/items/{item.pk}/"
    client = web.client("anonymous")
    assert "原居委会主任" in client.get(base).content.decode()
    txt = client.get(base + "notice.txt").content.decode()
    assert "被审计干部职务:原居委会主任" in txt and "2022年01月01日至2025年12月31日" in txt
    assert "原居委会主任" in _pdf_text(client.get(base + "notice.pdf").content)


def test_board_query_count(web, publish, django_assert_max_num_queries):
    for n in range(3):
        publish(title=f"项{n}")
        publish(**{**AUDIT, "title": f"审计{n}"})
    client = web.client("anonymous")
    code = web.places["community"].code
    client.get(f"/public/{code}/")
    with django_assert_max_num_queries(8):
        assert client.get(f"/public/{code}/").status_code == 200


def test_demo_band_and_resolved_feedback(web):
    counts_ = build_disclosures()
    assert counts_["quarterly"] == 3 and counts_["feedback"] == 1
    assert build_disclosures() == counts_  # idempotent
    community = web.places["community"]
    _sections, band = selectors.public_columns(community=community)
    assert {k for k, _l, _i in band} == {"commitment", "departure_audit", "honour_roll"}
    feedback = DisclosureFeedback.objects.get()
    assert feedback.case.status == "resolved" and feedback.item.version == 2
    html = web.client("anonymous").get(f"/public/{community.code}/items/{feedback.item_id}/").content.decode()
    assert "打印纸和硒鼓" in html and "王女士" not in html and "13985001234" not in html
