"""Permission matrix of the resident and household pages (architecture.md §4.6).

Rows: anonymous / resident (their own household) / worker of another grid / worker of this
grid / community staff / admin. Outside the user's area a page is 404, never 403; a refused
write changes nothing: no row, no move, no audit entry.
"""

import pytest

from jiayuan.core.tests.web_world import A_NUMBER, NEW_NUMBER, _fast_web_tests, registry_counts, web  # noqa: F401

ROLES = ["anonymous", "resident", "other_worker", "worker", "staff", "admin"]
LOGIN = 302

GET_CASES = {
    "resident detail": (lambda w: f"/residents/{w.resident_a.pk}/", [LOGIN, 200, 404, 200, 200, 200]),
    "household detail": (lambda w: f"/households/{w.household_a.pk}/", [LOGIN, 200, 404, 200, 200, 200]),
    "resident edit": (lambda w: f"/residents/{w.resident_a.pk}/edit/", [LOGIN, 403, 404, 200, 200, 200]),
    "resident move": (lambda w: f"/residents/{w.resident_a.pk}/move/", [LOGIN, 403, 404, 200, 200, 200]),
    "resident create": (lambda w: "/residents/new/", [LOGIN, 403, 200, 200, 200, 200]),
    "resident list": (lambda w: "/residents/", [LOGIN, 200, 200, 200, 200, 200]),
    "reveal is POST only": (lambda w: f"/residents/{w.resident_a.pk}/reveal/", [LOGIN, 405, 405, 405, 405, 405]),
}


@pytest.mark.parametrize("case", GET_CASES)
def test_get_matrix(web, case):
    """One world per page, every role against it (a world per cell would make the run slow)."""
    url, expected = GET_CASES[case]
    got = [web.client(role).get(url(web)).status_code for role in ROLES]
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True))


def test_list_excludes_other_grids(web):
    names = {r.name for r, _tags in web.client("other_worker").get("/residents/").context["rows"]}
    assert names == {"李秀英"}
    names = {r.name for r, _tags in web.client("worker").get("/residents/").context["rows"]}
    assert names == {"张建国", "张小红"}
    names = {r.name for r, _tags in web.client("resident").get("/residents/").context["rows"]}
    assert names == {"张建国", "张小红"}


def _post_cases(w):
    return {
        "create": ("/residents/new/", {
            "name": "王小明", "id_number": NEW_NUMBER, "household": w.household_a.pk, "relation_to_head": "20",
        }),
        "edit": (f"/residents/{w.resident_a.pk}/edit/", {"name": "改名", "ethnicity": "03"}),
        "reveal": (f"/residents/{w.resident_a.pk}/reveal/", {"field": "id_number", "purpose": "核对身份"}),
        "move": (f"/residents/{w.resident_a.pk}/move/", {"kind": "move_out", "reason": "搬走"}),
    }


# Expected status of each denied POST: resident (visible, not allowed) 403 or, for create, 403;
# worker of another grid: 404 for someone else's record, 400 for create (the household is not a choice).
DENIED = {
    ("resident", "create"): 403, ("resident", "edit"): 403, ("resident", "reveal"): 403, ("resident", "move"): 403,
    ("other_worker", "create"): 400, ("other_worker", "edit"): 404, ("other_worker", "reveal"): 404,
    ("other_worker", "move"): 404,
    ("anonymous", "create"): LOGIN, ("anonymous", "edit"): LOGIN, ("anonymous", "reveal"): LOGIN,
    ("anonymous", "move"): LOGIN,
}


@pytest.mark.parametrize("role", ["anonymous", "resident", "other_worker"])
def test_denied_posts_change_nothing(web, role):
    client = web.client(role)
    for action, (url, data) in _post_cases(web).items():
        before = registry_counts()
        response = client.post(url, data)
        assert response.status_code == DENIED[(role, action)], action
        assert registry_counts() == before, action
        web.resident_a.refresh_from_db()
        assert web.resident_a.name == "张建国" and web.resident_a.status == "active", action
        assert A_NUMBER not in response.content.decode(), action


@pytest.mark.parametrize("role", ["worker", "staff", "admin"])
def test_allowed_posts(web, role):
    client = web.client(role)
    cases = _post_cases(web)
    assert client.post(*cases["reveal"]).status_code == 200
    assert client.post(*cases["edit"]).status_code == 302
    assert client.post(*cases["create"]).status_code == 302
    assert client.post(*cases["move"]).status_code == 302
    web.resident_a.refresh_from_db()
    assert web.resident_a.name == "改名" and web.resident_a.status == "moved_out"
