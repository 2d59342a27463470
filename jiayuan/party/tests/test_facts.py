"""The rulebook's Party facts, against the real database, for a community and for one
organization as the subject (``?subject=P…``)."""

from __future__ import annotations

import datetime as dt

from jiayuan.norms import periods
from jiayuan.norms.evaluate import evaluate
from jiayuan.norms.facts import Subject, Window, provider_for, resolve_subject
from jiayuan.party import services

from .conftest import Y

YEAR = Window(dt.date(Y, 1, 1), dt.date(Y, 12, 31), str(Y))


def _facts(name, subject, window=YEAR, **ctx):
    return provider_for(name)(subject, window, ctx)


def test_organizations_and_the_community_org(web, party):
    community = Subject.for_place(web.places["community"])
    own = _facts("party.organizations", community, org_type="community_party_org")
    assert [e.label for e in own.items] == ["礼仪社区党总支"] and own.values["count"] == 1
    assert _facts("party.organizations", community, org_type="grand_party_committee").values["count"] == 0


def test_election_fact_and_term_rule(web, party, django_assert_max_num_queries):
    community = Subject.for_place(web.places["community"])
    assert _facts("party.election", community).values == {"elected_on": None}
    services.election_record(actor=web.users["secretary"], organization=party.general, held_on=dt.date(Y, 3, 1))
    with django_assert_max_num_queries(1):
        facts = _facts("party.election", community)
    assert facts.values["elected_on"] == dt.date(Y, 3, 1) and facts.items[0].url.endswith("#elections")
    [result] = evaluate(community, periods.parse_period(str(Y)), rule_ids=["N-ORG-03"])
    assert result.status == "met"


def test_recruitment_and_without_post(web, party):
    actor = web.users["secretary"]
    a = services.applicant_create(actor=actor, organization=party.branch, full_name="陈思远", applied_on=dt.date(Y, 1, 5))
    a = services.applicant_record(actor=actor, applicant=a, talked_on=dt.date(Y, 1, 20))
    services.recruitment_advance(actor=actor, applicant=a, stage="activist", on=dt.date(Y, 2, 1))
    community = Subject.for_place(web.places["community"])
    assert _facts("party.recruitment", community, stage="activist").values["count"] == 1
    assert _facts("party.recruitment", community, stage="development_candidate").values["count"] == 0
    wp = _facts("party.members_without_post", community)
    assert wp.values == {"members": 1, "without_post": 1}
    post = services.post_design(actor=actor, organization=party.general, title="楼栋长", on=dt.date(Y, 3, 1))
    services.post_advance(actor=actor, post=post, stage="claimed", on=dt.date(Y, 3, 2), member=party.members[2])
    assert _facts("party.members_without_post", community).values == {"members": 1, "without_post": 0}


def test_an_organization_as_subject_narrows_the_facts(web, party):
    subject = resolve_subject(party.branch.code)
    assert subject.kind == "community" and subject.obj == party.branch and subject.place == web.places["community"]
    assert resolve_subject("P999999999999999") is None and resolve_subject("abc") is None
    actor = web.users["secretary"]
    a = services.applicant_create(actor=actor, organization=party.general, full_name="某", applied_on=dt.date(Y, 1, 5))
    a = services.applicant_record(actor=actor, applicant=a, talked_on=dt.date(Y, 1, 20))
    services.recruitment_advance(actor=actor, applicant=a, stage="activist", on=dt.date(Y, 2, 1))
    assert _facts("party.recruitment", resolve_subject(party.general.code), stage="activist").values["count"] == 1
    assert _facts("party.recruitment", subject, stage="activist").values["count"] == 0


def test_evaluation_api_accepts_an_organization_code(web, party):
    response = web.client("secretary").get("/api/v1/norms/evaluation/", {"subject": party.general.code, "period": str(Y)})
    assert response.status_code == 200, response.content
    by_rule = {r["rule"]: r for r in response.json()["results"]}
    assert by_rule["N-ORG-01"]["status"] == "met"
    assert web.client("secretary2").get("/api/v1/norms/evaluation/",
                                        {"subject": party.general.code, "period": str(Y)}).status_code == 404


def test_transfers_fact(web, party):
    t = services.transfer_request(actor=web.users["secretary"], member=party.members[1], to_org=party.general,
                                  requested_on=dt.date(Y, 5, 1))
    services.transfer_receive(actor=web.users["secretary"], transfer=t, received_on=dt.date(Y, 5, 3))
    facts = _facts("party.transfers", Subject.for_place(web.places["community"]))
    assert [(e.start, e.done) for e in facts.items] == [(dt.date(Y, 5, 1), dt.date(Y, 5, 3))]
