"""The report pack's figures for a known quarter (2026 Q2), built from dated records, checked
table by table, including records that fall just outside the quarter or scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from activities.models import LectureKind, MeetingKind
from branches.models import OrganizationKind, Sector
from branches.services.tree import dissolve_organization, found_organization
from members.models import MembershipState, MemberStatus
from regional.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    JointMeeting,
    RegionalCommittee,
    Resolution,
)
from reports.figures import build_figures, section, table_of
from reports.scope import ReportScope
from tests.accounts.factories import UserFactory
from tests.activities.factories import MeetingFactory
from tests.branches.factories import CoBuildingUnitFactory, CommunityFactory, SubDistrictFactory
from tests.members.factories import MemberFactory
from tests.venues.factories import RoomFactory, ServiceHallFactory
from tests.volunteers.factories import (
    EnrollmentFactory,
    ServiceActivityFactory,
    VolunteerTeamFactory,
)
from venues.models import Booking, BookingKind, BookingStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def found(parent, name, kind=OrganizationKind.BRANCH, sector=Sector.COMMUNITY, on=None):
    return found_organization(
        sub_district=parent.sub_district,
        parent=parent,
        name=name,
        kind=kind,
        sector=sector,
        founded_on=on or dt.date(2020, 1, 1),
        actor=None,
    )


@pytest.fixture
def world():
    sub_district = SubDistrictFactory(name="测试街道")
    root = found_organization(
        sub_district=sub_district,
        parent=None,
        name="测试街道党工委",
        kind=OrganizationKind.WORK_COMMITTEE,
        founded_on=dt.date(2019, 1, 1),
        actor=None,
    )
    general = found(root, "一号社区党总支", OrganizationKind.GENERAL_BRANCH)
    community_a = found(general, "甲社区党支部")
    community_b = found(root, "乙社区党支部")
    village = found(root, "丙村党支部", sector=Sector.VILLAGE)
    enterprise = found(root, "丁公司党支部", sector=Sector.NON_PUBLIC_ENTERPRISE)
    social = found(root, "戊协会党支部", sector=Sector.SOCIAL_ORGANIZATION)
    # Founded after the quarter: not counted.
    found(root, "己公司党支部", sector=Sector.NON_PUBLIC_ENTERPRISE, on=dt.date(2026, 8, 1))
    # Dissolved during the quarter: gone at its end, and counted as a change.
    doomed = found(root, "庚公司党支部", sector=Sector.NON_PUBLIC_ENTERPRISE)
    dissolve_organization(organization=doomed, on=dt.date(2026, 5, 15), actor=None)
    # Another sub-district: never counted.
    other_root = found_organization(
        sub_district=SubDistrictFactory(name="别的街道"),
        parent=None,
        name="别的党工委",
        kind=OrganizationKind.WORK_COMMITTEE,
        founded_on=dt.date(2019, 1, 1),
        actor=None,
    )
    other_branch = found(other_root, "别的社区党支部")
    return {
        "sub_district": sub_district,
        "root": root,
        "general": general,
        "a": community_a,
        "b": community_b,
        "village": village,
        "enterprise": enterprise,
        "social": social,
        "other_branch": other_branch,
    }


def build(world, **scope):
    with translation.override("en"):
        return build_figures(
            ReportScope(sub_district=world["sub_district"], **scope), 2026, 2, today=TODAY
        )


def rows(figures, section, key):
    return {row[0]: row[1:] for row in table_of(figures, section, key)["rows"]}


def test_organisations_are_counted_as_they_stood_at_quarter_end(world):
    figures = build(world)
    headline = rows(figures, "organisation", "headline")
    assert headline["General branches"] == [1]
    assert headline["Community branches"] == [2]
    assert headline["Village branches"] == [1]
    assert headline["Two-new branches"] == [2]  # not the later one, not the dissolved one
    assert headline["Branches in all"] == [5]
    changes = rows(figures, "organisation", "changes")
    assert changes["Dissolved"] == [1]
    assert changes["Founded"] == [0]  # all were founded before April 2026 or after June
    by_kind = table_of(figures, "organisation", "by_kind")
    assert by_kind["totals"][-1] == 6  # the general branch and five branches


def test_members_are_counted_from_their_dates(world):
    a, b = world["a"], world["b"]
    MemberFactory.create_batch(3, organization=a)  # full since 2006
    MemberFactory(
        organization=a,
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 5, 10),
        confirmed_on=None,
    )
    # Full today, but confirmed in June: full at the end of the quarter, confirmed in it.
    MemberFactory(organization=b, joined_on=dt.date(2025, 6, 1), confirmed_on=dt.date(2026, 6, 1))
    # Confirmed after the quarter: still probationary at its end.
    MemberFactory(organization=b, joined_on=dt.date(2025, 8, 1), confirmed_on=dt.date(2026, 8, 1))
    # Joined after the quarter: not on the roll then.
    MemberFactory(
        organization=b,
        status=MemberStatus.PROBATIONARY,
        joined_on=dt.date(2026, 8, 1),
        confirmed_on=None,
    )
    MemberFactory(organization=b, state=MembershipState.LEFT, state_changed_on=dt.date(2026, 5, 20))
    # Left after the quarter: still on the roll at its end.
    MemberFactory(
        organization=b, state=MembershipState.DECEASED, state_changed_on=dt.date(2026, 9, 1)
    )
    MemberFactory(organization=a, out_of_contact_since=dt.date(2026, 1, 5))
    MemberFactory(organization=world["other_branch"])

    figures = build(world)
    by_status = rows(figures, "members", "by_status")
    assert by_status["Full member"] == [6]  # 3 + confirmed in June + deceased later + lost
    assert by_status["Probationary member"] == [2]
    assert table_of(figures, "members", "by_status")["totals"] == ["Total", 8]
    flows = rows(figures, "members", "flows")
    assert flows["Joined the party"] == [1]
    assert flows["Confirmed as full members"] == [1]
    assert flows["Left the party"] == [1]
    assert flows["Deceased"] == [0]
    assert flows["Out of contact at quarter end"] == [1]
    assert build(world, organization=a)["sections"][0]["figures"]["members"] == 5


def test_organisational_life_compares_held_with_required(world):
    a = world["a"]
    for day in (dt.date(2026, 4, 8), dt.date(2026, 5, 8), dt.date(2026, 6, 8)):
        MeetingFactory(organization=a, kind=MeetingKind.THEME_DAY, held_on=day)
    MeetingFactory(
        organization=a,
        kind=MeetingKind.LECTURE,
        lecture_kind=LectureKind.SECRETARY,
        held_on=dt.date(2026, 6, 20),
    )
    MeetingFactory(organization=a, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 7, 8))
    MeetingFactory(
        organization=world["other_branch"], kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 5, 8)
    )
    figures = build(world)
    by_kind = rows(figures, "organisational_life", "by_kind")
    assert by_kind["Theme party day"] == [3]
    assert by_kind["Secretary's lecture"] == [1]
    per_branch = table_of(figures, "organisational_life", "per_branch")
    names = [row[0] for row in per_branch["rows"]]
    assert names == ["甲社区党支部", "乙社区党支部", "丙村党支部", "丁公司党支部", "戊协会党支部"]
    columns = per_branch["columns"]
    theme = columns.index("Theme party day")
    row_a = per_branch["rows"][0]
    assert row_a[theme] == "3/3"
    assert per_branch["rows"][1][theme] == "0/3"
    behind = {row[0] for row in table_of(figures, "organisational_life", "behind")["rows"]}
    assert "乙社区党支部" in behind
    life = section(figures, "organisational_life")["figures"]
    assert 0 < life["met"] < life["required"]


def test_volunteer_service_of_the_quarter_per_team(world):
    community = CommunityFactory(sub_district=world["sub_district"], name="甲社区")
    team = VolunteerTeamFactory(community=community, name="红马甲")
    held = ServiceActivityFactory(
        team=team, starts_at=at(dt.date(2026, 5, 1)), ends_at=at(dt.date(2026, 5, 1), 12)
    )
    EnrollmentFactory(activity=held, credit_minutes=60)
    EnrollmentFactory(activity=held, credit_minutes=90)
    EnrollmentFactory(activity=held, credit_minutes=0)  # no credit: not a service
    later = ServiceActivityFactory(
        team=team, starts_at=at(dt.date(2026, 7, 1)), ends_at=at(dt.date(2026, 7, 1), 12)
    )
    EnrollmentFactory(activity=later, credit_minutes=600)
    figures = build(world)
    per_team = table_of(figures, "volunteers", "per_team")
    assert per_team["rows"] == [["甲社区", "红马甲", 1, 2, 2, 2.5, 0]]


def test_room_use_of_the_quarter(world):
    hall = ServiceHallFactory(sub_district=world["sub_district"], name="党群服务中心")
    room = RoomFactory(hall=hall, name="会议室")
    user = UserFactory(phone="13700000000")

    def booking(day, hours, status):
        Booking.objects.create(
            room=room,
            kind=BookingKind.RESIDENT,
            resident=user,
            booked_by=user,
            purpose="开会",
            starts_at=at(day),
            ends_at=at(day) + dt.timedelta(hours=hours),
            status=status,
        )

    booking(dt.date(2026, 4, 2), 2, BookingStatus.CONFIRMED)
    booking(dt.date(2026, 5, 2), 3, BookingStatus.CHECKED_IN)
    booking(dt.date(2026, 6, 2), 1, BookingStatus.NO_SHOW)
    booking(dt.date(2026, 6, 3), 4, BookingStatus.CANCELLED)
    booking(dt.date(2026, 7, 2), 5, BookingStatus.CHECKED_IN)
    figures = build(world)
    (row,) = table_of(figures, "venues", "per_room")["rows"]
    open_hours = 13 * 91  # 08:00–21:00 on each of the 91 days of the quarter
    assert row == ["党群服务中心", "会议室", 3, 6.0, 3.0, open_hours, round(600 / open_hours, 1), 1]


def test_regional_committee_meetings_attendance_and_action_items(world):
    community = CommunityFactory(sub_district=world["sub_district"], name="甲社区")
    committee = RegionalCommittee.objects.create(
        sub_district=world["sub_district"], level="sub_district", name="测试大工委"
    )
    committee.communities.add(community)
    unit_a, unit_b = CoBuildingUnitFactory.create_batch(2, sub_district=world["sub_district"])
    meeting = JointMeeting.objects.create(
        committee=committee,
        scheduled_on=dt.date(2026, 5, 20),
        year=2026,
        quarter=2,
        topic="联席会议",
        status="held",
    )
    Attendance.objects.create(meeting=meeting, unit=unit_a, status=AttendanceStatus.PRESENT)
    Attendance.objects.create(
        meeting=meeting, unit=unit_b, status=AttendanceStatus.ABSENT, reason="出差"
    )
    resolution = Resolution.objects.create(meeting=meeting, text="共建停车场")
    ActionItem.objects.create(
        resolution=resolution,
        title="完成",
        owner_unit=unit_a,
        deadline=dt.date(2026, 6, 1),
        status="done",
        done_on=dt.date(2026, 6, 1),
    )
    ActionItem.objects.create(
        resolution=resolution, title="逾期", owner_unit=unit_b, deadline=dt.date(2026, 6, 10)
    )
    ActionItem.objects.create(
        resolution=resolution,
        title="未到期",
        owner_community=community,
        deadline=dt.date(2026, 9, 1),
    )
    figures = build(world)
    (row,) = table_of(figures, "regional", "meetings")["rows"]
    assert row == ["测试大工委", 1, 1, 3, 2, 1, 1]
    attendance = table_of(figures, "regional", "attendance")["rows"]
    assert sorted(r[3:] for r in attendance) == [[0, 0, 1, 0.0], [1, 0, 0, 100.0]]
    # A committee scope reports that committee only.
    assert section(build(world, committee=committee), "regional")["figures"]["meetings"] == 1


def test_in_service_members_registered_services_and_who_is_behind(world):
    from members.models import CommunityRegistration, CommunityService

    community = CommunityFactory(sub_district=world["sub_district"], name="甲社区")
    diligent, idle, later = MemberFactory.create_batch(3, organization=world["a"])

    def register(member, on):
        return CommunityRegistration.objects.create(
            member=member, community=community, employer_name="区财政局", registered_on=on
        )

    registration = register(diligent, dt.date(2026, 1, 5))
    register(idle, dt.date(2026, 5, 1))
    register(later, dt.date(2026, 8, 1))  # after the quarter: not counted
    for day, status in ((dt.date(2026, 4, 9), "approved"), (dt.date(2026, 5, 9), "pending")):
        CommunityService.objects.create(
            member=diligent,
            community=community,
            registration=registration,
            served_on=day,
            hours=2.5,
            description="楼道清扫",
            status=status,
        )
    figures = build(world)
    assert table_of(figures, "in_service", "per_community")["rows"] == [
        ["甲社区", 2, 1, 1, 2.5, 0, 1]
    ]
    (behind,) = table_of(figures, "in_service", "behind")["rows"]
    assert behind[1] == idle.full_name and behind[3:] == [0, 1]


def _roster(meeting, statuses):
    """An attendance roster: one member of the meeting's organisation per status."""
    from activities.models import Attendance as MeetingAttendance

    branch = meeting.organization
    for status in statuses:
        member = MemberFactory(organization=branch)
        MeetingAttendance.objects.create(
            meeting=meeting, member=member, member_name=member.full_name, status=status
        )


def test_attendance_rate_per_branch_counts_the_three_meetings_and_one_lesson(world):
    a, b = world["a"], world["b"]
    group = found(a, "甲第一党小组", OrganizationKind.PARTY_GROUP)
    general = MeetingFactory(
        organization=a, kind=MeetingKind.GENERAL_MEETING, held_on=dt.date(2026, 4, 20)
    )
    _roster(general, ["present", "present", "present", "leave"])
    group_meeting = MeetingFactory(
        organization=group, kind=MeetingKind.GROUP_MEETING, held_on=dt.date(2026, 6, 30)
    )
    _roster(group_meeting, ["present", "absent"])
    # Not counted: a theme day (not one of 三会一课), a lecture the day after the quarter,
    # a planned meeting, and another sub-district's branch.
    _roster(
        MeetingFactory(organization=a, kind=MeetingKind.THEME_DAY, held_on=dt.date(2026, 5, 8)),
        ["absent", "absent"],
    )
    _roster(
        MeetingFactory(organization=a, kind=MeetingKind.LECTURE, held_on=dt.date(2026, 7, 1)),
        ["absent"],
    )
    _roster(MeetingFactory(organization=a, kind=MeetingKind.GENERAL_MEETING), ["absent"])
    _roster(
        MeetingFactory(
            organization=world["other_branch"],
            kind=MeetingKind.GENERAL_MEETING,
            held_on=dt.date(2026, 5, 8),
        ),
        ["absent"],
    )
    # A lecture on the quarter's first day with everyone away: expected, not present.
    _roster(
        MeetingFactory(organization=b, kind=MeetingKind.LECTURE, held_on=dt.date(2026, 4, 1)),
        ["leave", "absent"],
    )

    figures = build(world)
    attendance = table_of(figures, "organisational_life", "attendance")
    assert attendance["columns"] == [
        "Branch",
        "Expected",
        "Present",
        "On leave",
        "Absent",
        "Attendance (%)",
    ]
    by_branch = {row[0]: row[1:] for row in attendance["rows"]}
    assert by_branch["甲社区党支部"] == [6, 4, 1, 1, 66.7]  # 4 of 6: the group counts in its branch
    assert by_branch["乙社区党支部"] == [2, 0, 1, 1, 0.0]
    assert by_branch["丙村党支部"] == [0, 0, 0, 0, "—"]  # nobody expected: no rate, no 0/0
    assert attendance["totals"] == ["Total", 8, 4, 2, 2, 50.0]
    life = section(figures, "organisational_life")
    assert life["figures"]["attendance_rate"] == 50.0
    assert "50.0%" in life["summary"]


def test_no_meeting_anywhere_gives_no_attendance_rate(world):
    figures = build(world)
    life = section(figures, "organisational_life")
    assert life["figures"]["attendance_rate"] == "—"
    assert "Attendance" not in life["summary"]
    rows = table_of(figures, "organisational_life", "attendance")["rows"]
    assert rows and all(row[-1] == "—" for row in rows)


def test_members_on_the_roll_at_the_quarter_boundaries(world):
    a = world["a"]
    before = MemberFactory(
        organization=a,
        joined_on=dt.date(2026, 6, 30),
        confirmed_on=None,
        status=MemberStatus.PROBATIONARY,
    )
    MemberFactory(  # joined the day after the quarter
        organization=a,
        joined_on=dt.date(2026, 7, 1),
        confirmed_on=None,
        status=MemberStatus.PROBATIONARY,
    )
    left = MemberFactory(  # left on the quarter's last day: off the roll at its end
        organization=a, state=MembershipState.LEFT, state_changed_on=dt.date(2026, 6, 30)
    )
    stayed = MemberFactory(  # left the day after: still on the roll at the end
        organization=a, state=MembershipState.LEFT, state_changed_on=dt.date(2026, 7, 1)
    )
    figures = build(world)
    assert section(figures, "organisation")["figures"]["members"] == 2
    members = section(figures, "members")["figures"]
    assert members["total"] == 2
    assert members["joined"] == 1
    assert rows(figures, "members", "flows")["Left the party"] == [1]
    from reports.figures import members_on

    scope = ReportScope(sub_district=world["sub_district"])
    assert set(members_on(scope, dt.date(2026, 6, 30))) == {before, stayed}
    assert set(members_on(scope, dt.date(2026, 6, 29))) == {left, stayed}


def _grow(world, branches: int, label: str) -> None:
    """More branches, each with a party group, members, meetings and attendance."""
    for n in range(branches):
        branch = found(world["root"], f"新增支部{label}{n}")
        group = found(branch, "第一党小组", OrganizationKind.PARTY_GROUP)
        for meeting in (
            MeetingFactory(
                organization=branch, kind=MeetingKind.GENERAL_MEETING, held_on=dt.date(2026, 5, 6)
            ),
            MeetingFactory(
                organization=group, kind=MeetingKind.GROUP_MEETING, held_on=dt.date(2026, 5, 9)
            ),
        ):
            _roster(meeting, ["present", "present", "leave"])
        MemberFactory.create_batch(
            3,
            organization=branch,
            joined_on=dt.date(2026, 5, 1),
            confirmed_on=None,
            status=MemberStatus.PROBATIONARY,
        )


def test_the_pack_is_a_fixed_number_of_queries_whatever_the_number_of_branches(
    world,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(world, 1, "甲")
    with CaptureQueriesContext(connection) as small:
        build(world)
    _grow(world, 6, "乙")
    with CaptureQueriesContext(connection) as large:
        figures = build(world)
    assert len(table_of(figures, "organisational_life", "attendance")["rows"]) == 12
    assert len(large.captured_queries) == len(small.captured_queries)
    # The roll is read once per pack, not once per section.
    on_roll = [q for q in large.captured_queries if '"roll_from" <=' in q["sql"]]
    assert len(on_roll) == 1
