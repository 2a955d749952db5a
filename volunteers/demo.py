"""Demo volunteer teams of 联盟新城 and 天路 (DEMO_DATA.md) with a year of activities. Idempotent.

Volunteer names are invented; their phones are left empty. Teams, activities, good deeds, wishes
and honour-hour corrections go through the services. Past sign-ins cannot (sign-up closes when an
activity starts), so past enrollments are written directly with credit minutes computed by
`rules.credit_minutes`, and each activity's `signed_up_count` is set to the places written.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Count
from django.utils import timezone

from accounts.models import ResidentProfile, User
from branches.models import Community, SubDistrict
from volunteers import rules
from volunteers.models import (
    Enrollment,
    EnrollmentStatus,
    MembershipStatus,
    ServiceActivity,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from volunteers.services import activities, attendance, teams, wishes

TEAMS = [
    # community, name, kind, leader username, activity titles, place
    (
        "联盟新城社区",
        "金嗓子宣传队",
        TeamKind.PUBLICITY,
        "lianmeng_secretary",
        ["垃圾分类入户宣传", "反诈知识宣传", "文明城市创建宣传", "政策宣讲进楼院"],
        "联盟新城社区广场",
    ),
    (
        "联盟新城社区",
        "手拉手互助队",
        TeamKind.MUTUAL_AID,
        "demo_leader_shoulashou",
        ["探访空巢老人", "代购送药上门", "助老理发", "家电义务维修"],
        "联盟新城社区党群服务中心",
    ),
    (
        "联盟新城社区",
        "和平鸽调解队",
        TeamKind.MEDIATION,
        "demo_leader_hepingge",
        ["邻里纠纷调解接待日", "物业矛盾座谈", "法律咨询进社区"],
        "联盟新城社区调解室",
    ),
    (
        "联盟新城社区",
        "大明星演出队",
        TeamKind.PERFORMANCE,
        "demo_leader_damingxing",
        ["社区文艺汇演排练", "敬老院慰问演出", "广场文化之夜"],
        "联盟新城社区党群服务中心多功能活动室",
    ),
    (
        "联盟新城社区",
        "小扫把环保队",
        TeamKind.ENVIRONMENT,
        "demo_leader_xiaosaoba",
        ["关爱社区，爱护环境", "楼道卫生清理", "绿地捡拾垃圾", "共享单车归位"],
        "联盟新城社区北门",
    ),
    (
        "天路社区",
        "喜洋洋艺术团",
        TeamKind.CULTURE,
        "demo_leader_xiyangyang",
        ["合唱排练", "社区春晚彩排", "书画义写春联"],
        "天路社区党群服务中心",
    ),
]

LEADERS = {
    "demo_leader_shoulashou": "陈秀英",
    "demo_leader_hepingge": "马志刚",
    "demo_leader_damingxing": "杨晓燕",
    "demo_leader_xiaosaoba": "黄国强",
    "demo_leader_xiyangyang": "郭玉兰",
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "秀兰",
    "建华",
    "淑珍",
    "志强",
    "桂英",
    "海燕",
    "国庆",
    "丽华",
    "文博",
    "子涵",
    "晓东",
    "春梅",
    "德明",
    "雅琴",
    "永刚",
    "玉珍",
    "思远",
    "欣怡",
]
VOLUNTEERS_PER_TEAM = 12
BENEFICIARIES = [
    "独居老人王奶奶",
    "3号楼李大爷",
    "残疾人家庭",
    "困难学生小明",
    "孕妇家庭",
    "退役军人",
]
DEEDS = ["上门理发", "修理水管", "代买蔬菜", "陪同就医", "辅导功课", "清理杂物", "更换灯泡"]
WISH_TITLES = [
    ("一套小学数学辅导书", "孩子上三年级，希望有一套辅导书。"),
    ("有人陪老伴聊聊天", "老伴腿脚不便，白天一个人在家。"),
    ("修理阳台晾衣架", "晾衣架摇不下来了。"),
    ("学会用手机挂号", "希望有人教我用手机预约挂号。"),
    ("一次免费体检", "想给家里老人做个基础体检。"),
    ("楼道装一盏感应灯", "晚上楼道太黑。"),
]


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    return names


def seed() -> None:
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    communities = {
        name: Community.objects.get_or_create(sub_district=ruyihu, name=name)[0]
        for name in ("联盟新城社区", "天路社区")
    }
    if VolunteerTeam.objects.filter(
        community=communities["联盟新城社区"], name="金嗓子宣传队"
    ).exists():
        return
    staff = User.objects.get(username="ruyihu_staff")
    rng = random.Random(2026)  # noqa: S311 - demo data, reproducible
    resident = User.objects.get(username="resident")
    ResidentProfile.objects.get_or_create(user=resident)
    all_names = _names(rng, VOLUNTEERS_PER_TEAM * len(TEAMS))
    demo_teams: list[VolunteerTeam] = []
    for index, (community, name, kind, leader_name, titles, place) in enumerate(TEAMS):
        leader = User.objects.filter(username=leader_name).first() or _user(
            leader_name, LEADERS[leader_name]
        )
        team = teams.create_team(
            community=communities[community],
            name=name,
            kind=kind,
            leader=leader,
            description=f"{communities[community].name}{name}，常年开展志愿服务。",
            actor=staff,
        )
        demo_teams.append(team)
        names = all_names[index * VOLUNTEERS_PER_TEAM : (index + 1) * VOLUNTEERS_PER_TEAM]
        volunteers = Volunteer.objects.bulk_create(
            Volunteer(
                sub_district=ruyihu,
                full_name=full_name,
                gender=rng.choice(["female", "male"]),
                community=communities[community],
                registered_on=timezone.localdate() - dt.timedelta(days=rng.randint(380, 900)),
            )
            for full_name in names
        )
        TeamMembership.objects.bulk_create(
            TeamMembership(
                team=team,
                volunteer=volunteer,
                status=MembershipStatus.ACTIVE,
                decided_at=timezone.now(),
                decided_by=leader,
            )
            for volunteer in volunteers
        )
        if name == "小扫把环保队":
            membership = teams.request_to_join(team=team, user=resident, message="我想参加环保活动")
            teams.decide_join_request(membership=membership, approve=True, actor=leader)
            volunteers.append(membership.volunteer)
        _year_of_activities(rng, team, leader, titles, place, volunteers)
        _good_deeds(rng, team, leader, volunteers)
    _wishes(rng, communities["联盟新城社区"], demo_teams, resident)


def _year_of_activities(
    rng: random.Random,
    team: VolunteerTeam,
    leader: User,
    titles: list[str],
    place: str,
    volunteers: list[Volunteer],
) -> None:
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    past: list[ServiceActivity] = []
    for months_back in range(12, -2, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
        month_start = dt.date(year, month + 1, 1)
        for day in (rng.randint(3, 12), rng.randint(16, 26)) if months_back % 3 == 0 else (8,):
            start = dt.datetime.combine(month_start.replace(day=day), dt.time(9), tz)
            start += dt.timedelta(hours=rng.choice([0, 1, 5]))
            if abs(start - now) < dt.timedelta(days=1):
                start += dt.timedelta(days=2)
            activity = activities.create_activity(
                team=team,
                title=rng.choice(titles),
                starts_at=start,
                ends_at=start + dt.timedelta(hours=rng.choice([2, 2, 3])),
                place=place,
                capacity=rng.choice([10, 15, 20]),
                actor=leader,
            )
            if activity.ends_at < now:
                past.append(activity)
            else:
                for volunteer in rng.sample(volunteers, k=min(5, len(volunteers))):
                    if volunteer.user_id is None or volunteer.user_id == leader.pk:
                        continue
                    activities.sign_up(activity=activity, volunteer=volunteer, actor=leader)
    enrollments: list[Enrollment] = []
    for activity in past:
        chosen = rng.sample(volunteers, k=min(activity.capacity, rng.randint(6, 10)))
        resident_volunteer = next((v for v in volunteers if v.user_id is not None), None)
        if resident_volunteer is not None and resident_volunteer not in chosen:
            chosen[0] = resident_volunteer
        for volunteer in chosen:
            no_show = rng.random() < 0.08 and volunteer.user_id is None
            signed_in = activity.starts_at + dt.timedelta(minutes=rng.choice([-10, 0, 5, 15]))
            signed_out = activity.ends_at + dt.timedelta(minutes=rng.choice([-30, -5, 0, 10]))
            enrollments.append(
                Enrollment(
                    activity=activity,
                    volunteer=volunteer,
                    status=EnrollmentStatus.SIGNED_UP,
                    signed_in_at=None if no_show else signed_in,
                    signed_out_at=None if no_show else signed_out,
                    credit_minutes=0
                    if no_show
                    else rules.credit_minutes(
                        signed_in_at=signed_in,
                        signed_out_at=signed_out,
                        starts_at=activity.starts_at,
                        ends_at=activity.ends_at,
                    ),
                    is_no_show=no_show,
                    service_note=activity.title,
                )
            )
    Enrollment.objects.bulk_create(enrollments)
    for row in (
        Enrollment.objects.filter(activity__in=past, status=EnrollmentStatus.SIGNED_UP)
        .values("activity")
        .annotate(n=Count("pk"))
    ):
        ServiceActivity.objects.filter(pk=row["activity"]).update(signed_up_count=row["n"])
    # A forgotten sign-out corrected by the leader, as honour hours within the cap.
    for enrollment in Enrollment.objects.filter(
        activity__in=past[:3], is_no_show=False, volunteer__user__isnull=True
    ).select_related("activity")[:3]:
        cap = rules.honour_cap(
            length_minutes=enrollment.activity.length_minutes, credit=enrollment.credit_minutes
        )
        if cap:
            attendance.correct_honour_hours(
                enrollment=enrollment, minutes=cap, reason="忘记签退，按实际服务补录", actor=leader
            )


def _good_deeds(
    rng: random.Random, team: VolunteerTeam, leader: User, volunteers: list[Volunteer]
) -> None:
    today = timezone.localdate()
    for n in range(18):
        deed = teams.record_good_deed(
            team=team,
            done_on=today - dt.timedelta(days=rng.randint(1, 360)),
            beneficiary=rng.choice(BENEFICIARIES),
            description=rng.choice(DEEDS),
            volunteers=rng.sample(volunteers, k=2),
            actor=leader,
        )
        # Most deeds older than a fortnight were followed up and rated by the resident.
        if n % 3 and deed.done_on < today - dt.timedelta(days=14):
            teams.close_good_deed(
                deed=deed,
                rating=rng.choice([4, 5, 5]),
                comment=rng.choice(["谢谢志愿者！", "服务很周到", ""]),
                actor=leader,
            )


def _wishes(
    rng: random.Random, community: Community, demo_teams: list[VolunteerTeam], resident: User
) -> None:
    posters = [resident, *User.objects.filter(username__startswith="demo_resident_")]
    team = demo_teams[1]  # 手拉手互助队 claims for the team
    leader: Any = team.leader
    states = ["open", "claimed", "done", "confirmed", "withdrawn", "confirmed"]
    for i, (title, description) in enumerate(WISH_TITLES):
        poster = posters[i % len(posters)]
        wish: Wish = wishes.post_wish(
            user=poster, community=community, title=title, description=description
        )
        state = states[i]
        if state == "withdrawn":
            wishes.withdraw_wish(wish=wish, user=poster)
            continue
        if state == "open":
            continue
        wish = wishes.claim_wish(wish=wish, actor=leader, team=team)
        if state == "claimed":
            continue
        wish = wishes.mark_wish_done(wish=wish, note="已由志愿者上门完成", actor=leader)
        if state == "confirmed":
            wishes.confirm_wish(
                wish=wish, user=poster, rating=rng.choice([4, 5]), feedback="谢谢志愿者！"
            )
