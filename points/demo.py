"""Demo points for 如意湖: the default rule table, a rule changed in June of this year, a few
manual awards (one approved, one waiting), the score the work committee gave two branches, and
the ledger of this year and last recomputed from the demo's meetings, volunteering and services.
Idempotent: a sub-district with awards already is only recomputed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from activities.models import Attendance, MakeUpTask
from branches.models import Organization, SubDistrict
from members.models import Member
from points.models import BranchScore, ManualAward, PointRule, PointsSettings
from points.services import decisions
from points.services.recompute import recompute_sub_district, seed_default_rules
from volunteers.models import Volunteer

SUB_DISTRICT = "如意湖办事处"
BRANCH = "联盟新城社区党支部"


def seed() -> None:
    sub_district = SubDistrict.objects.filter(name=SUB_DISTRICT).first()
    if sub_district is None:
        return
    today = timezone.localdate()
    seed_default_rules(sub_district)
    # 如意湖 names its ten best members of the month on the resident site's honour roll.
    PointsSettings.objects.update_or_create(
        sub_district=sub_district, defaults={"public_top_members": 10}
    )
    staff = User.objects.filter(username="ruyihu_staff").first()
    secretary = User.objects.filter(username="lianmeng_secretary").first()
    june = dt.date(today.year, 6, 1)
    if (
        june <= today
        and not PointRule.objects.filter(sub_district=sub_district, valid_from=june).exists()
    ):
        # Volunteering counts more from June: 2 points an hour, still at most 10 a month.
        PointRule.objects.create(
            sub_district=sub_district,
            event="volunteer_hours",
            valid_from=june,
            points=Decimal(2),
            cap_month=Decimal(10),
            note="六月起志愿服务每小时 2 分",
        )
    if not ManualAward.objects.filter(member__organization__sub_district=sub_district).exists():
        _awards(sub_district, staff, secretary, today)
        _volunteers_who_are_members(sub_district)
        _make_up_study(sub_district, today)
    for name, score, reason in (
        (BRANCH, Decimal(5), "党建品牌创建成效明显"),
        ("天路社区党支部", Decimal(2), "主题党日形式新颖"),
    ):
        branch = Organization.objects.filter(sub_district=sub_district, name=name).first()
        if (
            branch is not None
            and not BranchScore.objects.filter(organization=branch, year=today.year).exists()
        ):
            decisions.set_branch_score(
                organization=branch, year=today.year, score=score, reason=reason, actor=staff
            )
    recompute_sub_district(
        sub_district=sub_district, first=dt.date(today.year - 1, 1, 1), last=today
    )


def _volunteers_who_are_members(sub_district: SubDistrict) -> None:
    """Link the sub-district's first twelve volunteers to members of 联盟新城 (party members who
    volunteer), so their credit hours earn points."""
    members = list(
        Member.objects.current()
        .filter(organization__sub_district=sub_district, organization__name=BRANCH)
        .exclude(volunteer_records__sub_district=sub_district)
        .order_by("pk")[:12]
    )
    volunteers = list(
        Volunteer.objects.filter(sub_district=sub_district, member__isnull=True).order_by("pk")[
            : len(members)
        ]
    )
    for volunteer, member in zip(volunteers, members, strict=False):
        volunteer.member = member
    Volunteer.objects.bulk_update(volunteers, ["member"])


def _make_up_study(sub_district: SubDistrict, today: dt.date) -> None:
    """Make-up study for those on leave at 联盟新城's meetings: two in three done in time, the
    others still open (overdue once their 30 days have passed)."""
    leave = (
        Attendance.objects.filter(
            meeting__organization__sub_district=sub_district,
            meeting__organization__name=BRANCH,
            meeting__status="held",
            status="leave",
        )
        .exclude(meeting__make_up_tasks__member_id=F("member_id"))
        .select_related("meeting")
        .order_by("pk")
    )
    tasks = []
    for index, row in enumerate(leave):
        due = row.meeting.held_on + dt.timedelta(days=30)
        done = row.meeting.held_on + dt.timedelta(days=7) if index % 3 else None
        tasks.append(
            MakeUpTask(
                meeting=row.meeting,
                member_id=row.member_id,
                due_on=due,
                done_on=done if done and done <= today else None,
                note="自学会议精神" if done else "",
            )
        )
    MakeUpTask.objects.bulk_create(tasks, ignore_conflicts=True)


def _awards(sub_district: SubDistrict, staff: User | None, secretary: User | None, today) -> None:
    members = list(
        Member.objects.current()
        .filter(organization__sub_district=sub_district, organization__name=BRANCH)
        .order_by("pk")[:3]
    )
    if len(members) < 3 or staff is None or secretary is None:
        return
    day = today - dt.timedelta(days=20)
    approved = decisions.propose_award(
        member=members[0], day=day, points=Decimal(5), reason="带头参加防汛救灾", actor=secretary
    )
    decisions.decide_award(award=approved, approve=True, actor=staff)
    decisions.propose_award(
        member=members[1],
        day=day,
        points=Decimal(3),
        reason="义务调解邻里纠纷",
        actor=secretary,
    )
    deduction = decisions.propose_award(
        member=members[2], day=day, points=Decimal(-2), reason="未按时提交学习笔记", actor=staff
    )
    decisions.decide_award(award=deduction, approve=True, actor=secretary)
