"""The portal's URLs plus the floors of the API bench (`test_apis_bench.py`), served through
the same middleware (session, auth, locale, CSRF) by a test's `ROOT_URLCONF`:

- `/bench/floor-booking/`: a resident's booking by hand, the same statements the booking API
  runs at its best (the room with its hall; the hours, closed dates and suspension; the lock
  on the resident; the weekly count and the overlap check; the booking, its span and the audit
  entry) without DRF, forms, rules or notifications;
- `/bench/floor-availability/`: the reads behind a room's availability (the room, the hall's
  hours and closed dates, the holding spans of the window) returned as rows, no slots built.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as portal

ROOM = """
    SELECT r.id, r.hall_id, r.slot_minutes, r.weekly_limit, r.buffer_minutes, h.sub_district_id
    FROM venues_room r JOIN venues_servicehall h ON h.id = r.hall_id
    WHERE r.id = %s AND r.is_active AND h.is_active
"""
FACTS = """
    SELECT (SELECT opens_at FROM venues_openinghours WHERE hall_id = %(hall)s AND weekday = %(wd)s),
           (SELECT reason FROM venues_closedperiod
             WHERE hall_id = %(hall)s AND starts_on <= %(day)s AND ends_on >= %(day)s LIMIT 1),
           (SELECT ends_at FROM venues_suspension
             WHERE resident_id = %(user)s AND sub_district_id = %(sd)s AND lifted_at IS NULL
               AND starts_at <= now() AND ends_at > now() LIMIT 1)
"""
COUNT_AND_TAKEN = """
    SELECT (SELECT count(*) FROM venues_booking
             WHERE resident_id = %(user)s AND kind = 'resident' AND room_id = %(room)s
               AND status IN ('held', 'pending', 'confirmed', 'checked_in')
               AND starts_at >= %(week)s AND starts_at < %(week)s + interval '7 days'),
           EXISTS (SELECT 1 FROM venues_bookingspan
                    WHERE room_id = %(room)s AND is_holding
                      AND starts_at < %(end)s AND ends_at > %(start)s)
"""
INSERT_BOOKING = """
    INSERT INTO venues_booking (room_id, kind, resident_id, booked_by_id, purpose, attendees,
        starts_at, ends_at, status, check_in_code, decision_reason, created_at, updated_at)
    VALUES (%(room)s, 'resident', %(user)s, %(user)s, %(purpose)s, %(attendees)s,
        %(start)s, %(end)s, 'confirmed', %(code)s, '', now(), now())
    RETURNING id
"""
INSERT_SPAN = """
    INSERT INTO venues_bookingspan (booking_id, room_id, starts_at, ends_at, is_holding)
    VALUES (%s, %s, %s, %s, true)
"""
INSERT_AUDIT = """
    INSERT INTO accounts_auditentry (actor_id, action, target_type, target_id, target_label,
        data, created_at)
    VALUES (%s, 'booking.created', 'venues.booking', %s, '', '{}', now())
"""


@csrf_exempt
def floor_booking(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    start = dt.datetime.fromisoformat(body["starts_at"])
    end = dt.datetime.fromisoformat(body["ends_at"])
    day = timezone.localtime(start).date()
    monday = dt.datetime.combine(
        day - dt.timedelta(days=day.weekday()), dt.time(), timezone.get_current_timezone()
    )
    user = request.user.pk
    with connection.cursor() as cursor:
        cursor.execute(ROOM, [body["room"]])
        room, hall, _slot, limit, _buffer, sub_district = cursor.fetchone()
        cursor.execute(
            FACTS, {"hall": hall, "wd": day.weekday(), "day": day, "user": user, "sd": sub_district}
        )
        cursor.fetchone()
        with transaction.atomic():
            cursor.execute("SELECT id FROM accounts_user WHERE id = %s FOR UPDATE", [user])
            args = {"user": user, "room": room, "week": monday, "start": start, "end": end}
            cursor.execute(COUNT_AND_TAKEN, args)
            count, taken = cursor.fetchone()
            if taken or count >= limit:
                return JsonResponse({"detail": "taken"}, status=409)
            cursor.execute(
                INSERT_BOOKING,
                {
                    **args,
                    "purpose": body["purpose"],
                    "attendees": body["attendees"],
                    "code": secrets.token_hex(4).upper(),
                },
            )
            booking = cursor.fetchone()[0]
            cursor.execute(INSERT_SPAN, [booking, room, start, end])
            cursor.execute(INSERT_AUDIT, [user, str(booking)])
    return JsonResponse({"id": booking}, status=201)


def floor_availability(request: HttpRequest, pk: int) -> JsonResponse:
    first = dt.date.fromisoformat(request.GET["start"])
    last = dt.date.fromisoformat(request.GET["end"])
    tz = timezone.get_current_timezone()
    with connection.cursor() as cursor:
        cursor.execute(ROOM, [pk])
        room, hall, *_rest = cursor.fetchone()
        cursor.execute(
            "SELECT weekday, opens_at, closes_at FROM venues_openinghours WHERE hall_id = %s",
            [hall],
        )
        hours = cursor.fetchall()
        cursor.execute(
            "SELECT starts_on, ends_on, reason FROM venues_closedperiod"
            " WHERE hall_id = %s AND starts_on <= %s AND ends_on >= %s",
            [hall, last, first],
        )
        closed = cursor.fetchall()
        cursor.execute(
            "SELECT starts_at, ends_at FROM venues_bookingspan"
            " WHERE room_id = %s AND is_holding AND starts_at < %s AND ends_at > %s",
            [
                room,
                dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz),
                dt.datetime.combine(first, dt.time(), tz),
            ],
        )
        spans = cursor.fetchall()
    return JsonResponse(
        {"hours": len(hours), "closed": len(closed), "spans": [str(s) for s, _e in spans]}
    )


urlpatterns = [
    path("bench/floor-booking/", floor_booking),
    path("bench/floor-availability/<int:pk>/", floor_availability),
    *portal,
]
