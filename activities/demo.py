"""A year of organisational life for the demo branches (idempotent: skipped once present).

Most branches keep their cadence; a few fall behind in some months, so the compliance view has
red cells. 如意湖 carries the study figures of the reports: 23 lead-study sessions (Monday
meetings), 4 secretary's lectures and 3 expert lectures. Written in bulk for speed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from activities import rules
from activities.minutes import demo as minutes_demo
from activities.models import Attendance, Meeting, MeetingKind, MeetingStatus
from branches.models import Organization, OrganizationKind, SubDistrict
from committees.models import CommitteePosition, CommitteeTerm
from members.models import Member, MemberStatus, Sanction, SanctionKind

TOPICS = {
    MeetingKind.THEME_DAY: ["学习党章党规", "社区环境整治志愿服务", "重温入党誓词", "走访困难党员"],
    MeetingKind.COMMITTEE_MEETING: ["研究月度工作", "讨论发展党员工作", "部署主题党日活动"],
    MeetingKind.GENERAL_MEETING: ["传达上级会议精神", "讨论接收预备党员", "通报季度工作"],
    MeetingKind.GROUP_MEETING: ["学习讨论", "交流思想"],
    MeetingKind.LECTURE: ["学习习近平新时代中国特色社会主义思想", "党的光辉历程"],
}


def _at(day: dt.date, hour: int = 19) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def seed() -> None:
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311  (demo data, reproducible)
    for sub_district in SubDistrict.objects.exclude(district__name="规模测试区"):
        if Meeting.objects.filter(organization__sub_district=sub_district).exists():
            continue
        _seed_sub_district(sub_district, today, rng)


def _seed_sub_district(sub_district: SubDistrict, today: dt.date, rng: random.Random) -> None:
    branches = list(
        Organization.objects.active()
        .filter(sub_district=sub_district, kind=OrganizationKind.BRANCH)
        .order_by("path")
    )
    with_committee = set(
        CommitteeTerm.objects.current()
        .filter(organization__in=branches)
        .values_list("organization_id", flat=True)
    )
    meetings: list[Meeting] = []
    months = [dt.date(today.year, m, 1) for m in range(1, today.month)]
    for index, branch in enumerate(branches):
        behind = index % 4 == 3  # every fourth branch falls behind now and then
        for month in months:
            if behind and rng.random() < 0.5:
                continue
            day = month + dt.timedelta(days=rng.randint(2, 20))
            meetings.append(_meeting(branch, MeetingKind.THEME_DAY, day, rng))
            if branch.pk in with_committee:
                meetings.append(_meeting(branch, MeetingKind.COMMITTEE_MEETING, day, rng, hour=15))
            if month.month in (2, 5, 8, 11):
                meetings.append(_meeting(branch, MeetingKind.GENERAL_MEETING, day, rng, hour=20))
                if sub_district.name != "如意湖办事处":  # 如意湖's lectures are its own figures
                    meetings.append(
                        _meeting(
                            branch,
                            MeetingKind.LECTURE,
                            day + dt.timedelta(days=1),
                            rng,
                            lecture_kind="lead_study",
                        )
                    )
        groups = Organization.objects.active().filter(
            kind=OrganizationKind.PARTY_GROUP, path__startswith=branch.path
        )
        for group in groups:
            for month in months:
                if behind and rng.random() < 0.4:
                    continue
                meetings.append(
                    _meeting(group, MeetingKind.GROUP_MEETING, month + dt.timedelta(days=22), rng)
                )
    if sub_district.name == "如意湖办事处" and branches:
        meetings += _ruyihu_study(branches, today, rng)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    _attendance(sub_district)
    minutes_demo.seal(sub_district)


def _meeting(
    organization: Organization,
    kind: str,
    day: dt.date,
    rng: random.Random,
    *,
    hour: int = 19,
    lecture_kind: str = "",
) -> Meeting:
    return Meeting(
        organization=organization,
        kind=kind,
        lecture_kind=lecture_kind,
        topic=rng.choice(TOPICS.get(kind, ["学习"])),
        place="党群服务中心",
        starts_at=_at(day, hour),
        held_on=day,
        status=MeetingStatus.HELD,
        main_points="示例记录",
    )


def _ruyihu_study(
    branches: list[Organization], today: dt.date, rng: random.Random
) -> list[Meeting]:
    """23 Monday lead-study sessions, 4 secretary's lectures, 3 expert lectures (seed 000)."""
    result = []
    monday = dt.date(today.year, 1, 5)
    monday -= dt.timedelta(days=monday.weekday())
    for week in range(23):
        day = monday + dt.timedelta(weeks=week + 1)
        if day >= today:
            break
        result.append(
            _meeting(
                branches[week % len(branches)],
                MeetingKind.LECTURE,
                day,
                rng,
                hour=9,
                lecture_kind="lead_study",
            )
        )
    for i in range(4):
        day = dt.date(today.year, 3 * i + 1, 15)
        if day < today:
            result.append(
                _meeting(
                    branches[i % len(branches)],
                    MeetingKind.LECTURE,
                    day,
                    rng,
                    lecture_kind="secretary",
                )
            )
    for i in range(3):
        day = dt.date(today.year, 2 * i + 4, 10)
        if day < today:
            result.append(
                _meeting(
                    branches[(i + 2) % len(branches)],
                    MeetingKind.LECTURE,
                    day,
                    rng,
                    lecture_kind="expert",
                )
            )
    return result


def _attendance(sub_district: SubDistrict) -> None:
    """Everyone expected present but about one in ten, in bulk: a 支委会's roster is the committee
    in office, and a member under 留党察看 on the day attends without a vote. Each general and
    committee meeting gets its quorum, as `record_meeting` would judge it."""
    members_by_branch: dict[int, list[Member]] = {}
    for member in Member.objects.current().filter(organization__sub_district=sub_district):
        members_by_branch.setdefault(member.organization_id, []).append(member)
    committees: dict[int, set[int]] = {}
    for organization_id, member_id in CommitteePosition.objects.filter(
        term__organization__sub_district=sub_district,
        term__ended_on__isnull=True,
        ended_on__isnull=True,
    ).values_list("term__organization_id", "member_id"):
        committees.setdefault(organization_id, set()).add(member_id)
    probations: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for member_id, started_on, ended_on in Sanction.objects.filter(
        kind=SanctionKind.PROBATION, member__organization__sub_district=sub_district
    ).values_list("member_id", "started_on", "ended_on"):
        probations.setdefault(member_id, []).append((started_on, ended_on))
    rows = []
    judged = []
    for meeting in Meeting.objects.filter(organization__sub_district=sub_district).select_related(
        "organization"
    ):
        if meeting.organization.kind == OrganizationKind.PARTY_GROUP:
            roster = [
                m
                for m in members_by_branch.get(_parent_id(meeting.organization), [])
                if m.party_group_id == meeting.organization_id
            ]
        elif meeting.kind == MeetingKind.COMMITTEE_MEETING:
            committee = committees.get(meeting.organization_id, set())
            roster = [
                m for m in members_by_branch.get(meeting.organization_id, []) if m.pk in committee
            ]
        else:
            roster = members_by_branch.get(meeting.organization_id, [])
        entitled = present = present_entitled = 0
        for n, member in enumerate(roster):
            absent = (n + meeting.pk) % 10 == 0
            votes = member.status == MemberStatus.FULL and not any(
                start <= meeting.held_on <= end for start, end in probations.get(member.pk, [])
            )
            entitled += votes
            present += not absent
            present_entitled += votes and not absent
            rows.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    member_name=member.full_name,
                    status="leave" if absent else "present",
                    reason="工作原因请假" if absent else "",
                    entitled_to_vote=votes,
                )
            )
        if meeting.kind == MeetingKind.GENERAL_MEETING:
            meeting.quorum_met = rules.quorum_met(entitled=entitled, present=present_entitled)
            judged.append(meeting)
        elif meeting.kind == MeetingKind.COMMITTEE_MEETING:
            meeting.quorum_met = rules.committee_quorum_met(
                committee_members=len(roster), present=present
            )
            judged.append(meeting)
    Attendance.objects.bulk_create(rows, batch_size=5000)
    Meeting.objects.bulk_update(judged, ["quorum_met"], batch_size=2000)


_parent_cache: dict[int, int] = {}


def _parent_id(group: Organization) -> int:
    if group.pk not in _parent_cache:
        _parent_cache[group.pk] = Organization.objects.get(path=group.parent_path).pk
    return _parent_cache[group.pk]
