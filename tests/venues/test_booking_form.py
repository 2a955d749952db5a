"""The booking form keeps what the person chose: ISO values in the browser's pickers, times
labelled as times, and a way forward when the day shown has nothing left."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from venues.models import ClosedPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(resident):
    client = Client()
    client.force_login(resident)
    return client


def test_the_chosen_slot_reaches_the_form_as_iso_values(browser, room, clock):
    day = clock.today + dt.timedelta(days=2)
    page = browser.get(f"/venues/rooms/{room.pk}/book/?date={day.isoformat()}&start=09:30")
    html = page.content.decode()
    assert f'type="date" name="date" value="{day.isoformat()}"' in html
    assert 'type="time" name="start" value="09:30"' in html
    assert 'type="time" name="end" value="10:00"' in html
    assert day.strftime("%Y/%m/%d") not in html


def test_the_time_fields_are_labelled_as_times(browser, room, clock):
    html = browser.get(f"/venues/rooms/{room.pk}/book/").content.decode()
    assert "开始时间" in html and "结束时间" in html
    assert "起始日期" not in html and "结束日期" not in html


def test_a_day_whose_slots_have_all_begun_offers_the_next_free_day(browser, room, clock):
    clock.set(clock.today, 21, 30)  # the hall closes at 21:00
    ClosedPeriod.objects.create(
        hall=room.hall,
        starts_on=clock.today + dt.timedelta(days=1),
        ends_on=clock.today + dt.timedelta(days=1),
        reason="检修",
    )
    html = browser.get(f"/venues/rooms/{room.pk}/").content.decode()
    after_tomorrow = (clock.today + dt.timedelta(days=2)).isoformat()
    assert "今天的时段都已开始" in html
    assert f'data-testid="next-free-day-link" href="?date={after_tomorrow}"' in html


def test_a_day_with_free_slots_offers_nothing_else(browser, room, clock):
    html = browser.get(f"/venues/rooms/{room.pk}/").content.decode()
    assert 'data-testid="free-slot"' in html
    assert 'data-testid="next-free-day"' not in html


def test_a_closed_day_points_to_the_next_free_day(browser, room, clock):
    tomorrow = clock.today + dt.timedelta(days=1)
    ClosedPeriod.objects.create(hall=room.hall, starts_on=tomorrow, ends_on=tomorrow, reason="检修")
    html = browser.get(f"/venues/rooms/{room.pk}/?date={tomorrow.isoformat()}").content.decode()
    assert "这一天没有空闲时段" in html
    after = (tomorrow + dt.timedelta(days=1)).isoformat()
    assert f'href="?date={after}"' in html
