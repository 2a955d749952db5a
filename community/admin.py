"""Admin of community life: schools, terms, courses (with their sessions and enrolments), award
campaigns (with categories) and nominations. Rows are narrowed to the user's scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from community.models import (
    Campaign,
    Category,
    Course,
    CourseCertificate,
    CourseSession,
    Enrolment,
    JuryScore,
    Nomination,
    School,
    Term,
    Vote,
)


class _Scoped(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)


@admin.register(School)
class SchoolAdmin(_Scoped):
    list_display = ["name", "partner", "founded_year", "sub_district"]
    list_filter = ["sub_district"]
    search_fields = ["name", "partner"]


@admin.register(Term)
class TermAdmin(_Scoped):
    list_display = ["name", "school", "starts_on", "ends_on", "enrolment_opens_at"]
    list_filter = ["school"]
    search_fields = ["name", "school__name"]
    date_hierarchy = "starts_on"


class SessionInline(admin.TabularInline):
    model = CourseSession
    fields = ["starts_at", "ends_at", "code", "booking"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Course)
class CourseAdmin(_Scoped):
    list_display = [
        "title",
        "term",
        "teacher",
        "weekday",
        "starts_at",
        "room",
        "places",
        "enrolled_count",
        "fee",
        "is_active",
    ]
    list_filter = ["term__school", "weekday", "is_active", "residents_only"]
    search_fields = ["title", "term__name"]
    raw_id_fields = ["teacher", "room"]
    inlines = [SessionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(_Scoped):
    list_display = ["course", "resident", "status", "is_returning", "queued_at", "created_at"]
    list_filter = ["status", "is_returning", "course__term__school"]
    search_fields = ["course__title", "resident__username"]
    readonly_fields = ["course", "resident", "status", "queued_at", "withdrawn_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # enrolment goes through the service (places, waiting list)


@admin.register(CourseCertificate)
class CourseCertificateAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "school", "enrolment", "attended", "sessions", "issued_at"]
    list_filter = ["school", "year"]
    search_fields = ["enrolment__course__title", "enrolment__resident__full_name"]
    readonly_fields = ["enrolment", "school", "year", "serial", "attended", "sessions"]

    @admin.display(description=_("number"))
    def serial_number(self, obj: CourseCertificate) -> str:
        return obj.number

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        schools = School.objects.visible_to(request.user)
        return super().get_queryset(request).filter(school__in=schools)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(_Scoped):
    list_display = [
        "title",
        "kind",
        "nomination_closes_at",
        "public_vote",
        "vote_closes_at",
        "result_rule",
        "published_at",
    ]
    list_filter = ["kind", "public_vote", "result_rule", "vote_limit"]
    search_fields = ["title"]
    readonly_fields = ["published_at"]
    raw_id_fields = ["jurors"]
    inlines = [CategoryInline]


class JuryScoreInline(admin.TabularInline):
    """The jurors' scores, read-only: they are entered on the jury pages (window, jury)."""

    model = JuryScore
    extra = 0
    fields = ["juror", "score", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Nomination)
class NominationAdmin(_Scoped):
    list_display = [
        "nominee_name",
        "category",
        "status",
        "vote_count",
        "jury_average",
        "jury_count",
        "flagged_at",
    ]
    inlines = [JuryScoreInline]
    list_filter = ["status", "category__campaign", ("flagged_at", admin.EmptyFieldListFilter)]
    search_fields = ["nominee_name", "citation"]
    readonly_fields = ["vote_count", "flagged_at", "status", "reason", "nominated_by"]
    raw_id_fields = ["member", "organization", "category"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # nominations go through the service (window, scope, photo checks)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).with_jury()

    @admin.display(description=_("average jury score"), ordering="jury_average")
    def jury_average(self, obj: Nomination) -> Any:
        return obj.jury_average

    @admin.display(description=_("jurors who scored"), ordering="jury_count")
    def jury_count(self, obj: Nomination) -> int:
        return obj.jury_count


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["nomination", "day", "voter_is_new", "created_at"]
    list_filter = ["voter_is_new", "day"]
    search_fields = ["nomination__nominee_name"]
    readonly_fields = ["nomination", "category", "voter", "day", "ip", "voter_is_new"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        nominations = Nomination.objects.visible_to(request.user)
        return super().get_queryset(request).filter(nomination__in=nominations)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


from community.contests import admin as contests_admin  # noqa: E402, F401  (registers its admin)
