"""A joint-meeting world on top of the regional one: 如意湖大工委 with two sitting units (each
with a liaison), a community with its secretary's branch covering it, a planned meeting."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import AuditEntry
from accounts.roles import Role
from regional.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    JointMeeting,
    ListSnapshot,
    Need,
    ProgressNote,
    Project,
    Resolution,
    Resource,
    TopicSubmission,
    UnitEvaluation,
    WorkReport,
)
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import CoBuildingUnitFactory, RegionalMembershipFactory
from tests.regional import regional_setup


def build(sub_district, branch=None) -> SimpleNamespace:
    w = regional_setup.build(sub_district)
    w.unit.liaison = w.liaison
    w.unit.save()
    w.second_unit = CoBuildingUnitFactory(sub_district=sub_district, name="河南艺术中心党支部")
    RegionalMembershipFactory(
        committee=w.committee, unit=w.second_unit, joined_on=dt.date(2017, 1, 1)
    )
    w.second_liaison = UserFactory(username="liaison2", email="l2@example.org")
    RoleAssignmentFactory(user=w.second_liaison, role=Role.UNIT_LIAISON, unit=w.second_unit)
    w.liaison.email = "l1@example.org"
    w.liaison.save()
    if branch is not None:
        branch.communities.add(w.community)
    w.committee.communities.add(w.community)
    w.today = timezone.localdate()
    w.meeting = JointMeeting.objects.create(
        committee=w.committee,
        scheduled_on=w.today + dt.timedelta(days=20),
        year=(w.today + dt.timedelta(days=20)).year,
        quarter=((w.today + dt.timedelta(days=20)).month - 1) // 3 + 1,
        topic="双迎攻坚",
        place="如意湖楼宇党建商务服务中心",
    )
    w.need = Need.objects.create(committee=w.committee, community=w.community, title="健康义诊")
    w.resource = Resource.objects.create(
        committee=w.committee, unit=w.unit, kind="venue", title="多功能会议室"
    )
    w.other_need = Need.objects.create(
        committee=w.other_committee, community=w.other_community, title="北林路需求"
    )
    return w


def snapshot() -> tuple:
    return (
        regional_setup.snapshot(),
        [
            list(model.objects.order_by("pk").values())
            for model in (
                JointMeeting,
                TopicSubmission,
                AgendaItem,
                Attendance,
                Resolution,
                ActionItem,
                ProgressNote,
                Need,
                Resource,
                Project,
                ListSnapshot,
                UnitEvaluation,
                WorkReport,
            )
        ],
        AuditEntry.objects.exclude(action="access.denied").count(),  # refusals are audited
    )
