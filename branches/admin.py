from __future__ import annotations

from django.contrib import admin
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
    list_display = ["name", "kind", "sector", "sub_district", "status", "founded_on"]
    list_filter = ["kind", "sector", "status", "sub_district"]
    search_fields = ["name"]
    list_select_related = ["sub_district"]


@admin.register(CoBuildingUnit)
class CoBuildingUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "sub_district"]
    list_filter = ["sector", "sub_district"]
    search_fields = ["name"]
