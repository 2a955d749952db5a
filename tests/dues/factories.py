from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from dues.models import DuesBase
from tests.members.factories import MemberFactory


class DuesBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesBase

    member = factory.SubFactory(MemberFactory)
    category = "in_service"
    amount = Decimal("6500.00")
    started_on = dt.date(2020, 1, 1)
