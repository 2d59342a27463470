import pytest

from jiayuan.disclosure import services

from .conftest import PHONE, data


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(("role", "sees_draft"), [("staff", True), ("street", True), ("secretary2", False),
                                                  ("resident", False), ("anonymous", False)])
def test_api_scoping(web, other_community, publish, role, sees_draft):
    code = web.places["community"].code
    published = publish(body=f"电话{PHONE}")
    draft = services.item_draft(actor=web.users["staff"], community=web.places["community"], data=data())
    client = web.client(role)
    staff_view = client.get("/api/v1/disclosures/")
    assert staff_view.status_code == 200
    public_view = client.get(f"/api/v1/disclosures/?community={code}")
    ids = _ids(public_view)
    assert (draft.pk in ids) is sees_draft
    if role in ("resident", "anonymous"):
        assert _ids(staff_view) == []
        assert ids == [published.pk]
        assert PHONE not in public_view.content.decode()
    elif role == "secretary2":
        assert ids == [] and _ids(staff_view) == []
    else:
        assert published.pk in ids


def test_api_is_read_only(web):
    assert web.client("staff").post("/api/v1/disclosures/", {}).status_code == 405
