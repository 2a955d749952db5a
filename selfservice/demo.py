"""Demo of the member's side: most 如意湖 members bound to accounts, and the `member` demo account
(a member of 联盟新城社区党支部 with an upcoming meeting, a make-up study to do and an in-service
registration whose community has a need to claim). Idempotent; bulk writes only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from activities.models import (
    Attendance,
    AttendanceStatus,
    MakeUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from branches.models import Community, Organization, SubDistrict
from members.models import (
    BindingStatus,
    CommunityNeed,
    CommunityRegistration,
    Member,
    MemberBinding,
)

MEMBER_USERNAME = "member"
BRANCH = "联盟新城社区党支部"
COMMUNITY = "联盟新城社区"


def seed(*, password: str) -> None:
    ruyihu = SubDistrict.objects.filter(name="如意湖办事处").first()
    if ruyihu is None:
        return
    branch = Organization.objects.filter(sub_district=ruyihu, name=BRANCH).first()
    if branch is None:
        return
    demo_member = _demo_member(branch, password)
    if demo_member is None:
        return
    _bind_most(ruyihu, password)
    _upcoming_meeting(branch)
    _make_up_task(branch, demo_member)
    _registration(ruyihu, demo_member)
    _feedback_letter(demo_member)


def _demo_member(branch: Organization, password: str) -> Member | None:
    existing = Member.objects.filter(
        bindings__user__username=MEMBER_USERNAME, bindings__status=BindingStatus.ACTIVE
    ).first()
    if existing is not None:
        return existing
    member = (
        Member.objects.current()
        .filter(organization=branch, status="full")
        .exclude(bindings__status__in=["active", "requested"])
        .order_by("pk")
        .first()
    )
    if member is None:
        return None
    user, _created = User.objects.get_or_create(
        username=MEMBER_USERNAME,
        defaults={
            "full_name": member.full_name,
            "phone": "13800000002",
            "password": make_password(password),
        },
    )
    MemberBinding.objects.create(
        member=member, user=user, status=BindingStatus.ACTIVE, decided_at=timezone.now()
    )
    return member


def _bind_most(sub_district: SubDistrict, password: str) -> None:
    """Four members in five of 如意湖 get an account `m<member id>` (the demo password)."""
    unbound = list(
        Member.objects.current()
        .filter(organization__sub_district=sub_district)
        .exclude(bindings__status__in=["active", "requested", "invited"])
        .values_list("pk", "full_name")
    )
    wanted = [(pk, name) for pk, name in unbound if pk % 5]
    if not wanted:
        return
    hashed = make_password(password)  # one hash for all: PBKDF2 per user would take minutes
    User.objects.bulk_create(
        [User(username=f"m{pk}", full_name=name, password=hashed) for pk, name in wanted],
        batch_size=1000,
        ignore_conflicts=True,
    )
    users = dict(
        User.objects.filter(username__in=[f"m{pk}" for pk, _ in wanted]).values_list(
            "username", "pk"
        )
    )
    now = timezone.now()
    MemberBinding.objects.bulk_create(
        [
            MemberBinding(
                member_id=pk,
                user_id=users[f"m{pk}"],
                status=BindingStatus.ACTIVE,
                decided_at=now,
            )
            for pk, _ in wanted
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _upcoming_meeting(branch: Organization) -> None:
    now = timezone.now()
    if Meeting.objects.filter(
        organization=branch, status=MeetingStatus.PLANNED, starts_at__gt=now
    ).exists():
        return
    day = timezone.localdate() + dt.timedelta(days=2)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(19)))
    Meeting.objects.create(
        organization=branch,
        kind=MeetingKind.THEME_DAY,
        topic="主题党日：学习贯彻党的二十届四中全会精神",
        place="联盟新城社区党群服务中心二楼会议室",
        agenda="一、集中学习\n二、交流发言\n三、志愿服务安排",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1, minutes=30),
        status=MeetingStatus.PLANNED,
    )


def _make_up_task(branch: Organization, member: Member) -> None:
    if MakeUpTask.objects.filter(member=member, done_on__isnull=True).exists():
        return
    # Not a signed-off meeting: its attendance is sealed (activities.minutes), and changing it
    # here would break its chain. The newest by date, then by id: several meetings share a day.
    held = (
        Meeting.objects.filter(
            organization=branch, status=MeetingStatus.HELD, signed_off_at__isnull=True
        )
        .exclude(kind=MeetingKind.COMMITTEE_MEETING)
        .exclude(make_up_tasks__member=member)
        .order_by("-held_on", "-pk")
        .first()
    )
    if held is None:
        return
    Attendance.objects.filter(meeting=held, member=member).update(
        status=AttendanceStatus.ABSENT, reason=""
    )
    MakeUpTask.objects.create(
        meeting=held, member=member, due_on=timezone.localdate() + dt.timedelta(days=14)
    )


def _registration(sub_district: SubDistrict, member: Member) -> None:
    community = Community.objects.filter(sub_district=sub_district, name=COMMUNITY).first()
    if community is None:
        return
    if not CommunityRegistration.objects.filter(member=member, ended_on=None).exists():
        CommunityRegistration.objects.create(
            member=member,
            community=community,
            employer_name="郑州市儿童医院",
            registered_on=timezone.localdate() - dt.timedelta(days=120),
        )
    today = timezone.localdate()
    if not CommunityNeed.objects.filter(
        community=community, is_closed=False, needed_by__gte=today
    ).exists():
        CommunityNeed.objects.create(
            community=community,
            title="独居老人周末探访",
            description="每周六上午陪伴聊天、代购生活用品",
            needed_by=today + dt.timedelta(days=14),
            slots=3,
        )


def _feedback_letter(member: Member) -> None:
    """Last quarter's letter to the demo member's employer, with one approved service in it,
    so 我的报到 shows a letter (built once: `build_letter` is idempotent)."""
    from members.inservice.letters import build_letter, previous_quarter
    from members.models import CommunityService, ReviewStatus

    period = previous_quarter()
    registration = (
        CommunityRegistration.objects.filter(member=member, registered_on__lte=period.end)
        .select_related("community__sub_district", "employer_organization", "employer_unit")
        .order_by("-registered_on")
        .first()
    )
    if registration is None:
        return
    served_on = max(registration.registered_on, period.end - dt.timedelta(days=20))
    if not CommunityService.objects.filter(member=member, served_on=served_on).exists():
        CommunityService.objects.create(
            member=member,
            community=registration.community,
            registration=registration,
            served_on=served_on,
            hours=2,
            description="独居老人周末探访",
            status=ReviewStatus.APPROVED,
            reviewed_at=timezone.now(),
        )
    build_letter(registration, period)
