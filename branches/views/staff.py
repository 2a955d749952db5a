from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.views.generic import DetailView, ListView

from accounts.access import StaffView
from branches.models import Organization, OrganizationKind, OrganizationStatus


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


class OrganizationDetailView(StaffView, DetailView):
    permission_required = "branches.view_organization"
    template_name = "staff/branches/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.request.user).select_related("sub_district")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.object
        visible = Organization.objects.visible_to(self.request.user)
        context["children"] = visible.filter(
            path__startswith=org.path, depth=org.depth + 1
        ).order_by("path")
        ancestor_paths = [org.path[: i * org.steplen] for i in range(1, org.depth)]
        context["ancestors"] = visible.filter(path__in=ancestor_paths).order_by("depth")
        return context
