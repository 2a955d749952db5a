"""District-scale data for benchmarks and load checks (`manage.py seed_scale`).

Rows are written in bulk with their tree paths computed here, so a city district (12
sub-districts, ~3,000 organisations, ~30,000 members) loads in seconds rather than minutes.
Everything lives under one district named SCALE_DISTRICT so it is easy to tell apart and remove.
Member names are generated; no real person is described.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction

from branches.models import (
    District,
    Organization,
    OrganizationKind,
    OrganizationPeriod,
    Sector,
    SubDistrict,
)
from members.models import Member, MemberStatus

SCALE_DISTRICT = "规模测试区"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文海波斌宁"


@dataclass(frozen=True)
class ScaleShape:
    sub_districts: int = 12
    general_branches: int = 5
    branches_per_general: int = 6
    direct_branches: int = 52
    groups_per_branch: int = 2
    members_per_branch: int = 31
    # Activity over time (demo/scale_activity.py).
    years_of_meetings: int = 3
    rooms_per_hall: int = 6
    booking_days_back: int = 365
    booking_days_ahead: int = 14
    residents_per_sub_district: int = 200
    communities_per_sub_district: int = 6
    teams_per_sub_district: int = 24
    volunteers_per_sub_district: int = 400
    enrolled_per_activity: int = 15

    @property
    def organizations(self) -> int:
        branches = self.general_branches * self.branches_per_general + self.direct_branches
        per = 1 + self.general_branches + branches * (1 + self.groups_per_branch)
        return per * self.sub_districts

    @property
    def members(self) -> int:
        branches = self.general_branches * self.branches_per_general + self.direct_branches
        return branches * self.members_per_branch * self.sub_districts


class _PathBuilder:
    """Hands out treebeard materialised paths and counts children, for bulk creation."""

    def __init__(self, first_root: int) -> None:
        self.next_root = first_root
        self.children: dict[str, int] = {}

    def root(self) -> str:
        path = Organization._get_path("", 1, self.next_root)
        self.next_root += 1
        return path

    def child(self, parent_path: str) -> str:
        n = self.children.get(parent_path, 0) + 1
        self.children[parent_path] = n
        return Organization._get_path(parent_path, len(parent_path) // Organization.steplen + 1, n)


def build(shape: ScaleShape | None = None, *, seed: int = 20261121) -> dict[str, int]:
    """Create the scale district unless it exists; return the counts it holds."""
    shape = shape or ScaleShape()
    district, _ = District.objects.get_or_create(name=SCALE_DISTRICT)
    if SubDistrict.objects.filter(district=district).exists():
        return _counts(district)
    rng = random.Random(seed)  # noqa: S311  (not for security: reproducible demo data)
    founded = dt.date(2015, 1, 1)
    with transaction.atomic():
        last = Organization.get_last_root_node()
        paths = _PathBuilder(Organization._str2int(last.path) + 1 if last else 1)
        rows: list[Organization] = []
        for s in range(shape.sub_districts):
            sub_district = SubDistrict.objects.create(
                district=district, name=f"规模街道{s + 1:02d}"
            )

            def add(
                parent_path: str | None,
                name: str,
                kind: str,
                sector: str,
                sub_district: SubDistrict = sub_district,
            ) -> str:
                path = paths.child(parent_path) if parent_path else paths.root()
                rows.append(
                    Organization(
                        path=path,
                        depth=len(path) // Organization.steplen,
                        numchild=0,
                        sub_district=sub_district,
                        name=name,
                        kind=kind,
                        sector=sector,
                        founded_on=founded,
                    )
                )
                return path

            root = add(None, f"规模街道{s + 1:02d}党工委", OrganizationKind.WORK_COMMITTEE, "")
            parents = [root] * shape.direct_branches
            for g in range(shape.general_branches):
                general = add(
                    root, f"第{g + 1}社区党总支", OrganizationKind.GENERAL_BRANCH, Sector.COMMUNITY
                )
                parents += [general] * shape.branches_per_general
            for b, parent in enumerate(parents):
                sector = rng.choice([Sector.COMMUNITY, Sector.NON_PUBLIC_ENTERPRISE, Sector.AGENCY])
                branch = add(
                    parent, f"规模支部{s + 1:02d}-{b + 1:03d}", OrganizationKind.BRANCH, sector
                )
                for g in range(shape.groups_per_branch):
                    add(branch, f"第{g + 1}党小组", OrganizationKind.PARTY_GROUP, sector)
        for row in rows:
            row.numchild = paths.children.get(row.path, 0)
        Organization.objects.bulk_create(rows, batch_size=1000)
        created = {
            org.path: org
            for org in Organization.objects.filter(sub_district__district=district).only(
                "pk", "path", "kind", "name", "sector"
            )
        }
        steplen = Organization.steplen
        OrganizationPeriod.objects.bulk_create(
            [
                OrganizationPeriod(
                    organization=org,
                    parent=created.get(path[:-steplen]),
                    name=org.name,
                    kind=org.kind,
                    sector=org.sector,
                    valid_from=founded,
                )
                for path, org in created.items()
            ],
            batch_size=2000,
        )
        groups: dict[str, list[Organization]] = {}
        for path, org in created.items():
            if org.kind == OrganizationKind.PARTY_GROUP:
                groups.setdefault(path[:-steplen], []).append(org)
        members = []
        for path, org in created.items():
            if org.kind != OrganizationKind.BRANCH:
                continue
            own_groups = groups.get(path) or [None]
            for n in range(shape.members_per_branch):
                name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
                status = MemberStatus.PROBATIONARY if rng.random() < 0.05 else MemberStatus.FULL
                members.append(
                    Member(
                        organization=org,
                        party_group=own_groups[n % len(own_groups)],
                        full_name=name,
                        status=status,
                    )
                )
        Member.objects.bulk_create(members, batch_size=5000)
    return _counts(district)


def build_all(shape: ScaleShape | None = None) -> dict[str, int]:
    """The tree and members, then three years of meetings, a year of bookings and of
    volunteer hours; each part is skipped when it exists already."""
    from demo import scale_activity

    shape = shape or ScaleShape()
    counts = build(shape)
    district = District.objects.get(name=SCALE_DISTRICT)
    scale_activity.seed_meetings(district, shape)
    scale_activity.seed_bookings(district, shape)
    scale_activity.seed_volunteering(district, shape)
    if connection.vendor == "postgresql":
        # Fresh statistics: without them the planner sees empty tables after a bulk load and
        # picks nested loops that turn a 20 ms aggregate into seconds (autovacuum comes later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts | scale_activity.counts(district)


def _counts(district: District) -> dict[str, int]:
    return {
        "sub_districts": SubDistrict.objects.filter(district=district).count(),
        "organizations": Organization.objects.filter(sub_district__district=district).count(),
        "members": Member.objects.filter(organization__sub_district__district=district).count(),
    }
