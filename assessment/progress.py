"""Progress of a plan's targets: each target's figure per branch it covers, and a traffic light.

Set-based: the branches of every target come from one query, each metric used by the plan is
computed once for the union of their branches (one grouped query per metric), and the accepted
reports from one more, so the count of queries follows the number of metrics in the catalogue,
never the number of targets or branches."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.metrics import CATALOGUE
from assessment.models import MeasureKind, Plan, ReportStatus, Target, TargetReport
from assessment.rules import GREEN, GREY, RED, traffic_light
from branches.models import Organization, OrganizationKind

LIGHT_ORDER = {RED: 0, "amber": 1, GREY: 2, GREEN: 3}


@dataclass
class BranchFigure:
    organization_id: int
    name: str
    value: Decimal | None
    light: str


@dataclass
class TargetProgress:
    target: Target
    figures: list[BranchFigure] = field(default_factory=list)
    reported: Decimal | None = None
    light: str = GREY

    @property
    def unit(self) -> str:
        metric = CATALOGUE.get(self.target.metric)
        return str(metric.unit) if metric else ""

    @property
    def metric_label(self) -> str:
        metric = CATALOGUE.get(self.target.metric)
        return str(metric.label) if metric else ""

    @property
    def available(self) -> bool:
        metric = CATALOGUE.get(self.target.metric)
        return metric is None or metric.available


def _branches(plan: Plan) -> list[Organization]:
    return list(
        Organization.objects.filter(
            sub_district_id=plan.sub_district_id,
            status="active",
            kind__in=[OrganizationKind.BRANCH, OrganizationKind.GENERAL_BRANCH],
        )
        .only("pk", "name", "sector", "sub_district_id")
        .order_by("path")
    )


def covered(target: Target, branches: Sequence[Organization]) -> list[Organization]:
    if target.organization_id is not None:
        return [b for b in branches if b.pk == target.organization_id]
    if target.sector:
        return [b for b in branches if b.sector == target.sector]
    return list(branches)


def plan_progress(
    plan: Plan, targets: Sequence[Target], today: dt.date, *, branch_ids: set[int] | None = None
) -> list[TargetProgress]:
    """The progress of `targets` (of `plan`) on `today`; `branch_ids` limits the branches shown
    (a secretary sees their own)."""
    branches = _branches(plan)
    if branch_ids is not None:
        branches = [b for b in branches if b.pk in branch_ids]
    start = dt.date(plan.year, 1, 1)
    by_metric: dict[str, set[int]] = defaultdict(set)
    ends: dict[str, dt.date] = {}
    for target in targets:
        if target.measure == MeasureKind.COMPUTED:
            by_metric[target.metric].update(b.pk for b in covered(target, branches))
            ends[target.metric] = max(ends.get(target.metric, start), target.deadline)
    computed: dict[str, dict[int, Decimal]] = {}
    for key, ids in by_metric.items():
        # Up to today (or the latest deadline): a figure is what the records say so far.
        end = min(today, ends[key])
        computed[key] = CATALOGUE[key].compute(sorted(ids), start, end) if ids else {}
    reported = _accepted_reports([t.pk for t in targets if t.measure == MeasureKind.REPORTED])
    result = []
    for target in targets:
        progress = TargetProgress(target=target)
        if target.measure == MeasureKind.COMPUTED:
            metric = CATALOGUE[target.metric]
            values = computed.get(target.metric, {})
            for branch in covered(target, branches):
                value = values.get(branch.pk) if metric.available else None
                if value is None and metric.available and metric.counts:
                    value = Decimal(0)
                progress.figures.append(
                    BranchFigure(
                        organization_id=branch.pk,
                        name=branch.name,
                        value=value,
                        light=traffic_light(
                            value=value,
                            goal=target.goal,
                            start=start,
                            deadline=target.deadline,
                            today=today,
                        ),
                    )
                )
            lights = [f.light for f in progress.figures]
            progress.light = min(lights, key=LIGHT_ORDER.__getitem__) if lights else GREY
        else:
            progress.reported = reported.get(target.pk)
            progress.light = traffic_light(
                value=progress.reported,
                goal=target.goal,
                start=start,
                deadline=target.deadline,
                today=today,
            )
            if progress.reported is None and today > target.deadline:
                progress.light = RED
        result.append(progress)
    return result


def _accepted_reports(target_ids: list[int]) -> dict[int, Decimal]:
    """The latest accepted figure of each target measured by report (one query)."""
    if not target_ids:
        return {}
    latest: dict[int, Decimal] = {}
    for target_id, value in (
        TargetReport.objects.filter(target_id__in=target_ids, status=ReportStatus.ACCEPTED)
        .order_by("target_id", "-reviewed_at", "-pk")
        .values_list("target_id", "value")
    ):
        latest.setdefault(target_id, value)
    return latest


@dataclass
class OwnerProgress:
    owner_name: str
    lights: Counter


def by_owner(progress: Sequence[TargetProgress]) -> list[OwnerProgress]:
    owners: dict[int, OwnerProgress] = {}
    for item in progress:
        owner = item.target.owner
        entry = owners.setdefault(owner.pk, OwnerProgress(owner.full_name, Counter()))
        entry.lights[item.light] += 1
    return sorted(owners.values(), key=lambda o: (-o.lights[RED], o.owner_name))
