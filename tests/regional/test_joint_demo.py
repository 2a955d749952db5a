from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from regional.models import (
    ActionItem,
    Attendance,
    JointMeeting,
    Need,
    Project,
    Resource,
    WorkReport,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (JointMeeting, Attendance, ActionItem, Need, Resource, Project, WorkReport)
    }


def test_seed_demo_gives_the_dagongwei_its_history_and_a_current_year_idempotently():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    meeting = JointMeeting.objects.get(scheduled_on=dt.date(2017, 3, 30))
    assert meeting.topic == "双迎攻坚" and meeting.status == "held"
    plan = ActionItem.objects.filter(resolution__meeting__year=2018)
    assert plan.count() == 10
    lecture = plan.get(title__startswith="如意湖大讲堂")
    assert lecture.done_on == dt.date(2018, 5, 10)
    assert lecture.owner_unit.name == "河南省住房和城乡建设厅机关党委"
    assert JointMeeting.objects.filter(status="planned").exists()
    assert Project.objects.exists() and Need.objects.filter(status="open").exists()
    report = WorkReport.objects.get(year=2018)
    assert report.status == "submitted" and report.committee.name == "如意湖大工委"
    assert report.figures["action_items"]["done"] == 10
