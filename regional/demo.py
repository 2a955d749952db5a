"""Demo data of 如意湖大工委 at work: its 2017–2018 history from the reports (the 2017-03-30 joint
meeting on 双迎攻坚, the 2018 plan of ten activities with responsible units, the second 如意湖大讲堂
on 2018-05-10) and a current year of meetings, lists and claims.

The history is written as it was recorded then (rows dated in the past, which the services refuse
for new input); the current year goes through the services. Idempotent: rows are looked up by
their natural keys first. Dates, places and activities the reports do not give are invented and
marked as demo (DEMO_NOTE).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from branches.models import CoBuildingUnit, Community, Organization, Sector, SubDistrict, UnitType
from config.periods import period_containing
from regional.models import (
    ActionItem,
    Attendance,
    CommitteeLevel,
    JointMeeting,
    MeetingStatus,
    Need,
    Pairing,
    PartTimeMember,
    ProgressNote,
    Project,
    RegionalCommittee,
    RegionalMembership,
    Resolution,
    Resource,
    TopicSubmission,
    UnitVisit,
    WorkReport,
)
from regional.services import committees as services

DEMO_NOTE = "示例数据（名称为虚构）"
HALL = "如意湖楼宇党建商务服务中心（商务外环23号中科金座大厦702室）"

# The 2018 plan: ten activities with their responsible units. The reports name the first three;
# the other seven are invented for the demo.
PLAN_2018 = [
    (
        "如意湖大讲堂（第二期：党章专题讲座）",
        "河南省住房和城乡建设厅机关党委",
        dt.date(2018, 5, 10),
    ),
    ("“同担当、共护航”志愿服务", "郑东新区消防大队党委", dt.date(2018, 6, 30)),
    ("“献爱心、助成长”助学活动", "华润五丰肉类食品(河南)有限公司党支部", dt.date(2018, 9, 1)),
    ("健康义诊进社区（示例）", "郑州市儿童医院党委", dt.date(2018, 4, 28)),
    ("法律服务进楼宇（示例）", "北京京师(郑州)律师事务所", dt.date(2018, 7, 15)),
    ("红色文艺展演（示例）", "河南艺术中心党支部", dt.date(2018, 7, 1)),
    ("老干部讲党史（示例）", "河南省老干部活动中心党支部", dt.date(2018, 10, 15)),
    ("房产政策宣讲（示例）", "郑州市房管局机关党委", dt.date(2018, 8, 20)),
    ("文化惠民电影周（示例）", "郑州市文化广电新闻出版局直属机关党委", dt.date(2018, 11, 10)),
    ("校社共建开放日（示例）", "郑州四十七中", dt.date(2018, 12, 1)),
]


# --- Regional party building: 如意湖大工委 and the six 社区大党委 ---------------------

RUYIHU_COMMUNITIES = ["商务区", "联盟新城", "天路", "翰林居", "运河上郡", "龙湖", "绿地"]
INVENTED_COMMUNITIES = {"翰林居", "运河上郡", "龙湖", "绿地"}

# Unit types of the units named in the reports.
RUYIHU_UNIT_TYPES = {
    "河南省住房和城乡建设厅机关党委": UnitType.AGENCY,
    "郑州市房管局机关党委": UnitType.AGENCY,
    "郑东新区消防大队党委": UnitType.AGENCY,
    "郑州市文化广电新闻出版局直属机关党委": UnitType.AGENCY,
    "郑州国际会展中心党委": UnitType.SOE,
    "郑州市儿童医院党委": UnitType.HOSPITAL,
    "河南省老干部活动中心党支部": UnitType.PUBLIC_INSTITUTION,
    "河南艺术中心党支部": UnitType.PUBLIC_INSTITUTION,
    "华润五丰肉类食品(河南)有限公司党支部": UnitType.SOE,
    "北京京师(郑州)律师事务所": UnitType.SOCIAL_ORGANIZATION,
    "郑州四十七中": UnitType.SCHOOL,
    "中信证券": UnitType.SOE,
}

# The reports name 12 of the 大工委's 15 member units; these three are invented.
INVENTED_UNITS = [
    ("如意湖实验幼儿园党支部", Sector.PUBLIC_INSTITUTION, UnitType.SCHOOL),
    ("郑东新区金融服务中心党支部", Sector.PUBLIC_INSTITUTION, UnitType.PUBLIC_INSTITUTION),
    ("如意湖社会工作服务中心党支部", Sector.SOCIAL_ORGANIZATION, UnitType.SOCIAL_ORGANIZATION),
]

DAGONGWEI = "如意湖大工委"
DAGONGWEI_FOUNDED = dt.date(2016, 12, 22)

# Six community grand party committees for the seven community branches; 龙湖 and 绿地 share one.
# Names of the invented communities' committees and all their founding dates are invented.
COMMUNITY_COMMITTEES = [
    ("商务区社区大党委", ["商务区"], dt.date(2017, 3, 1)),
    ("联盟新城社区大党委", ["联盟新城"], dt.date(2017, 3, 1)),
    ("天路社区大党委", ["天路"], dt.date(2017, 3, 1)),
    ("翰林居社区大党委", ["翰林居"], dt.date(2017, 6, 1)),
    ("运河上郡社区大党委", ["运河上郡"], dt.date(2017, 6, 1)),
    ("龙湖绿地联合社区大党委", ["龙湖", "绿地"], dt.date(2017, 6, 1)),
]

# (committee, unit, joined, left): seats on the community committees (dates invented).
COMMUNITY_SEATS = [
    ("天路社区大党委", "中信证券", dt.date(2017, 3, 1), None),
    ("天路社区大党委", "郑州四十七中", dt.date(2017, 3, 1), dt.date(2019, 12, 31)),
    ("联盟新城社区大党委", "郑州市儿童医院党委", dt.date(2017, 3, 1), None),
    ("商务区社区大党委", "郑州国际会展中心党委", dt.date(2017, 3, 1), None),
    ("翰林居社区大党委", "郑州四十七中", dt.date(2020, 1, 1), None),
    ("运河上郡社区大党委", "郑州市房管局机关党委", dt.date(2017, 6, 1), None),
    ("龙湖绿地联合社区大党委", "如意湖实验幼儿园党支部", dt.date(2018, 3, 1), None),
]

# Part-time committee members (names invented): committee, unit, name, title, from, until.
PART_TIME_MEMBERS = [
    (
        DAGONGWEI,
        "河南省住房和城乡建设厅机关党委",
        "王建国",
        "机关党委副书记",
        dt.date(2016, 12, 22),
        None,
    ),
    (DAGONGWEI, "郑州市儿童医院党委", "陈静", "党委副书记", dt.date(2016, 12, 22), None),
    (
        DAGONGWEI,
        "郑东新区消防大队党委",
        "刘强",
        "政治教导员",
        dt.date(2016, 12, 22),
        dt.date(2019, 6, 30),
    ),
    (DAGONGWEI, "郑东新区消防大队党委", "赵伟", "政治教导员", dt.date(2019, 7, 1), None),
    ("天路社区大党委", "中信证券", "孙磊", "营业部党支部书记", dt.date(2017, 3, 1), None),
]

# Visits (invented details): unit, day, visitors, needs, opinions, follow-up, follow-up done on.
VISITS = [
    (
        "郑州市儿童医院党委",
        dt.date(2019, 4, 12),
        "李一、王洁茹",
        "在社区开展儿童健康义诊",
        "希望社区提前统计就诊儿童人数",
        "5月联合举办健康义诊",
        dt.date(2019, 5, 18),
    ),
    (
        "郑州国际会展中心党委",
        dt.date(2019, 9, 3),
        "李一",
        "展会期间志愿者支持",
        "志愿者培训应提前一周",
        "组织“同担当、共护航”志愿服务培训",
        dt.date(2019, 10, 8),
    ),
    (
        "中信证券",
        dt.date(2020, 5, 20),
        "张建华",
        "面向居民的防范金融诈骗讲座场地",
        "",
        "协调天路社区党群服务中心多功能室",
        None,
    ),
    (
        "河南省住房和城乡建设厅机关党委",
        dt.date(2018, 4, 20),
        "李一",
        "如意湖大讲堂第二期的场地与听众",
        "建议邀请在职党员参加",
        "",
        None,
    ),
]

# Pairings (结对共建), dates invented.
PAIRINGS = [
    ("郑州市儿童医院党委", "联盟新城", dt.date(2017, 5, 1), None, "高考期间医疗保障、健康义诊"),
    ("中信证券", "天路", dt.date(2017, 5, 1), None, "金融知识进社区"),
    ("河南省住房和城乡建设厅机关党委", "商务区", dt.date(2017, 5, 1), None, "如意湖大讲堂"),
    ("郑州四十七中", "天路", dt.date(2017, 9, 1), dt.date(2019, 12, 31), "学生“四点课堂”"),
    ("郑州四十七中", "翰林居", dt.date(2020, 1, 1), None, "“献爱心、助成长”助学"),
]


def seed_regional() -> None:
    """The 如意湖大工委 with its 15 member units, the six 社区大党委 (one joint across two
    communities), part-time members, visits and pairings. Goes through the services, so the demo
    keeps the same rules as the workbench; each row is created only when missing."""
    sub_district = SubDistrict.objects.get(district__name="郑东新区", name="如意湖办事处")
    communities = {}
    for short in RUYIHU_COMMUNITIES:
        communities[short], _ = Community.objects.get_or_create(
            sub_district=sub_district, name=f"{short}社区"
        )
    units = {u.name: u for u in CoBuildingUnit.objects.filter(sub_district=sub_district)}
    for name, unit_type in RUYIHU_UNIT_TYPES.items():
        unit = units[name]
        if unit.unit_type == UnitType.OTHER:
            unit.unit_type = unit_type
            unit.save(update_fields=["unit_type"])
    for name, sector, unit_type in INVENTED_UNITS:
        if name not in units:
            units[name] = services.register_unit(
                sub_district=sub_district,
                name=name,
                sector=sector,
                unit_type=unit_type,
                resources=DEMO_NOTE,
                actor=None,
            )

    committees = {c.name: c for c in RegionalCommittee.objects.filter(sub_district=sub_district)}
    if DAGONGWEI not in committees:
        committees[DAGONGWEI] = services.create_regional_committee(
            sub_district=sub_district,
            level=CommitteeLevel.SUB_DISTRICT,
            name=DAGONGWEI,
            founded_on=DAGONGWEI_FOUNDED,
            communities=communities.values(),
            actor=None,
        )
    for name, shorts, founded_on in COMMUNITY_COMMITTEES:
        if name not in committees:
            invented = any(short in INVENTED_COMMUNITIES for short in shorts)
            committees[name] = services.create_regional_committee(
                sub_district=sub_district,
                level=CommitteeLevel.COMMUNITY,
                name=name,
                founded_on=founded_on,
                communities=[communities[short] for short in shorts],
                note=DEMO_NOTE if invented else "",
                actor=None,
            )

    seats = [(DAGONGWEI, name, DAGONGWEI_FOUNDED, None) for name in RUYIHU_UNIT_TYPES] + [
        (DAGONGWEI, name, dt.date(2018, 3, 1), None) for name, _s, _t in INVENTED_UNITS
    ]
    for committee_name, unit_name, joined_on, left_on in seats + COMMUNITY_SEATS:
        committee, unit = committees[committee_name], units[unit_name]
        seat = RegionalMembership.objects.filter(
            committee=committee, unit=unit, joined_on=joined_on
        ).first()
        if seat is None:
            seat = services.admit_unit(
                committee=committee, unit=unit, joined_on=joined_on, actor=None
            )
        if left_on is not None and seat.left_on is None:
            services.remove_unit(membership=seat, left_on=left_on, actor=None)

    for committee_name, unit_name, full_name, title, started_on, ended_on in PART_TIME_MEMBERS:
        committee, unit = committees[committee_name], units[unit_name]
        member = PartTimeMember.objects.filter(
            committee=committee, unit=unit, full_name=full_name
        ).first()
        if member is None:
            member = services.appoint_part_time_member(
                committee=committee,
                unit=unit,
                full_name=full_name,
                title=title,
                started_on=started_on,
                actor=None,
            )
        if ended_on is not None and member.ended_on is None:
            services.end_part_time_member(member=member, ended_on=ended_on, actor=None)

    for unit_name, day, visitors, needs, opinions, follow_up, done_on in VISITS:
        unit = units[unit_name]
        visit = UnitVisit.objects.filter(unit=unit, visited_on=day).first()
        if visit is None:
            visit = services.record_visit(
                unit=unit,
                visited_on=day,
                visitors=visitors,
                needs=needs,
                opinions=opinions,
                follow_up=follow_up,
                actor=None,
            )
        if done_on is not None and visit.follow_up_done_on is None:
            services.complete_visit_follow_up(visit=visit, done_on=done_on, actor=None)

    for unit_name, short, started_on, ended_on, note in PAIRINGS:
        unit, community = units[unit_name], communities[short]
        pairing = Pairing.objects.filter(
            unit=unit, community=community, started_on=started_on
        ).first()
        if pairing is None:
            pairing = services.pair_unit_with_community(
                unit=unit, community=community, started_on=started_on, note=note, actor=None
            )
        if ended_on is not None and pairing.ended_on is None:
            services.end_pairing(pairing=pairing, ended_on=ended_on, actor=None)


def _meeting(
    committee: RegionalCommittee, day: dt.date, topic: str, *, held: bool, minutes: str = ""
) -> JointMeeting:
    quarter = period_containing(day, "quarter")
    meeting, _created = JointMeeting.objects.get_or_create(
        committee=committee,
        scheduled_on=day,
        defaults={
            "year": day.year,
            "quarter": (quarter.start.month - 1) // 3 + 1,
            "topic": topic,
            "place": HALL,
            "status": MeetingStatus.HELD if held else MeetingStatus.PLANNED,
            "minutes": minutes,
        },
    )
    return meeting


def _attend(meeting: JointMeeting, units: list[CoBuildingUnit], absent: set[str]) -> None:
    for unit in units:
        if unit.name in absent:
            defaults = {"status": "absent", "reason": "工作冲突，已请假（示例）"}
        else:
            defaults = {"status": "present", "attendee": ""}
        Attendance.objects.get_or_create(meeting=meeting, unit=unit, defaults=defaults)


def _resolution(meeting: JointMeeting, text: str) -> Resolution:
    resolution, _created = Resolution.objects.get_or_create(meeting=meeting, text=text)
    return resolution


def _item(
    resolution: Resolution,
    title: str,
    *,
    unit: CoBuildingUnit | None = None,
    community: Community | None = None,
    deadline: dt.date,
    done_on: dt.date | None = None,
    note: str = "",
) -> ActionItem:
    item, created = ActionItem.objects.get_or_create(
        resolution=resolution,
        title=title,
        defaults={
            "owner_unit": unit,
            "owner_community": community,
            "deadline": deadline,
            "status": "done" if done_on else "open",
            "done_on": done_on,
        },
    )
    if created and note:
        ProgressNote.objects.create(action_item=item, text=note)
    return item


def seed_joint() -> None:
    committee = RegionalCommittee.objects.get(
        name="如意湖大工委", sub_district__name="如意湖办事处"
    )
    sub_district = committee.sub_district
    units = {u.name: u for u in CoBuildingUnit.objects.filter(sub_district=sub_district)}
    communities = {c.name: c for c in Community.objects.filter(sub_district=sub_district)}
    # The community branches cover their communities, so their secretaries see their lists.
    for branch_name, community_name in [
        ("联盟新城社区党支部", "联盟新城社区"),
        ("天路社区党支部", "天路社区"),
    ]:
        branch = Organization.objects.filter(sub_district=sub_district, name=branch_name).first()
        if branch is not None and community_name in communities:
            branch.communities.add(communities[community_name])

    # --- 2017–2018 history -----------------------------------------------------------------------
    def sitting(day: dt.date) -> list[CoBuildingUnit]:
        ids = committee.memberships.on(day).values_list("unit_id", flat=True)
        return sorted((u for u in units.values() if u.pk in set(ids)), key=lambda u: u.name)

    first = _meeting(
        committee,
        dt.date(2017, 3, 30),
        "双迎攻坚",
        held=True,
        minutes="2017年第一次联席会议，部署“双迎”攻坚工作：各成员单位认领环境整治、文明创建任务。",
    )
    _attend(first, sitting(first.scheduled_on), {"郑州四十七中"})
    resolution = _resolution(first, "成员单位分片包干，参与双迎攻坚环境整治。")
    _item(
        resolution,
        "商务区环境整治包干",
        unit=units["郑州国际会展中心党委"],
        deadline=dt.date(2017, 6, 30),
        done_on=dt.date(2017, 6, 20),
        note="已完成包干区域整治。",
    )
    plan = _meeting(
        committee,
        dt.date(2018, 3, 29),  # the date is invented; the plan is from the reports
        "2018年度共建活动计划",
        held=True,
        minutes="审议通过2018年度10项共建活动及责任单位。（会议日期为示例）",
    )
    _attend(plan, sitting(plan.scheduled_on), set())
    resolution = _resolution(plan, "通过2018年度共建活动计划（10项），各责任单位按期完成。")
    for title, unit_name, day in PLAN_2018:
        _item(
            resolution,
            title,
            unit=units[unit_name],
            deadline=day,
            done_on=day,
            note="2018-05-10 河南省住建厅承办，党章专题讲座。" if "大讲堂" in title else "已完成。",
        )

    # --- The current year ------------------------------------------------------------------------
    today = timezone.localdate()
    year = today.year
    this_quarter = (today.month - 1) // 3 + 1
    meetings = []
    for quarter in range(1, this_quarter + 1):
        day = dt.date(year, 3 * quarter - 1, 20)
        held = day < today
        meetings.append(
            _meeting(
                committee,
                day,
                f"{year}年第{quarter}季度联席会议",
                held=held,
                minutes="通报上季度项目进展，发布三张清单。" if held else "",
            )
        )
    nxt = today + dt.timedelta(days=21)
    upcoming = _meeting(
        committee, nxt, f"{nxt.year}年第{(nxt.month - 1) // 3 + 1}季度联席会议", held=False
    )
    held_meetings = [m for m in meetings if m.status == MeetingStatus.HELD]
    for number, meeting in enumerate(held_meetings):
        _attend(meeting, sitting(meeting.scheduled_on), {"郑州四十七中"} if number % 2 else set())
        resolution = _resolution(meeting, "开展“关爱社区，爱护环境”志愿服务和健康义诊。")
        _item(
            resolution,
            f"健康义诊（第{number + 1}次）",
            unit=units["郑州市儿童医院党委"],
            deadline=meeting.scheduled_on + dt.timedelta(days=60),
            done_on=None
            if meeting is held_meetings[-1]
            else meeting.scheduled_on + dt.timedelta(days=30),
        )
    TopicSubmission.objects.get_or_create(
        meeting=upcoming,
        unit=units["郑州市儿童医院党委"],
        title="高考季考生心理健康辅导",
        defaults={"description": "与联盟新城社区合作，面向辖区考生。"},
    )

    lianmeng = communities.get("联盟新城社区")
    tianlu = communities.get("天路社区")
    needs = [
        ("老年大学书法课授课老师", lianmeng, "联盟新城社区党群服务中心", "每周一次，20人", None),
        ("儿童之家暑期托管志愿者", lianmeng, "儿童之家", "暑期，10名志愿者", "郑州四十七中"),
        ("居民法律咨询", tianlu, "天路社区服务站", "每月一次", "北京京师(郑州)律师事务所"),
    ]
    for title, community, place, scale, claimer in needs:
        if community is None:
            continue
        need, created = Need.objects.get_or_create(
            committee=committee,
            community=community,
            title=title,
            defaults={"place": place, "scale": scale, "wanted_by": dt.date(year, 12, 31)},
        )
        if created and claimer:
            need.status = "claimed"
            need.claimed_by = units[claimer]
            need.claimed_at = timezone.now()
            need.save()
            Project.objects.create(
                committee=committee,
                title=title,
                need=need,
                unit=units[claimer],
                community=community,
                deadline=dt.date(year, 12, 31),
            )
    for kind, title, unit_name in [
        ("venue", "会展中心多功能厅（每季度一次）", "郑州国际会展中心党委"),
        ("doctors", "儿科医生义诊团队", "郑州市儿童医院党委"),
        ("lawyers", "公益律师值班", "北京京师(郑州)律师事务所"),
        ("lectures", "党章专题讲座", "河南省住房和城乡建设厅机关党委"),
    ]:
        Resource.objects.get_or_create(
            committee=committee, unit=units[unit_name], title=title, defaults={"kind": kind}
        )

    # --- The 2018 work report, submitted in January 2019 ------------------------------------------
    if not WorkReport.objects.filter(committee=committee, year=2018).exists():
        from regional.services.work_report import save_work_report, submit_work_report

        report = save_work_report(
            committee=committee,
            year=2018,
            summary=(
                "2018年，如意湖大工委围绕年度共建活动计划开展工作，10项共建活动均由责任单位按期完成，"
                "其中5月10日由河南省住建厅承办第二期如意湖大讲堂。"
            ),
            next_year_plan="继续举办如意湖大讲堂，深化“三张清单”双向认领，推动成员单位资源向社区下沉。",
            dated=dt.date(2019, 1, 15),
            actor=None,
            today=dt.date(2019, 1, 15),
        )
        submit_work_report(report=report, actor=None, today=dt.date(2019, 1, 15))


def seed() -> None:
    """The regional committees of 如意湖, then their joint work."""
    seed_regional()
    seed_joint()
