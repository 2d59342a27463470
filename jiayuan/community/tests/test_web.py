"""The register page: permission matrix, forms with their errors (HTTP 400), the cost of the
page, the navigation link."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiayuan.community import services
from jiayuan.community.models import FundAllocation, MemberResidentServiceCenter, TwoCommitteesSeat
from jiayuan.core.tests.web_world import A_NUMBER, B_NUMBER

from .conftest import Y, register_counts

ROLES = ["anonymous", "resident", "nobody", "worker", "street", "district", "other_staff", "staff", "secretary", "admin"]
LOGIN = 302
# Readers: the community's people and those above it. A grid worker's area is one grid below
# the community, so its registers are outside it: 404, as for any record outside one's area.
READ = [LOGIN, 404, 404, 404, 200, 200, 404, 200, 200, 200]
# Writers: community staff, secretary, admin. Street and district staff read but get 403.
WRITE_DENIED = {"anonymous": LOGIN, "resident": 404, "nobody": 404, "worker": 404, "street": 403, "district": 403,
                "other_staff": 404}


def url(w, suffix=""):
    return f"/community/{w.places['community'].code}/{suffix}"


def test_get_matrix(web, registers):
    pages = {
        "page": url(web),
        "funds.xlsx": url(web, "funds.xlsx"),
        "seats.xlsx": url(web, "seats.xlsx"),
        "centre.xlsx": url(web, "centre.xlsx"),
    }
    for name, address in pages.items():
        got = [web.client(role).get(address).status_code for role in ROLES]
        assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, READ, strict=True)), name
    writer_pages = {
        "import": url(web, "seats/import/"),
        "seat edit": url(web, f"seats/{registers['member'].pk}/edit/"),
    }
    expected = [WRITE_DENIED.get(role, 200) for role in ROLES]
    for name, address in writer_pages.items():
        got = [web.client(role).get(address).status_code for role in ROLES]
        assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True)), name


def test_anonymous_goes_to_sign_in(web):
    response = web.client("anonymous").get(url(web))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_unknown_or_non_community_code_is_404(web):
    assert web.client("admin").get("/community/999999999999/").status_code == 404
    assert web.client("admin").get(f"/community/{web.grid_a.code}/").status_code == 404


def _posts(w, regs):
    return {
        "centre": (url(w, "centre/"), {"centre-name": "中心", "centre-area_m2": "200"}),
        "allocation": (url(w, "funds/"), {"fund-fund": "livelihood_fund", "fund-year": str(Y), "fund-amount": "5000",
                                          "fund-received_on": f"{Y}-08-01"}),
        "reverse": (url(w, f"funds/{regs['operating'].pk}/reverse/"), {"reason": "录错"}),
        "seat": (url(w, "seats/"), {"seat-committee": "residents_committee", "seat-post": "member",
                                    "seat-full_name": "新委员", "seat-birth_date": "1990-01-01",
                                    "seat-started_on": f"{Y}-03-01"}),
        "seat edit": (url(w, f"seats/{regs['member'].pk}/edit/"), {
            "seat-committee": "residents_committee", "seat-post": "deputy_director", "seat-full_name": "李四",
            "seat-birth_date": "1980-01-01", "seat-started_on": f"{Y - 1}-01-10"}),
        "seat end": (url(w, f"seats/{regs['deputy'].pk}/end/"), {"end-ended_on": f"{Y}-12-01"}),
    }


@pytest.mark.parametrize("role", list(WRITE_DENIED))
def test_denied_writes_change_nothing(web, registers, role):
    client = web.client(role)
    for action, (address, data) in _posts(web, registers).items():
        before = register_counts()
        response = client.post(address, data)
        assert response.status_code == WRITE_DENIED[role], (action, role)
        assert register_counts() == before, action
    registers["member"].refresh_from_db()
    assert registers["member"].post == "member" and not TwoCommitteesSeat.objects.filter(full_name="新委员").exists()


@pytest.mark.parametrize("role", ["staff", "secretary", "admin"])
def test_allowed_writes(web, registers, role):
    client = web.client(role)
    for action, (address, data) in _posts(web, registers).items():
        response = client.post(address, data)
        assert response.status_code == 302, (action, response.content.decode()[:3000])
        assert f"/community/{web.places['community'].code}/#" in response["Location"]
    assert MemberResidentServiceCenter.objects.get().area_m2 == Decimal("200")
    assert FundAllocation.objects.filter(reverses=registers["operating"]).exists()
    assert FundAllocation.objects.filter(fund="livelihood_fund", amount=Decimal("5000")).exists()
    assert TwoCommitteesSeat.objects.filter(full_name="新委员", created_by=web.users[role]).exists()
    registers["member"].refresh_from_db()
    registers["deputy"].refresh_from_db()
    assert registers["member"].post == "deputy_director" and registers["deputy"].ended_on == dt.date(Y, 12, 1)


def test_bad_input_rerenders_with_400_and_messages_next_to_fields(web, registers):
    client = web.client("staff")
    before = register_counts()
    cases = [
        (url(web, "centre/"), {"centre-name": "中心", "centre-area_m2": "0"}, "centre_form", "area_m2"),
        (url(web, "funds/"), {"fund-fund": "operating_fund", "fund-year": str(Y), "fund-amount": "10",
                              "fund-received_on": f"{Y - 1}-12-31"}, "allocation_form", "received_on"),
        (url(web, "seats/"), {"seat-committee": "community_party_org", "seat-post": "director", "seat-full_name": "某",
                              "seat-birth_date": "1990-01-01", "seat-started_on": f"{Y}-01-01"}, "seat_form", "post"),
        (url(web, "seats/"), {"seat-committee": "residents_committee", "seat-post": "member", "seat-full_name": "某",
                              "seat-birth_date": "1990-01-01", "seat-started_on": f"{Y}-05-01",
                              "seat-ended_on": f"{Y}-01-01"}, "seat_form", "ended_on"),
        (url(web, "seats/"), {"seat-committee": "residents_committee", "seat-post": "member",
                              "seat-resident_id_number": "110101199003070000", "seat-started_on": f"{Y}-05-01"},
         "seat_form", "resident_id_number"),
        (url(web, f"funds/{registers['reversal'].pk}/reverse/"), {"reason": "再冲"}, "reverse_form", None),
        (url(web, f"funds/{registers['right'].pk}/reverse/"), {"reason": ""}, "reverse_form", "reason"),
    ]
    for address, data, form_name, field in cases:
        response = client.post(address, data)
        assert response.status_code == 400, address
        form = response.context[form_name]
        assert form.errors, address
        if field:
            assert field in form.errors, (field, form.errors)
            assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert register_counts() == before
    # the edit page and the end form re-render too
    seat = registers["member"]
    response = client.post(url(web, f"seats/{seat.pk}/end/"), {"end-ended_on": f"{Y - 5}-01-01"})
    assert response.status_code == 400 and "ended_on" in response.context["end_form"].errors
    assert register_counts() == before


def test_seat_linked_by_identity_number(web, registers):
    response = web.client("staff").post(url(web, "seats/"), {
        "seat-committee": "residents_committee", "seat-post": "member", "seat-resident_id_number": A_NUMBER,
        "seat-started_on": f"{Y}-05-01"})
    assert response.status_code == 400  # 张建国 is already the director: one seat per committee at a time
    assert "full_name" in response.context["seat_form"].errors
    b = web.resident_b
    response = web.client("staff").post(url(web, "seats/"), {
        "seat-committee": "residents_committee", "seat-post": "member", "seat-started_on": f"{Y}-05-01",
        "seat-resident_id_number": B_NUMBER})
    assert response.status_code == 302
    seat = TwoCommitteesSeat.objects.get(resident=b)
    assert (seat.full_name, seat.birth_date) == (b.name, b.birth_date)


def test_page_shows_the_three_registers(web, registers):
    response = web.client("street").get(url(web))
    html = response.content.decode()
    for anchor in ('id="centre"', 'id="funds"', 'id="seats"', f'id="allocation-{registers["wrong"].pk}"',
                   f'id="seat-{registers["deputy"].pk}"', f'id="seat-{registers["former"].pk}"'):
        assert anchor in html
    assert response.context["roster"]["persons"] == 3
    assert "<form" not in html.split('id="centre"')[1].split("</section>")[0]  # a reader gets no forms
    table = response.context["fund_table"]
    assert table[0]["year"] == Y and table[0]["total"] == Decimal("220.00")  # 100 + 90 - 90 + 120
    assert web.client("staff").get(url(web)).context["can_write"] is True


def _add_rows(web, n: int) -> None:
    community, actor = web.places["community"], web.users["admin"]
    for i in range(n):
        row = services.allocation_record(actor=actor, community=community, fund="operating_fund", year=Y,
                                         amount=Decimal(10 + i), received_on=dt.date(Y, 1, 1 + i))
        if i % 2:
            services.allocation_reverse(actor=actor, allocation=row, reason="测试")
        services.seat_create(actor=actor, community=community, committee="residents_committee", post="member",
                             full_name=f"委员{i}", birth_date=dt.date(1980, 1, 1 + i), started_on=dt.date(Y, 1, 1),
                             resident=None)


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "street"])
def test_query_count_does_not_grow_with_the_registers(web, other_community, role):
    client = web.client(role)
    client.get(url(web))  # warm the session and content types
    _add_rows(web, 2)
    two = _queries(client, url(web))
    TwoCommitteesSeat.objects.all().delete()
    FundAllocation.objects.filter(reverses__isnull=False).delete()
    FundAllocation.objects.all().delete()
    _add_rows(web, 10)
    ten = _queries(client, url(web))
    assert len(client.get(url(web)).context["roster"]["current"]) == 10
    assert two == ten


@pytest.mark.parametrize("role, expected", [
    ("staff", "/community/520371001001/"), ("secretary", "/community/520371001001/"),
    ("street", "/places/"), ("admin", "/places/"), ("worker", None),
])
def test_navigation_link(web, role, expected):
    html = web.client(role).get("/").content.decode()
    if expected is None:
        assert "/community/" not in html
    else:
        assert f'href="{expected}"' in html
