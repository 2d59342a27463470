"""``disclosure.items`` and rule N-STD-17a (quarterly disclosure, 003 L329) against the database."""

import datetime as dt

from django.utils import timezone

from jiayuan.disclosure import services
from jiayuan.disclosure.demo import build_disclosures
from jiayuan.disclosure.models import DisclosureItem
from jiayuan.norms import periods
from jiayuan.norms.evaluate import evaluate
from jiayuan.norms.facts import Subject, Window, provider_for

Y = timezone.localdate().year - 1


def test_items_counts_published_first_versions_of_the_kind(web, publish, django_assert_max_num_queries):
    subject = Subject.for_place(web.places["community"])
    q1 = publish(on=dt.date(Y, 3, 20))
    publish(on=dt.date(Y, 3, 21), kind="notice")
    gone = publish(on=dt.date(Y, 3, 22))
    services.item_withdraw(actor=web.users["staff"], item=gone, reason="误发")
    fix = services.item_correct(actor=web.users["staff"], item=q1, data={}, change_note="更正")
    services.item_approve(actor=web.users["secretary"], item=fix)
    services.item_publish(actor=web.users["staff"], item=fix, published_on=dt.date(Y, 3, 25))
    window = Window(dt.date(Y, 1, 1), dt.date(Y, 3, 31), f"{Y}-Q1")
    with django_assert_max_num_queries(1):
        facts = provider_for("disclosure.items")(subject, window, {"disclosure": "quarterly"})
    assert [e.date for e in facts.items] == [dt.date(Y, 3, 20)]
    assert facts.items[0].url == f"/public/{web.places['community'].code}/items/{q1.pk}/"
    street = Subject.for_place(web.places["street"])
    assert len(provider_for("disclosure.items")(street, window, {"disclosure": "quarterly"}).items) == 1


def test_demo_year_reports_the_missing_quarter(web):
    counts = build_disclosures()
    assert counts["quarterly"] == 3 and counts["withdrawn"] == 1
    assert build_disclosures() == counts  # idempotent
    assert DisclosureItem.objects.filter(version=2).count() == 1
    [result] = evaluate(Subject.for_place(web.places["community"]), periods.parse_period(str(Y)),
                        rule_ids=["N-STD-17a"])
    assert result.status != "not_evaluable"
    by_label = {w.label: w.status for w in result.windows}
    assert by_label[f"{Y}-Q3"] == "unmet", by_label
    assert by_label[f"{Y}-Q1"] == by_label[f"{Y}-Q2"] == by_label[f"{Y}-Q4"] == "met"
