"""Every booking rule refuses with its own message, and a refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import ResidentProfile
from tests.accounts.factories import UserFactory
from tests.venues.conftest import at
from venues import services
from venues.models import Audience, Booking, BookingSpan, BookingStatus, ClosedPeriod, OpeningHours
from venues.rules import BookingConflict, BookingRefused

pytestmark = pytest.mark.django_db


def book(room, resident, start, end, attendees=5, **kwargs):
    return services.book_room(
        room=room,
        resident=resident,
        starts_at=start,
        ends_at=end,
        attendees=attendees,
        purpose="读书会",
        **kwargs,
    )


def refused(room, resident, start, end, attendees=5, **kwargs) -> str:
    before = (Booking.objects.count(), BookingSpan.objects.count())
    with pytest.raises(BookingRefused) as exc:
        book(room, resident, start, end, attendees, **kwargs)
    assert (Booking.objects.count(), BookingSpan.objects.count()) == before
    return exc.value.message


def test_a_valid_booking_is_confirmed_with_a_check_in_code(room, resident):
    booking = book(room, resident, at(1, 9), at(1, 10))
    assert booking.status == BookingStatus.CONFIRMED
    assert len(booking.check_in_code) == 8
    assert list(booking.spans.values_list("room_id", flat=True)) == [room.pk]


def test_a_room_that_needs_approval_gives_a_pending_booking(room, resident):
    room.requires_approval = True
    room.save()
    assert book(room, resident, at(1, 9), at(1, 10)).status == BookingStatus.PENDING


def test_refuses_an_end_before_the_start(room, resident):
    assert refused(room, resident, at(1, 10), at(1, 9)) == "结束时间必须晚于开始时间。"


def test_refuses_a_time_in_the_past(room, resident):
    assert refused(room, resident, at(-1, 9), at(-1, 10)) == "该时间已经过去。"


def test_refuses_a_time_off_the_slot_grid(room, resident):
    message = refused(room, resident, at(1, 9, 10), at(1, 10, 10))
    assert message == "该活动室按30分钟为一个时段预约，开始和结束时间须对齐时段。"


def test_refuses_a_booking_too_long(room, resident):
    assert refused(room, resident, at(1, 9), at(1, 14)) == "该活动室每次预约最长240分钟。"


def test_refuses_a_booking_too_short(room, resident):
    room.min_minutes = 60
    room.save()
    assert refused(room, resident, at(1, 9), at(1, 9, 30)) == "该活动室每次预约至少60分钟。"


def test_refuses_a_booking_too_far_ahead(room, resident):
    assert refused(room, resident, at(15, 9), at(15, 10)) == "该活动室最多可提前14天预约。"


def test_refuses_a_closed_date_with_its_reason(room, resident):
    day = timezone.localdate() + dt.timedelta(days=2)
    ClosedPeriod.objects.create(hall=room.hall, starts_on=day, ends_on=day, reason="设备检修")
    message = refused(room, resident, at(2, 9), at(2, 10))
    assert message.startswith("服务中心") and "闭馆（设备检修）" in message


def test_refuses_a_weekday_without_opening_hours(room, resident):
    day = timezone.localdate() + dt.timedelta(days=3)
    OpeningHours.objects.filter(hall=room.hall, weekday=day.weekday()).delete()
    assert "不开放" in refused(room, resident, at(3, 9), at(3, 10))


def test_refuses_a_time_outside_opening_hours(room, resident):
    message = refused(room, resident, at(1, 20), at(1, 22))
    assert message == "不在开放时间内：服务中心当天开放时间为08:00–21:00。"


def test_refuses_more_people_than_the_room_holds(room, resident):
    assert refused(room, resident, at(1, 9), at(1, 10), attendees=31) == "该活动室最多容纳30人。"


def test_refuses_over_the_weekly_limit(room, resident):
    room.weekly_limit = 1
    room.save()
    # Two days in the same week as the first booking.
    first = timezone.localdate() + dt.timedelta(days=7)
    monday = first - dt.timedelta(days=first.weekday())
    offset = (monday - timezone.localdate()).days
    book(room, resident, at(offset, 9), at(offset, 10))
    message = refused(room, resident, at(offset + 1, 9), at(offset + 1, 10))
    assert message == "您本周已预约该活动室1次，每周上限为1次。"


def test_refuses_during_a_suspension(room, resident):
    from venues.models import Suspension

    now = timezone.now()
    Suspension.objects.create(
        resident=resident,
        sub_district=room.hall.sub_district,
        starts_at=now,
        ends_at=now + dt.timedelta(days=30),
        reason="3次未到",
    )
    assert refused(room, resident, at(1, 9), at(1, 10)).startswith(
        "因多次预约未到，您的预约资格已暂停至"
    )


def test_refuses_a_slot_inside_the_buffer_of_a_neighbour(room, resident):
    room.buffer_minutes = 30
    room.save()
    other = UserFactory(phone="13900000002")
    book(room, other, at(1, 9), at(1, 10))
    message = refused(room, resident, at(1, 10), at(1, 11))
    assert message == "该活动室两次预约之间需间隔30分钟用于清洁和布置，请推迟开始或提前结束。"
    assert book(room, resident, at(1, 10, 30), at(1, 11)).status == BookingStatus.CONFIRMED


def test_refuses_a_staff_only_room_to_residents(room, resident):
    room.audience = Audience.STAFF
    room.save()
    assert refused(room, resident, at(1, 9), at(1, 10)) == "该活动室仅供工作人员内部预约。"


def test_a_members_room_needs_a_confirmed_member(room, resident):
    room.audience = Audience.MEMBERS
    room.save()
    assert refused(room, resident, at(1, 9), at(1, 10)).startswith("该活动室仅限党员预约。")
    ResidentProfile.objects.create(user=resident, is_party_member=True)
    resident.refresh_from_db()
    assert book(room, resident, at(1, 9), at(1, 10)).status == BookingStatus.CONFIRMED


def test_refuses_an_overlapping_booking_as_already_booked(room, resident):
    book(room, UserFactory(phone="13900000003"), at(1, 9), at(1, 11))
    with pytest.raises(BookingConflict) as exc:
        book(room, resident, at(1, 10), at(1, 12))
    assert exc.value.message == "该时段已被预约，请选择其他时段或加入候补队列。"
    assert exc.value.status_code == 409


def test_cancelling_too_late_is_refused_with_the_deadline(room, resident):
    booking = book(room, resident, at(1, 9), at(1, 10))
    with pytest.raises(BookingRefused) as exc:
        services.cancel_booking(
            booking=booking, by=resident, now=booking.starts_at - dt.timedelta(hours=1)
        )
    assert exc.value.message == "该活动室的预约最晚须在开始前2小时取消，请致电服务中心。"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_in_time_frees_the_slot(room, resident):
    booking = book(room, resident, at(1, 9), at(1, 10))
    services.cancel_booking(booking=booking, by=resident)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not booking.spans.filter(is_holding=True).exists()
    assert book(room, UserFactory(phone="13900000004"), at(1, 9), at(1, 10))
