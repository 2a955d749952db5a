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

from branches.models import Community, Organization, OrganizationKind, SubDistrict
from members import rules
from members.identity import encrypt_id_number, hash_id_number
from members.models import Category, Education, Member, MemberChange, MemberStatus

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
    today = dt.date.today()
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
            if joined > today - dt.timedelta(days=30):
                joined = today - dt.timedelta(days=rng.randint(30, 300))
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
