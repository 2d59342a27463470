"""Searching residents by a fragment of their name at city scale.

Chinese names are two to four characters and people search with one or two of them ("张伟"),
which a trigram index cannot serve. So each name also stores its characters and character bigrams
("张 伟 华 张伟 伟华"), and on
PostgreSQL a GIN full-text index over them answers "contains 张伟" without reading the table;
longer fragments AND their bigrams and are rechecked with LIKE. Other databases just use LIKE.
"""

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

TSVECTOR = "to_tsvector('simple'::regconfig, \"residents_resident\".\"name_grams\")"


def name_grams(name: str) -> str:
    """The name's characters and character bigrams, space-separated: 张伟华 → 张 伟 华 张伟 伟华."""
    name = "".join((name or "").split())
    return " ".join([*dict.fromkeys(name), *(name[i : i + 2] for i in range(len(name) - 1))])


def _query_grams(fragment: str) -> list[str]:
    if len(fragment) == 1:
        return [fragment]
    return list(dict.fromkeys(fragment[i : i + 2] for i in range(len(fragment) - 1)))


def filter_name_contains(qs: QuerySet, fragment: str) -> QuerySet:
    fragment = "".join(fragment.split())
    if connection.vendor == "postgresql" and fragment:
        query = " & ".join(_query_grams(fragment))
        qs = qs.alias(
            _name_match=RawSQL(f"{TSVECTOR} @@ to_tsquery('simple'::regconfig, %s)", [query], output_field=BooleanField())
        ).filter(_name_match=True)
    return qs.filter(name__contains=fragment)
