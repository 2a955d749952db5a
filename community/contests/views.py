"""Pages of knowledge contests. Resident site (phones first): the contests, one contest with my
attempts (and, once closed, the rankings), the attempt page. Workbench: the contests with their
figures, one contest's rankings, the question import. Right answers and scores appear only once
the window has closed (`services.results_visible`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from community.contests import imports, rules, services
from community.contests.models import Attempt, AttemptQuestion, Contest, Entrant, Question
from members.errors import ImportRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANKING_ON_PUBLIC_PAGE = 30


# --- resident site ------------------------------------------------------------------------


class ContestListView(TemplateView):
    template_name = "public/community/contests.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        contests = list(services.public_contests().order_by("-closes_at")[:30])
        used: dict[int, int] = {}
        if self.request.user.is_authenticated:
            used = dict(
                Entrant.objects.filter(
                    user=self.request.user, contest__in=[c.pk for c in contests]
                ).values_list("contest_id", "attempts_started")
            )
        context["rows"] = [(c, now < c.closes_at, used.get(c.pk, 0)) for c in contests]
        return context


class ContestView(TemplateView):
    template_name = "public/community/contest.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contest = get_object_or_404(services.public_contests(), pk=self.kwargs["pk"])
        now = timezone.now()
        closed = services.results_visible(contest, now)
        attempts: list[Attempt] = []
        entrant = None
        if self.request.user.is_authenticated:
            entrant = Entrant.objects.filter(contest=contest, user=self.request.user).first()
            if entrant is not None:
                services.finish_overdue(entrants=[entrant.pk], now=now)
                attempts = list(entrant.attempts.order_by("number"))
        running = next((a for a in attempts if a.submitted_at is None), None)
        context.update(
            contest=contest,
            closed=closed,
            attempts=attempts,
            running=running,
            attempts_left=max(contest.attempts_allowed - len(attempts), 0),
        )
        if closed:
            services.finish_overdue(contest=contest, now=now)
            ranking = list(services.person_ranking(contest)[:RANKING_ON_PUBLIC_PAGE])
            context["ranking"] = [
                (rank, rules.masked_name(e.display_name), e, e.user_id == self.request.user.pk)
                for rank, e in enumerate(ranking, start=1)
            ]
            context["branches"] = services.branch_ranking(contest)
        return context


class StartView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contest = get_object_or_404(services.public_contests(), pk=pk)
        try:
            attempt = services.start_attempt(contest=contest, user=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(reverse("public:contest-detail", args=[pk]))
        return HttpResponseRedirect(reverse("public:contest-attempt", args=[attempt.pk]))


def _answers_from(post: Any, count: int) -> dict[int, list[str]]:
    return {
        position: post.getlist(f"q{position}")
        for position in range(1, count + 1)
        if f"q{position}" in post
    }


class AttemptView(LoginRequiredMixin, View):
    """The questions of a running attempt (save, submit); once submitted, a note until the
    window closes; after it, the review with the right answers."""

    template_name = "public/community/attempt.html"

    def _attempt(self, request: HttpRequest, pk: int) -> Attempt:
        return get_object_or_404(
            Attempt.objects.select_related("contest", "entrant"), pk=pk, entrant__user=request.user
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attempt = self._attempt(request, pk)
        now = timezone.now()
        if attempt.submitted_at is None and now > attempt.deadline + rules.GRACE:
            services.finish_overdue(entrants=[attempt.entrant_id], now=now)
            attempt.refresh_from_db()
        closed = services.results_visible(attempt.contest, now)
        rows = AttemptQuestion.objects.filter(attempt=attempt).select_related("question")
        return render(
            request,
            self.template_name,
            {
                "attempt": attempt,
                "contest": attempt.contest,
                "rows": [(row, set(row.answer)) for row in rows],
                "running": attempt.submitted_at is None,
                "closed": closed,
                "remaining": max(int((attempt.deadline - now).total_seconds()), 0),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attempt = self._attempt(request, pk)
        answers = _answers_from(request.POST, attempt.question_count)
        url = reverse("public:contest-attempt", args=[pk])
        try:
            if request.POST.get("action") == "submit":
                attempt = services.submit_attempt(
                    attempt=attempt, user=request.user, answers=answers
                )
                if attempt.late:
                    messages.warning(
                        request,
                        _(
                            "Your submission came after the time limit: the answers in it were "
                            "not counted, only those saved in time."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Your answers are submitted. "
                            "Scores are published when the contest closes."
                        ),
                    )
            else:
                services.save_answers(attempt=attempt, user=request.user, answers=answers)
                messages.success(request, _("Your answers are saved."))
        except DomainError as refused:
            messages.error(request, refused.message)
        return HttpResponseRedirect(url)


# --- workbench ----------------------------------------------------------------------------


class StaffContestListView(StaffView, ListView):
    permission_required = "community.view_contest"
    template_name = "staff/community/contest_list.html"
    context_object_name = "contests"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Contest]:
        rows = Contest.objects.visible_to(self.request.user).select_related("sub_district")
        query = self.request.GET.get("q", "").strip()[:50]
        if query:
            rows = rows.filter(title__icontains=query)
        return rows.annotate(
            people=Count("entrants", filter=Q(entrants__attempts_started__gt=0), distinct=True),
            attempt_count=Count("attempts", distinct=True),
        ).order_by("-opens_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["now"] = timezone.now()
        context["can_import"] = self.request.user.has_perm("community.add_question")
        context["can_add"] = self.request.user.has_perm("community.add_contest")
        return context


class StaffContestView(StaffView, TemplateView):
    """A contest's rankings per person (full names) and per branch; scores of attempts still
    running are not shown (they are scored at submission or when their time runs out)."""

    permission_required = "community.view_contest"
    template_name = "staff/community/contest.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contest = get_object_or_404(
            Contest.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        services.finish_overdue(contest=contest)
        page = Paginator(services.person_ranking(contest), 50).get_page(
            self.request.GET.get("page")
        )
        context.update(
            contest=contest,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            first_rank=page.start_index(),
            branches=services.branch_ranking(contest),
            pool=services.question_pool(contest).count(),
            figures=services.contest_figures(contest),
            can_change=self.request.user.has_perm("community.change_contest")
            and Contest.objects.managed_by(self.request.user).filter(pk=contest.pk).exists(),
        )
        return context


class QuestionImportForm(forms.Form):
    sub_district = forms.ModelChoiceField(
        label=gettext_lazy("sub-district"), queryset=Question.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("Question file (.xlsx or .csv)"),
        help_text=gettext_lazy("Fill in the template; the file is imported all or nothing."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accounts.scope import scope_for
        from branches.models import SubDistrict

        # Only the sub-districts the user is staff of: a secretary imports nothing.
        scope = scope_for(user)
        sub_districts = SubDistrict.objects.all()
        if not scope.everything:
            sub_districts = sub_districts.filter(pk__in=scope.sub_district_ids)
        self.fields["sub_district"].queryset = sub_districts.order_by("name")
        if sub_districts.count() == 1:
            self.fields["sub_district"].initial = sub_districts.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into smaller files.")
                % {"mb": imports.MAX_BYTES // 1_048_576}
            )
        return upload


class QuestionImportView(StaffView, FormView):
    permission_required = ("community.add_question", "community.view_question")
    template_name = "staff/community/question_import.html"
    form_class = QuestionImportForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["topics"] = (
            Question.objects.visible_to(self.request.user)
            .filter(is_active=True)
            .values("sub_district__name", "topic")
            .annotate(n=Count("pk"))
            .order_by("sub_district__name", "topic")
        )
        return context

    def form_valid(self, form: QuestionImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            created = imports.import_questions(
                actor=self.request.user,
                sub_district=form.cleaned_data["sub_district"],
                upload=upload,
                name=upload.name,
                size=upload.size,
            )
        except ImportRejected as exc:
            return self.render_to_response(
                self.get_context_data(form=form, error=exc.message, errors=exc.errors), status=400
            )
        messages.success(self.request, _("%(n)d questions were imported.") % {"n": created})
        return redirect(reverse("staff:contest-question-import"))


class QuestionTemplateView(StaffView, View):
    permission_required = "community.add_question"

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(imports.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="contest-questions-template.xlsx"'
        return response
