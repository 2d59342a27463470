"""Name-fragment search: the bigram column and the query agree on every database."""

import pytest

from jiayuan.residents.models import Resident
from jiayuan.residents.search import filter_name_contains, name_grams
from jiayuan.residents.services import resident_create

from .factories import _fast_hasher, household1, id_number, places, users  # noqa: F401


def test_name_grams():
    assert name_grams("张伟华") == "张 伟 华 张伟 伟华"
    assert name_grams("欧阳 娜娜") == "欧 阳 娜 欧阳 阳娜 娜娜"
    assert name_grams("") == ""


@pytest.mark.django_db
def test_fragments_find_the_right_people(users, household1):
    for i, name in enumerate(["张伟华", "李伟", "张小伟", "王芳"]):
        resident_create(actor=users["staff"], data={
            "name": name, "id_number": id_number(1960 + i), "household": household1,
            "relation_to_head": "02" if i == 0 else "10",
        })
    found = lambda q: set(filter_name_contains(Resident.objects.all(), q).values_list("name", flat=True))  # noqa: E731
    assert found("伟") == {"张伟华", "李伟", "张小伟"}
    assert found("张伟") == {"张伟华"}
    assert found("伟华") == {"张伟华"}
    assert found("张伟华") == {"张伟华"}
    assert found("小伟") == {"张小伟"}
    assert found("伟张") == set()
    r = Resident.objects.get(name="王芳")
    r.name = "王芳芳"
    r.save(update_fields=["name"])
    assert found("芳芳") == {"王芳芳"}
