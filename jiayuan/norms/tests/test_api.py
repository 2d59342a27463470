"""The rulebook API: the contract of issue 4, scoping (404 beside the user's area), 400 on bad
input in the user's language, overrides only by those who may."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from jiayuan.norms.models import RuleOverride
from jiayuan.norms.rulebook import rulebook

from .test_evaluate import meetings


def api(web, role, language="zh-hans"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(web.users[role])
    return client


@pytest.mark.django_db
def test_rule_list_has_sources_and_quotes(web):
    response = api(web, "staff").get("/api/v1/norms/")
    assert response.status_code == 200
    rules = {r["id"]: r for r in response.json()}
    assert len(rules) == len(rulebook())
    lecture = rules["N-MEET-04"]
    assert lecture["source"] == "002 L93" and lecture["quote"] == "每半年上1次党课"
    assert lecture["kind"] == "frequency"
    assert lecture["parameters"]["period"]["default"] == "half_year"
    assert api(web, "resident").get("/api/v1/norms/").json() == []
    assert APIClient().get("/api/v1/norms/").status_code in (401, 403)


@pytest.mark.django_db
def test_evaluation_contract(web, provide):
    provide("meetings.held", meetings({"branch_committee": [dt.date(2026, 7, 3)]}))
    code = web.places["community"].code
    response = api(web, "secretary").get(f"/api/v1/norms/evaluation/?subject={code}&period=2026-Q3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subject"]["code"] == code and body["period"]["label"] == "2026-Q3"
    entries = {e["rule"]: e for e in body["results"]}
    assert set(entries) == set(rulebook())
    for entry in entries.values():
        assert entry["status"] in {"met", "unmet", "not_due", "not_applicable", "not_evaluable"}
        assert isinstance(entry["evidence"], list) and entry["explanation"]
    meeting = entries["N-MEET-01"]
    assert meeting["evidence"][0]["url"] == "/meetings/2026-07-03"
    assert sum(body["counts"].values()) == len(entries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [("secretary", 200), ("staff", 200), ("street", 200), ("district", 200), ("admin", 200),
     ("worker", 404), ("resident", 404), ("nobody", 404), ("secretary2", 404)],
)
def test_evaluation_is_scoped(web, other_community, role, status):
    code = web.places["community"].code
    response = api(web, role).get(f"/api/v1/norms/evaluation/?subject={code}&period=2026-Q3")
    assert response.status_code == status


@pytest.mark.django_db
def test_evaluation_bad_input_is_400_in_the_users_language(web):
    code = web.places["community"].code
    zh = api(web, "secretary").get(f"/api/v1/norms/evaluation/?subject={code}&period=2026-Q9")
    assert zh.status_code == 400 and "2026-Q3" in zh.json()["period"][0]
    en = api(web, "secretary", "en").get(f"/api/v1/norms/evaluation/?subject={code}&period=Q9")
    assert en.status_code == 400 and "Write the period" in en.json()["period"][0]
    assert api(web, "secretary").get("/api/v1/norms/evaluation/?subject=../../etc").status_code == 400


@pytest.mark.django_db
def test_evaluation_defaults_to_own_place_and_this_quarter(web):
    body = api(web, "secretary").get("/api/v1/norms/evaluation/").json()
    assert body["subject"]["code"] == web.places["community"].code
    assert body["period"]["label"].count("-Q") == 1


@pytest.mark.django_db
def test_obligations_endpoint(web, provide):
    provide("meetings.held", meetings({}))
    code = web.places["community"].code
    body = api(web, "secretary").get(f"/api/v1/norms/obligations/?subject={code}&period=2026-Q3").json()
    monthly = [o for o in body["obligations"] if o["rule"] == "N-MEET-01"]
    assert [o["window"] for o in monthly] == ["2026-07", "2026-08", "2026-09"]
    assert [o["due"] for o in monthly] == ["2026-07-31", "2026-08-31", "2026-09-30"]


@pytest.mark.django_db
def test_override_write_permissions_and_audit(web, other_community):
    community = web.places["community"].code
    payload = {"rule_id": "N-MEET-04", "parameter": "period", "place": community, "value": "year", "reason": "区委文件"}
    assert api(web, "staff").post("/api/v1/norms/overrides/", payload, format="json").status_code == 403
    assert api(web, "secretary2").post("/api/v1/norms/overrides/", payload, format="json").status_code == 403
    street_payload = {**payload, "place": web.places["street"].code}
    assert api(web, "secretary").post("/api/v1/norms/overrides/", street_payload, format="json").status_code == 403
    assert RuleOverride.objects.count() == 0
    bad = api(web, "secretary").post("/api/v1/norms/overrides/", {**payload, "value": "fortnight"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()
    no_reason = api(web, "secretary").post("/api/v1/norms/overrides/", {**payload, "reason": " "}, format="json")
    assert no_reason.status_code == 400
    unknown = api(web, "secretary").post("/api/v1/norms/overrides/", {**payload, "parameter": "x"}, format="json")
    assert unknown.status_code == 400
    assert RuleOverride.objects.count() == 0

    created = api(web, "secretary").post("/api/v1/norms/overrides/", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["set_by"] and body["set_at"] and body["value"] == "year"
    entry = LogEntry.objects.get_for_object(RuleOverride.objects.get()).get()
    assert entry.actor == web.users["secretary"]
    # the street sees the community's override, the other community does not
    assert len(api(web, "street").get("/api/v1/norms/overrides/").json()["results"]) == 1
    assert api(web, "secretary2").get("/api/v1/norms/overrides/").json()["results"] == []
    assert api(web, "secretary2").delete(f"/api/v1/norms/overrides/{body['id']}/").status_code == 404
    assert api(web, "secretary").delete(f"/api/v1/norms/overrides/{body['id']}/").status_code == 204
    assert RuleOverride.objects.count() == 0
    assert LogEntry.objects.filter(action=LogEntry.Action.DELETE).exists()


@pytest.mark.django_db
def test_decimal_override_round_trips(web):
    payload = {"rule_id": "N-STD-08b", "parameter": "rate", "place": web.places["community"].code,
               "value": "25.5", "reason": "省定标准"}
    response = api(web, "secretary").post("/api/v1/norms/overrides/", payload, format="json")
    assert response.status_code == 201
    code = web.places["community"].code
    entry = next(e for e in api(web, "secretary").get(f"/api/v1/norms/evaluation/?subject={code}").json()["results"]
                 if e["rule"] == "N-STD-08b")
    assert entry["parameters"]["rate"] == {"value": "25.5", "default": "20", "overridden_at": code}
