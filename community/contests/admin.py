"""Admin of knowledge contests: the question bank and contests are edited here (rows narrowed
to the user's scope); participants and attempts are read-only (the services write them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from community.contests.models import (
    FIXED_ONCE_TAKEN,
    Attempt,
    AttemptQuestion,
    Contest,
    Entrant,
    Question,
)


@admin.register(Question)
class QuestionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["text", "kind", "topic", "answer", "is_active", "sub_district"]
    list_filter = ["sub_district", "kind", "topic", "is_active"]
    search_fields = ["text", "topic"]


@admin.register(Contest)
class ContestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "sub_district",
        "opens_at",
        "closes_at",
        "question_count",
        "time_limit_minutes",
        "attempts_allowed",
        "open_to_residents",
        "open_to_members",
    ]
    list_filter = ["sub_district", "open_to_residents", "open_to_members"]
    search_fields = ["title", "topic"]
    date_hierarchy = "opens_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """What decides an attempt is fixed once people have taken part, as on the workbench's
        form (the contest's other rules are `Contest.clean`, which the admin's form runs too)."""
        if obj is not None and obj.attempts.exists():
            return FIXED_ONCE_TAKEN
        return super().get_readonly_fields(request, obj)


@admin.register(Entrant)
class EntrantAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["display_name", "contest", "organization", "attempts_started", "best_score"]
    list_filter = ["contest"]
    search_fields = ["display_name", "organization__name"]
    list_select_related = ["contest", "organization"]


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = ["position", "question", "answer", "answered_at", "is_correct"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["entrant", "number", "started_at", "submitted_at", "late", "score"]
    list_filter = ["contest", "late"]
    search_fields = ["entrant__display_name"]
    list_select_related = ["entrant__contest"]
    inlines = [AttemptQuestionInline]
