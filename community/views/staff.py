"""Workbench pages: the courses overview (fill rate, attendance, waiting lists) with scheduling
of a course's sessions, and the review of award campaigns (accept or reject nominations, flagged
nominees, publication). Rows come from `visible_to(user)`; changes need `managed_by(user)`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.access import StaffView
from accounts.errors import DomainError
from community import rules
from community.models import Campaign, Course, EnrolmentStatus, Nomination, NominationStatus
from community.services import campaigns, courses


class CourseOverviewView(StaffView, ListView):
    permission_required = "community.view_course"
    template_name = "staff/community/course_overview.html"
    context_object_name = "courses"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Course]:
        now = timezone.now()
        rows = Course.objects.visible_to(self.request.user).select_related(
            "term__school", "room__hall", "teacher"
        )
        query = self.request.GET.get("q", "").strip()[:50]
        if query:
            rows = rows.filter(Q(title__icontains=query) | Q(term__school__name__icontains=query))
        return rows.annotate(
            waiting=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
                distinct=True,
            ),
            held=Count("sessions", filter=Q(sessions__starts_at__lte=now), distinct=True),
            scheduled=Count("sessions", distinct=True),
            present=Count(
                "sessions__attendances",
                filter=Q(sessions__starts_at__lte=now),
                distinct=True,
            ),
        ).order_by("-term__starts_on", "term__school__name", "weekday", "starts_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        for course in context["courses"]:
            fill = rules.attendance_percent(course.enrolled_count, course.places)
            expected = course.held * course.enrolled_count
            attendance = rules.attendance_percent(course.present, expected) if expected else None
            rows.append((course, fill, attendance))
        context["rows"] = rows
        context["query"] = self.request.GET.get("q", "")
        context["managed_ids"] = (
            set(Course.objects.managed_by(self.request.user).values_list("pk", flat=True))
            if self.request.user.has_perm("community.change_course")
            else set()
        )
        context["can_add_course"] = self.request.user.has_perm("community.add_course")
        return context


class ScheduleCourseView(StaffView, View):
    """Book the term's sessions of a course in its room (all or nothing)."""

    permission_required = "community.change_course"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = get_object_or_404(Course.objects.managed_by(request.user), pk=pk)
        try:
            count = courses.schedule_sessions(course=course, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("%(count)d sessions of %(course)s are booked in %(room)s.")
                % {"count": count, "course": course.title, "room": course.room.name},
            )
        return HttpResponseRedirect(reverse("staff:course-overview"))


class CampaignListView(StaffView, ListView):
    permission_required = "community.view_campaign"
    template_name = "staff/community/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Campaign]:
        return (
            Campaign.objects.visible_to(self.request.user)
            .annotate(
                nominations=Count("categories__nominations", distinct=True),
                pending=Count(
                    "categories__nominations",
                    filter=Q(categories__nominations__status=NominationStatus.PENDING),
                    distinct=True,
                ),
                flagged=Count(
                    "categories__nominations",
                    filter=Q(categories__nominations__flagged_at__isnull=False),
                    distinct=True,
                ),
            )
            .order_by("-nomination_opens_at")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("community.add_campaign")
        return context


class CampaignReviewView(StaffView, DetailView):
    permission_required = "community.view_campaign"
    template_name = "staff/community/campaign_review.html"
    context_object_name = "campaign"

    def get_queryset(self) -> QuerySet[Campaign]:
        return Campaign.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = self.object
        context["nominations"] = (
            Nomination.objects.filter(category__campaign=campaign)
            .select_related("category", "member", "organization")
            .annotate(new_votes=Count("votes", filter=Q(votes__voter_is_new=True)))
            .order_by("category_id", F("flagged_at").desc(nulls_last=True), "-vote_count", "pk")
        )
        context["results"] = campaigns.results(campaign)
        context["can_nominate"] = self.request.user.has_perm("community.add_nomination")
        context["can_change"] = (
            self.request.user.has_perm("community.change_nomination")
            and Campaign.objects.managed_by(self.request.user).filter(pk=campaign.pk).exists()
        )
        return context


class ReviewNominationView(StaffView, View):
    permission_required = "community.change_nomination"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = get_object_or_404(
            Nomination.objects.filter(
                category__campaign__in=Campaign.objects.managed_by(request.user)
            ).select_related("category"),
            pk=pk,
        )
        try:
            campaigns.review_nomination(
                nomination=nomination,
                by=request.user,
                accept=request.POST.get("decision") == "accept",
                reason=request.POST.get("reason", "")[:300],
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The nomination is reviewed."))
        return HttpResponseRedirect(
            reverse("staff:award-campaign", args=[nomination.category.campaign_id])
        )


class PublishResultsView(StaffView, View):
    permission_required = "community.change_campaign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(Campaign.objects.managed_by(request.user), pk=pk)
        try:
            campaigns.publish_results(campaign=campaign, by=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The results are published."))
        return HttpResponseRedirect(reverse("staff:award-campaign", args=[pk]))
