"""Resident pages (phones first): the course catalogue, enrolment, my courses, attendance by
code, the teacher's roster; award campaigns with the public vote and published results. Only the
resident's own enrolments and votes are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.errors import DomainError
from accounts.service_form import form_error_from
from community import rules
from community.forms import NominationForm
from community.models import (
    Attendance,
    Campaign,
    CampaignKind,
    Course,
    CourseCertificate,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Nomination,
    NominationStatus,
    Vote,
    VoteLimit,
)
from community.services import campaigns, courses
from community.views.jury import JuryScoresBase

ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- courses ------------------------------------------------------------------------------


class CatalogueView(TemplateView):
    """Courses of current and coming terms, with places left; a signed-in resident sees their
    own place or waiting-list position."""

    template_name = "public/community/catalogue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:50]
        rows = Course.objects.in_catalogue().select_related("term__school", "room__hall", "teacher")
        if query:
            rows = rows.filter(Q(title__icontains=query) | Q(term__school__name__icontains=query))
        rows = list(rows.order_by("term__school__name", "weekday", "starts_at")[:100])
        mine: dict[int, Enrolment] = {}
        if self.request.user.is_authenticated:
            mine = {
                e.course_id: e
                for e in Enrolment.objects.filter(
                    resident=self.request.user, course__in=[c.pk for c in rows], status__in=ACTIVE
                )
            }
        context.update(rows=[(c, mine.get(c.pk)) for c in rows], query=query)
        return context


class CourseDetailView(TemplateView):
    template_name = "public/community/course_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        course = get_object_or_404(
            Course.objects.in_catalogue().select_related("term__school", "room__hall", "teacher"),
            pk=self.kwargs["pk"],
        )
        enrolment = None
        position = None
        if self.request.user.is_authenticated:
            enrolment = Enrolment.objects.filter(
                course=course, resident=self.request.user, status__in=ACTIVE
            ).first()
            if enrolment and enrolment.status == EnrolmentStatus.WAITLISTED:
                position = Enrolment.objects.filter(
                    course=course,
                    status=EnrolmentStatus.WAITLISTED,
                    queued_at__lte=enrolment.queued_at,
                ).count()
        now = timezone.now()
        term = course.term
        context.update(
            course=course,
            enrolment=enrolment,
            position=position,
            window_open=term.enrolment_opens_at <= now < term.enrolment_closes_at,
            needs_birth_year=course.min_age is not None or course.max_age is not None,
            sessions=course.sessions.filter(starts_at__gte=now)[:5],
        )
        return context


class EnrolView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = get_object_or_404(Course.objects.in_catalogue(), pk=pk)
        url = reverse("public:course-detail", args=[pk])
        raw = request.POST.get("birth_year", "").strip()
        birth_year = int(raw) if raw.isdigit() and len(raw) == 4 else None
        if raw and birth_year is None:
            messages.error(request, _("Please give a valid year of birth."))
            return HttpResponseRedirect(url)
        try:
            enrolment = courses.enrol(course=course, resident=request.user, birth_year=birth_year)
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(url)
        if enrolment.status == EnrolmentStatus.ENROLLED:
            messages.success(request, _("You are enrolled. See you in class!"))
        else:
            messages.info(
                request,
                _(
                    "The course is full; you are on the waiting list and will be told if a "
                    "place comes free."
                ),
            )
        return HttpResponseRedirect(url)


class WithdrawView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = get_object_or_404(
            Enrolment.objects.filter(resident=request.user, status__in=ACTIVE), course_id=pk
        )
        try:
            courses.withdraw(enrolment=enrolment, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("You have withdrawn from the course."))
        return HttpResponseRedirect(reverse("public:course-mine"))


class MyCoursesView(LoginRequiredMixin, TemplateView):
    template_name = "public/community/my_courses.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        enrolments = list(
            Enrolment.objects.filter(resident=self.request.user, status__in=ACTIVE)
            .select_related("course__term__school", "course__room__hall", "certificate")
            .annotate(
                attended=Count("attendances", distinct=True),
                held=Count(
                    "course__sessions",
                    filter=Q(course__sessions__starts_at__lte=now),
                    distinct=True,
                ),
            )
            .order_by("-course__term__starts_on", "course__weekday")
        )
        today = timezone.localdate(now)
        rows = []
        for e in enrolments:
            certificate = getattr(e, "certificate", None)
            percent = rules.attendance_percent(e.attended, e.held)
            eligible = (
                certificate is None
                and e.status == EnrolmentStatus.ENROLLED
                and e.course.term.ends_on < today
                and percent >= e.course.attendance_threshold
            )
            rows.append((e, percent, certificate, eligible))
        context["rows"] = rows
        context["teaches"] = Course.objects.filter(teacher=self.request.user).exists()
        return context


class CertificateView(LoginRequiredMixin, View):
    """POST issues the certificate (when earned); GET downloads it."""

    def _enrolment(self, request: HttpRequest, pk: int) -> Enrolment:
        return get_object_or_404(Enrolment.objects.filter(resident=request.user), pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = self._enrolment(request, pk)
        try:
            courses.issue_certificate(enrolment=enrolment, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(reverse("public:course-mine"))
        return HttpResponseRedirect(reverse("public:course-certificate", args=[pk]))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrolment = self._enrolment(request, pk)
        certificate = (
            CourseCertificate.objects.filter(enrolment=enrolment)
            .select_related("enrolment__resident", "enrolment__course__term__school")
            .first()
        )
        if certificate is None:
            raise Http404
        response = HttpResponse(
            courses.certificate_docx(certificate),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{certificate.number}.docx"'
        )
        return response


class CodeView(LoginRequiredMixin, View):
    template_name = "public/community/code.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            attendance = courses.attend_with_code(
                resident=request.user, code=request.POST.get("code", "")[:8]
            )
        except DomainError as refused:
            return render(request, self.template_name, {"error": refused.message}, status=400)
        messages.success(
            request,
            _("Attendance recorded: %(course)s.") % {"course": attendance.session.course.title},
        )
        return HttpResponseRedirect(reverse("public:course-mine"))


class TeachingView(LoginRequiredMixin, TemplateView):
    """The teacher's courses and their sessions, to open a roster."""

    template_name = "public/community/teaching.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["courses"] = (
            Course.objects.filter(teacher=self.request.user, term__ends_on__gte=now.date())
            .select_related("term__school", "room__hall")
            .prefetch_related(
                Prefetch(
                    "sessions",
                    queryset=CourseSession.objects.filter(
                        starts_at__lte=now + rules.CODE_EARLY
                    ).order_by("-starts_at"),
                    to_attr="past_sessions",
                )
            )
        )
        return context


class RosterView(LoginRequiredMixin, View):
    """One session's roster: a button per student, one tap marks present (again: absent)."""

    template_name = "public/community/roster.html"

    def _session(self, request: HttpRequest, pk: int) -> CourseSession:
        session = get_object_or_404(
            CourseSession.objects.select_related("course__term__school", "course__room"), pk=pk
        )
        if not courses.can_take_roster(user=request.user, course=session.course):
            raise Http404
        return session

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(request, pk)
        students = (
            Enrolment.objects.filter(course=session.course, status=EnrolmentStatus.ENROLLED)
            .select_related("resident")
            .order_by("resident__last_name", "resident__first_name", "pk")
        )
        present = set(
            Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True)
        )
        return render(
            request,
            self.template_name,
            {
                "session": session,
                "rows": [(e, e.pk in present) for e in students],
                "present_count": len(present),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self._session(request, pk)
        enrolment = get_object_or_404(
            Enrolment.objects.filter(course=session.course), pk=request.POST.get("enrolment") or 0
        )
        try:
            courses.mark_attendance(
                session=session,
                enrolment=enrolment,
                present=request.POST.get("present") == "1",
                by=request.user,
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("public:course-roster", args=[pk]))


# --- award campaigns ----------------------------------------------------------------------


class CampaignListView(TemplateView):
    template_name = "public/community/campaigns.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["campaigns"] = Campaign.objects.public().order_by("-vote_opens_at")[:30]
        context["nominating"] = Campaign.objects.nominating().order_by("nomination_closes_at")[:10]
        context["judging"] = (
            Campaign.objects.filter(jurors=self.request.user, published_at__isnull=True).order_by(
                "-nomination_closes_at"
            )[:10]
            if self.request.user.is_authenticated
            else []
        )
        return context


class CampaignView(TemplateView):
    """Nominees per category with a vote button while voting is open; winners once published."""

    template_name = "public/community/campaign.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(Campaign.objects.public(), pk=self.kwargs["pk"])
        now = timezone.now()
        voting = bool(
            campaign.public_vote
            and campaign.vote_opens_at
            and campaign.vote_opens_at <= now < campaign.vote_closes_at
        )
        categories = campaign.categories.prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.filter(status=NominationStatus.ACCEPTED).order_by("pk"),
                to_attr="standing",
            )
        )
        voted: set[int] = set()
        if self.request.user.is_authenticated and voting:
            votes = Vote.objects.filter(voter=self.request.user, category__campaign=campaign)
            day = (
                timezone.localdate(campaign.vote_opens_at)
                if campaign.vote_limit == VoteLimit.PER_CAMPAIGN
                else timezone.localdate(now)
            )
            voted = set(votes.filter(day=day).values_list("category_id", flat=True))
        context.update(
            campaign=campaign,
            voting=voting,
            categories=categories,
            voted=voted,
            results=campaigns.results(campaign) if campaign.published_at else None,
        )
        return context


class VoteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = get_object_or_404(
            Nomination.objects.filter(
                category__campaign__in=Campaign.objects.public()
            ).select_related("category"),
            pk=pk,
        )
        url = reverse("public:award-campaign", args=[nomination.category.campaign_id])
        try:
            campaigns.cast_vote(nomination=nomination, voter=request.user, ip=_ip(request))
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Thank you: your vote for %(name)s counts.") % {"name": nomination}
            )
        return HttpResponseRedirect(url)


class NominateView(LoginRequiredMixin, FormView):
    """A resident puts someone forward in a public campaign during its nomination window, and
    sees their own nominations of the campaign with the review's outcome."""

    template_name = "public/community/nominate.html"
    form_class = NominationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.campaign = get_object_or_404(
            Campaign.objects.filter(kind=CampaignKind.PUBLIC), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "campaign": self.campaign}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context.update(
            campaign=self.campaign,
            open=self.campaign.nomination_opens_at <= now < self.campaign.nomination_closes_at,
            mine=Nomination.objects.filter(
                nominated_by=self.request.user, category__campaign=self.campaign
            )
            .select_related("category")
            .order_by("-created_at"),
        )
        return context

    def form_valid(self, form: NominationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            campaigns.nominate(
                category=data["category"],
                by=self.request.user,
                nominee_name=data["nominee_name"],
                citation=data["citation"],
                photo=data["photo"],
                nominator_label=data["nominator_label"],
            )
        except DomainError as refused:
            form_error_from(form, refused, fields={"file": "photo"})
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request, _("Thank you: your nomination is sent and will be reviewed.")
        )
        return HttpResponseRedirect(reverse("public:award-nominate", args=[self.campaign.pk]))

    def form_invalid(self, form: NominationForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class JurorScoresView(LoginRequiredMixin, JuryScoresBase):
    """A jury member enters the scores of the campaigns whose jury they sit on."""

    template_name = "public/community/jury.html"

    def campaigns(self) -> QuerySet[Campaign]:
        return Campaign.objects.filter(jurors=self.request.user)

    def done_url(self) -> str:
        return reverse("public:award-jury", args=[self.campaign.pk])
