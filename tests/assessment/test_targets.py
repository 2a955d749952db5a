from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry
from activities.uploads import UploadRefused
from assessment import rules
from assessment.errors import TargetRefused
from assessment.models import Plan, ReportStatus, Target
from assessment.progress import by_owner, plan_progress
from assessment.services import targets
from tests.activities.factories import MeetingFactory
from tests.assessment.conftest import TODAY

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def plan(sub_district, staff):
    return targets.create_plan(
        sub_district=sub_district, year=2026, title="2026年党建目标", actor=staff
    )


def _target(plan, owner, weight, **kwargs):
    kwargs.setdefault("title", f"目标{weight}")
    kwargs.setdefault("deadline", dt.date(2026, 12, 31))
    kwargs.setdefault("goal", Decimal(4))
    return targets.add_target(plan=plan, owner=owner, weight=weight, actor=owner, **kwargs)


def test_a_plan_is_adopted_only_when_its_weights_sum_to_100(plan, staff):
    _target(plan, staff, 60, metric="theme_days_held")
    with pytest.raises(TargetRefused, match="60"):
        targets.adopt_plan(plan=plan, actor=staff)
    assert Plan.objects.get(pk=plan.pk).adopted_on is None
    _target(plan, staff, 40)
    targets.adopt_plan(plan=plan, actor=staff)
    assert Plan.objects.get(pk=plan.pk).adopted_on == TODAY


def test_a_target_that_would_pass_100_is_refused_and_nothing_written(plan, staff):
    _target(plan, staff, 70, metric="theme_days_held")
    with pytest.raises(TargetRefused) as refused:
        _target(plan, staff, 31)
    assert refused.value.field == "weight"
    assert Target.objects.count() == 1


def test_an_adopted_plan_takes_no_target(plan, staff):
    _target(plan, staff, 100, metric="meetings_held")
    targets.adopt_plan(plan=plan, actor=staff)
    with pytest.raises(TargetRefused):
        _target(plan, staff, 1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"metric": "no_such_metric"}, "metric"),
        ({"deadline": dt.date(2027, 1, 1)}, "deadline"),
        ({"goal": Decimal(-1)}, "goal"),
        ({"title": "  "}, "title"),
        ({"sector": "moon"}, "sector"),
    ],
)
def test_bad_targets_are_refused_on_their_field(plan, staff, kwargs, field):
    with pytest.raises(TargetRefused) as refused:
        _target(plan, staff, 10, **kwargs)
    assert refused.value.field == field
    assert not Target.objects.exists()


def test_a_branch_of_another_sub_district_is_refused(plan, staff, other_sub_district_branch):
    with pytest.raises(TargetRefused) as refused:
        _target(plan, staff, 10, metric="meetings_held", organization=other_sub_district_branch)
    assert refused.value.field == "organization"


def test_traffic_light_rule():
    start, deadline = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    mid = dt.date(2026, 7, 2)  # half the year elapsed
    light = rules.traffic_light
    kw = {"goal": Decimal(4), "start": start, "deadline": deadline}
    assert light(value=Decimal(4), today=mid, **kw) == rules.GREEN
    assert light(value=Decimal(2), today=mid, **kw) == rules.AMBER  # on pace
    assert light(value=Decimal(1), today=mid, **kw) == rules.RED  # behind pace
    assert light(value=Decimal(3), today=dt.date(2027, 1, 1), **kw) == rules.RED
    assert light(value=None, today=mid, **kw) == rules.GREY


def test_progress_per_branch_of_a_sector_target(plan, staff, branch, other_branch):
    target = _target(plan, staff, 50, metric="theme_days_held", goal=Decimal(2))
    for month in (1, 2):
        MeetingFactory(organization=branch, held_on=dt.date(2026, month, 8))
    [progress] = plan_progress(plan, [target], TODAY)
    figures = {f.organization_id: (f.value, f.light) for f in progress.figures}
    assert figures == {
        branch.pk: (Decimal(2), rules.GREEN),
        other_branch.pk: (Decimal(0), rules.RED),
    }
    assert progress.light == rules.RED
    [owner] = by_owner([progress])
    assert owner.lights[rules.RED] == 1


def test_progress_of_a_secretary_shows_only_their_branch(plan, staff, branch, other_branch):
    target = _target(plan, staff, 50, metric="theme_days_held", goal=Decimal(2))
    [progress] = plan_progress(plan, [target], TODAY, branch_ids={branch.pk})
    assert [f.organization_id for f in progress.figures] == [branch.pk]


def test_progress_is_a_fixed_number_of_queries(
    plan, staff, branch, other_branch, django_assert_max_num_queries
):
    items = [
        _target(plan, staff, 10, metric="theme_days_held", title=f"主题党日{n}") for n in range(5)
    ]
    items.append(_target(plan, staff, 10, metric="volunteer_hours"))
    items.append(_target(plan, staff, 10, title="报告"))
    with django_assert_max_num_queries(4):  # branches, 2 metrics, reports
        plan_progress(plan, items, TODAY)


def test_reported_target_counts_the_accepted_report_only(plan, staff, secretary):
    target = _target(plan, secretary, 30, goal=Decimal(20), title="微心愿认领 ≥ 20 个")
    report = targets.submit_report(
        target=target,
        value=Decimal(25),
        text="认领微心愿25个",
        evidence=SimpleUploadedFile("photo.png", PNG),
        actor=secretary,
    )
    [progress] = plan_progress(plan, [target], TODAY)
    assert progress.reported is None
    targets.review_report(report=report, accept=True, actor=staff)
    [progress] = plan_progress(plan, [target], TODAY)
    assert (progress.reported, progress.light) == (Decimal(25), rules.GREEN)


def test_evidence_is_checked_by_content_not_name(plan, secretary):
    target = _target(plan, secretary, 30, title="报告")
    with pytest.raises(UploadRefused):
        targets.submit_report(
            target=target,
            value=Decimal(1),
            text="见附件",
            evidence=SimpleUploadedFile("photo.png", b"MZ not an image at all"),
            actor=secretary,
        )
    assert not target.reports.exists()


def test_only_the_owner_reports_and_a_return_needs_a_reason(plan, staff, secretary):
    target = _target(plan, secretary, 30, title="报告")
    with pytest.raises(TargetRefused):
        targets.submit_report(target=target, value=Decimal(1), text="x", evidence=None, actor=staff)
    report = targets.submit_report(
        target=target, value=Decimal(1), text="x", evidence=None, actor=secretary
    )
    with pytest.raises(TargetRefused):
        targets.review_report(report=report, accept=False, note="", actor=staff)
    targets.review_report(report=report, accept=False, note="缺照片", actor=staff)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert AuditEntry.objects.filter(action="assessment.report_returned").count() == 1
