"""Demo grid work (DEMO_DATA.md): 秦岭路's grids with a month of daily screening reports and a few
mediations by type; 联盟新城's 和平鸽调解队 mediating; households of 如意湖 contacted by members
(联系户, 3+2+1) and a 春节 care campaign. People and phones are invented. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from branches.models import Community, Compound, Grid, Organization, SubDistrict
from grids import services
from grids.models import (
    AssistancePairing,
    CareFund,
    ContactAssignment,
    Dispute,
    DisputeKind,
    DisputeSource,
    DisputeStatus,
    GridRole,
    GridRoleKind,
    GridSettings,
    Household,
    HouseholdVisit,
    MediationSession,
    PairingTier,
    ScreeningReport,
)
from members.identity import encrypt_id_number
from members.models import Member
from members.rules import mask_phone
from volunteers.models import VolunteerTeam

GRID_WORKER = "grid_worker"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "建国",
    "秀英",
    "桂兰",
    "志强",
    "海燕",
    "玉梅",
    "德明",
    "淑珍",
    "国华",
    "丽娟",
    "春生",
    "红霞",
]
COMPOUNDS = {
    "秦江社区": ["秦江花园", "煤机厂家属院"],
    "锦艺西社区": ["锦艺城一期", "锦艺城二期"],
    "联盟新城社区": ["联盟新城一区", "联盟新城二区"],
}
TAG_CYCLE = [
    "is_elderly_alone",
    "",
    "is_empty_nest",
    "",
    "is_low_income",
    "is_veteran",
    "",
    "is_disabled",
]
DISPUTES = [
    (DisputeKind.NEIGHBOURS, "楼上漏水殃及楼下，双方就维修费用争执。", DisputeStatus.AGREED),
    (DisputeKind.PROPERTY, "业主对物业费上涨不满，拒交物业费。", DisputeStatus.MEDIATING),
    (DisputeKind.FAMILY, "兄弟二人因老人赡养分摊发生争吵。", DisputeStatus.AGREED),
    (DisputeKind.LABOUR, "装修工人被拖欠工资。", DisputeStatus.REFERRED),
    (DisputeKind.NEIGHBOURS, "楼道堆放杂物引发邻里口角。", DisputeStatus.OPEN),
]
# A minimal one-page PDF standing in for the scanned signed agreement.
DEMO_AGREEMENT = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _user(username: str, full_name: str, password: str | None = None) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _phone(rng: random.Random) -> tuple[str, str]:
    phone = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    return encrypt_id_number(phone), mask_phone(phone)


def _households(
    rng: random.Random, grid: Grid, compounds: list[Compound], count: int
) -> list[Household]:
    rows = []
    for n in range(count):
        encrypted, masked = _phone(rng)
        tag = TAG_CYCLE[n % len(TAG_CYCLE)]
        rows.append(
            Household(
                grid=grid,
                compound=compounds[n % len(compounds)],
                address=f"{n % 6 + 1}号楼{n % 3 + 1}单元{100 * (n % 5 + 1) + n % 4 + 1}",
                contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                phone_encrypted=encrypted,
                phone_masked=masked,
                **({tag: True} if tag else {}),
            )
        )
    return Household.objects.bulk_create(rows)


def _grids(community: Community, names: list[str]) -> list[Grid]:
    return [Grid.objects.get_or_create(community=community, name=name)[0] for name in names]


def seed(*, password: str) -> None:
    if Household.objects.exists():
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, reproducible
    today = timezone.localdate()
    month_ago = today - dt.timedelta(days=30)
    worker = _user(GRID_WORKER, "孙晓红", password)

    # 秦岭路: two communities' grids, officers filing a month of daily reports.
    qinlinglu = SubDistrict.objects.get(name="秦岭路街道")
    GridSettings.objects.get_or_create(sub_district=qinlinglu)
    all_grids: list[Grid] = []
    for community_name, grid_names in (
        ("秦江社区", ["第一网格", "第二网格", "第三网格"]),
        ("锦艺西社区", ["第一网格", "第二网格"]),
    ):
        community, _ = Community.objects.get_or_create(sub_district=qinlinglu, name=community_name)
        branch = Organization.objects.filter(name=f"{community_name}党支部").first()
        if branch is not None:
            branch.communities.add(community)
        compounds = [
            Compound.objects.get_or_create(community=community, name=n)[0]
            for n in COMPOUNDS[community_name]
        ]
        for index, grid in enumerate(_grids(community, grid_names)):
            leader = rng.choice(SURNAMES) + rng.choice(GIVEN)
            officer = (
                worker
                if (community_name, index) == ("秦江社区", 0)
                else _user(f"qll_officer_{grid.pk}", rng.choice(SURNAMES) + rng.choice(GIVEN))
            )
            GridRole.objects.bulk_create(
                [
                    GridRole(
                        grid=grid,
                        kind=GridRoleKind.LEADER,
                        contact_name=leader,
                        started_on=month_ago,
                    ),
                    GridRole(
                        grid=grid,
                        kind=GridRoleKind.SCREENING_OFFICER,
                        user=officer,
                        started_on=month_ago,
                    ),
                    GridRole(
                        grid=grid, kind=GridRoleKind.WORKER, user=officer, started_on=month_ago
                    ),
                ]
            )
            Grid.objects.filter(pk=grid.pk).update(leader_name=leader)
            _households(rng, grid, compounds, 12)
            # A month of reports, a few days missed, never today (left for the officer to file).
            ScreeningReport.objects.bulk_create(
                ScreeningReport(
                    grid=grid,
                    officer=officer,
                    day=month_ago + dt.timedelta(days=d),
                    nothing_found=d % 9 != 4,
                    notes="" if d % 9 != 4 else "发现一起邻里纠纷，已登记。",
                )
                for d in range(30)
                if rng.random() > 0.08 or d == 29
            )
            all_grids.append(grid)

    # A few mediations by type, on the days a report found something.
    for n, (kind, summary, status) in enumerate(DISPUTES):
        grid = all_grids[n % len(all_grids)]
        report = ScreeningReport.objects.filter(grid=grid, nothing_found=False).first()
        opened = report.day if report else month_ago + dt.timedelta(days=n * 5)
        _dispute(rng, grid, report, kind, summary, status, opened, mediator=None, today=today)
    # Every other finding of the month opened its dispute too: a "found" report always does.
    findings = ScreeningReport.objects.filter(
        grid__in=all_grids, nothing_found=False, disputes__isnull=True
    ).order_by("day", "pk")
    for n, report in enumerate(findings.select_related("grid")):
        status = (DisputeStatus.AGREED, DisputeStatus.REFERRED, DisputeStatus.MEDIATING)[n % 3]
        _dispute(
            rng,
            report.grid,
            report,
            DisputeKind.NEIGHBOURS,
            report.notes,
            status,
            report.day,
            mediator=None,
            today=today,
        )

    # 联盟新城: its grid, households, and 和平鸽调解队 mediating.
    ruyihu = SubDistrict.objects.get(name="如意湖办事处")
    lianmeng, _ = Community.objects.get_or_create(sub_district=ruyihu, name="联盟新城社区")
    compounds = [
        Compound.objects.get_or_create(community=lianmeng, name=n)[0]
        for n in COMPOUNDS["联盟新城社区"]
    ]
    grid = _grids(lianmeng, ["第一网格"])[0]
    GridRole.objects.create(
        grid=grid, kind=GridRoleKind.LEADER, contact_name="王洁茹", started_on=month_ago
    )
    GridRole.objects.create(grid=grid, kind=GridRoleKind.WORKER, user=worker, started_on=month_ago)
    Grid.objects.filter(pk=grid.pk).update(leader_name="王洁茹")
    households = _households(rng, grid, compounds, 24)
    team = VolunteerTeam.objects.filter(community=lianmeng, name="和平鸽调解队").first()
    _dispute(
        rng,
        grid,
        None,
        DisputeKind.NEIGHBOURS,
        "邻居装修噪音扰民，多次协商未果。",
        DisputeStatus.AGREED,
        today - dt.timedelta(days=20),
        mediator=team,
        today=today,
    )
    _dispute(
        rng,
        grid,
        None,
        DisputeKind.PROPERTY,
        "车位归属争议，业主与物业各执一词。",
        DisputeStatus.MEDIATING,
        today - dt.timedelta(days=10),
        mediator=team,
        today=today,
    )

    # 联系户: members of 联盟新城社区党支部 contact 3–4 households each; 3+2+1 pairings.
    members = list(
        Member.objects.current().filter(organization__name="联盟新城社区党支部").order_by("pk")[:6]
    )
    bound = Member.objects.filter(
        bindings__user__username="member", bindings__status="active"
    ).first()
    if bound is not None and bound not in members:
        members = [bound, *members[:5]]
    links, visits, pairings = [], [], []
    cursor = 0
    for m_index, member in enumerate(members):
        for _n in range(3 + m_index % 2):
            household = households[cursor % len(households)]
            cursor += 1
            links.append(
                ContactAssignment(
                    member=member, household=household, grid=grid, started_on=month_ago
                )
            )
            if cursor % 3:
                visits.append(
                    HouseholdVisit(
                        household=household,
                        grid=grid,
                        member=member,
                        visited_on=today - dt.timedelta(days=rng.randint(1, 45)),
                        findings=rng.choice(
                            ["一切正常。", "老人腿脚不便，需要帮忙买菜。", "反映楼道灯坏了。"]
                        ),
                    )
                )
    ContactAssignment.objects.bulk_create(links)
    tagged = [h for h in households if h.in_hardship]
    tiers = [PairingTier.SECRETARY, PairingTier.MEMBER, PairingTier.MEMBER]
    for member, household, tier in zip(members[1:4], tagged, tiers, strict=False):
        pairings.append(
            AssistancePairing(
                member=member, household=household, grid=grid, tier=tier, started_on=month_ago
            )
        )
    AssistancePairing.objects.bulk_create(pairings)
    for pairing in pairings:
        visits.append(
            HouseholdVisit(
                household=pairing.household,
                grid=grid,
                member=pairing.member,
                pairing=pairing,
                visited_on=today - dt.timedelta(days=5),
                findings="上门走访。",
                help_given="送米面油一份",
            )
        )
    HouseholdVisit.objects.bulk_create(visits)

    # 春节 care campaign of 如意湖: planned from the hardship list, half ticked off.
    year = today.year if today.month >= 2 else today.year - 1
    campaign = services.plan_campaign(
        sub_district=ruyihu,
        name=f"{year}年春节慰问",
        starts_on=dt.date(year, 1, 15),
        ends_on=dt.date(year, 2, 15),
        actor=None,
    )
    for index, planned in enumerate(campaign.visits.order_by("pk")):
        if index % 2 == 0:
            planned.visited_on = dt.date(year, 1, 20 + index % 10)
            planned.visitors = "王洁茹、社区网格员"
            planned.given = "米、面、油和慰问金"
            planned.amount = 500
            planned.fund = CareFund.CHARITY
            planned.fund_note = "公益慈善基金"
            planned.save()


def _dispute(rng, grid, report, kind, summary, status, opened, *, mediator, today):  # noqa: ANN001, ANN202
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(2)]
    dispute = Dispute.objects.create(
        grid=grid,
        report=report,
        source=DisputeSource.SCREENING
        if report
        else rng.choice([DisputeSource.RESIDENT, DisputeSource.HOTLINE]),
        kind=kind,
        party_a=names[0],
        party_b=names[1],
        summary=summary,
        opened_on=opened,
        mediator_team=mediator,
    )
    if status == DisputeStatus.OPEN:
        return
    session_day = min(opened + dt.timedelta(days=2), today)
    MediationSession.objects.create(
        dispute=dispute, held_on=session_day, notes="双方到场，各自陈述诉求。"
    )
    dispute.status = status
    if status in (DisputeStatus.AGREED, DisputeStatus.REFERRED, DisputeStatus.FAILED):
        dispute.closed_on = min(opened + dt.timedelta(days=5), today)
        dispute.follow_up_due_on = dispute.closed_on + dt.timedelta(days=7)
        if status == DisputeStatus.AGREED:
            dispute.agreement.save(
                f"demo-agreement-{dispute.pk}.pdf", ContentFile(DEMO_AGREEMENT), save=False
            )
            dispute.outcome_note = "双方签订调解协议。"
        else:
            dispute.outcome_note = "已移交司法所。"
    dispute.save()
