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
from django.db.models import DateTimeField, Value
from django.db.models.functions import Cast, Greatest
from django.utils import timezone

from branches.models import (
    District,
    Organization,
    OrganizationKind,
    OrganizationPeriod,
    Sector,
    SubDistrict,
)
from members.models import (
    Category,
    Gender,
    Member,
    MemberChange,
    MembershipState,
    MemberStatus,
    Transfer,
    TransferKind,
    TransferState,
)

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
    # The members' history (`_history`): shares of the roll, over the last `history_years`.
    history_years: int = 3
    share_probationary: float = 0.05
    share_gone: float = 0.04  # left, died or transferred out of the district
    share_arrived: float = 0.03  # came in by a transfer from outside the district
    share_moved: float = 0.06  # moved here from another branch of the sub-district

    @property
    def branches(self) -> int:
        return self.general_branches * self.branches_per_general + self.direct_branches

    @property
    def organizations(self) -> int:
        per = 1 + self.general_branches + self.branches * (1 + self.groups_per_branch)
        return per * self.sub_districts

    @property
    def members(self) -> int:
        return self.branches * self.members_per_branch * self.sub_districts


# `seed_scale --small`: the same structure and history in a few seconds, for development.
SMALL = ScaleShape(
    sub_districts=2,
    general_branches=1,
    branches_per_general=3,
    direct_branches=5,
    members_per_branch=10,
    years_of_meetings=1,
    rooms_per_hall=2,
    booking_days_back=60,
    booking_days_ahead=7,
    residents_per_sub_district=20,
    communities_per_sub_district=2,
    teams_per_sub_district=3,
    volunteers_per_sub_district=30,
    enrolled_per_activity=5,
)

# Member records were entered into the portal when it started; older members were keyed in then.
PORTAL_START = dt.date(2016, 1, 4)
EXTERNAL_SENDERS = ("外省某县委组织部", "外区某街道党工委", "某高校党委")
EXTERNAL_RECEIVERS = ("外区某社区党委", "外省某市委组织部", "某企业党委")


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


def sub_district_rng(seed: int, index: int) -> random.Random:
    """One generator per sub-district, by its place in the district: sub-district n comes out
    the same whatever the factor, so a 2x district holds the 1x one unchanged."""
    return random.Random(seed * 1000 + index)  # noqa: S311  (not for security: reproducible data)


def build(
    shape: ScaleShape | None = None, *, factor: int = 1, seed: int = 20261121
) -> dict[str, int]:
    """Create the scale district's tree and members unless they exist; return the counts.

    `factor` K makes a K-times district: K x `shape.sub_districts` sub-districts of the same
    size. Sub-districts already there are kept, so building at 2 after 1 adds the second half
    and leaves the first (the one a growth benchmark measures) as it was."""
    shape = shape or ScaleShape()
    if factor < 1:
        raise ValueError("factor must be at least 1")
    district, _ = District.objects.get_or_create(name=SCALE_DISTRICT)
    existing = SubDistrict.objects.filter(district=district).count()
    wanted = shape.sub_districts * factor
    if existing >= wanted:
        return _counts(district)
    founded = dt.date(2015, 1, 1)
    today = timezone.localdate()
    with transaction.atomic():
        last = Organization.get_last_root_node()
        paths = _PathBuilder(Organization._str2int(last.path) + 1 if last else 1)
        rows: list[Organization] = []
        rngs: dict[int, random.Random] = {}
        for s in range(existing, wanted):
            rng = sub_district_rng(seed, s)
            sub_district = SubDistrict.objects.create(
                district=district, name=f"规模街道{s + 1:02d}"
            )
            rngs[sub_district.pk] = rng

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
            for org in Organization.objects.filter(sub_district_id__in=list(rngs)).only(
                "pk", "path", "kind", "name", "sector", "sub_district_id"
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
        branches: dict[int, list[Organization]] = {}
        for path, org in sorted(created.items()):
            if org.kind == OrganizationKind.PARTY_GROUP:
                groups.setdefault(path[:-steplen], []).append(org)
            elif org.kind == OrganizationKind.BRANCH:
                branches.setdefault(org.sub_district_id, []).append(org)
        members: list[Member] = []
        events: list[_Event] = []
        for sub_district_id, rng in rngs.items():
            for org in branches.get(sub_district_id, []):
                own_groups = groups.get(org.path) or [None]
                for n in range(shape.members_per_branch):
                    member = _member(rng, shape, today, org, own_groups[n % len(own_groups)])
                    members.append(member)
                    event = _event(rng, shape, today, member, branches[sub_district_id])
                    if event is not None:
                        events.append(event)
        Member.objects.bulk_create(members, batch_size=5000)
        _history(events, first_number=existing)
        # The record was keyed in when the portal started, or when the member joined after.
        Member.objects.filter(organization__sub_district_id__in=list(rngs)).update(
            created_at=Greatest(
                Cast("joined_on", DateTimeField()),
                Value(dt.datetime.combine(PORTAL_START, dt.time(9), dt.UTC)),
            )
        )
    return _counts(district)


@dataclass
class _Event:
    """One change in a member's history: gone (left, died, transferred out), arrived from
    outside the district, or moved here from another branch, on `day`."""

    member: Member
    kind: str  # "gone" | "arrived" | "moved"
    day: dt.date
    state: str = MembershipState.ACTIVE
    from_organization: Organization | None = None


def _days_ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def _member(
    rng: random.Random,
    shape: ScaleShape,
    today: dt.date,
    org: Organization,
    group: Organization | None,
) -> Member:
    """A member who joined at some point over the last fifty years (most within thirty); the
    probationary ones within the last year, the others confirmed a year after joining."""
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    if rng.random() < shape.share_probationary:
        status = MemberStatus.PROBATIONARY
        joined = _days_ago(today, rng.randint(20, 360))
        confirmed = None
    else:
        status = MemberStatus.FULL
        joined = _days_ago(today, int(rng.triangular(400, 50 * 365, 12 * 365)))
        confirmed = joined + dt.timedelta(days=365)
    return Member(
        organization=org,
        party_group=group,
        full_name=name,
        gender=rng.choice((Gender.MALE, Gender.FEMALE)),
        birth_date=joined - dt.timedelta(days=rng.randint(19 * 365, 45 * 365)),
        status=status,
        category=rng.choice(
            (Category.IN_SERVICE, Category.IN_SERVICE, Category.RETIRED, Category.MOBILE)
        ),
        joined_on=joined,
        confirmed_on=confirmed,
    )


def _event(
    rng: random.Random,
    shape: ScaleShape,
    today: dt.date,
    member: Member,
    branches: list[Organization],
) -> _Event | None:
    """Whether this member's record changed over the last `history_years`, and how. The member
    is updated in place (state and dates); the transfer rows follow in `_history`."""
    roll = rng.random()
    if member.status != MemberStatus.FULL:
        return None
    others = [b for b in branches if b.pk != member.organization.pk]
    if roll < shape.share_gone:
        kind = "gone"
    elif roll < shape.share_gone + shape.share_arrived:
        kind = "arrived"
    elif roll < shape.share_gone + shape.share_arrived + shape.share_moved and others:
        kind = "moved"
    else:
        return None
    day = _days_ago(today, rng.randint(1, shape.history_years * 365))
    earliest = day - dt.timedelta(days=400)
    if member.joined_on > earliest:  # joined before the change, confirmed a year later
        member.joined_on = _days_ago(earliest, rng.randint(0, 20 * 365))
        member.confirmed_on = member.joined_on + dt.timedelta(days=365)
    if kind == "gone":
        state = rng.choice(
            (
                MembershipState.DECEASED,
                MembershipState.DECEASED,
                MembershipState.TRANSFERRED_OUT,
                MembershipState.TRANSFERRED_OUT,
                MembershipState.LEFT,
            )
        )
        member.state, member.state_changed_on = state, day
        return _Event(member, "gone", day, state)
    if kind == "arrived":
        member.state_changed_on = day  # on the roll here from the day the transfer was accepted
        return _Event(member, "arrived", day)
    return _Event(member, "moved", day, from_organization=rng.choice(others))


def _history(events: list[_Event], *, first_number: int) -> None:
    """The transfer letters (accepted) and the record's history entries of each change, dated
    when they happened: a few bulk inserts."""
    transfers: list[Transfer] = []
    changes: list[MemberChange] = []
    for n, event in enumerate(events):
        member = event.member
        decided = dt.datetime.combine(event.day, dt.time(10), timezone.get_current_timezone())
        letter = {
            "member": member,
            "number": f"规模{first_number + 1:02d}-{n + 1:06d}",
            "issued_on": event.day - dt.timedelta(days=7),
            "valid_until": event.day + dt.timedelta(days=23),
            "state": TransferState.ACCEPTED,
            "decided_at": decided,
        }
        if event.kind == "gone" and event.state == MembershipState.TRANSFERRED_OUT:
            transfers.append(
                Transfer(
                    kind=TransferKind.OUTBOUND,
                    from_organization=member.organization,
                    external_organization=EXTERNAL_RECEIVERS[n % len(EXTERNAL_RECEIVERS)],
                    reason="工作调动",
                    **letter,
                )
            )
            action, summary = MemberChange.Action.TRANSFER, "转出本区"
        elif event.kind == "gone":
            action, summary = MemberChange.Action.STATE, ""
        elif event.kind == "arrived":
            transfers.append(
                Transfer(
                    kind=TransferKind.INBOUND,
                    to_organization=member.organization,
                    external_organization=EXTERNAL_SENDERS[n % len(EXTERNAL_SENDERS)],
                    reason="迁入居住地",
                    **letter,
                )
            )
            action, summary = MemberChange.Action.TRANSFER, "转入本区"
        else:
            transfers.append(
                Transfer(
                    kind=TransferKind.INTERNAL,
                    from_organization=event.from_organization,
                    to_organization=member.organization,
                    reason="工作单位变动",
                    **letter,
                )
            )
            action, summary = MemberChange.Action.TRANSFER, "支部间转接"
        changes.append(
            MemberChange(
                member=member,
                action=action,
                summary=summary,
                changes=_change_of(event),
            )
        )
    Transfer.objects.bulk_create(transfers, batch_size=5000)
    MemberChange.objects.bulk_create(changes, batch_size=5000)
    # auto_now_add stamped them with now; bulk_update writes the day each change happened.
    for change, event in zip(changes, events, strict=True):
        change.created_at = dt.datetime.combine(
            event.day, dt.time(10), timezone.get_current_timezone()
        )
    MemberChange.objects.bulk_update(changes, ["created_at"], batch_size=2000)


def _change_of(event: _Event) -> dict[str, dict[str, object]]:
    if event.kind == "gone":
        return {"state": {"from": MembershipState.ACTIVE, "to": event.state}}
    if event.kind == "arrived":
        return {"state": {"from": MembershipState.INCOMING, "to": MembershipState.ACTIVE}}
    assert event.from_organization is not None
    return {
        "organization_id": {
            "from": event.from_organization.pk,
            "to": event.member.organization.pk,
        }
    }


def build_all(shape: ScaleShape | None = None, *, factor: int = 1) -> dict[str, int]:
    """The tree and members, then three years of meetings, a year of bookings and of
    volunteer hours; each part is skipped for the sub-districts that have it already."""
    from demo import scale_activity

    shape = shape or ScaleShape()
    counts = build(shape, factor=factor)
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
