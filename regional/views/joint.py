"""Pages of regional committees at work: joint meetings, the three lists with claiming, the
year-end evaluation.

Three audiences share these pages: sub-district staff (everything of their sub-district), unit
liaisons (their unit's meetings, items and claims) and community secretaries (their community's
needs and projects). Liaisons do not use the workbench, so these views admit them explicitly;
rows always come from `visible_to(request.user)`, so an out-of-scope id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Prefetch, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.errors import DomainError
from accounts.roles import Role
from accounts.scope import scope_for
from accounts.service_form import ServicePageMixin
from branches.models import CoBuildingUnit, Community
from regional.exporters.joint import evaluation_notice_docx, lists_xlsx
from regional.forms import joint as forms
from regional.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    JointMeeting,
    ListSnapshot,
    Need,
    Project,
    ProjectStatus,
    RegionalCommittee,
    RegionalMembership,
    Resolution,
    Resource,
    TopicSubmission,
    UnitEvaluation,
)
from regional.services import joint as services

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class JointView(AccessMixin):
    """Login; the workbench roles or a unit liaison; then `permission_required`."""

    permission_required: str | tuple[str, ...] | None = None

    def allows(self, user: Any) -> bool:
        """Whether `user` may open this page (asked by `dispatch` and by the workbench menu)."""
        if not user.is_authenticated:
            return False
        if not (user.uses_workbench or Role.UNIT_LIAISON in user.active_roles):
            return False
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set permission_required")
        perms = (
            (self.permission_required,)
            if isinstance(self.permission_required, str)
            else self.permission_required
        )
        return user.has_perms(perms)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allows(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def my_units(user: Any) -> QuerySet[CoBuildingUnit]:
    """The units a user may act for: a liaison's own, all of a staff member's sub-districts."""
    scope = scope_for(user)
    if scope.everything:
        return CoBuildingUnit.objects.all()
    return CoBuildingUnit.objects.filter(pk__in=scope.unit_ids) | CoBuildingUnit.objects.filter(
        sub_district_id__in=scope.sub_district_ids
    )


def my_communities(user: Any) -> QuerySet[Community]:
    """The communities a user may act for: a secretary's branches' communities, all of a staff
    member's sub-districts."""
    scope = scope_for(user)
    if scope.everything:
        return Community.objects.all()
    ids = set(
        Community.objects.filter(sub_district_id__in=scope.sub_district_ids).values_list(
            "pk", flat=True
        )
    )
    for path in scope.organization_paths:
        ids |= set(
            Community.objects.filter(organizations__path__startswith=path).values_list(
                "pk", flat=True
            )
        )
    return Community.objects.filter(pk__in=ids).order_by("name")


def staff_committees(user: Any) -> QuerySet[RegionalCommittee]:
    scope = scope_for(user)
    if scope.everything:
        return RegionalCommittee.objects.all()
    return RegionalCommittee.objects.filter(sub_district_id__in=scope.sub_district_ids)


class ServiceForm(JointView, ServicePageMixin, FormView):
    """A service form for the three audiences of the joint pages."""

    template_name = "staff/regional/joint/form.html"


class ServiceAction(JointView, View):
    """A POST-only button that calls one service on one visible row."""

    model: type[Model]
    success_message: Any = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(self.model._default_manager.visible_to(request.user), pk=pk)  # type: ignore[attr-defined]
        try:
            self.perform(obj)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.success_message)
        return HttpResponseRedirect(self.back_url(obj))

    def perform(self, obj: Any) -> Any:
        raise NotImplementedError

    def back_url(self, obj: Any) -> str:
        raise NotImplementedError


# --- Meetings -----------------------------------------------------------------------------------


class MeetingListView(JointView, ListView):
    permission_required = "regional.view_jointmeeting"
    template_name = "staff/regional/joint/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[JointMeeting]:
        return (
            JointMeeting.objects.visible_to(self.request.user)
            .select_related("committee")
            .order_by("-scheduled_on", "-pk")
        )


class MeetingDetailView(JointView, DetailView):
    permission_required = "regional.view_jointmeeting"
    template_name = "staff/regional/joint/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self) -> QuerySet[JointMeeting]:
        return JointMeeting.objects.visible_to(self.request.user).select_related("committee")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        context["topic_deadline"] = services.topic_deadline(meeting)
        context["topics"] = list(
            TopicSubmission.objects.visible_to(user).filter(meeting=meeting).select_related("unit")
        )
        context["agenda"] = list(AgendaItem.objects.filter(meeting=meeting))
        context["attendances"] = list(
            Attendance.objects.filter(meeting=meeting).select_related("unit")
        )
        context["resolutions"] = list(
            Resolution.objects.filter(meeting=meeting).prefetch_related(
                Prefetch(
                    "action_items",
                    queryset=ActionItem.objects.select_related("owner_unit", "owner_community"),
                )
            )
        )
        context["snapshot"] = ListSnapshot.objects.filter(meeting=meeting).first()
        context["can_run"] = user.has_perm("regional.change_jointmeeting")
        return context


class MeetingCreateView(ServiceForm):
    permission_required = "regional.add_jointmeeting"
    form_class = forms.MeetingForm
    title = gettext_lazy("Schedule a joint meeting")
    success_message = gettext_lazy("The meeting was scheduled.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "committees": staff_committees(self.request.user)}

    def back_url(self) -> str:
        return reverse("staff:joint-meeting-list")

    def perform(self, form: Form) -> JointMeeting:
        return services.schedule_meeting(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("staff:joint-meeting-detail", args=[self.result.pk])


class _MeetingForm(ServiceForm):
    model = JointMeeting

    def back_url(self) -> str:
        return reverse("staff:joint-meeting-detail", args=[self.object.pk])

    def sitting_units(self) -> QuerySet[CoBuildingUnit]:
        ids = RegionalMembership.objects.filter(committee=self.object.committee).on(
            self.object.scheduled_on
        )
        return CoBuildingUnit.objects.filter(pk__in=ids.values("unit_id")).order_by("name")


class TopicSubmitView(_MeetingForm):
    permission_required = "regional.add_topicsubmission"
    form_class = forms.TopicForm
    title = gettext_lazy("Submit a topic")
    success_message = gettext_lazy("The topic was submitted.")

    def get_form_kwargs(self) -> dict[str, Any]:
        units = self.sitting_units() & my_units(self.request.user)
        return {**super().get_form_kwargs(), "units": units}

    def perform(self, form: Form) -> TopicSubmission:
        return services.submit_topic(
            meeting=self.object, actor=self.request.user, **form.cleaned_data
        )


class AttendanceView(_MeetingForm):
    permission_required = "regional.change_jointmeeting"
    form_class = forms.AttendanceForm
    title = gettext_lazy("Record attendance")
    success_message = gettext_lazy("The attendance was recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "units": self.sitting_units()}

    def perform(self, form: Form) -> Attendance:
        return services.record_attendance(
            meeting=self.object, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("staff:joint-meeting-attendance", args=[self.object.pk])


class HoldView(_MeetingForm):
    permission_required = "regional.change_jointmeeting"
    form_class = forms.HoldForm
    title = gettext_lazy("Minutes of the meeting")
    success_message = gettext_lazy("The meeting was recorded as held.")

    def perform(self, form: Form) -> JointMeeting:
        return services.hold_meeting(
            meeting=self.object, minutes=form.cleaned_data["minutes"], actor=self.request.user
        )


class ResolutionView(_MeetingForm):
    permission_required = "regional.change_jointmeeting"
    form_class = forms.ResolutionForm
    title = gettext_lazy("Add a resolution")
    success_message = gettext_lazy("The resolution was added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        communities = Community.objects.filter(
            sub_district_id=self.object.committee.sub_district_id
        ).order_by("name")
        return {
            **super().get_form_kwargs(),
            "units": self.sitting_units(),
            "communities": communities,
        }

    def perform(self, form: Form) -> Resolution:
        from django.db import transaction

        data = form.cleaned_data
        with transaction.atomic():
            resolution = services.add_resolution(
                meeting=self.object, text=data["text"], actor=self.request.user
            )
            if data["item_title"]:
                services.add_action_item(
                    resolution=resolution,
                    title=data["item_title"],
                    deadline=data["deadline"],
                    owner_unit=data["owner_unit"],
                    owner_community=data["owner_community"],
                    actor=self.request.user,
                )
        return resolution


class BuildAgendaView(ServiceAction):
    permission_required = "regional.change_jointmeeting"
    model = JointMeeting
    success_message = gettext_lazy("The agenda is up to date.")

    def perform(self, obj: JointMeeting) -> Any:
        return services.build_agenda(meeting=obj, actor=self.request.user)

    def back_url(self, obj: JointMeeting) -> str:
        return reverse("staff:joint-meeting-detail", args=[obj.pk])


class PublishListsView(BuildAgendaView):
    success_message = gettext_lazy("The lists were published.")

    def perform(self, obj: JointMeeting) -> Any:
        return services.publish_lists(meeting=obj, actor=self.request.user)


class ListsExportView(JointView, View):
    permission_required = "regional.view_jointmeeting"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(JointMeeting.objects.visible_to(request.user), pk=pk)
        snapshot = get_object_or_404(ListSnapshot, meeting=meeting)
        from accounts.services import record_audit

        record_audit(
            actor=request.user,
            action="joint.lists_exported",
            target=meeting,
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        response = HttpResponse(lists_xlsx(snapshot), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="lists-{meeting.scheduled_on.isoformat()}.xlsx"'
        )
        return response


class ActionProgressView(ServiceForm):
    permission_required = "regional.change_actionitem"
    model = ActionItem
    form_class = forms.ProgressForm
    title = gettext_lazy("Action item progress")
    success_message = gettext_lazy("The progress was saved.")
    template_name = "staff/regional/joint/progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notes"] = list(self.object.notes.select_related("written_by"))
        return context

    def back_url(self) -> str:
        return reverse("staff:joint-action-progress", args=[self.object.pk])

    def get_success_url(self) -> str:
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return self.back_url()

    def perform(self, form: Form) -> Any:
        return services.note_action_progress(
            item=self.object, actor=self.request.user, **form.cleaned_data
        )


class ActionItemListView(JointView, ListView):
    permission_required = "regional.view_actionitem"
    template_name = "staff/regional/joint/action_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[ActionItem]:
        return (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("owner_unit", "owner_community", "resolution__meeting__committee")
            .order_by("status", "deadline", "pk")
        )


ACTION_FILTERS = {
    "open": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "overdue": gettext_lazy("Overdue"),
    "done": gettext_lazy("Done"),
}


class CommunityActionListView(JointView, ListView):
    """The action items given to communities: a community secretary sees their community's,
    staff those of their sub-district. Each row takes a progress note (optionally closing the
    item) without leaving the page; overdue rows stand out. Workbench users only: a liaison's
    items are their unit's, on the action items page."""

    permission_required = "regional.view_actionitem"
    template_name = "staff/regional/joint/community_actions.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def allows(self, user: Any) -> bool:
        return super().allows(user) and user.uses_workbench

    def status_filter(self) -> str:
        value = self.request.GET.get("status", "")
        return value if value in ACTION_FILTERS else ""

    def get_queryset(self) -> QuerySet[ActionItem]:
        today = timezone.localdate()
        qs = ActionItem.objects.visible_to(self.request.user).filter(owner_community__isnull=False)
        chosen = self.status_filter()
        if chosen == "overdue":
            qs = qs.exclude(status=ActionStatus.DONE).filter(deadline__lt=today)
        elif chosen:
            qs = qs.filter(status=chosen)
        return qs.select_related("owner_community", "resolution__meeting__committee").order_by(
            "status", "deadline", "pk"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["filters"] = ACTION_FILTERS
        context["chosen"] = self.status_filter()
        context["can_note"] = self.request.user.has_perm("regional.change_actionitem")
        context["here"] = self.request.get_full_path()
        return context


# --- The three lists ----------------------------------------------------------------------------


class NeedListView(JointView, ListView):
    permission_required = "regional.view_need"
    template_name = "staff/regional/joint/need_list.html"
    context_object_name = "needs"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Need]:
        return (
            Need.objects.visible_to(self.request.user)
            .select_related("community", "claimed_by", "committee", "project")
            .order_by("status", "-created_at", "-pk")
        )


class ResourceListView(JointView, ListView):
    permission_required = "regional.view_resource"
    template_name = "staff/regional/joint/resource_list.html"
    context_object_name = "resources"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Resource]:
        return (
            Resource.objects.visible_to(self.request.user)
            .select_related("unit", "claimed_by", "committee")
            .order_by("status", "-created_at", "-pk")
        )


class ProjectListView(JointView, ListView):
    permission_required = "regional.view_project"
    template_name = "staff/regional/joint/project_list.html"
    context_object_name = "projects"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Project]:
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("unit", "community", "committee")
            .order_by("status", "deadline", "pk")
        )


class NeedCreateView(ServiceForm):
    permission_required = "regional.add_need"
    form_class = forms.NeedForm
    title = gettext_lazy("Add a need")
    success_message = gettext_lazy("The need was added to the list.")

    def get_form_kwargs(self) -> dict[str, Any]:
        communities = my_communities(self.request.user)
        committees = RegionalCommittee.objects.visible_to(self.request.user).filter(
            sub_district_id__in=communities.values("sub_district_id")
        )
        return {**super().get_form_kwargs(), "committees": committees, "communities": communities}

    def back_url(self) -> str:
        return reverse("staff:joint-need-list")

    def perform(self, form: Form) -> Need:
        return services.add_need(actor=self.request.user, **form.cleaned_data)


class ResourceCreateView(ServiceForm):
    permission_required = "regional.add_resource"
    form_class = forms.ResourceForm
    title = gettext_lazy("Offer a resource")
    success_message = gettext_lazy("The resource was added to the list.")

    def get_form_kwargs(self) -> dict[str, Any]:
        units = my_units(self.request.user)
        committees = RegionalCommittee.objects.filter(
            memberships__unit__in=units, memberships__left_on__isnull=True
        ).distinct()
        return {**super().get_form_kwargs(), "committees": committees, "units": units}

    def back_url(self) -> str:
        return reverse("staff:joint-resource-list")

    def perform(self, form: Form) -> Resource:
        return services.add_resource(actor=self.request.user, **form.cleaned_data)


class ClaimNeedView(ServiceForm):
    permission_required = "regional.add_project"
    model = Need
    form_class = forms.ClaimForm
    title = gettext_lazy("Claim a need")
    success_message = gettext_lazy("You claimed the need; it is now a project.")

    def get_form_kwargs(self) -> dict[str, Any]:
        units = my_units(self.request.user).filter(
            memberships__committee_id=self.object.committee_id, memberships__left_on__isnull=True
        )
        return {**super().get_form_kwargs(), "claimers": units.distinct()}

    def back_url(self) -> str:
        return reverse("staff:joint-need-list")

    def perform(self, form: Form) -> Project:
        return services.claim_need(
            need=self.object,
            unit=form.cleaned_data["claimer"],
            deadline=form.cleaned_data["deadline"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:joint-project-detail", args=[self.result.pk])


class ClaimResourceView(ServiceForm):
    permission_required = "regional.add_project"
    model = Resource
    form_class = forms.ClaimForm
    title = gettext_lazy("Claim a resource")
    success_message = gettext_lazy("You claimed the resource; it is now a project.")

    def get_form_kwargs(self) -> dict[str, Any]:
        communities = my_communities(self.request.user).filter(
            sub_district_id=self.object.committee.sub_district_id
        )
        return {**super().get_form_kwargs(), "claimers": communities}

    def back_url(self) -> str:
        return reverse("staff:joint-resource-list")

    def perform(self, form: Form) -> Project:
        return services.claim_resource(
            resource=self.object,
            community=form.cleaned_data["claimer"],
            deadline=form.cleaned_data["deadline"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:joint-project-detail", args=[self.result.pk])


class ProjectDetailView(ServiceForm):
    """A project with its progress notes; its unit (or staff) adds notes here."""

    permission_required = "regional.view_project"
    model = Project
    form_class = forms.ProgressForm
    template_name = "staff/regional/joint/project_detail.html"
    title = gettext_lazy("Project")
    success_message = gettext_lazy("The progress was saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "allow_done": False}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = self.object
        context["notes"] = list(project.notes.select_related("written_by"))
        context["can_note"] = user.has_perm("regional.change_project") and (
            my_units(user).filter(pk=project.unit_id).exists()
        )
        context["can_confirm"] = user.has_perm("regional.change_need") and (
            my_communities(user).filter(pk=project.community_id).exists()
        )
        context["release_url"] = self.release_url(project)
        return context

    def release_url(self, project: Project) -> str | None:
        """The claimant's release button: the claiming unit for a need, the claiming community
        for a resource (staff of the sub-district act for both)."""
        user = self.request.user
        if project.status != ProjectStatus.IN_PROGRESS or not user.has_perm("regional.add_project"):
            return None
        if project.need_id and my_units(user).filter(pk=project.unit_id).exists():
            return reverse("staff:joint-need-release", args=[project.need_id])
        if project.resource_id and my_communities(user).filter(pk=project.community_id).exists():
            return reverse("staff:joint-resource-release", args=[project.resource_id])
        return None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        if not (
            request.user.has_perm("regional.change_project")
            and my_units(request.user).filter(pk=self.object.unit_id).exists()
        ):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def back_url(self) -> str:
        return reverse("staff:joint-project-detail", args=[self.object.pk])

    def perform(self, form: Form) -> Any:
        return services.note_project_progress(
            project=self.object, text=form.cleaned_data["text"], actor=self.request.user
        )


class ConfirmDoneView(ServiceAction):
    """The community (its secretary) or staff confirm the work done."""

    permission_required = "regional.change_need"
    model = Project
    success_message = gettext_lazy("The project is closed.")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        if not my_communities(request.user).filter(pk=project.community_id).exists():
            raise PermissionDenied
        return super().post(request, pk)

    def perform(self, obj: Project) -> Any:
        return services.confirm_project_done(project=obj, actor=self.request.user)

    def back_url(self, obj: Project) -> str:
        return reverse("staff:joint-project-detail", args=[obj.pk])


class _ReleaseView(ServiceForm):
    """The claimant gives a claim back with a reason; the list item is open again."""

    permission_required = "regional.add_project"
    form_class = forms.ReleaseForm
    title = gettext_lazy("Release the claim")
    success_message = gettext_lazy("The claim was released; the item is open for claiming again.")

    def claimants(self) -> QuerySet:
        raise NotImplementedError

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj.claimed_by_id is None or not self.claimants().filter(pk=obj.claimed_by_id).exists():
            raise PermissionDenied
        return obj


class ReleaseNeedView(_ReleaseView):
    model = Need

    def claimants(self) -> QuerySet:
        return my_units(self.request.user)

    def back_url(self) -> str:
        return reverse("staff:joint-need-list")

    def perform(self, form: Form) -> Project:
        return services.release_need(
            need=self.object,
            unit=self.object.claimed_by,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )


class ReleaseResourceView(_ReleaseView):
    model = Resource

    def claimants(self) -> QuerySet:
        return my_communities(self.request.user)

    def back_url(self) -> str:
        return reverse("staff:joint-resource-list")

    def perform(self, form: Form) -> Project:
        return services.release_resource(
            resource=self.object,
            community=self.object.claimed_by,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )


# --- Year-end evaluation ------------------------------------------------------------------------


class EvaluationView(JointView, View):
    """A committee's evaluations for a year; POST recomputes the figures."""

    permission_required = "regional.view_unitevaluation"

    def _context(self, request: HttpRequest, pk: int, year: int) -> dict[str, Any]:
        committee = get_object_or_404(RegionalCommittee.objects.visible_to(request.user), pk=pk)
        evaluable_year(year)
        rows = list(
            UnitEvaluation.objects.visible_to(request.user)
            .filter(committee=committee, year=year)
            .select_related("unit")
            .order_by("unit__name")
        )
        return {"committee": committee, "year": year, "evaluations": rows}

    def get(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        from django.shortcuts import render

        context = self._context(request, pk, year)
        context["can_judge"] = request.user.has_perm("regional.change_unitevaluation")
        return render(request, "staff/regional/joint/evaluation.html", context)

    def post(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        if not request.user.has_perm("regional.change_unitevaluation"):
            raise PermissionDenied
        committee = get_object_or_404(staff_committees(request.user), pk=pk)
        evaluable_year(year)
        services.evaluate_year(committee=committee, year=year, actor=request.user)
        messages.success(request, gettext_lazy("The figures were recomputed."))
        return HttpResponseRedirect(reverse("staff:joint-evaluation", args=[pk, year]))


class JudgeView(ServiceForm):
    permission_required = "regional.change_unitevaluation"
    model = UnitEvaluation
    form_class = forms.JudgeForm
    title = gettext_lazy("Evaluate the unit")
    success_message = gettext_lazy("The evaluation was saved.")

    def get_initial(self) -> dict[str, Any]:
        e = self.object
        return {
            "score": e.score,
            "commended": e.commended,
            "failed_duties": e.failed_duties,
            "comment": e.comment,
        }

    def back_url(self) -> str:
        return reverse("staff:joint-evaluation", args=[self.object.committee_id, self.object.year])

    def perform(self, form: Form) -> UnitEvaluation:
        return services.judge_unit(
            evaluation=self.object, actor=self.request.user, **form.cleaned_data
        )


class NoticeExportView(JointView, View):
    permission_required = "regional.change_unitevaluation"

    def get(self, request: HttpRequest, pk: int, year: int) -> HttpResponse:
        committee = get_object_or_404(staff_committees(request.user), pk=pk)
        evaluable_year(year)
        from accounts.services import record_audit

        record_audit(
            actor=request.user,
            action="joint.notice_exported",
            target=committee,
            data={"year": year},
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
        response = HttpResponse(evaluation_notice_docx(committee, year), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="notice-{year}.docx"'
        return response


def current_year() -> int:
    return timezone.localdate().year


def evaluable_year(year: int) -> None:
    """A year an evaluation can be about (2000 to this year), or 404 (the URL takes any number,
    and a year like 99999 cannot even be stored)."""
    if not 2000 <= year <= current_year():
        raise Http404
