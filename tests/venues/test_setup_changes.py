"""Changing a hall's set-up never orphans upcoming bookings: a room is not divided, moved or
closed under them, and the booking policy is edited on a validated, audited staff page."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from tests.access import assert_access
from tests.branches.factories import SubDistrictFactory
from tests.venues.conftest import at
from tests.venues.factories import RoomFactory
from venues import configuration, services
from venues.models import BookingPolicy, Room

pytestmark = pytest.mark.django_db

STAFF_ONLY_MATRIX = {
    "anonymous": 302,
    "resident": 403,
    "other_secretary": 403,
    "secretary": 403,
    "staff": 200,
}


def book(room, resident, days=1, hour=9):
    return services.book_room(
        room=room,
        resident=resident,
        starts_at=at(days, hour),
        ends_at=at(days, hour + 1),
        attendees=1,
        purpose="读书会",
    )


def test_a_new_part_of_a_booked_room_is_refused(room, resident, staff):
    book(room, resident)
    part = Room(hall=room.hall, parent=room, name="东半间", kind=room.kind, capacity=10)
    with pytest.raises(configuration.SetupChangeRefused) as refused:
        configuration.save_room(room=part, actor=staff)
    assert "新分区不在这些预约范围内" in refused.value.message
    assert refused.value.field == "parent"
    assert Room.objects.filter(parent=room).count() == 0


def test_joining_or_leaving_a_whole_with_upcoming_bookings_is_refused(hall, resident, staff):
    whole = RoomFactory(hall=hall, name="大厅")
    part = RoomFactory(hall=hall, name="东厅", parent=whole)
    other = RoomFactory(hall=hall, name="小会议室")
    book(whole, resident)  # occupies the part too
    part.parent = None
    with pytest.raises(configuration.SetupChangeRefused):
        configuration.save_room(room=part, actor=staff)
    book(other, resident, hour=14)
    other.parent = whole
    with pytest.raises(configuration.SetupChangeRefused) as refused:
        configuration.save_room(room=other, actor=staff)
    assert "调整分隔方式" in refused.value.message
    assert set(Room.objects.filter(parent=whole).values_list("name", flat=True)) == {"东厅"}


def test_past_or_cancelled_bookings_do_not_block_a_change(room, resident, staff):
    booking = book(room, resident)
    services.cancel_booking(booking=booking, by=staff)
    part = Room(hall=room.hall, parent=room, name="西半间", kind=room.kind, capacity=10)
    configuration.save_room(room=part, actor=staff)
    assert part.pk and AuditEntry.objects.filter(action="venues.room_created").exists()


def test_closing_a_room_or_hall_with_upcoming_bookings_is_refused(room, resident, staff):
    book(room, resident)
    room.is_active = False
    with pytest.raises(configuration.SetupChangeRefused) as refused:
        configuration.save_room(room=room, actor=staff)
    assert "请先取消这些预约" in refused.value.message
    hall = room.hall
    hall.is_active = False
    with pytest.raises(configuration.SetupChangeRefused):
        configuration.save_hall(hall=hall, actor=staff)
    assert Room.objects.get(pk=room.pk).is_active and type(hall).objects.get(pk=hall.pk).is_active


def test_nonsense_divisions_are_refused(hall, staff):
    whole = RoomFactory(hall=hall)
    part = RoomFactory(hall=hall, parent=whole)
    elsewhere = RoomFactory()
    for parent in (part, elsewhere):
        candidate = Room(hall=hall, parent=parent, name="新", kind="other", capacity=5)
        with pytest.raises(configuration.SetupChangeRefused):
            configuration.save_room(room=candidate, actor=staff)
    whole.parent = RoomFactory(hall=hall)
    with pytest.raises(configuration.SetupChangeRefused):
        configuration.save_room(room=whole, actor=staff)


def test_admin_refuses_closing_a_booked_room_with_the_message(client, staff, room, resident):
    book(room, resident)
    client.force_login(staff)
    url = f"/admin/venues/room/{room.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "hall": room.hall_id,
        "parent": "",
        "name": room.name,
        "kind": room.kind,
        "capacity": room.capacity,
        "audience": room.audience,
        "slot_minutes": 30,
        "min_minutes": 30,
        "max_minutes": 240,
        "advance_days": 14,
        "cancel_hours": 2,
        "weekly_limit": 3,
        "buffer_minutes": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        # is_active left out: unticked
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "请先取消这些预约" in response.content.decode()
    assert Room.objects.get(pk=room.pk).is_active
    # A change that leaves the set-up alone still saves.
    response = client.post(url, {**data, "is_active": "on", "capacity": 25})
    assert response.status_code == 302
    assert Room.objects.get(pk=room.pk).capacity == 25


def test_admin_refuses_deleting_a_part_of_a_booked_whole(client, superuser, hall, resident):
    whole = RoomFactory(hall=hall)
    part = RoomFactory(hall=hall, parent=whole)
    book(whole, resident)
    client.force_login(superuser)
    response = client.post(f"/admin/venues/room/{part.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Room.objects.filter(pk=part.pk).exists()


# --- booking policy page -----------------------------------------------------------------

POLICY = {
    "waitlist_hold_minutes": 45,
    "no_show_minutes": 20,
    "no_show_limit": 2,
    "no_show_window_days": 60,
    "suspension_days": 14,
    "reminder_hours": 3,
}


def policies():
    return list(BookingPolicy.objects.values_list("sub_district_id", "no_show_limit"))


def test_policy_page_access(clients, sub_district):
    assert_access(
        clients,
        "/staff/venues/policy/",
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
    )
    assert_access(
        clients,
        f"/staff/venues/policy/{sub_district.pk}/",
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 400},
        method="post",
        data={},
        snapshot=policies,
    )
    assert policies() == []


def test_policy_of_another_sub_district_is_404(clients):
    other = SubDistrictFactory()
    assert clients["staff"].get(f"/staff/venues/policy/{other.pk}/").status_code == 404
    assert clients["staff"].post(f"/staff/venues/policy/{other.pk}/", POLICY).status_code == 404
    assert policies() == []


def test_staff_save_the_policy_and_it_is_audited(clients, sub_district):
    url = f"/staff/venues/policy/{sub_district.pk}/"
    response = clients["staff"].post(url, POLICY)
    assert response.status_code == 302
    policy = BookingPolicy.for_sub_district(sub_district.pk)
    assert (policy.no_show_limit, policy.suspension_days) == (2, 14)
    entry = AuditEntry.objects.get(action="venues.booking_policy_changed")
    assert entry.data["no_show_limit"] == {"from": 3, "to": 2}
    page = clients["staff"].get(url).content.decode()
    assert 'value="45"' in page


@pytest.mark.parametrize(
    "bad",
    [
        {"no_show_limit": 0},
        {"no_show_minutes": -5},
        {"suspension_days": "三十"},
        {"reminder_hours": 10_000},
        {"waitlist_hold_minutes": ""},
        {"no_show_window_days": "<script>"},
    ],
)
def test_policy_page_refuses_bad_values_and_writes_nothing(clients, sub_district, bad):
    response = clients["staff"].post(f"/staff/venues/policy/{sub_district.pk}/", {**POLICY, **bad})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert policies() == []
    assert not AuditEntry.objects.filter(action="venues.booking_policy_changed").exists()


def test_policy_service_refuses_out_of_range_values(sub_district, staff):
    with pytest.raises(configuration.SetupChangeRefused) as refused:
        configuration.update_booking_policy(
            sub_district_id=sub_district.pk, values={"no_show_limit": 99}, actor=staff
        )
    assert refused.value.field == "no_show_limit"
    assert policies() == []


# --- a room's rules, a hall's hours and closed dates -------------------------------------

RULES = {
    "capacity": 25,
    "equipment": "投影仪",
    "description": "",
    "audience": "residents",
    "requires_approval": "on",
    "is_active": "on",
    "slot_minutes": 30,
    "min_minutes": 60,
    "max_minutes": 120,
    "advance_days": 7,
    "cancel_hours": 4,
    "weekly_limit": 2,
    "buffer_minutes": 15,
}


def room_rules():
    return list(
        Room.objects.order_by("pk").values_list(
            "pk", "capacity", "max_minutes", "weekly_limit", "is_active", "requires_approval"
        )
    )


def test_room_rules_page_access(clients, room):
    url = f"/staff/venues/rooms/{room.pk}/rules/"
    assert_access(clients, url, STAFF_ONLY_MATRIX)
    assert_access(
        {**clients, "staff": clients["secretary"]},
        url,
        {**STAFF_ONLY_MATRIX, "staff": 403},
        method="post",
        data=RULES,
        snapshot=room_rules,
    )
    assert clients["staff"].get(f"/staff/venues/rooms/{RoomFactory().pk}/rules/").status_code == 404


def test_staff_change_a_rooms_rules_audited(clients, room):
    response = clients["staff"].post(f"/staff/venues/rooms/{room.pk}/rules/", RULES)
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.max_minutes, room.weekly_limit, room.requires_approval) == (120, 2, True)
    entry = AuditEntry.objects.get(action="venues.room_changed")
    assert "weekly_limit" in entry.data["fields"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"min_minutes": 180, "max_minutes": 60}, "最长预约时长不能短于最短预约时长"),
        ({"min_minutes": 45}, "整数个"),
        ({"slot_minutes": 1}, ""),
        ({"weekly_limit": 0}, ""),
        ({"capacity": "很多"}, ""),
        ({"audience": "everyone"}, ""),
    ],
)
def test_room_rules_page_refuses_bad_values(clients, room, bad, message):
    before = room_rules()
    response = clients["staff"].post(f"/staff/venues/rooms/{room.pk}/rules/", {**RULES, **bad})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert room_rules() == before


def test_room_rules_page_refuses_closing_a_booked_room(clients, room, resident):
    book(room, resident)
    data = {k: v for k, v in RULES.items() if k != "is_active"}
    response = clients["staff"].post(f"/staff/venues/rooms/{room.pk}/rules/", data)
    assert response.status_code == 400
    assert "请先取消这些预约" in response.content.decode()
    assert Room.objects.get(pk=room.pk).is_active


def hours_post(**overrides):
    data = {}
    for day in range(7):
        data.update({f"open_{day}": "on", f"opens_{day}": "08:00", f"closes_{day}": "21:00"})
    data.update(overrides)
    return data


def opening():
    from venues.models import OpeningHours

    return list(
        OpeningHours.objects.order_by("hall", "weekday").values_list(
            "weekday", "opens_at", "closes_at"
        )
    )


def test_hours_page_access(clients, hall):
    url = f"/staff/venues/halls/{hall.pk}/hours/"
    assert_access(clients, url, STAFF_ONLY_MATRIX)
    assert_access(
        {**clients, "staff": clients["secretary"]},
        url,
        {**STAFF_ONLY_MATRIX, "staff": 403},
        method="post",
        data=hours_post(),
        snapshot=opening,
    )


def test_staff_change_opening_hours(clients, hall):
    saturday_closed = hours_post(open_5="", opens_0="09:00")
    response = clients["staff"].post(f"/staff/venues/halls/{hall.pk}/hours/", saturday_closed)
    assert response.status_code == 302
    days = {weekday: opens for weekday, opens, _ in opening()}
    assert 5 not in days and days[0].hour == 9
    assert AuditEntry.objects.filter(action="venues.opening_hours_changed").exists()


@pytest.mark.parametrize(
    "bad", [{"opens_2": "22:00"}, {"closes_3": ""}, {"opens_4": "25:00"}, {"opens_1": "<b>"}]
)
def test_hours_page_refuses_bad_hours(clients, hall, bad):
    before = opening()
    response = clients["staff"].post(f"/staff/venues/halls/{hall.pk}/hours/", hours_post(**bad))
    assert response.status_code == 400
    assert opening() == before


def test_hours_that_leave_a_booking_outside_are_refused(clients, room, resident):
    booking = book(room, resident, hour=9)
    weekday = booking.starts_at.astimezone(at(0, 0).tzinfo).weekday()
    response = clients["staff"].post(
        f"/staff/venues/halls/{room.hall.pk}/hours/", hours_post(**{f"opens_{weekday}": "10:00"})
    )
    assert response.status_code == 400
    assert "超出新的开放时间" in response.content.decode()
    assert all(opens.hour == 8 for _, opens, _ in opening())


def test_closed_dates_added_refused_over_bookings_and_removed(clients, room, resident):
    url = f"/staff/venues/halls/{room.hall.pk}/hours/"
    booked_day = at(1, 9).date()
    free_day = at(3, 9).date()
    book(room, resident)
    refused = clients["staff"].post(
        url, {"close": "1", "starts_on": booked_day, "ends_on": free_day, "reason": "停电检修"}
    )
    assert refused.status_code == 400
    assert "请先取消这些预约" in refused.content.decode()
    from venues.models import ClosedPeriod

    assert ClosedPeriod.objects.count() == 0
    bad = clients["staff"].post(
        url, {"close": "1", "starts_on": free_day, "ends_on": booked_day, "reason": "x"}
    )
    assert bad.status_code == 400 and ClosedPeriod.objects.count() == 0
    ok = clients["staff"].post(
        url, {"close": "1", "starts_on": free_day, "ends_on": free_day, "reason": "国庆"}
    )
    assert ok.status_code == 302
    period = ClosedPeriod.objects.get()
    delete = f"/staff/venues/closed-dates/{period.pk}/delete/"
    assert clients["secretary"].post(delete).status_code == 403
    assert clients["staff"].post(delete).status_code == 302
    assert ClosedPeriod.objects.count() == 0


def test_admin_inlines_refuse_hours_and_closed_dates_over_bookings(client, staff, room, resident):
    from venues.models import ClosedPeriod, OpeningHours

    booking = book(room, resident, hour=9)
    hall = room.hall
    booked_day = at(1, 9).date()
    weekday = booked_day.weekday()
    client.force_login(staff)
    rows = list(OpeningHours.objects.filter(hall=hall).order_by("weekday"))
    form = {
        "sub_district": hall.sub_district_id,
        "name": hall.name,
        "address": hall.address,
        "is_active": "on",
        "opening_hours-TOTAL_FORMS": len(rows),
        "opening_hours-INITIAL_FORMS": len(rows),
        "closed_periods-TOTAL_FORMS": 0,
        "closed_periods-INITIAL_FORMS": 0,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        form.update(
            {
                f"opening_hours-{i}-id": row.pk,
                f"opening_hours-{i}-hall": hall.pk,
                f"opening_hours-{i}-weekday": row.weekday,
                f"opening_hours-{i}-opens_at": "10:00" if row.weekday == weekday else "08:00",
                f"opening_hours-{i}-closes_at": "21:00",
            }
        )
    url = f"/admin/venues/servicehall/{hall.pk}/change/"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "超出新的开放时间" in response.content.decode()
    assert all(r.opens_at.hour == 8 for r in OpeningHours.objects.filter(hall=hall))
    unchanged = {k: v for k, v in form.items()}
    unchanged[f"opening_hours-{weekday}-opens_at"] = "08:00"
    response = client.post(
        url,
        {
            **unchanged,
            "closed_periods-TOTAL_FORMS": 1,
            "closed_periods-0-starts_on": booked_day.isoformat(),
            "closed_periods-0-ends_on": booked_day.isoformat(),
            "closed_periods-0-reason": "检修",
        },
    )
    assert response.status_code == 200
    assert "请先取消这些预约" in response.content.decode()
    assert ClosedPeriod.objects.count() == 0
    services.cancel_booking(booking=booking, by=staff)
    assert client.post(url, form).status_code == 302
