import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiayuan.disclosure import services
from jiayuan.disclosure.choices import Status
from jiayuan.disclosure.models import DisclosureItem

from .conftest import counts, data


def test_maker_checker_walk(web, publish):
    item = publish(title="公开一")
    assert item.status == Status.PUBLISHED
    assert item.created_by == web.users["staff"] and item.approved_by == web.users["secretary"]
    assert item.territory_code == web.places["community"].code


@pytest.mark.parametrize("role", ["staff", "secretary", "admin"])
def test_writers_may_draft(web, role):
    item = services.item_draft(actor=web.users[role], community=web.places["community"], data=data())
    assert item.status == Status.DRAFT and item.version == 1


@pytest.mark.parametrize("role", ["resident", "nobody", "worker", "street", "district"])
def test_others_may_not_draft(web, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.item_draft(actor=web.users[role], community=web.places["community"], data=data())
    assert counts() == before


def test_maker_cannot_approve(web):
    item = services.item_draft(actor=web.users["secretary"], community=web.places["community"], data=data())
    with pytest.raises(ValidationError, match="maker|发起人"):
        services.item_approve(actor=web.users["secretary"], item=item)
    item.refresh_from_db()
    assert item.status == Status.DRAFT and item.approved_by is None


@pytest.mark.parametrize("role", ["street", "district", "secretary", "admin"])
def test_approvers(web, role):
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    assert services.item_approve(actor=web.users[role], item=item).status == Status.APPROVED


@pytest.mark.parametrize("role", ["staff", "resident", "worker"])
def test_non_approvers(web, role):
    item = services.item_draft(actor=web.users["admin"], community=web.places["community"], data=data())
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=web.users[role], item=item)


def test_other_community_secretary_refused(web, other_community):
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    with pytest.raises(PermissionDenied):
        services.item_approve(actor=web.users["secretary2"], item=item)
    with pytest.raises(PermissionDenied):
        services.item_update(actor=web.users["secretary2"], item=item, data={"title": "x"})


def test_publish_needs_approval_and_no_future_date(web):
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    with pytest.raises(ValidationError):
        services.item_publish(actor=web.users["staff"], item=item)
    services.item_approve(actor=web.users["secretary"], item=item)
    with pytest.raises(ValidationError) as exc:
        services.item_publish(actor=web.users["staff"], item=item, published_on=dt.date.today() + dt.timedelta(days=3))
    assert "published_on" in exc.value.message_dict


def test_draft_validation_reports_every_field(web):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.item_draft(actor=web.users["staff"], community=web.places["community"],
                            data=data(title="", body=" ", section="nope"))
    assert {"title", "body", "section"} <= set(exc.value.message_dict)
    assert counts() == before


def test_update_only_drafts(web, publish):
    item = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    item = services.item_update(actor=web.users["staff"], item=item, data={"title": "改过的标题"})
    assert item.title == "改过的标题"
    published = publish()
    with pytest.raises(ValidationError, match="draft|草稿"):
        services.item_update(actor=web.users["staff"], item=published, data={"title": "偷改"})
    published.refresh_from_db()
    assert published.title != "偷改"


def test_published_item_immutable_in_model(publish):
    item = DisclosureItem.objects.get(pk=publish().pk)
    item.body = "偷偷改"
    with pytest.raises(ValidationError):
        item.save()
    with pytest.raises(ValidationError):
        item.save(update_fields=["body"])
    assert DisclosureItem.objects.get(pk=item.pk).body != "偷偷改"


def test_correction_is_new_version(web, publish):
    old = publish(body="支出88,300元")
    new = services.item_correct(actor=web.users["staff"], item=old, data={"body": "支出88,900元"},
                                change_note="更正支出金额")
    assert new.version == 2 and new.supersedes == old and new.status == Status.DRAFT
    old.refresh_from_db()
    assert old.body == "支出88,300元" and old.status == Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.item_correct(actor=web.users["staff"], item=old, data={}, change_note="again")
    with pytest.raises(ValidationError) as exc:
        services.item_correct(actor=web.users["staff"], item=new, data={}, change_note="")
    assert "change_note" in exc.value.message_dict or "__all__" in exc.value.message_dict


def test_withdraw_needs_reason_and_keeps_it(web, publish):
    item = publish()
    with pytest.raises(ValidationError) as exc:
        services.item_withdraw(actor=web.users["staff"], item=item, reason=" ")
    assert "reason" in exc.value.message_dict
    item = services.item_withdraw(actor=web.users["staff"], item=item, reason="误发")
    assert item.status == Status.WITHDRAWN and item.withdrawn_reason == "误发" and item.withdrawn_on
    with pytest.raises(ValidationError):
        services.item_withdraw(actor=web.users["staff"], item=item, reason="again")
    with pytest.raises(PermissionDenied):
        services.item_withdraw(actor=web.users["street"], item=publish(), reason="x")
