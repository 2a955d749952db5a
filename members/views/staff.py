"""Workbench pages of the member record: list, record, forms, ID reveal, import and export."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.access import RecentPasswordRequiredMixin, StaffView
from branches.links import detail_url_template
from branches.models import Organization
from config import pagecache
from members import importjobs, roster, services
from members.errors import ImportRejected
from members.forms import MemberForm, MemberStateForm, RevealForm, RosterImportForm
from members.models import (
    Category,
    Gender,
    ImportJob,
    ImportJobKind,
    Member,
    MembershipState,
    MemberStatus,
    SanctionKind,
    Stage,
)
from members.roster import MEMBER_BRANCH_KINDS
from members.rules import mask_phone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def filtered_members(request: HttpRequest) -> tuple[QuerySet[Member], dict[str, str]]:
    """The member rows a list or an export shows: the user's scope, then the filters."""
    params = {
        key: request.GET.get(key, "").strip()
        for key in (
            "q",
            "status",
            "category",
            "branch",
            "state",
            "stage",
            "hardship",
            "out_of_contact",
        )
    }
    qs = Member.objects.visible_to(request.user)
    state = params["state"] or MembershipState.ACTIVE
    params["state"] = state
    if state in MembershipState.values:
        qs = qs.filter(state=state)
    if params["q"]:
        qs = qs.search(params["q"][:50])
    if params["status"] in MemberStatus.values:
        qs = qs.filter(status=params["status"])
    if params["category"] in Category.values:
        qs = qs.filter(category=params["category"])
    if params["branch"].isdigit():
        branch = Organization.objects.visible_to(request.user).filter(pk=params["branch"]).first()
        if branch is not None:
            qs = qs.filter(organization__path__startswith=branch.path)
    if params["stage"] in Stage.values:
        # Members who came through the joining pipeline, by the stage recorded there.
        qs = qs.filter(development__stage=params["stage"])
    if params["hardship"] == "1":
        qs = qs.filter(in_hardship=True)
    if params["out_of_contact"] == "1":
        qs = qs.filter(out_of_contact_since__isnull=False)
    return qs, params


class MemberListView(StaffView, ListView):
    permission_required = "members.view_member"
    template_name = "staff/members/member_list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Member]:
        qs, self.params = filtered_members(self.request)
        self.counted = qs
        # The list's cells as plain rows: fifty members with their branch and group as model
        # instances cost more than their query (`_member_rows` builds the cells from these).
        return qs.order_by("organization__path", "full_name", "pk").values(*LIST_FIELDS)

    def get_paginator(self, queryset: QuerySet[Member], *args: Any, **kwargs: Any) -> Paginator:
        paginator = super().get_paginator(queryset, *args, **kwargs)
        # Counting a sub-district's members is most of the page's database time: the count is
        # cached per scope and filters until a member or organisation row changes. It counts the
        # filtered members, not the rows of the page: their party group's name is an outer join
        # that the count kept, and with it PostgreSQL read every member of the district (5 ms
        # instead of 0.6 on seed_scale).
        paginator.count = pagecache.cached(
            "member-count",
            self.request.user,
            tuple(sorted(self.params.items())),
            self.counted.count,
        )
        return paginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            params=self.params,
            filtered=any(v for k, v in self.params.items() if k != "state"),
            statuses=MemberStatus.choices,
            categories=Category.choices,
            states=MembershipState.choices,
            stages=[(Stage.PROBATIONARY, Stage.PROBATIONARY.label), (Stage.FULL, Stage.FULL.label)],
            branch_options=self._branch_options(),
            rows=_member_rows(context["members"]),
        )
        return context

    def _branch_options(self) -> str:
        """The branch filter's <option>s, the chosen one selected. A sub-district has ~250
        branches: rendered once per scope and cached (config/pagecache.py)."""
        options = pagecache.cached(
            "member-branch-options", self.request.user, (), self._render_branch_options
        )
        chosen = self.params["branch"]
        if chosen.isdigit():
            options = options.replace(
                f'<option value="{chosen}">', f'<option value="{chosen}" selected>'
            )
        return mark_safe(options)  # noqa: S308  (rendered by the template engine, escaped there)

    def _render_branch_options(self) -> str:
        branches = (
            Organization.objects.visible_to(self.request.user)
            .filter(kind__in=MEMBER_BRANCH_KINDS, status="active")
            .order_by("path")
            .values_list("pk", "name")
        )
        return render_to_string("staff/members/_branch_options.html", {"branches": branches})


LIST_FIELDS = (
    "pk",
    "full_name",
    "gender",
    "id_number_masked",
    "phone",
    "organization__name",
    "party_group__name",
    "status",
    "category",
    "joined_on",
    "in_hardship",
    "out_of_contact_since",
    "state",
)


def _member_rows(members: Any) -> list[dict[str, Any]]:
    """The cells of the list, prepared once from the rows of `LIST_FIELDS`: a template doing the
    same lookups, URL reversals and choice labels for each of 50 rows costs more than the rest of
    the page."""
    genders = {value: str(label) for value, label in Gender.choices}
    statuses = {value: str(label) for value, label in MemberStatus.choices}
    categories = {value: str(label) for value, label in Category.choices}
    states = {value: str(label) for value, label in MembershipState.choices}
    url = detail_url_template("staff:member-detail")
    return [
        {
            "url": url.format(m["pk"]),
            "name": m["full_name"],
            "gender": genders.get(m["gender"], ""),
            "id_number": m["id_number_masked"],
            "phone": mask_phone(m["phone"]),
            "branch": m["organization__name"],
            "group": m["party_group__name"] or "",
            "status": statuses.get(m["status"], m["status"]),
            "category": categories.get(m["category"], ""),
            "joined_on": m["joined_on"].isoformat() if m["joined_on"] else "",
            "in_hardship": m["in_hardship"],
            "out_of_contact": m["out_of_contact_since"] is not None,
            "state": (
                "" if m["state"] == MembershipState.ACTIVE else states.get(m["state"], m["state"])
            ),
        }
        for m in members
    ]


class MemberScopedMixin:
    def get_member(self) -> Member:
        return get_object_or_404(
            Member.objects.visible_to(self.request.user).select_related(  # type: ignore[attr-defined]
                "organization", "party_group", "community"
            ),
            pk=self.kwargs["pk"],  # type: ignore[attr-defined]
        )


class MemberDetailView(StaffView, MemberScopedMixin, DetailView):
    permission_required = "members.view_member"
    template_name = "staff/members/member_detail.html"
    context_object_name = "member"

    def get_object(self, queryset: Any = None) -> Member:
        return self.get_member()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from members.timeline import timeline_for

        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline_for(self.object)
        sanctions = list(self.object.sanctions.all())
        today = timezone.localdate()
        context["sanctions"] = sanctions
        context["on_probation"] = any(
            s.kind == SanctionKind.PROBATION and s.started_on <= today <= s.ended_on
            for s in sanctions
        )
        return context


class MemberCreateView(StaffView, FormView):
    permission_required = "members.add_member"
    template_name = "staff/members/member_form.html"
    form_class = MemberForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: MemberForm) -> HttpResponse:
        try:
            member = services.create_member(
                actor=self.request.user,
                fields=form.member_fields(),
                id_number=form.cleaned_data["id_number"],
            )
        except services.InvalidMemberData as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        except services.DuplicateIdNumber as exc:
            form.add_error("id_number", exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The member record was created."))
        return redirect("staff:member-detail", member.pk)


class MemberUpdateView(StaffView, MemberScopedMixin, FormView):
    permission_required = "members.change_member"
    template_name = "staff/members/member_form.html"
    form_class = MemberForm

    def get_form_kwargs(self) -> dict[str, Any]:
        self.member = self.get_member()
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.member}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "member": self.member}

    def form_valid(self, form: MemberForm) -> HttpResponse:
        fields = form.member_fields()
        # The ModelForm has already copied the values onto the instance; reload it so the
        # service sees the stored row as "before".
        member = Member.objects.get(pk=self.member.pk)
        try:
            services.update_member(
                member=member,
                actor=self.request.user,
                fields=fields,
                id_number=form.cleaned_data["id_number"] or None,
            )
        except (services.InvalidMemberData, services.DuplicateIdNumber) as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The member record was saved."))
        return redirect("staff:member-detail", member.pk)


class MemberStateView(StaffView, MemberScopedMixin, FormView):
    permission_required = "members.change_member"
    template_name = "staff/members/member_state.html"
    form_class = MemberStateForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "member": self.get_member()}

    def form_valid(self, form: MemberStateForm) -> HttpResponse:
        member = self.get_member()
        try:
            services.set_member_state(
                member=member,
                actor=self.request.user,
                state=form.cleaned_data["state"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except services.InvalidMemberData as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The membership state was changed."))
        return redirect("staff:member-detail", member.pk)


class MemberRevealView(StaffView, RecentPasswordRequiredMixin, MemberScopedMixin, View):
    """GET asks for confirmation; POST with the confirmation shows the number once, audited."""

    permission_required = "members.reveal_id_number"
    template_name = "staff/members/member_reveal.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member()
        return render(request, self.template_name, {"member": member, "form": RevealForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member()
        form = RevealForm(request.POST)
        context: dict[str, Any] = {"member": member, "form": form}
        if form.is_valid():
            try:
                context["id_number"] = services.reveal_id_number(
                    member=member, actor=request.user, ip_address=client_ip(request)
                )
            except services.InvalidMemberData as exc:
                form.add_error(None, exc.message)
        response = render(request, self.template_name, context)
        response["Cache-Control"] = "no-store"
        return response


class MemberPhotoView(StaffView, MemberScopedMixin, View):
    permission_required = "members.view_member"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = self.get_member()
        if not member.photo:
            raise Http404
        handle = member.photo.open("rb")
        head = handle.read(8)
        handle.seek(0)
        # The type comes from the bytes (checked at upload), never from the stored name.
        content_type = "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"member-{member.pk}-photo",
            content_type=content_type,
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class RosterImportView(StaffView, FormView):
    permission_required = ("members.import_member", "members.add_member")
    template_name = "staff/members/roster_import.html"
    form_class = RosterImportForm

    def form_valid(self, form: RosterImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            # A large roster goes to a worker; the request only reads enough rows to know.
            if importjobs.needs_job(upload, name=upload.name, width=len(roster.COLUMNS)):
                job = importjobs.queue_import(
                    actor=self.request.user,
                    kind=ImportJobKind.ROSTER,
                    upload=upload,
                    name=upload.name,
                )
                return redirect(reverse("staff:member-import-job", args=[job.pk]))
            result = roster.import_roster(
                actor=self.request.user, upload=upload, size=upload.size, name=upload.name
            )
        except ImportRejected as exc:
            return self.render_to_response(
                self.get_context_data(form=form, error=exc.message, errors=exc.errors), status=400
            )
        messages.success(
            self.request,
            _("%(n)d members were imported.") % {"n": result.created},
        )
        return redirect(reverse("staff:member-list"))


class ImportJobView(StaffView, DetailView):
    """The progress of a large import; the page reloads itself until the job ends. A job is
    seen only by the person who asked for it (anyone else gets a 404); asking needed the
    import's permission, so seeing one's own job needs only the workbench."""

    permission_required = ()
    template_name = "staff/members/import_job.html"
    context_object_name = "job"

    def get_queryset(self) -> QuerySet[ImportJob]:
        return ImportJob.objects.filter(requested_by=self.request.user)


class RosterTemplateView(StaffView, View):
    permission_required = "members.import_member"

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(roster.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="member-roster-template.xlsx"'
        return response


class RosterExportView(StaffView, RecentPasswordRequiredMixin, View):
    """The roster the user can see, with the list's filters, ID numbers and phones masked:
    XLSX written to a temporary file and streamed from it, or CSV streamed row by row. The
    rows are read as values in one query, whatever their number (a district: 30,000)."""

    permission_required = ("members.export_member", "members.view_member")
    format = "xlsx"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        qs, _params = filtered_members(request)
        qs = qs.order_by("organization__path", "full_name", "pk")
        from accounts.services import record_audit

        record_audit(
            actor=request.user,
            action="member.roster_exported",
            data={
                "filters": {k: v for k, v in _params.items() if v and k != "q"},
                "format": self.format,
            },
            ip_address=client_ip(request),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"member-roster-{stamp}.{self.format}"
        if self.format == "csv":
            response: HttpResponseBase = StreamingHttpResponse(
                roster.export_csv(roster.export_values(qs)), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
        roster.export_workbook(roster.export_values(qs), out)
        out.seek(0)
        return FileResponse(out, content_type=XLSX, as_attachment=True, filename=name)
