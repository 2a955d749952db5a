"""Demo data: 如意湖's 2019 ten problems as a closed ledger; an elevator installation through
四议两公开 in 秦岭路 (秦江社区); a parking plan through every step of 一征三议两公开 in 北林路
(国泰一品社区), from its online consultation to the published outcome, and a second 北林路 matter
with its consultation still open. Idempotent; written through the services (so it runs on
SQLite too)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from branches.models import Community, Organization, SubDistrict
from governance import rules
from governance.models import (
    CategoryDeadline,
    Channel,
    CommunityProcedure,
    ConsultationResponse,
    Matter,
    Opinion,
    Procedure,
)
from governance.rules import DEFAULT_DEADLINE_DAYS
from governance.services import matters, opinions

RUYIHU_2019 = [
    ("environment", "小区垃圾分类投放点不足", "天路社区"),
    ("traffic", "联盟新城南门早高峰乱停车", "联盟新城社区"),
    ("facilities", "楼道照明灯损坏", "联盟新城社区"),
    ("property", "物业服务响应慢", "商务区社区"),
    ("safety", "电动车楼道充电隐患", "天路社区"),
    ("services", "老年人就餐不便", "联盟新城社区"),
    ("facilities", "健身器材老化", "商务区社区"),
    ("environment", "绿化带杂物堆放", "天路社区"),
    ("neighbours", "楼上噪音扰民", "联盟新城社区"),
    ("services", "缺少四点半课堂", "商务区社区"),
]


def _community(sub_district: str, name: str) -> Community:
    place = SubDistrict.objects.get(name=sub_district)
    return Community.objects.get_or_create(sub_district=place, name=name)[0]


def seed_ledger() -> None:
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    for category, days in DEFAULT_DEADLINE_DAYS.items():
        CategoryDeadline.objects.get_or_create(
            sub_district=ruyihu,
            category=category,
            valid_from=dt.date(2019, 1, 1),
            defaults={"days": days},
        )
    if Opinion.objects.filter(sub_district=ruyihu, received_on__year=2019).exists():
        return
    resident = User.objects.filter(username="resident").first()
    branch = Organization.objects.filter(sub_district=ruyihu, kind="branch").order_by("path")
    for index, (category, title, community_name) in enumerate(RUYIHU_2019):
        community = _community("如意湖办事处", community_name)
        opinion = opinions.receive_opinion(
            community=community,
            channel=[Channel.VISIT, Channel.FORUM, Channel.BOX, Channel.HOTLINE][index % 4],
            forum_attendance=30 if index % 4 == 1 else None,
            category=category,
            title=title,
            text=f"2019年民情恳谈收集的问题:{title}。",
            author=resident if index == 0 else None,
            received_on=dt.date(2019, 3, 1) + dt.timedelta(days=index * 7),
            actor=None,
        )
        owner = branch.filter(communities=community).first() or branch.first()
        opinions.assign_opinion(opinion=opinion, organization=owner, actor=None)
        opinions.start_opinion(opinion=opinion, actor=None)
        opinions.reply_to_opinion(opinion=opinion, reply=f"已整改:{title}问题已解决。", actor=None)
        if opinion.author is not None:
            opinions.rate_reply(opinion=opinion, resident=resident, rating=5, comment="满意")
    # The 2019 replies are years old: closing the unrated ones is what the beat scan does.
    Opinion.objects.filter(sub_district=ruyihu, state="replied").update(
        replied_at=timezone.now() - dt.timedelta(days=400)
    )
    opinions.close_unrated_opinions(sub_district=ruyihu)
    # One open opinion today, so the resident has something to follow.
    if resident is not None:
        opinions.receive_opinion(
            community=_community("如意湖办事处", "联盟新城社区"),
            channel=Channel.ONLINE,
            category="facilities",
            title="3号楼电梯经常停运",
            text="3号楼电梯本月已停运三次,请尽快检修。",
            author=resident,
            actor=resident,
        )


def _steps(matter: Matter, steps: list[tuple[str, int, dict]], start: dt.date) -> None:
    for kind, offset, extra in steps:
        matters.record_step(
            matter=matter,
            kind=kind,
            held_on=start + dt.timedelta(days=offset),
            participants=extra.pop("participants", "社区党支部委员、居委会委员"),
            minutes=extra.pop("minutes", "会议讨论并形成一致意见。"),
            actor=None,
            **extra,
        )


def seed_matters() -> None:
    today = timezone.localdate()
    qinjiang = _community("秦岭路街道", "秦江社区")
    CommunityProcedure.objects.get_or_create(
        community=qinjiang, defaults={"procedure": Procedure.FOUR_TWO}
    )
    if not Matter.objects.filter(community=qinjiang).exists():
        elevator = matters.open_matter(
            community=qinjiang,
            title="老旧小区加装电梯",
            description="秦江社区3个老旧楼院申请加装电梯,费用分摊方案提交居民议事厅。",
            actor=None,
        )
        start = today - dt.timedelta(days=40)
        _steps(
            elevator,
            [
                ("propose", 0, {"minutes": "党支部提议为3个楼院加装电梯。"}),
                ("deliberate", 5, {"minutes": "两委会议商议费用分摊方案。"}),
            ],
            start,
        )
        # The 党员大会审议 step needs a recorded 支部党员大会 of a branch that covers 秦江社区.
        if _review_with_meeting(elevator, start + dt.timedelta(days=10)):
            _steps(
                elevator,
                [
                    (
                        "decide",
                        15,
                        {
                            "eligible": 45,
                            "present": 38,
                            "votes_for": 33,
                            "minutes": "居民代表会议表决通过加装方案。",
                        },
                    ),
                    (
                        "publish_decision",
                        16,
                        {
                            "publication_title": "关于老旧小区加装电梯的决议公开",
                            "publication_text": "居民代表会议表决通过秦江社区3个楼院加装电梯方案。",
                            "shown_from": start + dt.timedelta(days=16),
                            "shown_through": start + dt.timedelta(days=26),
                        },
                    ),
                    (
                        "publish_outcome",
                        38,
                        {
                            "publication_title": "加装电梯实施结果公开",
                            "publication_text": "3部电梯已完成安装并通过验收,投入使用。",
                            "shown_from": start + dt.timedelta(days=38),
                            "shown_through": start + dt.timedelta(days=52),
                        },
                    ),
                ],
                start,
            )
    guotai = _community("北林路街道", "国泰一品社区")
    CommunityProcedure.objects.get_or_create(
        community=guotai, defaults={"procedure": Procedure.SOLICIT_THREE_TWO}
    )
    if not Matter.objects.filter(community=guotai).exists():
        _parking_through_every_step(guotai, today)
        _open_consultation(guotai, today)


def _parking_through_every_step(guotai: Community, today: dt.date) -> None:
    """北林路's 一征三议两公开, carried through: the consultation closed a month ago, then
    proposal, the two committees, the party members' meeting, the residents' representatives'
    vote and both publications, the latest still on the public page."""
    parking = matters.open_matter(
        community=guotai,
        title="小区停车位重新规划",
        description="通过民情恳谈会、问题协调会、工作评价会收集居民意见,重新规划停车位。",
        actor=None,
    )
    start = today - dt.timedelta(days=45)
    consultation = matters.open_consultation(
        matter=parking,
        question="是否同意将小区东侧绿化带改造为停车位?",
        opens_on=start,
        closes_on=start + dt.timedelta(days=10),
        actor=None,
    )
    resident = User.objects.filter(username="resident").first()
    if resident is not None:
        # The window is past, so the service (which takes answers only while it is open)
        # cannot be used; the row is what it would have written on the day.
        ConsultationResponse.objects.create(
            consultation=consultation, resident=resident, stance="agree", comment="支持"
        )
    matters.record_offline_responses(
        consultation=consultation, stances={"agree": 41, "disagree": 6, "other": 3}, actor=None
    )
    _steps(
        parking,
        [
            ("solicit", 11, {"minutes": "民情恳谈会汇总线上线下意见,多数居民同意改造。"}),
            ("propose", 13, {"minutes": "党支部提议改造东侧绿化带,新增停车位40个。"}),
            ("deliberate", 16, {"minutes": "问题协调会(两委会议)商议施工方案与补种绿化。"}),
        ],
        start,
    )
    reviewed = _review_with_meeting(
        parking,
        start + dt.timedelta(days=20),
        branch_name="国泰一品社区党支部",
        topic="审议小区停车位重新规划方案",
        participants="国泰一品社区党支部全体党员",
        minutes="党员大会审议停车位规划方案,同意提交居民代表会议。",
    )
    if not reviewed:
        return
    _steps(
        parking,
        [
            (
                "decide",
                25,
                {
                    "eligible": 60,
                    "present": 47,
                    "votes_for": 39,
                    "minutes": "居民代表会议表决通过停车位重新规划方案。",
                },
            ),
            (
                "publish_decision",
                26,
                {
                    "publication_title": "关于小区停车位重新规划的决议公开",
                    "publication_text": "居民代表会议(应到60人,实到47人,同意39人)通过"
                    "东侧绿化带改造为停车位的方案。",
                    "shown_from": start + dt.timedelta(days=26),
                    "shown_through": start + dt.timedelta(days=50),
                },
            ),
            (
                "publish_outcome",
                43,
                {
                    "publication_title": "停车位改造实施结果公开",
                    "publication_text": "新增停车位40个已划线启用,补种绿化120平方米;"
                    "工作评价会评价满意。",
                    "shown_from": start + dt.timedelta(days=43),
                    "shown_through": start + dt.timedelta(days=57),
                },
            ),
        ],
        start,
    )


def _open_consultation(guotai: Community, today: dt.date) -> None:
    """A second 北林路 matter still at its consultation, so the resident has one to answer."""
    hours = matters.open_matter(
        community=guotai,
        title="社区居民议事厅开放时间调整",
        description="拟将议事厅周末开放时间延长至晚上8点。",
        actor=None,
    )
    consultation = matters.open_consultation(
        matter=hours,
        question="是否同意议事厅周末延长开放至晚上8点?",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=7),
        actor=None,
    )
    matters.record_offline_responses(
        consultation=consultation, stances={"agree": 12, "disagree": 2}, actor=None
    )


def _review_with_meeting(
    matter: Matter,
    day: dt.date,
    *,
    branch_name: str = "秦江社区党支部",
    topic: str = "审议老旧小区加装电梯方案",
    participants: str = "秦江社区党支部全体党员",
    minutes: str = "党员大会审议加装电梯方案,同意提交居民代表会议。",
) -> bool:
    from activities.models import Meeting, MeetingKind, MeetingStatus

    branch = Organization.objects.filter(name=branch_name).first()
    if branch is None:
        return False
    branch.communities.add(matter.community)
    meeting = Meeting.objects.filter(
        organization=branch,
        kind=MeetingKind.GENERAL_MEETING,
        status=MeetingStatus.HELD,
        topic=topic,
    ).first()
    if meeting is None:
        meeting = Meeting.objects.create(
            organization=branch,
            kind=MeetingKind.GENERAL_MEETING,
            topic=topic,
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
            held_on=day,
            status=MeetingStatus.HELD,
        )
    matters.record_step(
        matter=matter,
        kind="review",
        held_on=day,
        participants=participants,
        minutes=minutes,
        meeting=meeting,
        actor=None,
    )
    return True


def seed_admission_notice() -> None:
    """A development candidate of 联盟新城社区党支部 under the 5-working-day 公示 today, taken
    through the joining pipeline's own services, so 联盟新城社区's public page shows one."""
    from members import joining
    from members.models import Development

    branch = Organization.objects.filter(
        sub_district__name="如意湖办事处", name="联盟新城社区党支部"
    ).first()
    if branch is None or Development.objects.filter(full_name="周雨桐").exists():
        return
    community = _community("如意湖办事处", "联盟新城社区")
    branch.communities.add(community)
    today = timezone.localdate()
    trained_on = next(
        day
        for day in (today - dt.timedelta(days=n) for n in range(1, 8))
        if rules.admission_notice_window(day)[0] <= today <= rules.admission_notice_window(day)[1]
    )
    person = joining.register_applicant(
        actor=None,
        organization=branch,
        full_name="周雨桐",
        applied_on=today - dt.timedelta(days=800),
        birth_date=dt.date(1996, 4, 12),
    )
    joining.take_step(
        actor=None, development=person, target="activist", on=today - dt.timedelta(days=760)
    )
    joining.take_step(
        actor=None, development=person, target="candidate", on=today - dt.timedelta(days=380)
    )
    joining.record_training(actor=None, development=person, completed_on=trained_on, hours=24)


def seed() -> None:
    seed_ledger()
    seed_matters()
    seed_admission_notice()
