"""Workbench pages of the joining pipeline: the due soon / overdue list per branch, all people
in the pipeline, one person's record with a form for each step, and recording an application."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from accounts.access import StaffView
from accounts.service_form import ServicePageMixin, domain_errors_on
from branches.models import Organization
from members import joining, rules
from members.forms import (
    ApplicantForm,
    DatedNoteForm,
    ExtensionForm,
    PeopleForm,
    StepForm,
    TrainingForm,
)
from members.models import Development, Stage
from members.roster import MEMBER_BRANCH_KINDS


def _branch_filter(request: HttpRequest, qs: QuerySet[Development]) -> tuple[Any, str]:
    branch = request.GET.get("branch", "").strip()
    if branch.isdigit():
        org = Organization.objects.visible_to(request.user).filter(pk=branch).first()
        if org is not None:
            return qs.filter(organization__path__startswith=org.path), branch
    return qs, ""


class DevelopmentListView(StaffView, ListView):
    """Tab "due": deadlines within 30 days or overdue; tab "all": everyone in the pipeline."""

    permission_required = "members.view_development"
    template_name = "staff/members/development_list.html"
    context_object_name = "rows"
    paginate_by = 50

    def get_queryset(self) -> Any:
        self.tab = "all" if self.request.GET.get("tab") == "all" else "due"
        self.stage = self.request.GET.get("stage", "")
        qs = Development.objects.visible_to(self.request.user).select_related("organization")
        qs, self.branch = _branch_filter(self.request, qs)
        if self.stage in Stage.values:
            qs = qs.filter(stage=self.stage)
        if self.tab == "due":
            today = timezone.localdate()
            items = joining.due_items(
                qs.in_progress().with_last_review(),
                until=today + dt.timedelta(days=joining.DUE_SOON_DAYS),
            )
            return items
        return qs.order_by("organization__path", "stage", "applied_on", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            tab=self.tab,
            stage=self.stage,
            branch=self.branch,
            stages=Stage.choices,
            branches=Organization.objects.visible_to(self.request.user)
            .filter(kind__in=MEMBER_BRANCH_KINDS, status="active")
            .order_by("path"),
        )
        return context


class DevelopmentCreateView(StaffView, ServicePageMixin, FormView):
    permission_required = "members.add_development"
    template_name = "staff/members/development_form.html"
    form_class = ApplicantForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"applied_on": timezone.localdate()}

    success_message = gettext_lazy("The application was recorded.")

    def perform(self, form: ApplicantForm) -> Development:
        return joining.register_applicant(actor=self.request.user, **form.cleaned_data)

    def back_url(self) -> str:
        return reverse("staff:development-list")

    def get_success_url(self) -> str:
        return reverse("staff:development-detail", args=[self.result.pk])


def _next_stage(stage: str) -> str | None:
    index = rules.STAGE_ORDER.index(stage)
    return rules.STAGE_ORDER[index + 1] if index + 1 < len(rules.STAGE_ORDER) else None


FORM_TITLES = {
    "step": gettext_lazy("Next step"),
    "talk": gettext_lazy("Talk with the applicant"),
    "review": gettext_lazy("Half-yearly activist review"),
    "training": gettext_lazy("Candidate training"),
    "vote": gettext_lazy("Branch general meeting's vote"),
    "sponsors": gettext_lazy("Sponsors (two full members)"),
    "mentors": gettext_lazy("Mentors"),
    "extend": gettext_lazy("Extend probation (once, 6 to 12 months)"),
}
ACTIONS = ("step", "talk", "review", "training", "vote", "sponsors", "mentors", "extend")


def _forms(user: Any, data: Any = None, only: str | None = None) -> dict[str, forms.Form]:
    builders = {
        "step": lambda: StepForm(data, prefix="step"),
        "talk": lambda: DatedNoteForm(data, prefix="talk"),
        "review": lambda: DatedNoteForm(data, prefix="review"),
        "training": lambda: TrainingForm(data, prefix="training"),
        "vote": lambda: DatedNoteForm(data, prefix="vote"),
        "sponsors": lambda: PeopleForm(data, prefix="sponsors", user=user, full_only=True),
        "mentors": lambda: PeopleForm(data, prefix="mentors", user=user),
        "extend": lambda: ExtensionForm(data, prefix="extend"),
    }
    return {name: build() for name, build in builders.items() if only in (None, name)}


def _available(development: Development) -> set[str]:
    stage = development.stage
    available = set()
    if stage != Stage.FULL:
        available.add("step")
    if stage == Stage.APPLICANT and development.talked_on is None:
        available.add("talk")
    if stage == Stage.ACTIVIST:
        available |= {"review", "sponsors", "mentors"}
    if stage == Stage.CANDIDATE:
        available |= {"training", "vote", "sponsors"}
    if stage == Stage.PROBATIONARY and development.extension_months is None:
        available.add("extend")
    return available


class DevelopmentDetailView(StaffView, View):
    """One person's journey; each available step is a form posting to `?action=`."""

    permission_required = "members.view_development"

    def get_object(self) -> Development:
        return get_object_or_404(
            Development.objects.visible_to(self.request.user)
            .with_last_review()
            .select_related("organization", "member"),
            pk=self.kwargs["pk"],
        )

    def render_page(
        self, development: Development, forms_: dict[str, forms.Form], status: int = 200
    ) -> HttpResponse:
        available = _available(development)
        if not self.request.user.has_perm("members.change_development"):
            available = set()
        deadlines = joining.due_items([development], until=dt.date.max)
        context = {
            "development": development,
            "next_stage": _next_stage(development.stage),
            "next_stage_label": Stage(_next_stage(development.stage)).label
            if _next_stage(development.stage)
            else "",
            "forms": [
                (name, FORM_TITLES[name], f) for name, f in forms_.items() if name in available
            ],
            "reviews": development.reviews.all(),
            "sponsors": development.sponsors.all(),
            "mentors": development.mentors.all(),
            "deadlines": deadlines,
        }
        return render(self.request, "staff/members/development_detail.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_object(), _forms(request.user))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("members.change_development"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        development = self.get_object()
        action = request.POST.get("action", "")
        if action not in ACTIONS or action not in _available(development):
            raise Http404
        form = _forms(request.user, request.POST, only=action)[action]
        if form.is_valid():
            # The people form holds the sponsors or the mentors the service names.
            with domain_errors_on(form, fields={"sponsors": "people", "mentors": "people"}):
                self.perform(action, development, form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("staff:development-detail", development.pk)
        all_forms = _forms(request.user)
        all_forms[action] = form
        return self.render_page(development, all_forms, status=400)

    def perform(self, action: str, development: Development, data: dict[str, Any]) -> None:
        actor = self.request.user
        if action == "step":
            target = _next_stage(development.stage)
            joining.take_step(actor=actor, development=development, target=target, on=data["on"])
        elif action == "talk":
            joining.record_talk(actor=actor, development=development, on=data["on"])
        elif action == "review":
            joining.record_review(
                actor=actor, development=development, on=data["on"], note=data["note"]
            )
        elif action == "training":
            joining.record_training(
                actor=actor,
                development=development,
                completed_on=data["completed_on"],
                hours=data["hours"],
            )
        elif action == "vote":
            joining.record_vote(actor=actor, development=development, on=data["on"])
        elif action == "sponsors":
            joining.set_sponsors(actor=actor, development=development, sponsors=data["people"])
        elif action == "mentors":
            joining.set_mentors(actor=actor, development=development, mentors=data["people"])
        elif action == "extend":
            joining.extend_probation(
                actor=actor, development=development, months=data["months"], reason=data["reason"]
            )
