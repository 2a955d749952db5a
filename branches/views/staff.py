"""Staff pages of the organisation tree: list, tree, organisation page, structure health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from accounts.access import StaffView
from branches.extensions import committees
from branches.links import organization_url_template
from branches.models import (
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
    OrganizationStatus,
    Sector,
)
from branches.structure import NodeFigures, figures_for
from config import pagecache


class OrganizationListView(StaffView, ListView):
    permission_required = "branches.view_organization"
    template_name = "staff/branches/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Organization]:
        qs = Organization.objects.visible_to(self.request.user).select_related("sub_district")
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(sub_district__name__icontains=query))
        kind = self.request.GET.get("kind", "")
        if kind in OrganizationKind.values:
            qs = qs.filter(kind=kind)
        status = self.request.GET.get("status", OrganizationStatus.ACTIVE)
        if status in OrganizationStatus.values:
            qs = qs.filter(status=status)
        return qs.order_by("path")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kinds"] = OrganizationKind.choices
        context["statuses"] = OrganizationStatus.choices
        context["query"] = self.request.GET.get("q", "")
        context["kind"] = self.request.GET.get("kind", "")
        context["status"] = self.request.GET.get("status", OrganizationStatus.ACTIVE)
        return context


@dataclass
class TreeNode:
    pk: int
    name: str
    kind_label: str
    sector_label: str
    depth: int
    figures: NodeFigures | None = None
    children: list[TreeNode] = field(default_factory=list)
    url: str = ""
    counts_label: str = ""


def _selected_date(request: Any) -> tuple[dt.date, bool, str]:
    """The date of the tree shown (today unless `on` names a valid past date)."""
    today = timezone.localdate()
    raw = request.GET.get("on", "").strip()
    if not raw:
        return today, False, ""
    day = parse_date(raw) if len(raw) == 10 else None
    if day is None:
        return today, False, "invalid"
    if day > today:
        return today, False, "future"
    return day, day != today, ""


class OrganizationTreeView(StaffView, TemplateView):
    """The tree, collapsible, with members rolled up at every node; or the tree of a past date."""

    permission_required = "branches.view_organization"
    template_name = "staff/branches/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day, historical, date_error = _selected_date(self.request)
        sector = self.request.GET.get("sector", "")
        if sector not in Sector.values:
            sector = ""
        tree = pagecache.cached(
            "tree",
            self.request.user,
            (day.isoformat(), historical, sector),
            lambda: self._rendered(day, historical, sector),
        )
        context.update(
            tree=tree,
            day=day,
            historical=historical,
            date_error=date_error,
            sector=sector,
            sectors=Sector.choices,
        )
        return context

    def _rendered(self, day: dt.date, historical: bool, sector: str) -> str:
        """The tree's rows as HTML, "" when nothing is in scope (cached per scope, day, sector)."""
        roots = self._past_tree(day, sector) if historical else self._current_tree(day, sector)
        if not roots:
            return ""
        return _tree_markup(_flatten(roots), historical)

    def _current_tree(self, day: dt.date, sector: str) -> list[TreeNode]:
        organizations = list(
            Organization.objects.visible_to(self.request.user).active().order_by("path")
        )
        figures = figures_for(organizations, day)
        kinds, sectors = _labels()
        nodes = {
            org.path: TreeNode(
                pk=org.pk,
                name=org.name,
                kind_label=kinds.get(org.kind, ""),
                sector_label=sectors.get(org.sector, ""),
                depth=org.depth,
                figures=figures[org.pk],
            )
            for org in organizations
        }
        keep = {
            org.path
            for org in organizations
            if not sector or org.sector == sector or org.kind == OrganizationKind.WORK_COMMITTEE
        }
        return _assemble(nodes, keep, Organization.steplen)

    def _past_tree(self, day: dt.date, sector: str) -> list[TreeNode]:
        visible = Organization.objects.visible_to(self.request.user)
        periods = list(
            OrganizationPeriod.objects.on(day)
            .filter(organization__in=visible)
            .select_related("organization")
            .order_by("organization__path")
        )
        visible_ids = set(visible.values_list("pk", flat=True))
        nodes: dict[int, TreeNode] = {}
        kinds, sectors = _labels()
        for period in periods:
            nodes[period.organization_id] = TreeNode(
                pk=period.organization_id,
                name=period.name,
                kind_label=kinds.get(period.kind, ""),
                sector_label=sectors.get(period.sector, ""),
                depth=0,
            )
        roots: list[TreeNode] = []
        for period in periods:
            if sector and period.sector != sector and period.kind != "work_committee":
                continue
            node = nodes[period.organization_id]
            parent = nodes.get(period.parent_id)
            if parent is not None:
                parent.children.append(node)
            elif period.parent_id is None or period.parent_id not in visible_ids:
                roots.append(node)  # the top of the tree, or of this user's part of it
        return roots


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """Choice labels translated once per request (a lazy label costs a lookup per use)."""
    return (
        {value: str(label) for value, label in OrganizationKind.choices},
        {value: str(label) for value, label in Sector.choices},
    )


@dataclass
class TreeRow:
    """One node in document order, with how many open lists end after it (for a flat loop;
    recursive template includes are far too slow for a district of 3,000 nodes)."""

    node: TreeNode
    has_children: bool
    closes: range


def _flatten(roots: list[TreeNode]) -> list[TreeRow]:
    rows: list[TreeRow] = []
    url_template = organization_url_template()
    counts_format = _("%(full)s full · %(probationary)s probationary")

    def walk(nodes: list[TreeNode], depth: int) -> None:
        for index, node in enumerate(nodes):
            node.url = url_template.format(node.pk)
            if node.figures is not None:
                node.counts_label = counts_format % {
                    "full": node.figures.full,
                    "probationary": node.figures.probationary,
                }
            rows.append(TreeRow(node=node, has_children=bool(node.children), closes=range(0)))
            if node.children:
                walk(node.children, depth + 1)
                last = rows[-1]
                last.closes = range(len(last.closes) + 1)
            del index

    walk(roots, 1)
    return rows


def _tree_markup(rows: list[TreeRow], historical: bool) -> SafeString:
    """The tree's nested lists as markup, written in Python: the template language spent more
    than half of an uncached build resolving ~40 variables per node of a sub-district's 250.
    Every name, label and message is escaped; the rest is our own markup."""
    parts = ['<ul class="tree-list tree-root">']
    add = parts.append
    for row in rows:
        node = row.node
        add('\n<li class="tree-node">')
        if row.has_children:
            add("<details open><summary>" if node.depth < 3 or historical else "<details><summary>")
        add(f'<a href="{escape(node.url)}">{escape(node.name)}</a> ')
        add(f'<span class="text-muted small">{escape(node.kind_label)}')
        if node.sector_label:
            add(f" · {escape(node.sector_label)}")
        add("</span>")
        if node.counts_label:
            add(f' <span class="badge text-bg-light border">{escape(node.counts_label)}</span>')
        for warning in node.figures.warnings if node.figures is not None else ():
            add(f' <span class="badge text-bg-warning" title="{escape(warning.message)}">!</span>')
        add('</summary><ul class="tree-list">' if row.has_children else "</li>")
        add("</ul></details></li>" * len(row.closes))
    add("</ul>")
    return mark_safe("".join(parts))  # noqa: S308  (every name, label and message escaped)


def _assemble(nodes: dict[str, TreeNode], keep: set[str], steplen: int) -> list[TreeNode]:
    roots: list[TreeNode] = []
    for path in sorted(nodes):
        if path not in keep:
            continue
        node = nodes[path]
        parent_path = path[:-steplen]
        while parent_path and parent_path not in keep:
            parent_path = parent_path[:-steplen]
        if parent_path in nodes:
            nodes[parent_path].children.append(node)
        else:
            roots.append(node)
    return roots


class OrganizationDetailView(StaffView, DetailView):
    """The organisation page: figures, committee, groups, warnings, history, actions."""

    permission_required = "branches.view_organization"
    template_name = "staff/branches/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).select_related(
            "sub_district", "merged_into"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        today = timezone.localdate()
        visible = Organization.objects.visible_to(user)
        children = list(
            visible.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")
        )
        figures = figures_for([org, *children], today)
        ancestor_paths = [org.path[: i * org.steplen] for i in range(1, org.depth)]
        context.update(
            figures=figures[org.pk],
            children=[(child, figures[child.pk]) for child in children],
            ancestors=visible.filter(path__in=ancestor_paths).order_by("depth"),
            committee_section=committees().section(self.request, org),
            events=OrganizationEvent.objects.filter(organization=org)
            .select_related("recorded_by")
            .prefetch_related("related")[:50],
            merged_from=Organization.objects.filter(merged_into=org),
            may_restructure=user.has_perm("branches.change_organization") and org.is_active,
        )
        return context


class StructureHealthView(StaffView, TemplateView):
    """Every organisation in scope that an inspection would flag, with the reasons."""

    permission_required = "branches.view_organization"
    template_name = "staff/branches/health.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        organizations = list(
            Organization.objects.visible_to(self.request.user)
            .active()
            .select_related("sub_district")
            .order_by("path")
        )
        figures = figures_for(organizations, today)
        code = self.request.GET.get("code", "")
        flagged = [
            (org, figures[org.pk])
            for org in organizations
            if figures[org.pk].warnings
            and (not code or any(w.code == code for w in figures[org.pk].warnings))
        ]
        counts: dict[str, int] = {}
        labels: dict[str, str] = {}
        for org in organizations:
            for warning in figures[org.pk].warnings:
                counts[warning.code] = counts.get(warning.code, 0) + 1
                labels.setdefault(warning.code, str(warning.message))
        context.update(
            flagged=flagged,
            checked=len(organizations),
            summary=[(c, labels[c], n) for c, n in sorted(counts.items())],
            code=code,
        )
        return context
