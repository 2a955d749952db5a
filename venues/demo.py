"""Demo halls and rooms from DEMO_DATA.md, with a month of bookings. Idempotent.

Residents other than the demo `resident` are invented (names only; phones in the 170 range
reserved here for demo data).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from accounts.models import ResidentProfile, User
from branches.models import Community, Organization, SubDistrict
from members.inservice.letters import previous_quarter
from venues.models import (
    Booking,
    BookingKind,
    BookingPolicy,
    BookingSpan,
    BookingStatus,
    OpeningHours,
    Room,
    RoomKind,
    ServiceHall,
)

WEEKDAYS_9_TO_21 = {d: (dt.time(9), dt.time(21)) for d in range(7)}
SCHOOL_CLASSROOM = "老年大学教室"  # the senior university's classroom (`community.demo`)

OFFICE_HOURS = {d: (dt.time(9), dt.time(18)) for d in range(5)}

DEMO_RESIDENTS = [
    ("demo_resident_1", "周晓梅", "17000000001"),
    ("demo_resident_2", "孙建国", "17000000002"),
    ("demo_resident_3", "吴丽娟", "17000000003"),
]


def _hall(
    sub_district: SubDistrict,
    name: str,
    address: str,
    community: Community | None,
    hours: dict[int, tuple[dt.time, dt.time]],
    description: str,
) -> ServiceHall:
    hall, created = ServiceHall.objects.get_or_create(
        sub_district=sub_district,
        name=name,
        defaults={
            "address": address,
            "community": community,
            "description": description,
            "contact_phone": "0371-6000000",
            "rules_text": "请爱护公共设施，活动结束后恢复桌椅、关闭电器。",
        },
    )
    if created:
        for weekday, (opens, closes) in hours.items():
            OpeningHours.objects.create(
                hall=hall, weekday=weekday, opens_at=opens, closes_at=closes
            )
    return hall


def _room(hall: ServiceHall, name: str, kind: str, capacity: int, **extra: object) -> Room:
    room, _ = Room.objects.get_or_create(
        hall=hall, name=name, defaults={"kind": kind, "capacity": capacity, **extra}
    )
    return room


def seed() -> None:
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    beilinlu = SubDistrict.objects.get(name="北林路街道")
    lianmeng, _ = Community.objects.get_or_create(sub_district=ruyihu, name="联盟新城社区")
    guotai, _ = Community.objects.get_or_create(sub_district=beilinlu, name="国泰一品社区")
    BookingPolicy.objects.get_or_create(sub_district=ruyihu)

    building = _hall(
        ruyihu,
        "如意湖楼宇党建商务服务中心",
        "商务外环23号中科金座大厦702室",
        None,
        OFFICE_HOURS,
        "图书借阅、远程授课、小型学习会（2019年初启用）。",
    )
    _room(building, "视频学习区", RoomKind.VIDEO_STUDY, 20, equipment="投影、远程教育终端")
    _room(building, "图书区", RoomKind.READING, 15, equipment="图书借阅")
    _room(building, "休闲吧", RoomKind.LEISURE, 12)
    _room(building, "运动区", RoomKind.SPORTS, 8, max_minutes=120)
    _room(building, "减压区", RoomKind.RELAXATION, 4, max_minutes=60, weekly_limit=2)

    centre = _hall(
        ruyihu,
        "联盟新城社区党群服务中心",
        "联盟新城社区",
        lianmeng,
        WEEKDAYS_9_TO_21,
        "“联盟家”社区党群服务中心。",
    )
    _room(centre, "儿童之家", RoomKind.CHILDREN, 20)
    _room(centre, SCHOOL_CLASSROOM, RoomKind.CLASSROOM, 30, requires_approval=True)
    whole = _room(
        centre,
        "多功能活动室",
        RoomKind.MULTI_FUNCTION,
        80,
        requires_approval=True,
        buffer_minutes=30,
    )
    _room(centre, "多功能活动室（东）", RoomKind.MULTI_FUNCTION, 40, parent=whole)
    _room(centre, "多功能活动室（西）", RoomKind.MULTI_FUNCTION, 40, parent=whole)

    guotai_hall = _hall(
        beilinlu,
        "国泰一品党群服务中心",
        "国泰一品社区",
        guotai,
        WEEKDAYS_9_TO_21,
        "红叶合唱团、书画沙龙等文化队伍的活动场所。",
    )
    _room(guotai_hall, "舞蹈室", RoomKind.DANCE, 30)
    _room(guotai_hall, "书画室", RoomKind.CLASSROOM, 16)

    _bookings(centre, building, ruyihu)


def _residents() -> list[User]:
    users = list(User.objects.filter(username="resident"))
    for username, full_name, phone in DEMO_RESIDENTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "phone": phone}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    for user in users:
        ResidentProfile.objects.get_or_create(user=user)
    return users


def _bookings(centre: ServiceHall, building: ServiceHall, ruyihu: SubDistrict) -> None:
    """A month of bookings: two weeks back (used, no-shows) and two ahead, and the past bookings
    of the last quarter that ended, which the report page offers first (a newcomer's first pack
    must not be all zeros). Written directly (not through the service, which refuses the past)
    with the same spans the service writes."""
    if Booking.objects.filter(room__hall__in=[centre, building]).exists():
        return
    residents = _residents()
    rng = random.Random(2026)  # noqa: S311 - demo data, reproducible
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    rooms = [r for r in Room.objects.filter(hall__in=[centre, building]) if r.parent_id is None]
    purposes = ["读书分享会", "书法练习", "亲子阅读", "太极拳练习", "合唱排练", "茶艺课"]
    branch = Organization.objects.filter(sub_district=ruyihu, name="联盟新城社区党支部").first()
    taken: set[tuple[int, dt.datetime]] = set()
    last_quarter = previous_quarter(today)
    recent = today - dt.timedelta(days=14)
    earlier = [
        (last_quarter.start + dt.timedelta(days=n) - today).days
        for n in range(0, (last_quarter.end - last_quarter.start).days + 1, 2)
        if last_quarter.start + dt.timedelta(days=n) < recent
    ]
    for offset in [*earlier, *range(-14, 15)]:
        day = today + dt.timedelta(days=offset)
        for room in rng.sample(rooms, k=min(3, len(rooms))):
            if room.hall == building and day.weekday() >= 5:
                continue
            hour = rng.choice([9, 10, 14, 15, 16])
            starts_at = dt.datetime.combine(day, dt.time(hour), tz)
            if (room.pk, starts_at) in taken:
                continue
            taken.add((room.pk, starts_at))
            ends_at = starts_at + dt.timedelta(hours=1)
            user = rng.choice(residents)
            if offset < 0:
                status = rng.choice([BookingStatus.CHECKED_IN] * 4 + [BookingStatus.NO_SHOW])
            elif room.requires_approval and offset > 2:
                status = BookingStatus.PENDING
            else:
                status = BookingStatus.CONFIRMED
            purpose = rng.choice(purposes)
            attendees = rng.randint(1, min(room.capacity, 12))
            if room.name == SCHOOL_CLASSROOM and offset >= 3:
                # The senior university's courses take the classroom from its term's start on
                # (`community.demo` books its sessions through the service, which refuses a
                # clash); skipped after the draws, so the other rooms' bookings stay the same.
                continue
            booking = Booking.objects.create(
                room=room,
                kind=BookingKind.RESIDENT,
                resident=user,
                booked_by=user,
                purpose=purpose,
                attendees=attendees,
                starts_at=starts_at,
                ends_at=ends_at,
                status=status,
                checked_in_at=starts_at if status == BookingStatus.CHECKED_IN else None,
            )
            _spans(booking, status != BookingStatus.NO_SHOW)
    if branch is not None:
        meeting_day = today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)
        starts_at = dt.datetime.combine(meeting_day, dt.time(19), tz)
        whole = Room.objects.get(hall=centre, name="多功能活动室")
        booking = Booking.objects.create(
            room=whole,
            kind=BookingKind.INTERNAL,
            organization=branch,
            booked_by=User.objects.get(username="lianmeng_secretary"),
            purpose="支部党员大会",
            attendees=35,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            status=BookingStatus.CONFIRMED,
        )
        _spans(booking, True)


def _spans(booking: Booking, holding: bool) -> None:
    parts = list(Room.objects.filter(parent=booking.room).values_list("pk", flat=True))
    end = booking.ends_at + dt.timedelta(minutes=booking.room.buffer_minutes)
    for part in parts or [booking.room.pk]:
        BookingSpan.objects.create(
            booking=booking,
            room_id=part,
            starts_at=booking.starts_at,
            ends_at=end,
            is_holding=holding,
        )
