"""Workbench forms that set community life up: schools and their terms (with a list page),
courses (optionally booking the term's sessions at once), award campaigns with categories,
jury scores, knowledge contests. Deny-by-default: a permission, then `managed_by(user)` for the
row named in the URL (404 outside it), and forms offer only managed choices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin, form_error_from
from community import forms
from community.contests import services as contest_services
from community.contests.models import Contest
from community.models import Campaign, Course, Nomination, School, Term
from community.services import campaigns, setup
from community.views.jury import JuryScoresBase


class SchoolListView(StaffView, ListView):
    permission_required = "community.view_school"
    template_name = "staff/community/school_list.html"
    context_object_name = "schools"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[School]:
        terms = Term.objects.annotate(course_count=Count("courses")).order_by("-starts_on")
        return (
            School.objects.visible_to(self.request.user)
            .select_related("sub_district", "organization")
            .prefetch_related(Prefetch("terms", queryset=terms))
            .order_by("sub_district__name", "name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["managed_ids"] = (
            set(School.objects.managed_by(user).values_list("pk", flat=True))
            if user.has_perm("community.change_school")
            else set()
        )
        context["can_add_school"] = user.has_perm("community.add_school")
        context["can_add_term"] = user.has_perm("community.add_term")
        context["can_add_course"] = user.has_perm("community.add_course")
        return context


class _SetupForm(StaffView, ServiceFormMixin, FormView):
    """Create (no `pk` in the URL) or change (the managed row named by `pk`) one row."""

    template_name = "staff/community/form.html"
    model: Any = None
    title_create: Any = ""
    title_change: Any = ""
    object: Any = None

    def get_permission_required(self) -> tuple[str, ...]:
        verb = "change" if "pk" in self.kwargs else "add"
        return (f"community.{verb}_{self.model._meta.model_name}",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        if "pk" in self.kwargs and self.object is None:
            rows = self.model.objects.managed_by(self.request.user)
            self.object = get_object_or_404(rows, pk=self.kwargs["pk"])
        return self.object

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title_change if self.object is not None else self.title_create
        context["back_url"] = self.back_url()
        return context

    def back_url(self) -> str:
        return reverse("staff:community-school-list")

    def get_success_url(self) -> str:
        return self.back_url()


class SchoolFormView(_SetupForm):
    model = School
    form_class = forms.SchoolForm
    title_create = gettext_lazy("New school")
    title_change = gettext_lazy("Change the school")
    success_message = gettext_lazy("The school is saved.")

    def perform(self, form: forms.SchoolForm) -> School:
        return setup.save_school(school=form.instance, actor=self.request.user)


class TermFormView(_SetupForm):
    model = Term
    form_class = forms.TermForm
    title_create = gettext_lazy("New term")
    title_change = gettext_lazy("Change the term")
    success_message = gettext_lazy("The term is saved.")

    def get_initial(self) -> dict[str, Any]:
        school = self.request.GET.get("school", "")
        return {"school": school} if school.isdigit() and self.object is None else {}

    def perform(self, form: forms.TermForm) -> Term:
        return setup.save_term(term=form.instance, actor=self.request.user)


class CourseFormView(_SetupForm):
    model = Course
    form_class = forms.CourseForm
    title_create = gettext_lazy("New course")
    title_change = gettext_lazy("Change the course")

    def get_initial(self) -> dict[str, Any]:
        term = self.request.GET.get("term", "")
        return {"term": term} if term.isdigit() and self.object is None else {}

    def perform(self, form: forms.CourseForm) -> int:
        form.instance.teacher = form.cleaned_data["teacher_phone"]
        return setup.save_course(
            course=form.instance,
            actor=self.request.user,
            schedule=form.cleaned_data.get("schedule", False),
        )

    def form_refused(self, form: Any, refused: DomainError) -> HttpResponse:
        # The transaction rolled back: the instance must not look saved when shown again.
        if self.object is None:
            form.instance.pk = None
        return super().form_refused(form, refused)

    def get_success_message(self) -> str:
        if self.result:
            return _("The course is saved and its %(count)d sessions are booked.") % {
                "count": self.result
            }
        return _("The course is saved.")

    def back_url(self) -> str:
        return reverse("staff:course-overview")


class CampaignFormView(_SetupForm):
    model = Campaign
    form_class = forms.CampaignForm
    title_create = gettext_lazy("New award campaign")
    title_change = gettext_lazy("Change the award campaign")
    success_message = gettext_lazy("The campaign is saved.")

    def perform(self, form: forms.CampaignForm) -> Campaign:
        return setup.save_campaign(
            campaign=form.instance,
            categories=form.cleaned_data["categories"],
            actor=self.request.user,
            jurors=form.cleaned_data["juror_phones"],
        )

    def form_refused(self, form: Any, refused: DomainError) -> HttpResponse:
        if self.object is None:
            form.instance.pk = None
        return super().form_refused(form, refused)

    def back_url(self) -> str:
        if self.object is not None:
            return reverse("staff:award-campaign", args=[self.object.pk])
        return reverse("staff:award-campaign-list")

    def get_success_url(self) -> str:
        return reverse("staff:award-campaign", args=[self.result.pk])


class ContestFormView(_SetupForm):
    model = Contest
    form_class = forms.ContestForm
    title_create = gettext_lazy("New knowledge contest")
    title_change = gettext_lazy("Change the knowledge contest")
    success_message = gettext_lazy("The contest is saved.")

    def perform(self, form: forms.ContestForm) -> Contest:
        return contest_services.save_contest(contest=form.instance, actor=self.request.user)

    def form_refused(self, form: Any, refused: DomainError) -> HttpResponse:
        if self.object is None:
            form.instance.pk = None
        return super().form_refused(form, refused)

    def back_url(self) -> str:
        return reverse("staff:contest-list")

    def get_success_url(self) -> str:
        return reverse("staff:contest-detail", args=[self.result.pk])


class JuryScoresView(StaffView, JuryScoresBase):
    """The jury's scores, entered by staff of the campaign's sub-district."""

    permission_required = "community.change_nomination"
    template_name = "staff/community/jury.html"
    show_average = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def campaigns(self) -> QuerySet[Campaign]:
        return Campaign.objects.managed_by(self.request.user)

    def done_url(self) -> str:
        return reverse("staff:award-campaign", args=[self.campaign.pk])


class StaffNominateView(StaffView, FormView):
    """A branch secretary, a unit or sub-district staff put someone forward: any campaign of
    their sub-district (for party honours, a member or branch of their scope) in its window."""

    permission_required = "community.add_nomination"
    template_name = "staff/community/nominate.html"
    form_class = forms.StaffNominationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.kwargs = kwargs
        return super().dispatch(request, *args, **kwargs)

    def get_campaign(self) -> Campaign:
        if not hasattr(self, "campaign"):
            self.campaign = get_object_or_404(
                Campaign.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self.campaign

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "campaign": self.get_campaign(),
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        campaign = self.get_campaign()
        context.update(
            campaign=campaign,
            open=campaign.nomination_opens_at <= now < campaign.nomination_closes_at,
            mine=Nomination.objects.filter(
                nominated_by=self.request.user, category__campaign=campaign
            )
            .select_related("category")
            .order_by("-created_at"),
        )
        return context

    def form_valid(self, form: forms.StaffNominationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            campaigns.nominate(
                category=data["category"],
                by=self.request.user,
                nominee_name=data["nominee_name"],
                citation=data["citation"],
                photo=data["photo"],
                member=data.get("member"),
                organization=data.get("organization"),
                nominator_label=data["nominator_label"],
            )
        except DomainError as refused:
            form_error_from(form, refused, fields={"file": "photo"})
            return self.form_invalid(form)
        messages.success(self.request, _("The nomination is sent for review."))
        return HttpResponseRedirect(reverse("staff:award-nominate", args=[self.campaign.pk]))
