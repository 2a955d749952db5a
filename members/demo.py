"""Demo members for every demo branch (see shared/domain/DEMO_DATA.md). Idempotent and fast.

People are invented: names are drawn from common surnames and given-name characters, and every
ID-card number is built to FAIL the GB 11643 check digit, so it cannot belong to anyone. Such
numbers are refused by `rules.validate_id_number`; the seed writes them through the one lower-level
path meant for it (`check_digit=False`) and marks each row `is_demo_id`.

北林路 holds exactly 1,044 members over its 32 organisations, as the reports say.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from branches.models import Community, Organization, OrganizationKind, SubDistrict
from config.periods import period_containing
from members import rules
from members.identity import encrypt_id_number, hash_id_number
from members.models import (
    Category,
    Education,
    Member,
    MemberChange,
    MemberStatus,
    Sanction,
    SanctionKind,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅新民文斌宇浩凯婷雪琳晨阳春燕海波国庆丹峰爱萍立波淑珍宏亮永刚晓东秀珍佳怡子涵思远"  # noqa: E501
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]
REGION = {"如意湖办事处": "410171", "北林路街道": "410105", "秦岭路街道": "410102"}
WORK_UNITS = [
    "郑州市儿童医院",
    "郑州四十七中",
    "郑东新区管委会",
    "河南艺术中心",
    "中信证券郑州营业部",
]

# 北林路: 1 general branch (60), 10 community branches (50 each), 1 village branch (40),
# 19 two-new branches (7 × 24 + 12 × 23): 60 + 500 + 40 + 444 = 1,044.
BEILINLU_TOTAL = 1044


def demo_id_number(region: str, born: dt.date, sequence: int) -> str:
    """An 18-character number whose last character is deliberately NOT its check digit."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    right = rules.id_check_code(first17)
    wrong = rules.ID_CHECK_CODES[(rules.ID_CHECK_CODES.index(right) + 1) % 11]
    return first17 + wrong


def _sizes(sub_district: SubDistrict, branches: list[Organization]) -> dict[int, int]:
    if sub_district.name == "北林路街道":
        sizes: dict[int, int] = {}
        two_new = 0
        for org in branches:
            if org.kind == OrganizationKind.GENERAL_BRANCH:
                sizes[org.pk] = 60
            elif org.sector == "community":
                sizes[org.pk] = 50
            elif org.sector == "village":
                sizes[org.pk] = 40
            else:
                sizes[org.pk] = 24 if two_new < 7 else 23
                two_new += 1
        return sizes
    return {org.pk: 28 + (org.pk * 7) % 17 for org in branches}


def _community_for(org: Organization) -> Community | None:
    if org.sector not in ("community", "village"):
        return None
    name = org.name.removesuffix("党支部").removesuffix("党总支")
    community, _ = Community.objects.get_or_create(
        sub_district=org.sub_district,
        name=name,
        defaults={"kind": "village" if org.sector == "village" else "community"},
    )
    return community


def seed_sub_district(sub_district: SubDistrict) -> int:
    branches = list(
        Organization.objects.filter(
            sub_district=sub_district,
            status="active",
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH],
        ).order_by("path")
    )
    sizes = _sizes(sub_district, branches)
    existing = dict(
        Member.objects.filter(organization__in=branches)
        .values_list("organization")
        .annotate(n=Count("pk"))
    )
    region = REGION.get(sub_district.name, "410100")
    today = timezone.localdate()
    last_quarter_end = period_containing(today, "quarter").start - dt.timedelta(days=1)
    created: list[Member] = []
    for branch_index, org in enumerate(branches):
        have = existing.get(org.pk, 0)
        if have >= sizes[org.pk]:
            continue
        rng = random.Random(f"{sub_district.name}/{org.name}")  # noqa: S311 (stable demo data)
        groups = list(
            Organization.objects.filter(
                path__startswith=org.path, depth=org.depth + 1, kind=OrganizationKind.PARTY_GROUP
            )
        )
        community = _community_for(org)
        for index in range(sizes[org.pk]):
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            born = dt.date(rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28))
            joined = dt.date(
                born.year + rng.randint(19, 40), rng.randint(1, 12), rng.randint(1, 28)
            )
            # Everyone has joined by the end of the last finished quarter, so that quarter's
            # report pack reads the demo's published figures (北林路: 1,044 members).
            if joined > last_quarter_end:
                joined = last_quarter_end - dt.timedelta(days=rng.randint(0, 270))
            probationary = joined > today - dt.timedelta(days=365)
            if index < have:
                continue  # already seeded on an earlier run
            sequence = branch_index * 100 + index
            number = demo_id_number(region, born, sequence)
            if born.year < 1962:
                category = Category.RETIRED
            else:
                category = rng.choice(
                    [Category.IN_SERVICE] * 6
                    + [Category.MOBILE, Category.UNEMPLOYED, Category.FARMER]
                )
            created.append(
                Member(
                    organization=org,
                    party_group=groups[index % len(groups)] if groups else None,
                    full_name=name,
                    gender=rules.gender_of(number),
                    ethnicity=rng.choice(ETHNICITIES),
                    birth_date=born,
                    id_number_encrypted=encrypt_id_number(number),
                    id_number_hash=hash_id_number(number),
                    id_number_masked=rules.mask_id_number(number),
                    is_demo_id=True,
                    phone=f"1390000{rng.randint(0, 9999):04d}",
                    education=rng.choice(Education.values),
                    occupation=""
                    if category == Category.RETIRED
                    else rng.choice(["职员", "教师", "医生", "工程师", "个体经营"]),
                    work_unit=rng.choice(WORK_UNITS) if category == Category.IN_SERVICE else "",
                    address=f"{community.name if community else org.name}"
                    f"{rng.randint(1, 30)}号院{rng.randint(1, 12)}号楼",
                    community=community,
                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                    category=category,
                    joined_on=joined,
                    confirmed_on=None if probationary else joined + dt.timedelta(days=365),
                    in_hardship=rng.random() < 0.04,
                    out_of_contact_since=today - dt.timedelta(days=rng.randint(200, 600))
                    if rng.random() < 0.02
                    else None,
                )
            )
    Member.objects.bulk_create(created, batch_size=1000)
    MemberChange.objects.bulk_create(
        [
            MemberChange(member=m, action=MemberChange.Action.CREATED, summary="示例数据")
            for m in created
        ],
        batch_size=1000,
    )
    return len(created)


def seed() -> None:
    for sub_district in SubDistrict.objects.filter(name__in=list(REGION)):
        seed_sub_district(sub_district)
    ruyihu = SubDistrict.objects.filter(name="如意湖办事处").first()
    if ruyihu is not None:
        seed_in_service(ruyihu)
        seed_sanction(ruyihu)


def seed_sanction(sub_district: SubDistrict) -> None:
    """One member of the sub-district under 留党察看 (one year, begun three months ago), so the
    record page, the timeline and the meeting roster show a member who attends without a vote.
    Idempotent: nothing is added once the sub-district has a sanction."""
    from members.sanctions.services import record_sanction

    if Sanction.objects.filter(member__organization__sub_district=sub_district).exists():
        return
    member = (
        Member.objects.current()
        .full()
        .filter(organization__sub_district=sub_district, organization__kind="branch")
        .order_by("organization__path", "pk")
        .first()
    )
    if member is None:
        return
    started_on = timezone.localdate() - dt.timedelta(days=90)
    if member.joined_on and member.joined_on > started_on:
        return
    record_sanction(
        member=member,
        kind=SanctionKind.PROBATION,
        started_on=started_on,
        probation_years=1,
        decided_by="如意湖党工委",
        document_number="如党纪〔示例〕1号",
        reason="示例数据：违反组织纪律",
        actor=None,
    )


# --- In-service members registered in 如意湖's communities (DEMO_DATA: 48 + 232) ----------------

RUYIHU_OFFICE_REGISTERED = 48
RUYIHU_PUBLIC_UNITS_REGISTERED = 232
PUBLIC_SECTORS = ("agency", "public_institution", "state_owned_enterprise")
IN_SERVICE_REGION = "410199"  # not a real county code, and the check digit is wrong anyway
DEMO_NEEDS = [
    ("楼院环境清理", "清理楼道堆放杂物、小广告", 6),
    ("老年人智能手机教学", "教社区老人使用健康码、视频通话", 4),
    ("四点半课堂辅导", "放学后辅导小学生作业", 3),
]


def seed_in_service(sub_district: SubDistrict) -> int:
    """48 members of the sub-district office and 232 of public units registered with the
    communities they live in, with needs, claims and services. Idempotent: only what is
    missing is created."""
    from branches.models import CoBuildingUnit
    from config.periods import period_containing
    from members.inservice.letters import previous_quarter
    from members.models import (
        CommunityNeed,
        CommunityRegistration,
        CommunityService,
        NeedClaim,
        ReviewStatus,
        ServiceKind,
    )

    root = Organization.objects.filter(sub_district=sub_district, depth=1).first()
    communities = list(
        Community.objects.filter(sub_district=sub_district, kind="community").order_by("name")
    )
    units = list(
        CoBuildingUnit.objects.filter(
            sub_district=sub_district, sector__in=PUBLIC_SECTORS
        ).order_by("name")
    )
    if root is None or not communities or not units:
        return 0
    registrations = CommunityRegistration.objects.filter(community__sub_district=sub_district)
    office = registrations.filter(employer_unit__isnull=True).count()
    public = registrations.filter(employer_unit__isnull=False).count()
    wanted = [(None, i) for i in range(office, RUYIHU_OFFICE_REGISTERED)] + [
        (units[i % len(units)], RUYIHU_OFFICE_REGISTERED + i)
        for i in range(public, RUYIHU_PUBLIC_UNITS_REGISTERED)
    ]
    today = timezone.localdate()
    # The quarter the report page offers first (the last that ended): registered before it and
    # served in it, so a newcomer's first pack shows in-service figures.
    last_quarter = previous_quarter(today)
    kinds = ServiceKind.values
    created = []
    for unit, sequence in wanted:
        rng = random.Random(f"in-service/{sequence}")  # noqa: S311 (stable demo data)
        born = dt.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
        number = demo_id_number(IN_SERVICE_REGION, born, sequence)
        community = communities[sequence % len(communities)]
        member = Member(
            organization=root,
            full_name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)),
            gender=rules.gender_of(number),
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=born,
            id_number_encrypted=encrypt_id_number(number),
            id_number_hash=hash_id_number(number),
            id_number_masked=rules.mask_id_number(number),
            is_demo_id=True,
            phone=f"1390001{sequence:04d}",
            education=rng.choice(Education.values),
            occupation=rng.choice(["公务员", "教师", "医生", "工程师", "职员"]),
            work_unit=unit.name if unit else "如意湖办事处",
            address=f"{community.name}{rng.randint(1, 30)}号院{rng.randint(1, 12)}号楼",
            community=community,
            status=MemberStatus.FULL,
            category=Category.IN_SERVICE,
            joined_on=dt.date(born.year + 25, rng.randint(1, 12), rng.randint(1, 28)),
            confirmed_on=dt.date(born.year + 26, 12, 28),
        )
        created.append((member, unit, community, rng))
    Member.objects.bulk_create([m for m, *_ in created], batch_size=500)
    MemberChange.objects.bulk_create(
        [
            MemberChange(member=m, action=MemberChange.Action.CREATED, summary="示例数据")
            for m, *_ in created
        ],
        batch_size=500,
    )
    new_registrations = CommunityRegistration.objects.bulk_create(
        [
            CommunityRegistration(
                member=member,
                community=community,
                employer_name=unit.name if unit else "如意湖办事处",
                employer_unit=unit,
                employer_organization=None if unit else root,
                registered_on=last_quarter.start - dt.timedelta(days=rng.randint(1, 240)),
                skills=rng.choice(["摄影", "法律咨询", "义诊", "书法", "电脑维修", ""]),
                preferred_service=rng.choice(kinds),
            )
            for member, unit, community, rng in created
        ],
        batch_size=500,
    )
    # Needs and claims per community, and approved services this quarter for about two thirds of
    # the new registrations, so the "behind" list has names on it.
    if not CommunityNeed.objects.filter(community__in=communities).exists():
        for community in communities:
            for days, (title, description, slots) in enumerate(DEMO_NEEDS, start=10):
                need = CommunityNeed.objects.create(
                    community=community,
                    title=title,
                    description=description,
                    needed_by=today + dt.timedelta(days=days),
                    slots=slots,
                )
                claimers = list(
                    CommunityRegistration.objects.filter(community=community, ended_on=None)
                    .exclude(claims__need=need)
                    .order_by("pk")[: slots - 1]
                )
                NeedClaim.objects.bulk_create(
                    [NeedClaim(need=need, registration=r) for r in claimers]
                )
                CommunityNeed.objects.filter(pk=need.pk).update(claimed_count=len(claimers))
    start = period_containing(today, "quarter").start
    CommunityService.objects.bulk_create(
        [
            CommunityService(
                member_id=r.member_id,
                community_id=r.community_id,
                registration=r,
                served_on=max(start, today - dt.timedelta(days=3)),
                hours=2,
                description="参加社区楼院环境清理",
                status=ReviewStatus.APPROVED if index % 5 else ReviewStatus.PENDING,
            )
            for index, r in enumerate(new_registrations)
            if index % 3
        ]
        + [
            CommunityService(
                member_id=r.member_id,
                community_id=r.community_id,
                registration=r,
                served_on=last_quarter.start + dt.timedelta(days=7 + 14 * visit + index % 7),
                hours=2 + index % 3,
                description=["楼院环境清理", "独居老人探访", "政策宣讲"][visit],
                status=ReviewStatus.APPROVED,
            )
            for index, r in enumerate(new_registrations)
            # One to three services each; every fifth member did none and is behind the quota.
            for visit in range(0 if index % 5 == 0 else 1 + index % 3)
        ],
        batch_size=500,
    )
    return len(created)
