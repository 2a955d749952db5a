"""北林路's work targets, inspections and 述职评议 (idempotent: a sub-district with a plan of
the year is left as it is). A staff account for 北林路 (`beilinlu_staff`) and the secretary of
国泰一品 (`guotai_secretary`) own the targets; the plan of this year holds a dozen targets (computed
and reported), a few held theme days give the traffic lights their colours, two inspections
have rectifications (one closed, one open and one overdue), a ranking of last week is published,
and last year's 述职评议 is decided with its grades.

Demo people are invented. Runs on SQLite (the compliance metric too)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import grant_role
from activities.models import Meeting, MeetingKind, MeetingStatus
from assessment.models import AssessmentSettings, Plan, RankingWeek, Rectification
from assessment.ranking import week_of
from assessment.services import inspections, targets, year_end
from branches.models import Organization, OrganizationKind, Sector, SubDistrict

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (the demo accounts' documented password)
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # the README's demo key


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _accounts(sub_district: SubDistrict, guotai: Organization) -> tuple[User, User]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = _user("beilinlu_staff", "陈静")
    if not staff.role_assignments.filter(role=Role.SUB_DISTRICT_STAFF, is_active=True).exists():
        grant_role(
            user=staff, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district, granted_by=None
        )
    TOTPDevice.objects.get_or_create(
        user=staff, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    secretary = _user("guotai_secretary", "孙丽")
    if not secretary.role_assignments.filter(role=Role.SECRETARY, is_active=True).exists():
        grant_role(user=secretary, role=Role.SECRETARY, organization=guotai, granted_by=None)
    return staff, secretary


TARGETS = [
    # title, metric, goal, weight, sector or branch name ("" = every branch)
    ("每季度至少1次主题党日（全年≥4次）", "theme_days_held", 4, 12, ""),
    ("三会一课按期召开率 ≥ 90%", "compliance_rate", 90, 12, ""),
    ("在职党员到社区报到率 ≥ 95%", "inservice_registration_rate", 95, 10, Sector.COMMUNITY),
    ("需求清单认领 ≥ 5 项", "claimed_needs", 5, 8, Sector.COMMUNITY),
    ("志愿服务时长 ≥ 100 小时", "volunteer_hours", 100, 8, Sector.COMMUNITY),
    ("党费按月收缴率 100%", "dues_collection_rate", 100, 10, ""),
    ("组织生活会及时召开（全年≥12次会议）", "meetings_held", 12, 8, Sector.NON_PUBLIC_ENTERPRISE),
    ("微心愿认领 ≥ 20 个", "", 20, 8, "国泰一品社区党支部"),
    ("“四点课堂”开课 ≥ 30 次", "", 30, 6, "国泰一品社区党支部"),
    ("“311”空巢老人帮扶 ≥ 50 户", "", 50, 6, "鑫苑社区党总支"),
    ("红叶合唱团等文化队伍展演 ≥ 6 场", "", 6, 6, ""),
    ("两新组织党建指导员走访 ≥ 19 家", "", 19, 6, Sector.SOCIAL_ORGANIZATION),
]


def seed() -> None:
    sub_district = SubDistrict.objects.filter(name="北林路街道").first()
    if sub_district is None:
        return
    today = timezone.localdate()
    branches = {
        b.name: b
        for b in Organization.objects.filter(
            sub_district=sub_district,
            status="active",
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH],
        )
    }
    guotai = branches.get("国泰一品社区党支部")
    if guotai is None:
        return
    staff, secretary = _accounts(sub_district, guotai)
    year = 2026 if today.year >= 2026 else today.year
    if not Plan.objects.filter(sub_district=sub_district, year=year).exists():
        _plan(sub_district, year, staff, secretary, branches, today)
        _meetings(branches, year, today)
        _inspections(sub_district, staff, secretary, branches, today)
        _ranking(sub_district, staff, today)
    if not sub_district.assessment_rounds.filter(year=year).exists():
        _round(sub_district, year, staff, secretary, today)


def _plan(sub_district, year, staff, secretary, branches, today) -> None:
    plan = targets.create_plan(
        sub_district=sub_district, year=year, title=f"北林路街道{year}年党建目标考核", actor=staff
    )
    for title, metric, goal, weight, where in TARGETS:
        branch = branches.get(where)
        reported_by = (
            secretary if branch is not None and branch.name == "国泰一品社区党支部" else staff
        )
        target = targets.add_target(
            plan=plan,
            title=title,
            owner=reported_by if not metric else staff,
            deadline=dt.date(year, 12, 31),
            weight=weight,
            goal=Decimal(goal),
            metric=metric,
            organization=branch,
            sector=where if where and branch is None else "",
            actor=staff,
        )
        if not metric and today.year == year:
            # Reported figures: half reach the goal and are accepted, the rest await review.
            reached = len(plan.targets.filter(metric="")) % 2 == 1
            report = targets.submit_report(
                target=target,
                value=Decimal(goal if reached else goal * 3 // 4),
                text="截至目前的完成情况，附活动照片与台账。",
                evidence=None,
                actor=target.owner,
            )
            if reached:
                targets.review_report(report=report, accept=True, actor=staff)
    targets.adopt_plan(plan=plan, actor=staff)


def _meetings(branches, year, today) -> None:
    """Theme days held by a few branches (some on pace, some behind) for the traffic lights."""
    last_month = today.month if today.year == year else 12
    rows = []
    for n, name in enumerate(sorted(branches)):
        held = [m for m in range(1, last_month + 1) if (m + n) % (n % 4 + 1) == 0]
        for month in held:
            day = dt.date(year, month, 10)
            if day > today:
                continue
            rows.append(
                Meeting(
                    organization=branches[name],
                    kind=MeetingKind.THEME_DAY,
                    topic=f"{month}月主题党日",
                    place="党群服务中心",
                    starts_at=timezone.make_aware(dt.datetime(year, month, 10, 9)),
                    held_on=day,
                    status=MeetingStatus.HELD,
                )
            )
    Meeting.objects.bulk_create(rows)


def _inspections(sub_district, staff, secretary, branches, today) -> None:
    routine = inspections.create_checklist(
        sub_district=sub_district,
        title="日常督查：基层党建工作",
        kind="routine",
        items=[
            ("三会一课记录完整、签到表齐全", Decimal(30)),
            ("党费按月收缴、台账清楚", Decimal(20)),
            ("党群服务中心阵地规范、开放正常", Decimal(25)),
            ("党务公开及时", Decimal(25)),
        ],
        actor=staff,
    )
    special = inspections.create_checklist(
        sub_district=sub_district,
        title="专项督查：在职党员双报到",
        kind="special",
        items=[("报到台账完整", Decimal(50)), ("服务记录与反馈函", Decimal(50))],
        actor=staff,
    )
    guotai = branches["国泰一品社区党支部"]
    first = inspections.record_inspection(
        checklist=routine,
        organization=guotai,
        visited_on=today - dt.timedelta(days=30),
        inspectors="街道组织办 陈静、刘洋",
        summary="整体规范，会议记录个别缺签到表，党务公开栏未及时更新。",
        scores=dict(
            zip(
                routine.items.order_by("position").values_list("pk", flat=True),
                [
                    (Decimal(24), "5月支委会缺签到表"),
                    (Decimal(20), ""),
                    (Decimal(22), ""),
                    (Decimal(15), "公开栏内容停留在一季度"),
                ],
                strict=True,
            )
        ),
        actor=staff,
    )
    closed = inspections.add_rectification(
        inspection=first,
        description="补齐5月支委会签到表",
        owner=secretary,
        deadline=today - dt.timedelta(days=10),
        actor=staff,
    )
    inspections.submit_evidence(
        item=closed, text="已补齐签到表并归档。", evidence=None, actor=secretary
    )
    inspections.review_rectification(item=closed, accept=True, actor=staff)
    inspections.add_rectification(
        inspection=first,
        description="更新党务公开栏至本季度",
        owner=secretary,
        deadline=today + dt.timedelta(days=2),
        actor=staff,
    )
    xinyuan = branches.get("鑫苑社区党总支") or guotai
    second = inspections.record_inspection(
        checklist=special,
        organization=xinyuan,
        visited_on=today - dt.timedelta(days=20),
        inspectors="街道组织办 刘洋",
        summary="报到台账完整，季度反馈函未按时寄送。",
        scores=dict(
            zip(
                special.items.order_by("position").values_list("pk", flat=True),
                [(Decimal(45), ""), (Decimal(30), "二季度反馈函未寄送")],
                strict=True,
            )
        ),
        actor=staff,
    )
    overdue = inspections.add_rectification(
        inspection=second,
        description="补寄二季度在职党员反馈函",
        owner=staff,
        deadline=today - dt.timedelta(days=3),
        actor=staff,
    )
    # Escalated as the beat scan would have done (once).
    inspections.escalate_rectification(overdue.pk)
    assert Rectification.objects.filter(pk=overdue.pk, escalated_at__isnull=False).exists()


def _ranking(sub_district, staff, today) -> None:
    week = week_of(today) - dt.timedelta(days=7)
    if not RankingWeek.objects.filter(sub_district=sub_district, week_start=week).exists():
        targets.publish_ranking(sub_district=sub_district, week_start=week, actor=staff)


def _round(sub_district, year, staff, secretary, today) -> None:
    """The year's 述职评议, decided: reports, the committee's ratings, the representatives'
    secret ballots (through the service, inside the window)."""
    opens_on = max(dt.date(year, 1, 1), today - dt.timedelta(days=2))
    # 北林路's local figure: a total below 45 is 差 (the default is 60).
    AssessmentSettings.objects.update_or_create(
        sub_district=sub_district, defaults={"poor_below": 45, "ranking_public": True}
    )
    assessment_round = year_end.open_round(
        sub_district=sub_district,
        year=year,
        opens_on=opens_on,
        closes_on=max(opens_on, min(dt.date(year, 12, 31), today + dt.timedelta(days=12))),
        weights=(50, 20, 30),
        representatives=[staff, secretary],
        actor=staff,
    )
    rows = list(
        assessment_round.branches.select_related("organization").order_by("organization__path")
    )
    for n, branch in enumerate(rows):
        year_end.record_report(
            branch=branch,
            text=f"{branch.organization.name}{year}年度书记抓基层党建工作述职报告：落实三会一课，"
            "推进双报到，开展志愿服务。",
            actor=staff,
        )
        year_end.rate_by_committee(branch=branch, score=Decimal(95 - (n * 7) % 40), actor=staff)
    if assessment_round.opens_on <= today <= assessment_round.closes_on:
        grades = ["good", "fairly_good", "average", "poor"]
        for voter_n, voter in enumerate([staff, secretary]):
            year_end.cast_rating(
                assessment_round=assessment_round,
                voter=voter,
                grades={
                    branch.pk: grades[(n + voter_n) % 3 if n % 9 else 3]
                    for n, branch in enumerate(rows)
                },
            )
    # A residents' representative (群众代表) with an account, who rates from /me/ (the round is
    # decided here, so the page shows it decided; a round in its window shows the ballot).
    representative = _user("beilinlu_representative", "刘桂兰")
    year_end.name_representatives(
        assessment_round=assessment_round, users=[representative], actor=staff
    )
    year_end.decide_round(assessment_round=assessment_round, actor=staff)
