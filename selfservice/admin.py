from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedAdminMixin, ReadOnlyAdmin, labelled
from activities.models import Meeting
from members.models import CommunityService
from selfservice.models import CheckInFailure, ServiceReviewNotice


@admin.register(CheckInFailure)
class CheckInFailureAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Wrong check-in codes (the lockout's counter), of the meetings the user sees."""

    list_display = [
        labelled("meeting", _("meeting"), ordering="meeting"),
        labelled("member", _("party member"), ordering="member"),
        "ip_address",
        "created_at",
    ]
    list_filter = ["created_at"]
    search_fields = ["member__full_name", "meeting__topic"]
    list_select_related = ["meeting", "member"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CheckInFailure]:
        meetings = Meeting.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(meeting_id__in=meetings)


@admin.register(ServiceReviewNotice)
class ServiceReviewNoticeAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """The reviews each member was told of, once."""

    list_display = [labelled("service", _("community service"), ordering="service"), "created_at"]
    list_filter = ["created_at"]
    search_fields = ["service__member__full_name", "service__description"]
    list_select_related = ["service", "service__member"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceReviewNotice]:
        services = CommunityService.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(service_id__in=services)
