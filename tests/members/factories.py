from __future__ import annotations

import datetime as dt

import factory

from members import rules
from members.identity import encrypt_id_number, hash_id_number
from members.models import Member

# Region codes 990000 and 990001 do not exist, so these numbers (valid check digit, needed to
# pass validation) cannot belong to anyone. A test's own numbers (`valid_id`) and the factory's
# are in different regions: the factory's sequence runs on through a worker's tests, and a test
# naming valid_id(777) once collided with the 677th member its worker had made.
TEST_REGION = "990000"
FACTORY_REGION = "990001"


def valid_id(sequence: int, born: dt.date = dt.date(1980, 5, 1), region: str = TEST_REGION) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + rules.id_check_code(first17)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    full_name = factory.Sequence(lambda n: f"党员{n}")
    birth_date = dt.date(1980, 5, 1)
    joined_on = dt.date(2005, 7, 1)
    confirmed_on = dt.date(2006, 7, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    class Params:
        id_number = factory.LazyAttributeSequence(
            lambda o, n: valid_id(n + 100, o.birth_date, FACTORY_REGION)
        )

    id_number_encrypted = factory.LazyAttribute(lambda o: encrypt_id_number(o.id_number))
    id_number_hash = factory.LazyAttribute(lambda o: hash_id_number(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: rules.mask_id_number(o.id_number))
