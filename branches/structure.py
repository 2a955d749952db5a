"""Structure figures for many organisations at once, at a constant number of queries.

Member counts come from one grouped query and are rolled up the tree by path in Python, so the
tree page and the structure-health page cost the same whether the sub-district has 30 or 3,000
organisations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connections, router
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    F,
    Func,
    Model,
    Q,
    QuerySet,
    Value,
)

from branches import rules
from branches.extensions import committees, member_model
from branches.models import CoveredUnit, Organization, OrganizationStatus, StructureSettings

# The values of `members.models.MemberStatus` (members sits above branches).
FULL, PROBATIONARY = "full", "probationary"
# Kinds whose member count is judged by the sub-district's `StructureSettings`.
SIZED_KINDS = frozenset({"general_branch", "committee"})


@dataclass
class NodeFigures:
    direct: Counter = field(default_factory=Counter)
    rolled_up: Counter = field(default_factory=Counter)
    term_planned_end: dt.date | None = None
    has_committee: bool = False
    covered_units: int = 0
    committee_size: int | None = None
    warnings: list[rules.StructureWarning] = field(default_factory=list)

    @property
    def full(self) -> int:
        return self.rolled_up[FULL]

    @property
    def probationary(self) -> int:
        return self.rolled_up[PROBATIONARY]

    @property
    def total(self) -> int:
        return sum(self.rolled_up.values())


class OrganizationFacts(NamedTuple):
    """What the structure figures read of an organisation, as a plain row: a page that reads a
    whole scope only to count the organisations with problems (the dashboard) need not build a
    model instance for each (about 3 ms for a sub-district's 250)."""

    pk: int
    path: str
    kind: str
    sub_district_id: int
    is_joint: bool
    is_temporary: bool
    ends_on: dt.date | None
    founded_on: dt.date | None
    is_active: bool


def facts_of(organizations: QuerySet[Organization]) -> list[OrganizationFacts]:
    """The rows of `organizations`, in its order, as `OrganizationFacts`: one query."""
    rows = organizations.values_list(
        "pk",
        "path",
        "kind",
        "sub_district_id",
        "is_joint",
        "is_temporary",
        "ends_on",
        "founded_on",
        "status",
    )
    return [OrganizationFacts(*row[:-1], row[-1] == OrganizationStatus.ACTIVE) for row in rows]


def figures_for(
    organizations: Sequence[Organization | OrganizationFacts], today: dt.date
) -> dict[int, NodeFigures]:
    """Member counts (direct and rolled up), committee and warnings for each organisation.

    Members are counted in the subtree of every node given, including nodes below it that are
    not in `organizations` (a secretary's view still counts all of their groups).
    """
    figures = {org.pk: NodeFigures() for org in organizations}
    if not organizations:
        return figures
    by_path = {org.path: org.pk for org in organizations}
    prefixes = sorted(by_path)
    counts = (
        _members_below(_common_prefix(prefixes))
        .values_list("organization__path", "organization_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    steplen = Organization.steplen
    for path, organization_id, status, n in counts:
        if organization_id in figures:
            figures[organization_id].direct[status] += n
        for end in range(steplen, len(path) + 1, steplen):
            ancestor = by_path.get(path[:end])
            if ancestor is not None:
                figures[ancestor].rolled_up[status] += n
    for organization_id, term in committees().current_terms(figures.keys()).items():
        figures[organization_id].has_committee = True
        figures[organization_id].term_planned_end = term.planned_end_on
        figures[organization_id].committee_size = term.size
    # The local figures judge a 总支 or a 党委 only: read them when there is one.
    sized = {org.sub_district_id for org in organizations if org.kind in SIZED_KINDS}
    limits = {
        row.sub_district_id: rules.SizeLimits(
            row.general_branch_min_members,
            row.general_branch_max_members,
            row.committee_min_members,
        )
        for row in (StructureSettings.objects.filter(sub_district_id__in=sized) if sized else ())
    }
    for organization_id, n in (
        CoveredUnit.objects.filter(organization_in(CoveredUnit, figures))
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[organization_id].covered_units = n
    for org in organizations:
        node = figures[org.pk]
        node.warnings = rules.structure_warnings(
            rules.StructureFacts(
                kind=org.kind,
                full_members=node.rolled_up[FULL],
                total_members=sum(node.rolled_up.values()),
                has_committee=node.has_committee,
                is_joint=org.is_joint,
                covered_units=node.covered_units,
                is_temporary=org.is_temporary,
                ends_on=org.ends_on,
                term_planned_end=node.term_planned_end,
                is_active=org.is_active,
                committee_size=node.committee_size,
                founded_on=org.founded_on,
                limits=limits.get(org.sub_district_id, rules.SizeLimits()),
            ),
            today,
        )
    return figures


def _members_below(prefix: str) -> QuerySet:
    """The current members of every organisation whose path starts with `prefix`.

    On PostgreSQL the organisations are given to the member filter as an array built at run time
    (`organization_id = ANY(ARRAY(SELECT id …))`): joined by the path instead, the planner
    estimated a sub-district's members at a tenth of the district's and read all of them (a
    sequential scan of 30,000 rows for 2,400: 14–20 ms of the dashboard's and the tree's build
    on seed_scale, where the array reads them by the organisation index in 4–10 ms), as the
    compliance statement does (activities/compliance.py)."""
    members = member_model().objects.current()
    if connections[router.db_for_read(members.model)].vendor != "postgresql":
        return members.filter(organization__path__startswith=prefix)
    from django.contrib.postgres.expressions import ArraySubquery

    subtree = Organization.objects.filter(path__startswith=prefix).order_by().values("pk")
    return members.filter(_AnyOf(F("organization_id"), ArraySubquery(subtree)))


def organization_in(model: type[Model], ids: Collection[int]) -> Q | Func:
    """A `filter()` condition: the row's `organization_id` is one of `ids`. On PostgreSQL it is
    `organization_id = ANY(%s)` with the ids as one array parameter; Django prepares each value of
    an IN list one by one, which cost 0.5 ms per query for a sub-district's 250 organisations, on
    every build of the dashboard and the tree."""
    if connections[router.db_for_read(model)].vendor != "postgresql":
        return Q(organization_id__in=ids)
    from django.contrib.postgres.fields import ArrayField

    array = Value(list(ids), output_field=ArrayField(BigIntegerField()))
    return _AnyOf(F("organization_id"), array)


class _AnyOf(Func):
    """`value = ANY(array)`, as a condition for `filter()` (an exact lookup would put the array
    in parentheses, which PostgreSQL refuses after `= ANY`)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def _common_prefix(paths: Sequence[str]) -> str:
    """The longest whole-step prefix shared by all paths (narrows the member query)."""
    first, last = paths[0], paths[-1]
    steplen = Organization.steplen
    length = 0
    while (
        length + steplen <= min(len(first), len(last))
        and first[length : length + steplen] == last[length : length + steplen]
    ):
        length += steplen
    return first[:length]
