"""The demo organisation tree, built from the reports in shared/domain/seeds (see DEMO_DATA.md).

Names of real organisations come from the reports; invented ones carry DEMO_NOTE. Every function is
idempotent: it looks rows up by their natural key and creates only what is missing.
"""

from __future__ import annotations

import datetime as dt

from branches.models import (
    CoBuildingUnit,
    CommitteeLevel,
    CommitteeTerm,
    Community,
    District,
    Organization,
    OrganizationKind,
    Pairing,
    PartTimeMember,
    RegionalCommittee,
    RegionalMembership,
    Sector,
    SubDistrict,
    UnitType,
    UnitVisit,
)
from branches.services.committees import start_committee_term
from branches.services.tree import found_organization, merge_organizations

DEMO_NOTE = "示例数据（名称为虚构）"

RUYIHU_UNITS = [
    ("河南省住房和城乡建设厅机关党委", Sector.AGENCY),
    ("郑州市房管局机关党委", Sector.AGENCY),
    ("郑东新区消防大队党委", Sector.AGENCY),
    ("郑州市文化广电新闻出版局直属机关党委", Sector.AGENCY),
    ("郑州国际会展中心党委", Sector.STATE_OWNED_ENTERPRISE),
    ("郑州市儿童医院党委", Sector.PUBLIC_INSTITUTION),
    ("河南省老干部活动中心党支部", Sector.PUBLIC_INSTITUTION),
    ("河南艺术中心党支部", Sector.PUBLIC_INSTITUTION),
    ("华润五丰肉类食品(河南)有限公司党支部", Sector.NON_PUBLIC_ENTERPRISE),
    ("北京京师(郑州)律师事务所", Sector.SOCIAL_ORGANIZATION),
    ("郑州四十七中", Sector.PUBLIC_INSTITUTION),
    ("中信证券", Sector.STATE_OWNED_ENTERPRISE),
]


DEMO_FOUNDED = dt.date(2012, 3, 1)  # invented founding date for demo organisations


def _child(
    parent: Organization,
    name: str,
    kind: str,
    sector: str = "",
    *,
    founded_on: dt.date | None = None,
    note: str = "",
) -> Organization:
    existing = Organization.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1, name=name
    ).first()
    if existing is not None:
        return existing
    return found_organization(
        sub_district=parent.sub_district,
        parent=parent,
        name=name,
        kind=kind,
        sector=sector,
        founded_on=founded_on or max(DEMO_FOUNDED, parent.founded_on or DEMO_FOUNDED),
        note=note,
        actor=None,
    )


def _root(sub_district: SubDistrict, name: str) -> Organization:
    existing = Organization.objects.filter(depth=1, sub_district=sub_district, name=name).first()
    if existing is not None:
        return existing
    return found_organization(
        sub_district=sub_district,
        parent=None,
        name=name,
        kind=OrganizationKind.WORK_COMMITTEE,
        founded_on=dt.date(2008, 1, 1),
        actor=None,
    )


def _term(organization: Organization, started_on: dt.date) -> None:
    if not CommitteeTerm.objects.filter(organization=organization).exists():
        start_committee_term(organization=organization, started_on=started_on, actor=None)


def _groups(branch: Organization, count: int = 2) -> None:
    for number in ("第一", "第二", "第三")[:count]:
        _child(branch, f"{number}党小组", OrganizationKind.PARTY_GROUP, branch.sector)


def seed_ruyihu() -> SubDistrict:
    district, _ = District.objects.get_or_create(name="郑东新区")
    sub_district, _ = SubDistrict.objects.get_or_create(district=district, name="如意湖办事处")
    root = _root(sub_district, "如意湖党工委")
    community = Sector.COMMUNITY
    # 商务西街 and 如意湖 community branches were merged into 商务区社区党支部 (seed 000); the
    # merge is recorded through the same service staff use, so the history is real. Dates invented.
    if not Organization.objects.filter(sub_district=sub_district, name="商务区社区党支部").exists():
        old = [
            _child(root, name, OrganizationKind.BRANCH, community, founded_on=dt.date(2008, 6, 1))
            for name in ("商务西街社区党支部", "如意湖社区党支部")
        ]
        merge_organizations(
            sources=old, new_name="商务区社区党支部", on=dt.date(2016, 9, 1), actor=None
        )
    # Election dates vary so the demo shows a term already expired and one ending soon.
    elections = {
        "商务区社区党支部": dt.date(2022, 3, 18),
        "联盟新城社区党支部": dt.date(2023, 3, 15),
        "天路社区党支部": dt.date(2021, 12, 10),
        "龙湖社区党支部": dt.date(2021, 6, 1),
    }
    for name, note in [
        ("商务区社区党支部", ""),
        ("联盟新城社区党支部", ""),
        ("天路社区党支部", ""),
        ("翰林居社区党支部", DEMO_NOTE),
        ("运河上郡社区党支部", DEMO_NOTE),
        ("龙湖社区党支部", DEMO_NOTE),
        ("绿地社区党支部", DEMO_NOTE),
    ]:
        branch = _child(root, name, OrganizationKind.BRANCH, community, note=note)
        _groups(branch)
        if name in elections:
            _term(branch, elections[name])
    _child(root, "如意湖楼宇联合党支部", OrganizationKind.BRANCH, Sector.BUILDING, note=DEMO_NOTE)
    for name, sector in RUYIHU_UNITS:
        CoBuildingUnit.objects.get_or_create(
            sub_district=sub_district, name=name, defaults={"sector": sector}
        )
    return sub_district


def seed_beilinlu() -> SubDistrict:
    """北林路: 1 general branch, 10 community branches, 1 village branch, 19 two-new branches."""
    district, _ = District.objects.get_or_create(name="金水区")
    sub_district, _ = SubDistrict.objects.get_or_create(district=district, name="北林路街道")
    root = _root(sub_district, "北林路街道党工委")
    community = Sector.COMMUNITY
    _child(root, "鑫苑社区党总支", OrganizationKind.GENERAL_BRANCH, community)
    names = [
        "国泰一品",
        "文化路",
        "北林",
        "丰庆",
        "南阳新村",
        "绿荫",
        "东风",
        "沙口",
        "园田",
        "博颂",
    ]
    for name in names:
        _child(root, f"{name}社区党支部", OrganizationKind.BRANCH, community, note=DEMO_NOTE)
    _child(root, "柳林村党支部", OrganizationKind.BRANCH, Sector.VILLAGE, note=DEMO_NOTE)
    for number in range(1, 20):
        sector = Sector.NON_PUBLIC_ENTERPRISE if number <= 13 else Sector.SOCIAL_ORGANIZATION
        _child(
            root,
            f"北林路两新组织第{number}党支部",
            OrganizationKind.BRANCH,
            sector,
            note=DEMO_NOTE,
        )
    return sub_district


def seed_qinlinglu() -> SubDistrict:
    """秦岭路: 10 small communities merged into 8."""
    district, _ = District.objects.get_or_create(name="中原区")
    sub_district, _ = SubDistrict.objects.get_or_create(district=district, name="秦岭路街道")
    root = _root(sub_district, "秦岭路街道党工委")
    for name in ["秦江", "锦艺西", "锦艺东", "建西", "杜康", "金源"]:
        _child(root, f"{name}社区党支部", OrganizationKind.BRANCH, Sector.COMMUNITY)
    _child(root, "南寨村党支部", OrganizationKind.BRANCH, Sector.VILLAGE)
    _child(root, "秦岭社区党支部", OrganizationKind.BRANCH, Sector.COMMUNITY, note=DEMO_NOTE)
    return sub_district


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
    from branches.services import regional as services

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


def seed() -> None:
    seed_ruyihu()
    seed_beilinlu()
    seed_qinlinglu()
    seed_regional()
    from branches.demo_joint import seed_joint

    seed_joint()
