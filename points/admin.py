"""Admin of member points. The rule table is edited here (a save goes through `set_rule`, so the
ledger is recomputed); the ledger is read only (written by recomputation alone); manual awards
are proposed and decided on the workbench pages, where the approver is checked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import ScopedAdminMixin
from points.models import BranchScore, ManualAward, PointEntry, PointRule, PointsSettings
from points.rules import DEFAULT_VALID_FROM, thresholds_valid
from points.services import decisions


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = [
            "sub_district",
            "event",
            "valid_from",
            "points",
            "cap_month",
            "cap_year",
            "needs_approval",
            "note",
        ]

    def clean_valid_from(self) -> Any:
        day = self.cleaned_data["valid_from"]
        if day < DEFAULT_VALID_FROM:
            raise forms.ValidationError(_("Choose a later day."))
        return day


class PointsSettingsForm(forms.ModelForm):
    class Meta:
        model = PointsSettings
        fields = [
            "sub_district",
            "member_star_thresholds",
            "branch_star_thresholds",
            "show_rank_to_members",
            "public_top_members",
        ]

    def _thresholds(self, name: str) -> Any:
        values = self.cleaned_data.get(name) or []
        try:
            parsed = [Decimal(str(v)) for v in values]
        except (TypeError, ValueError, ArithmeticError):
            parsed = None
        if not isinstance(values, list) or parsed is None or not thresholds_valid(parsed):
            raise forms.ValidationError(_("Five ascending numbers, or none for the defaults."))
        return values

    def clean_member_star_thresholds(self) -> Any:
        return self._thresholds("member_star_thresholds")

    def clean_branch_star_thresholds(self) -> Any:
        return self._thresholds("branch_star_thresholds")


class BranchScoreForm(forms.ModelForm):
    class Meta:
        model = BranchScore
        fields = ["organization", "year", "score", "reason"]

    def clean(self) -> Any:
        data = super().clean()
        score = data.get("score")
        if score is not None and abs(score) > 100:
            self.add_error("score", _("The score must lie between −100 and 100."))
        if not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the score."))
        return data


@admin.register(PointRule)
class PointRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "event",
        "sub_district",
        "valid_from",
        "points",
        "cap_month",
        "cap_year",
        "needs_approval",
    ]
    list_filter = ["sub_district", "needs_approval"]
    search_fields = ["event", "note"]
    date_hierarchy = "valid_from"
    list_select_related = ["sub_district"]
    form = PointRuleForm

    def save_model(self, request: HttpRequest, obj: PointRule, form: Any, change: bool) -> None:
        decisions.set_rule(
            sub_district=obj.sub_district,
            event=obj.event,
            valid_from=obj.valid_from,
            points=obj.points,
            cap_month=obj.cap_month,
            cap_year=obj.cap_year,
            needs_approval=obj.needs_approval,
            note=obj.note,
            actor=request.user,
        )
        saved = PointRule.objects.get(
            sub_district=obj.sub_district, event=obj.event, valid_from=obj.valid_from
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a rule ends by a later row, so past points keep their reason


@admin.register(PointsSettings)
class PointsSettingsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "sub_district",
        "member_star_thresholds",
        "branch_star_thresholds",
        "show_rank_to_members",
    ]
    list_select_related = ["sub_district"]

    form = PointsSettingsForm


@admin.register(PointEntry)
class PointEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["member", "day", "event", "points", "approved", "source_kind", "title"]
    list_filter = ["approved", "source_kind"]
    search_fields = ["member__full_name", "title"]
    date_hierarchy = "day"
    list_select_related = ["member"]
    raw_id_fields = ["member", "organization", "rule"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ManualAward)
class ManualAwardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["member", "day", "points", "reason", "status", "proposed_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["member__full_name", "reason"]
    list_select_related = ["member", "proposed_by", "decided_by"]
    readonly_fields = [f.name for f in ManualAward._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # proposed and decided on the workbench, where the approver is checked

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BranchScore)
class BranchScoreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "year", "score", "reason", "set_by"]
    list_filter = ["year"]
    search_fields = ["organization__name", "reason"]
    list_select_related = ["organization", "set_by"]
    form = BranchScoreForm
    autocomplete_fields = ["organization"]

    def save_model(self, request: HttpRequest, obj: BranchScore, form: Any, change: bool) -> None:
        saved = decisions.set_branch_score(
            organization=obj.organization,
            year=obj.year,
            score=obj.score,
            reason=obj.reason,
            actor=request.user,
        )
        obj.pk = saved.pk
