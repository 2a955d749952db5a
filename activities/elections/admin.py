"""Admin of elections: read-only. An election is recorded on the election page or the API,
through `record_election`, which opens the committee term with it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin import ReadOnlyAdmin, ScopedAdminMixin
from activities.elections.models import Election, ElectionCandidate


class CandidateInline(admin.TabularInline):
    model = ElectionCandidate
    extra = 0
    fields = ["member_name", "votes", "elected", "position"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ["meeting", "seats", "entitled", "present", "approved_by", "approved_on"]
    list_filter = ["approved_on"]
    search_fields = ["meeting__organization__name", "approved_by"]
    list_select_related = ["meeting", "meeting__organization"]
    exclude = ["meeting", "term"]
    inlines = [CandidateInline]
