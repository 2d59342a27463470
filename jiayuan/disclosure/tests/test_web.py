"""Staff pages: the scoping matrix, the maker-checker walk through the forms, 400 in zh and en."""

import pytest

from jiayuan.disclosure import selectors, services
from jiayuan.disclosure.choices import Status
from jiayuan.disclosure.models import DisclosureItem

from .conftest import counts, data

FORM = {"community": "", "section": "affairs", "timing": "periodic", "kind": "quarterly",
        "title": "第二季度公开", "body": "内容", "publisher": "礼仪社区居民委员会", "expires_on": ""}


@pytest.mark.parametrize(("role", "sees"), [
    ("anonymous", False), ("nobody", False), ("resident", False), ("worker", False), ("staff", True),
    ("secretary", True), ("street", True), ("district", True), ("admin", True), ("secretary2", False),
])
def test_scoping_matrix(web, other_community, role, sees):
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data(title="矩阵项"))
    client = web.client(role)
    listing = client.get("/disclosure/")
    detail = client.get(f"/disclosure/{item.pk}/")
    if role in ("anonymous", "nobody", "resident"):
        assert listing.status_code == 404 and detail.status_code == 404
        return
    assert listing.status_code == 200
    assert ("矩阵项" in listing.content.decode()) is sees
    assert detail.status_code == (200 if sees else 404)
    user = web.users.get(role)
    assert (item in selectors.item_list(user=user)) is sees


@pytest.mark.parametrize(("role", "status"), [("worker", 403), ("street", 403), ("staff", 302), ("secretary", 302)])
def test_new_page_permissions(web, role, status):
    before = counts()
    response = web.client(role).post("/disclosure/new/", {**FORM, "community": web.places["community"].code})
    assert response.status_code == status
    if status == 403:
        assert counts() == before


def test_walk_through_the_pages(web):
    staff, secretary = web.client("staff"), web.client("secretary")
    response = staff.post("/disclosure/new/", {**FORM, "community": web.places["community"].code})
    item = DisclosureItem.objects.get()
    assert response.status_code == 302 and item.created_by == web.users["staff"]
    assert staff.post(f"/disclosure/{item.pk}/edit/", {**FORM, "title": "改后"}).status_code == 302
    # the maker is refused as checker
    assert "Approve" not in staff.get(f"/disclosure/{item.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert staff.post(f"/disclosure/{item.pk}/approve/").status_code == 403
    assert secretary.post(f"/disclosure/{item.pk}/approve/").status_code == 302
    assert staff.post(f"/disclosure/{item.pk}/publish/", {"published_on": ""}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.title == "改后"
    assert staff.post(f"/disclosure/{item.pk}/edit/", {**FORM, "title": "偷改"}).status_code == 400
    response = staff.post(f"/disclosure/{item.pk}/correct/", {**FORM, "title": "改后", "change_note": "更正内容"})
    new = DisclosureItem.objects.get(version=2)
    assert response.status_code == 302 and new.supersedes == item
    assert staff.post(f"/disclosure/{item.pk}/withdraw/", {"reason": "误发"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN
    assert staff.post(f"/disclosure/{item.pk}/nonsense/").status_code == 404


def test_maker_approving_own_draft_is_400_with_reason(web):
    item = services.item_draft(actor=web.users["secretary"], community=web.places["community"], data=data())
    response = web.client("secretary", language="en").post(f"/disclosure/{item.pk}/approve/")
    assert response.status_code == 400 and "maker" in response.content.decode()
    response = web.client("secretary", language="zh-hans").post(f"/disclosure/{item.pk}/approve/")
    assert response.status_code == 400 and "发起人" in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("en", "Give the reason for the withdrawal."),
                                                ("zh-hans", "请填写撤回原因。")])
def test_withdraw_without_reason_400_in_language(web, publish, language, text):
    item = publish()
    response = web.client("staff", language=language).post(f"/disclosure/{item.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert text in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


@pytest.mark.parametrize(("language", "text"), [("en", "This field is required."), ("zh-hans", "此字段为必填项。")])
def test_new_item_400_in_language(web, language, text):
    before = counts()
    response = web.client("staff", language=language).post("/disclosure/new/", {**FORM, "title": ""})
    assert response.status_code == 400 and text in response.content.decode()
    assert counts() == before


def test_list_query_count(web, publish, django_assert_max_num_queries):
    for n in range(5):
        publish(title=f"项{n}")
    client = web.client("secretary")
    client.get("/disclosure/")
    with django_assert_max_num_queries(12):
        assert client.get("/disclosure/").status_code == 200
