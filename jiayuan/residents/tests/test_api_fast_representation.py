"""The hand-built resident JSON equals DRF's generic field-by-field output."""

import pytest
from django.test import RequestFactory

from jiayuan.residents.api.serializers import ResidentSerializer
from jiayuan.residents.selectors import resident_list
from jiayuan.residents.services import resident_create

from .factories import _fast_hasher, household1, id_number, places, users  # noqa: F401


@pytest.mark.django_db
def test_fast_representation_equals_generic(users, household1):
    resident_create(actor=users["secretary"], data={
        "name": "张伟华", "id_number": id_number(1970), "phone": "13812345678", "household": household1,
        "relation_to_head": "02", "ethnicity": "01", "tags": ["disabled_person", "community_correction"],
    })
    resident_create(actor=users["secretary"], data={"name": "李四", "id_number": id_number(2001), "grid_code": household1.grid_code})
    for user in (users["worker1"], users["secretary"]):
        request = RequestFactory().get("/")
        request.user = user
        for with_address in (True, False):
            for obj in resident_list(user=user, with_address=with_address):
                serializer = ResidentSerializer(context={"request": request})
                assert serializer.to_representation(obj) == serializer.generic_representation(obj)


@pytest.mark.django_db
def test_list_rows_equal_generic(users, household1, client):
    from rest_framework.test import APIClient

    resident_create(actor=users["secretary"], data={
        "name": "王五", "id_number": id_number(1980), "household": household1, "relation_to_head": "02",
        "tags": ["disabled_person", "community_correction", "solitary_elder"],
    })
    for user in (users["worker1"], users["secretary"]):
        api = APIClient()
        api.force_authenticate(user)
        listed = api.get("/api/v1/residents/").json()["results"]
        request = RequestFactory().get("/")
        request.user = user
        expected = [ResidentSerializer(context={"request": request}).generic_representation(r)
                    for r in resident_list(user=user)]
        assert listed == expected
