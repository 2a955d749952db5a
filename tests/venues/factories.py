from __future__ import annotations

import datetime as dt

import factory

from tests.branches.factories import SubDistrictFactory
from venues.models import OpeningHours, Room, RoomKind, ServiceHall


class ServiceHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHall
        skip_postgeneration_save = True

    sub_district = factory.SubFactory(SubDistrictFactory)
    name = factory.Sequence(lambda n: f"党群服务中心{n}")
    address = "商务外环23号"

    @factory.post_generation
    def open_every_day(obj: ServiceHall, create: bool, extracted: object, **kwargs: object) -> None:
        """Open 08:00–21:00 every day unless `open_every_day=False`."""
        if create and extracted is not False:
            for weekday in range(7):
                OpeningHours.objects.create(
                    hall=obj, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(21)
                )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    hall = factory.SubFactory(ServiceHallFactory)
    name = factory.Sequence(lambda n: f"活动室{n}")
    kind = RoomKind.MULTI_FUNCTION
    capacity = 20
    slot_minutes = 30
    min_minutes = 30
    max_minutes = 240
    advance_days = 14
    cancel_hours = 2
    weekly_limit = 3
    buffer_minutes = 0
