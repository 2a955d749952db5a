from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from accounts.admin import ScopedAdminMixin
from branches.models import CoBuildingUnit, District, Organization, SubDistrict


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(SubDistrict)
class SubDistrictAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, TreeAdmin):
    form = movenodeform_factory(Organization)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, **kwargs)
        visible = set(Organization.objects.visible_to(request.user).values_list("pk", flat=True))
        may_add_root = request.user.is_superuser

        class ScopedMoveNodeForm(form_class):  # type: ignore[misc, valid-type]
            """treebeard lists every node as a place to move to; keep the user's own."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                field = self.fields["_ref_node_id"]
                field.choices = [
                    (pk, label)
                    for pk, label in field.choices
                    if (pk in visible) or (pk in (0, "0", "", None) and may_add_root)
                ]

        return ScopedMoveNodeForm

    list_display = ["name", "kind", "sector", "sub_district", "status", "founded_on"]
    list_filter = ["kind", "sector", "status", "sub_district"]
    search_fields = ["name"]
    list_select_related = ["sub_district"]


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "sub_district"]
    list_filter = ["sector", "sub_district"]
    search_fields = ["name"]
