"""What a scale district does over time (`manage.py seed_scale`, after `demo.scale.build`):
three years of organisational life with attendance, a year of room bookings, and a year of
volunteer service hours.

Rows are written in bulk, outside the services (no audit, no messages): this is benchmark data,
not history. Attendance, the largest table (about three million rows), is one INSERT … SELECT
per kind of meeting, so the database does the work; its "randomness" is arithmetic on the ids,
which runs the same on PostgreSQL and SQLite. Each part is skipped when its rows already exist.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from accounts.models import User
from activities.models import Attendance, Meeting, MeetingKind, MeetingStatus
from branches.models import Community, District, Organization, OrganizationKind, SubDistrict
from members.models import Member
from venues.models import (
    Booking,
    BookingKind,
    BookingSpan,
    BookingStatus,
    OpeningHours,
    Room,
    RoomKind,
    ServiceHall,
)
from volunteers.models import (
    Enrollment,
    EnrollmentStatus,
    MembershipStatus,
    ServiceActivity,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)

if TYPE_CHECKING:
    from demo.scale import ScaleShape

BOOKING_SLOTS = ((9, 11), (14, 16), (19, 21))


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


# Who meets when: (kind of meeting, day of the month, topic, months or every month).
SCHEDULE: dict[str, list[tuple[str, int, str, tuple[int, ...] | None]]] = {
    OrganizationKind.BRANCH: [
        (MeetingKind.COMMITTEE_MEETING, 5, "支委会", None),
        (MeetingKind.THEME_DAY, 15, "主题党日", None),
        (MeetingKind.GENERAL_MEETING, 20, "支部党员大会", (3, 6, 9, 12)),
        (MeetingKind.LECTURE, 25, "党课", (3, 6, 9, 12)),
        (MeetingKind.LIFE_MEETING, 10, "组织生活会", (12,)),
        (MeetingKind.APPRAISAL, 12, "民主评议党员", (12,)),
    ],
    OrganizationKind.PARTY_GROUP: [(MeetingKind.GROUP_MEETING, 8, "党小组会", None)],
}


def _pending(district: District, done: Any) -> list[tuple[int, SubDistrict]]:
    """The district's sub-districts (with their place in it, for their random generator) that
    have none of the rows `done` (a filter on SubDistrict) yet: a part seeded at 1x is not
    seeded again when the district grows to 2x."""
    every = list(SubDistrict.objects.filter(district=district).order_by("pk"))
    have = set(
        SubDistrict.objects.filter(district=district).filter(done).values_list("pk", flat=True)
    )
    return [(index, sd) for index, sd in enumerate(every) if sd.pk not in have]


def seed_meetings(district: District, shape: ScaleShape, *, seed: int = 1) -> int:
    """Three years of 三会一课 for every branch and party group, about 8 % of them skipped so
    the compliance heat map has gaps to show; attendance for the members on the roll that day."""
    pending = _pending(
        district,
        Exists(Meeting.objects.filter(organization__sub_district=OuterRef("pk"))),
    )
    if not pending:
        return 0
    today = timezone.localdate()
    months = [m for m in _months_back(today, shape.years_of_meetings * 12) if m < today]
    rows: list[Meeting] = []

    def add(rng: random.Random, org_id: int, kind: str, day: dt.date, topic: str) -> None:
        if rng.random() < 0.08 or day >= today:
            return
        starts = _at(day, 19)
        rows.append(
            Meeting(
                organization_id=org_id,
                kind=kind,
                topic=topic,
                place="党群服务中心",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1, minutes=30),
                held_on=day,
                status=MeetingStatus.HELD,
                # Not signed off: sign-off seals the minutes (activities/minutes), one by one.
            )
        )

    for index, sub_district in pending:
        rng = random.Random(seed * 1000 + index)  # noqa: S311  (benchmark data)
        organizations = Organization.objects.filter(sub_district=sub_district).order_by("path")
        for org_id, kind in organizations.values_list("pk", "kind"):
            for month in months:
                for meeting_kind, day, topic, in_months in SCHEDULE.get(kind, ()):
                    if in_months is None or month.month in in_months:
                        add(rng, org_id, meeting_kind, month.replace(day=day), topic)
    with transaction.atomic():
        Meeting.objects.bulk_create(rows, batch_size=5000)
        _attendance([sd.pk for _index, sd in pending])
    return len(rows)


def _attendance(sub_district_ids: list[int]) -> None:
    """Everyone on the roll on the day of each meeting expected, mostly present; one
    INSERT … SELECT per audience. "On the roll that day" is the member's dated interval
    (members.querysets.roll_from / roll_until) written out for the seeded rows, which all have
    a joining date."""
    meeting, member, org = (
        Meeting._meta.db_table,
        Member._meta.db_table,
        Organization._meta.db_table,
    )
    status = (
        "CASE WHEN (m.id + mb.id) %% 11 = 0 THEN 'leave' "
        "WHEN (m.id + mb.id) %% 29 = 0 THEN 'absent' ELSE 'present' END"
    )
    reason = "CASE WHEN (m.id + mb.id) %% 11 = 0 THEN '工作出差' ELSE '' END"
    placeholders = ", ".join(["%s"] * len(sub_district_ids))
    select = f"""
        INSERT INTO {Attendance._meta.db_table}
            (meeting_id, member_id, member_name, status, reason, entitled_to_vote)
        SELECT m.id, mb.id, mb.full_name, {status}, {reason}, mb.status = 'full'
        FROM {meeting} m
        JOIN {org} o ON o.id = m.organization_id
        JOIN {member} mb ON mb.{{member_column}} = m.organization_id
        WHERE o.sub_district_id IN ({placeholders}) AND m.kind IN ({{kinds}})
          AND mb.state <> 'incoming'
          AND (mb.joined_on IS NULL OR mb.joined_on <= m.held_on)
          AND (mb.state_changed_on IS NULL
               OR (mb.state = 'active' AND mb.state_changed_on <= m.held_on)
               OR (mb.state <> 'active' AND mb.state_changed_on > m.held_on))
    """  # noqa: S608  (table names and kinds come from the code, the ids are parameters)
    branch_kinds = [
        MeetingKind.GENERAL_MEETING,
        MeetingKind.THEME_DAY,
        MeetingKind.LECTURE,
        MeetingKind.LIFE_MEETING,
        MeetingKind.APPRAISAL,
    ]
    with connection.cursor() as cursor:
        for column, kinds in (
            ("organization_id", branch_kinds),
            ("party_group_id", [MeetingKind.GROUP_MEETING]),
        ):
            quoted = ", ".join(f"'{kind}'" for kind in kinds)
            cursor.execute(select.format(member_column=column, kinds=quoted), sub_district_ids)


def _residents(sub_district: SubDistrict, index: int, count: int) -> list[User]:
    password = make_password(None)
    return User.objects.bulk_create(
        User(
            username=f"scale-resident-{index:02d}-{n:04d}",
            full_name=f"居民{index:02d}{n:04d}",
            password=password,
        )
        for n in range(count)
    )


def seed_bookings(district: District, shape: ScaleShape, *, seed: int = 2) -> int:
    """One service hall per sub-district (six rooms by default), open 8:00–21:00 every day,
    booked in three two-hour slots a day (80 % taken) from a year ago to two weeks ahead."""
    pending = _pending(district, Exists(ServiceHall.objects.filter(sub_district=OuterRef("pk"))))
    if not pending:
        return 0
    today = timezone.localdate()
    days = [
        today + dt.timedelta(days=n)
        for n in range(-shape.booking_days_back, shape.booking_days_ahead + 1)
    ]
    bookings: list[Booking] = []
    with transaction.atomic():
        for index, sub_district in pending:
            rng = random.Random(seed * 1000 + index)  # noqa: S311  (benchmark data)
            hall = ServiceHall.objects.create(
                sub_district=sub_district,
                name=f"{sub_district.name}党群服务中心",
                address=f"{sub_district.name}文化路{index + 1}号",
            )
            OpeningHours.objects.bulk_create(
                OpeningHours(hall=hall, weekday=w, opens_at=dt.time(8), closes_at=dt.time(21))
                for w in range(7)
            )
            rooms = Room.objects.bulk_create(
                Room(hall=hall, name=f"活动室{r + 1}", kind=RoomKind.MULTI_FUNCTION, capacity=30)
                for r in range(shape.rooms_per_hall)
            )
            residents = _residents(sub_district, index, shape.residents_per_sub_district)
            for room in rooms:
                for day in days:
                    for start, end in BOOKING_SLOTS:
                        if rng.random() > 0.8:
                            continue
                        if day < today:
                            roll = rng.random()
                            status = (
                                BookingStatus.CANCELLED
                                if roll < 0.08
                                else BookingStatus.NO_SHOW
                                if roll < 0.12
                                else BookingStatus.CHECKED_IN
                            )
                        else:
                            status = BookingStatus.CONFIRMED
                        bookings.append(
                            Booking(
                                room=room,
                                kind=BookingKind.RESIDENT,
                                resident=(resident := rng.choice(residents)),
                                booked_by=resident,
                                purpose="读书会",
                                attendees=rng.randint(3, 25),
                                starts_at=_at(day, start),
                                ends_at=_at(day, end),
                                status=status,
                            )
                        )
        Booking.objects.bulk_create(bookings, batch_size=5000)
        BookingSpan.objects.bulk_create(
            (
                BookingSpan(
                    booking=b,
                    room_id=b.room_id,
                    starts_at=b.starts_at,
                    ends_at=b.ends_at,
                    is_holding=b.status in (BookingStatus.CHECKED_IN, BookingStatus.CONFIRMED),
                )
                for b in bookings
            ),
            batch_size=5000,
        )
    return len(bookings)


def seed_volunteering(district: District, shape: ScaleShape, *, seed: int = 3) -> int:
    """Per sub-district (by default): 24 teams in 6 communities, 400 volunteers, two
    activities a month per team for the past year, 15 volunteers signed in and out at each."""
    pending = _pending(
        district, Exists(VolunteerTeam.objects.filter(community__sub_district=OuterRef("pk")))
    )
    if not pending:
        return 0
    today = timezone.localdate()
    months = _months_back(today, 12)
    enrollments: list[Enrollment] = []
    with transaction.atomic():
        for index, sub_district in pending:
            rng = random.Random(seed * 1000 + index)  # noqa: S311  (benchmark data)
            communities = Community.objects.bulk_create(
                Community(sub_district=sub_district, name=f"{sub_district.name}第{c + 1}社区")
                for c in range(shape.communities_per_sub_district)
            )
            teams = VolunteerTeam.objects.bulk_create(
                VolunteerTeam(
                    community=communities[t % len(communities)],
                    name=f"志愿服务队{t + 1:02d}",
                    kind="other",
                )
                for t in range(shape.teams_per_sub_district)
            )
            volunteers = Volunteer.objects.bulk_create(
                Volunteer(
                    sub_district=sub_district,
                    full_name=f"志愿者{v:03d}",
                    community=communities[v % len(communities)],
                )
                for v in range(shape.volunteers_per_sub_district)
            )
            TeamMembership.objects.bulk_create(
                TeamMembership(
                    team=teams[i % len(teams)], volunteer=v, status=MembershipStatus.ACTIVE
                )
                for i, v in enumerate(volunteers)
            )
            activities = ServiceActivity.objects.bulk_create(
                ServiceActivity(
                    team=team,
                    title="社区志愿服务",
                    starts_at=_at(month.replace(day=day), 9),
                    ends_at=_at(month.replace(day=day), 11),
                    place="社区",
                    capacity=shape.enrolled_per_activity,
                    signed_up_count=shape.enrolled_per_activity,
                    sign_in_code="123456",
                )
                for team in teams
                for month in months
                for day in (5, 20)
                if month.replace(day=day) < today
            )
            for activity in activities:
                for volunteer in rng.sample(volunteers, shape.enrolled_per_activity):
                    enrollments.append(
                        Enrollment(
                            activity=activity,
                            volunteer=volunteer,
                            status=EnrollmentStatus.SIGNED_UP,
                            signed_in_at=activity.starts_at,
                            signed_out_at=activity.ends_at,
                            credit_minutes=rng.choice([90, 110, 120]),
                        )
                    )
        Enrollment.objects.bulk_create(enrollments, batch_size=5000)
    return len(enrollments)


def counts(district: District) -> dict[str, int]:
    in_district = {"organization__sub_district__district": district}
    hours = Enrollment.objects.filter(
        activity__team__community__sub_district__district=district
    ).aggregate(n=Count("pk"), minutes=Sum("credit_minutes"))
    return {
        "meetings": Meeting.objects.filter(**in_district).count(),
        "attendance": Attendance.objects.filter(
            meeting__organization__sub_district__district=district
        ).count(),
        "bookings": Booking.objects.filter(room__hall__sub_district__district=district).count(),
        "enrollments": hours["n"],
        "volunteer_hours": (hours["minutes"] or 0) // 60,
    }
