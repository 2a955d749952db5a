"""Approval, check-in, waiting list, no-shows with suspension, reminders, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import OutgoingEmail, OutgoingSms
from tests.accounts.factories import UserFactory
from tests.venues.conftest import at
from venues import services, tasks
from venues.models import (
    BookingPolicy,
    BookingStatus,
    Suspension,
    WaitlistEntry,
    WaitlistStatus,
)
from venues.rules import BookingRefused

pytestmark = pytest.mark.django_db


def book(room, user, start=None, end=None):
    return services.book_room(
        room=room,
        resident=user,
        starts_at=start or at(1, 9),
        ends_at=end or at(1, 10),
        attendees=3,
        purpose="书法练习",
    )


def test_approval_confirms_and_tells_the_resident(room, resident, staff):
    room.requires_approval = True
    room.save()
    booking = book(room, resident)
    services.approve_booking(booking=booking, by=staff)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    bodies = list(OutgoingSms.objects.filter(to=resident.phone).values_list("body", flat=True))
    assert any("已通过审核" in body and booking.check_in_code in body for body in bodies)
    assert OutgoingEmail.objects.filter(to=resident.email, subject="预约审核通过").exists()


def test_rejection_needs_a_reason_and_frees_the_slot(room, resident, staff):
    room.requires_approval = True
    room.save()
    booking = book(room, resident)
    with pytest.raises(BookingRefused):
        services.reject_booking(booking=booking, by=staff, reason="  ")
    services.reject_booking(booking=booking, by=staff, reason="当天有街道活动")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED
    assert not booking.spans.filter(is_holding=True).exists()


def test_check_in_opens_thirty_minutes_before_and_happens_once(room, resident, staff):
    booking = book(room, resident)
    with pytest.raises(BookingRefused, match="签到时间未到"):
        services.check_in(booking=booking, by=staff, now=booking.starts_at - dt.timedelta(hours=1))
    services.check_in(booking=booking, by=staff, now=booking.starts_at - dt.timedelta(minutes=10))
    with pytest.raises(BookingRefused, match="已于"):
        services.check_in(booking=booking, by=staff, now=booking.starts_at)


def test_a_no_show_is_released_once_and_three_suspend_the_resident(room, resident):
    policy = BookingPolicy.objects.create(sub_district=room.hall.sub_district, no_show_limit=3)
    for day in (1, 2, 3):
        booking = book(room, resident, at(day, 9), at(day, 10))
        later = booking.starts_at + dt.timedelta(minutes=policy.no_show_minutes + 1)
        assert services.release_no_show(booking_id=booking.pk, now=later) is True
        assert services.release_no_show(booking_id=booking.pk, now=later) is False
        booking.refresh_from_db()
        assert booking.status == BookingStatus.NO_SHOW
        assert not booking.spans.filter(is_holding=True).exists()
    suspension = Suspension.objects.get(resident=resident)
    assert (suspension.ends_at - suspension.starts_at).days == policy.suspension_days


def test_a_checked_in_booking_is_never_released(room, resident, staff):
    booking = book(room, resident)
    services.check_in(booking=booking, by=staff, now=booking.starts_at)
    assert services.release_no_show(booking_id=booking.pk, now=booking.ends_at) is False


def test_the_reminder_goes_once_inside_the_window(room, resident):
    booking = book(room, resident, at(1, 9), at(1, 10))
    early = booking.starts_at - dt.timedelta(hours=5)
    assert booking.pk not in services.due_for_reminder(early)
    now = booking.starts_at - dt.timedelta(hours=1)
    assert booking.pk in services.due_for_reminder(now)
    assert services.send_reminder(booking_id=booking.pk, now=now) is True
    assert services.send_reminder(booking_id=booking.pk, now=now) is False
    assert OutgoingSms.objects.filter(to=resident.phone, body__contains="提醒").count() == 1


def test_the_waiting_list_offers_a_freed_slot_first_in_line_and_passes_it_on(room, resident):
    holder = UserFactory(phone="13966666661")
    first, second = UserFactory(phone="13966666662"), UserFactory(phone="13966666663")
    booking = book(room, holder)
    for user in (first, second):
        services.join_waitlist(
            room=room,
            resident=user,
            starts_at=at(1, 9),
            ends_at=at(1, 10),
            attendees=2,
            purpose="排练",
        )
    services.cancel_booking(booking=booking, by=holder)
    entry = WaitlistEntry.objects.get(resident=first)
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offer.status == BookingStatus.HELD
    assert WaitlistEntry.objects.get(resident=second).status == WaitlistStatus.WAITING
    # Unconfirmed, the hold expires and passes to the next in line.
    assert services.expire_offer(
        booking_id=entry.offer.pk, now=timezone.now() + dt.timedelta(hours=1)
    )
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    offered = WaitlistEntry.objects.get(resident=second)
    assert offered.status == WaitlistStatus.OFFERED
    services.accept_offer(booking=offered.offer, resident=second)
    offered.offer.refresh_from_db()
    assert offered.offer.status == BookingStatus.CONFIRMED


def test_joining_the_waiting_list_for_a_free_slot_is_refused(room, resident):
    with pytest.raises(BookingRefused, match="该时段空闲"):
        services.join_waitlist(
            room=room,
            resident=resident,
            starts_at=at(1, 9),
            ends_at=at(1, 10),
            attendees=1,
            purpose="x",
        )


def test_the_periodic_scans_release_due_no_shows_once(room, resident):
    booking = book(room, resident)
    # Move the booking into the past, as if nobody came.
    from venues.models import Booking

    past = timezone.now() - dt.timedelta(minutes=40)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=1)
    )
    assert tasks.release_no_shows() == 1
    assert tasks.release_no_shows() == 0
    assert tasks.expire_waitlist_offers() == 0


def test_a_booking_succeeds_while_the_broker_is_down(
    room, resident, django_capture_on_commit_callbacks
):
    from tests.accounts.test_outbox import unreachable_broker

    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        booking = book(room, resident)
    assert callbacks
    assert booking.status == BookingStatus.CONFIRMED
    assert OutgoingSms.objects.filter(to=resident.phone, status="pending").exists()
