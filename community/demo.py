"""Demo data of community life (issue 23), from the seeds.

老年大学如意湖分校 (run by 如意湖党工委 with 郑州市老年大学 since 2017) with its six courses
(摄影, 书法, 国画, 英语, 太极, 茶艺) in a spring term, in the 老年大学教室 of
联盟新城社区党群服务中心; the "最美如意人" campaign with nominees, votes and three jury
members' scores (votes weighted with the jury's average). Dates are relative
to today so that the enrolment window and the vote are open. Runs on SQLite. Nominees, teachers
and voters are invented people.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import ResidentProfile
from branches.models import Community, Organization, SubDistrict
from community.models import (
    Campaign,
    Category,
    Course,
    NominationStatus,
    ResultRule,
    School,
    Term,
)
from community.services import campaigns, courses, setup
from venues.models import Room

User = get_user_model()

COURSES = [
    # title, teacher username, teacher name, weekday, places, min age
    ("摄影", "teacher_sheying", "郭文华", 0, 20, None),
    ("书法", "teacher_shufa", "马国庆", 1, 25, None),
    ("国画", "teacher_guohua", "陈素琴", 2, 20, None),
    ("英语", "teacher_yingyu", "林雪", 3, 25, None),
    ("太极", "teacher_taiji", "周振武", 4, 30, 50),
    ("茶艺", "teacher_chayi", "何静", 5, 16, None),
]
NOMINEES = {
    "最美家庭": [
        ("王秀英家庭", "三代同堂，孝老爱亲，邻里和睦，多年照顾楼里的独居老人。"),
        ("李建军家庭", "全家参加社区志愿服务，垃圾分类宣传从不缺席。"),
    ],
    "最美志愿者": [
        ("赵桂兰", "手拉手互助队骨干，每周为空巢老人送餐、陪诊。"),
        ("孙明", "和平鸽调解队队员，一年调解邻里纠纷二十余起。"),
        ("刘晓燕", "小扫把环保队队长，组织“关爱社区，爱护环境”活动。"),
    ],
}
VOTERS = 24


def _user(username: str, full_name: str) -> object:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.date_joined = timezone.now() - dt.timedelta(days=200)
        user.save()
    return user


def seed(*, password: str | None = None) -> None:
    """Seed once; `password` lets the 茶艺 teacher (`teacher_chayi`) sign in to take a roster."""
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    if School.objects.filter(sub_district=ruyihu, name="老年大学如意湖分校").exists():
        return
    staff = User.objects.get(username="ruyihu_staff")
    committee = Organization.objects.get(sub_district=ruyihu, name="如意湖党工委")
    room = Room.objects.get(hall__name="联盟新城社区党群服务中心", name="老年大学教室")
    lianmeng = Community.objects.get_or_create(sub_district=ruyihu, name="联盟新城社区")[0]
    school = School.objects.create(
        sub_district=ruyihu,
        organization=committee,
        name="老年大学如意湖分校",
        partner="郑州市老年大学",
        founded_year=2017,
    )
    now = timezone.now()
    today = timezone.localdate()
    starts = today + dt.timedelta(days=3)
    term = Term.objects.create(
        school=school,
        name=f"{starts.year}年春季学期",
        starts_on=starts,
        ends_on=starts + dt.timedelta(weeks=12),
        enrolment_opens_at=now - dt.timedelta(days=7),
        enrolment_closes_at=now + dt.timedelta(days=10),
        max_courses_per_resident=2,
    )
    made = []
    for title, username, name, weekday, places, min_age in COURSES:
        course = Course.objects.create(
            term=term,
            title=title,
            description=f"{school.partner}老师授课，每周一次。",
            teacher=_user(username, name),
            weekday=weekday,
            starts_at=dt.time(9) if title != "茶艺" else dt.time(14, 30),
            ends_at=dt.time(11) if title != "茶艺" else dt.time(16, 30),
            room=room,
            places=places,
            min_age=min_age,
            residents_only=False,
            fee=0 if title != "茶艺" else 60,
        )
        courses.schedule_sessions(course=course, actor=staff)
        made.append(course)
    if password:
        teacher = User.objects.get(username="teacher_chayi")
        teacher.set_password(password)
        teacher.save(update_fields=["password"])
    resident = User.objects.get(username="resident")
    ResidentProfile.objects.get_or_create(user=resident, defaults={"community": lianmeng})
    students = [_user(f"student_{i:02d}", name) for i, name in enumerate(STUDENT_NAMES, 1)]
    for index, student in enumerate(students):
        courses.enrol(course=made[index % 6], resident=student, birth_year=1955)
        if index % 3 == 0:
            courses.enrol(course=made[(index + 1) % 6], resident=student, birth_year=1955)
    # 茶艺 is popular: filled, with a waiting list.
    tea = made[5]
    for i in range(tea.places + 3):
        courses.enrol(course=tea, resident=_user(f"tea_{i:02d}", f"茶友{i + 1}"))
    _seed_campaign(ruyihu, staff, now)


JURORS = ["评委甲", "评委乙", "评委丙"]  # invented jury members

STUDENT_NAMES = [
    "张淑芬", "王建平", "李桂花", "赵志刚", "刘玉兰", "陈国强",
    "杨秀珍", "黄德明", "周凤英", "吴振华", "徐丽华", "孙长林",
]  # fmt: skip


def _seed_campaign(ruyihu: SubDistrict, staff: object, now: dt.datetime) -> None:
    campaign = Campaign.objects.create(
        sub_district=ruyihu,
        title="最美如意人",
        description="寻找身边的最美如意人：孝老爱亲、热心公益、邻里互助的好人好事。",
        nomination_opens_at=now - dt.timedelta(days=30),
        nomination_closes_at=now - dt.timedelta(days=10),
        vote_opens_at=now - dt.timedelta(days=3),
        vote_closes_at=now + dt.timedelta(days=11),
        result_rule=ResultRule.WEIGHTED,
        jury_weight=40,
    )
    jurors = [_user(f"juror_{i}", name) for i, name in enumerate(JURORS, 1)]
    campaign.jurors.set(jurors)
    for name, nominees in NOMINEES.items():
        category = Category.objects.create(campaign=campaign, name=name, winners=1)
        for nominee, citation in nominees:
            category.nominations.create(
                nominee_name=nominee,
                citation=citation,
                nominated_by=staff,
                nominator_label="联盟新城社区党支部",
                status=NominationStatus.ACCEPTED,
            )
    standing = list(campaign.categories.prefetch_related("nominations").order_by("pk"))
    for i in range(VOTERS):
        voter = _user(f"voter_{i:02d}", f"居民{i + 1}")
        for category in standing:
            nominees = list(category.nominations.all())
            # A plausible spread: the first nominee leads, the rest follow.
            pick = nominees[0] if i % 3 else nominees[i % len(nominees)]
            campaigns.cast_vote(nomination=pick, voter=voter, ip=f"10.1.0.{i % 200 + 1}")
    # Each jury member scores on their own (nominations have closed); the result uses the
    # average. The third juror has not scored the second category yet.
    for j, juror in enumerate(jurors):
        scores = {
            nomination.pk: Decimal(92 - 6 * n - 3 * j + (n * j) % 5)
            for c, category in enumerate(standing)
            for n, nomination in enumerate(category.nominations.all())
            if not (j == 2 and c == 1)
        }
        setup.record_jury_scores(campaign=campaign, scores=scores, juror=juror, now=now)
    # A second campaign still taking nominations (residents' nomination page, then a jury).
    volunteers = Campaign.objects.create(
        sub_district=ruyihu,
        title="十佳志愿者",
        description="推荐身边长期坚持志愿服务的好邻居，评委评分与群众投票各占一半。",
        nomination_opens_at=now - dt.timedelta(days=2),
        nomination_closes_at=now + dt.timedelta(days=12),
        vote_opens_at=now + dt.timedelta(days=14),
        vote_closes_at=now + dt.timedelta(days=24),
        result_rule=ResultRule.WEIGHTED,
        jury_weight=50,
    )
    Category.objects.create(campaign=volunteers, name="十佳志愿者", winners=10)
    Category.objects.create(campaign=volunteers, name="优秀志愿服务项目", winners=3)


def seed_contests(*, password: str) -> None:
    """北林路's 党建知识竞赛 (community/contests/demo.py)."""
    from community.contests import demo as contests_demo

    contests_demo.seed(password=password)
