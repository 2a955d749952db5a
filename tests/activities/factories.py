from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from activities.models import Meeting, MeetingKind, MeetingStatus


def at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting; with `held_on` given it is recorded as held that day."""

    class Meta:
        model = Meeting

    kind = MeetingKind.THEME_DAY
    topic = factory.Sequence(lambda n: f"主题{n}")
    held_on = None
    starts_at = factory.LazyAttribute(
        lambda o: at(o.held_on) if o.held_on else timezone.now() + dt.timedelta(days=3)
    )
    status = factory.LazyAttribute(
        lambda o: MeetingStatus.HELD if o.held_on else MeetingStatus.PLANNED
    )
