"""The demo organisation tree, built from the reports in shared/domain/seeds (see DEMO_DATA.md).

Names of real organisations come from the reports; invented ones carry DEMO_NOTE. Every function is
idempotent: it looks rows up by their natural key and creates only what is missing.
"""

from __future__ import annotations

import datetime as dt

from branches.models import (
    CoBuildingUnit,
    District,
    Organization,
    OrganizationKind,
    Sector,
    SubDistrict,
)
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


def seed() -> None:
    seed_ruyihu()
    seed_beilinlu()
    seed_qinlinglu()
