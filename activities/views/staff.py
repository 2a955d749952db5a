"""Staff and secretary pages of organisational life: plan, record from the roster, sign off,
attachments, make-up study, compliance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import ServiceFormMixin
from activities import forms, participation, services
from activities.compliance import HeatRow, heat_map_with_counts
from activities.minutes.views import branch_of
from activities.models import (
    Attachment,
    AttendanceStatus,
    LectureKind,
    MakeUpTask,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from branches.links import organization_url_template
from branches.models import Organization, OrganizationKind, Sector
from config import pagecache
from members.models import Member
from venues.models import Room


def _meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("organization")


class MeetingListView(StaffView, ListView):
    permission_required = "activities.view_meeting"
    template_name = "staff/activities/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[Meeting]:
        qs = _meetings(self.request.user)
        kind = self.request.GET.get("kind", "")
        if kind in MeetingKind.values:
            qs = qs.filter(kind=kind)
        status = self.request.GET.get("status", "")
        if status in MeetingStatus.values:
            qs = qs.filter(status=status)
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(topic__icontains=query) | Q(organization__name__icontains=query))
        return qs.order_by("-starts_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            kinds=MeetingKind.choices,
            statuses=MeetingStatus.choices,
            kind=self.request.GET.get("kind", ""),
            status=self.request.GET.get("status", ""),
            query=self.request.GET.get("q", ""),
            organizations=Organization.objects.visible_to(self.request.user)
            .active()
            .filter(kind__in=[OrganizationKind.BRANCH, OrganizationKind.PARTY_GROUP])
            .order_by("path")[:200],
        )
        return context


class PlanMeetingView(StaffView, ServiceFormMixin, FormView):
    permission_required = "activities.add_meeting"
    template_name = "staff/activities/meeting_form.html"
    form_class = forms.PlanMeetingForm
    success_message = gettext_lazy("The meeting is planned.")

    def get_organization(self) -> Organization:
        return get_object_or_404(
            Organization.objects.visible_to(self.request.user).active(), pk=self.kwargs["org_pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        organization = self.get_organization()
        members = Member.objects.current().filter(organization__path__startswith=organization.path)
        rooms = (
            Room.objects.visible_to(self.request.user)
            .filter(hall__sub_district_id=organization.sub_district_id)
            .select_related("hall")
        )
        return {**super().get_form_kwargs(), "members": members, "rooms": rooms}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "organization": self.get_organization(),
            "title": _("Plan a meeting"),
        }

    def perform(self, form: forms.PlanMeetingForm) -> Meeting:
        data = form.cleaned_data
        return services.plan_meeting(
            organization=self.get_organization(),
            kind=data["kind"],
            lecture_kind=data["lecture_kind"],
            topic=data["topic"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            chair=data["chair"],
            note_taker=data["note_taker"],
            agenda=data["agenda"],
            room=data["room"],
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:meeting-detail", args=[self.result.pk])


def _votes(form: forms.RecordMeetingForm) -> list[services.VoteInput]:
    data = form.cleaned_data
    votes = []
    for i in range(forms.MAX_VOTES if form.with_votes else 0):
        motion = (data.get(f"motion_{i}") or "").strip()
        if motion:
            votes.append(
                services.VoteInput(
                    motion=motion,
                    method=data.get(f"method_{i}") or "hands",
                    yes=data[f"yes_{i}"],
                    no=data[f"no_{i}"],
                    abstain=data[f"abstain_{i}"],
                )
            )
    return votes


def _record(form: forms.RecordMeetingForm) -> services.MeetingRecord:
    data = form.cleaned_data
    return services.MeetingRecord(
        attendance=form.attendance(),
        agenda=data["agenda"],
        main_points=data["main_points"],
        resolutions=data["resolutions"],
        rectification=data["rectification"],
        guests=form.guest_list(),
        votes=_votes(form),
        out_of_period_reason=data["out_of_period_reason"],
        topic=data["topic"],
        starts_at=data["starts_at"],
        place=data["place"],
    )


def _roster_day(data: Any, fallback: dt.date) -> dt.date:
    """The day whose roster the record form shows: the date entered (posted, or asked for in the
    query string), else `fallback`. A posted date and kind rebuild the roster, so a secretary who
    changes them is shown the roster of that day and kind before anything is saved."""
    raw = data.get("starts_at") or data.get("on")
    if raw:
        try:
            value = django_forms.DateTimeField().clean(raw)
        except ValidationError:
            try:
                return django_forms.DateField().clean(raw)
            except ValidationError:
                return fallback
        return services.meeting_day(value)
    return fallback


class RecordHeldMeetingView(StaffView, ServiceFormMixin, FormView):
    """A meeting already held, planned and recorded in one step from the organisation's page."""

    permission_required = ("activities.add_meeting", "activities.change_meeting")
    template_name = "staff/activities/meeting_record.html"
    form_class = forms.RecordHeldMeetingForm
    success_message = gettext_lazy("The meeting is recorded.")

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                Organization.objects.visible_to(self.request.user).active(),
                pk=self.kwargs["org_pk"],
            )
        return self._organization

    def get_form_kwargs(self) -> dict[str, Any]:
        organization = self.get_organization()
        members = Member.objects.current().filter(organization__path__startswith=organization.path)
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        kind = data.get("kind")
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and kind in MeetingKind.values:
            kwargs["initial"] = {**kwargs.get("initial", {}), "kind": kind}
        return {
            **kwargs,
            "roster": services.expected_attendees(
                organization,
                kind=kind if kind in MeetingKind.values else MeetingKind.GENERAL_MEETING,
                day=_roster_day(data, timezone.localdate()),
            ),
            "members": members,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return {
            **super().get_context_data(**kwargs),
            "organization": self.get_organization(),
            "roster_day": _roster_day(data, timezone.localdate()),
        }

    def perform(self, form: forms.RecordHeldMeetingForm) -> Meeting:
        data = form.cleaned_data
        return services.record_held_meeting(
            organization=self.get_organization(),
            kind=data["kind"],
            lecture_kind=data["lecture_kind"],
            topic=data["topic"],
            ends_at=data["ends_at"],
            chair=data["chair"],
            note_taker=data["note_taker"],
            record=_record(form),
            actor=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("staff:meeting-detail", args=[self.result.pk])


class MeetingDetailView(StaffView, DetailView):
    permission_required = "activities.view_meeting"
    template_name = "staff/activities/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self) -> QuerySet[Meeting]:
        return _meetings(self.request.user).select_related("chair", "note_taker", "signed_off_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.object
        attendances = list(meeting.attendances.all())
        context.update(
            attendances=attendances,
            present=sum(1 for a in attendances if a.status == "present"),
            guests=meeting.guests.all(),
            votes=meeting.votes.all(),
            attachments=meeting.attachments.all(),
            revisions=meeting.revisions.select_related("changed_by"),
            minutes_branch=branch_of(meeting.organization),
            make_up=meeting.make_up_tasks.select_related("member"),
            leave_requests=meeting.leave_requests.filter(status="requested").select_related(
                "member"
            ),
            check_ins=meeting.check_ins.select_related("member"),
            check_in_open=participation.check_in_open(meeting),
            attachment_form=forms.AttachmentForm(signed_off=meeting.is_signed_off),
            may_change=self.request.user.has_perm("activities.change_meeting"),
        )
        return context


class MeetingActionMixin(StaffView):
    permission_required = "activities.change_meeting"

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(_meetings(self.request.user), pk=self.kwargs["pk"])
        return self._meeting

    def back_url(self) -> str:
        return reverse("staff:meeting-detail", args=[self.get_meeting().pk])

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.back_url())

    def get_success_url(self) -> str:
        return self.back_url()


class RecordMeetingView(MeetingActionMixin, ServiceFormMixin, FormView):
    template_name = "staff/activities/meeting_record.html"
    form_class = forms.RecordMeetingForm
    success_message = gettext_lazy("The meeting is recorded.")

    def get_form_kwargs(self) -> dict[str, Any]:
        meeting = self.get_meeting()
        kwargs = super().get_form_kwargs()
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        kwargs["roster"] = services.expected_attendees(
            meeting.organization,
            kind=meeting.kind,
            day=_roster_day(data, services.meeting_day(meeting.starts_at)),
        )
        kwargs["with_votes"] = meeting.kind == MeetingKind.GENERAL_MEETING
        if self.request.method == "GET":
            initial = {
                "topic": meeting.topic,
                "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "place": meeting.place,
                "agenda": meeting.agenda,
                "main_points": meeting.main_points,
                "resolutions": meeting.resolutions,
                "rectification": meeting.rectification,
                "out_of_period_reason": meeting.out_of_period_reason,
                "guests": "\n".join(f"{g.name}, {g.title}" for g in meeting.guests.all()),
            }
            attendances = list(meeting.attendances.all())
            if not attendances:
                # Not yet recorded: the members' leave requests and check-ins pre-mark the roster.
                marks = participation.roster_marks(meeting)
                for member in kwargs["roster"]:
                    status, reason = marks.get(
                        member.pk,
                        (AttendanceStatus.ABSENT if marks else AttendanceStatus.PRESENT, ""),
                    )
                    initial[f"att_{member.pk}"] = status
                    initial[f"reason_{member.pk}"] = reason
            for attendance in attendances:
                initial[f"att_{attendance.member_id}"] = attendance.status
                initial[f"reason_{attendance.member_id}"] = attendance.reason
            kwargs["initial"] = initial
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "meeting": self.get_meeting()}

    def perform(self, form: forms.RecordMeetingForm) -> Any:
        return services.record_meeting(
            meeting=self.get_meeting(),
            record=_record(form),
            actor=self.request.user,
            change_reason=form.cleaned_data["change_reason"],
        )


class CheckInCodeView(MeetingActionMixin, TemplateView):
    """The rotating check-in code and its QR, for the secretary to show at the meeting. The page
    reloads itself when the code turns."""

    template_name = "staff/activities/check_in_code.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        import segno

        meeting = self.get_meeting()
        context = super().get_context_data(**kwargs)
        context.update(meeting=meeting, open=participation.check_in_open(meeting))
        if context["open"]:
            code, left = participation.current_code(meeting)
            link = settings.PORTAL_URL + reverse("public:me-check-in", args=[meeting.pk])
            qr = segno.make(f"{link}?code={code}", error="m")
            context.update(
                code=code,
                seconds_left=max(left, 1),
                qr_svg=qr.svg_inline(scale=6, dark="#000", light="#fff"),
                checked_in=meeting.check_ins.count(),
            )
        opens, closes = participation.check_in_window(meeting)
        context.update(opens=opens, closes=closes)
        return context


class SignOffView(MeetingActionMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.sign_off_meeting(meeting=self.get_meeting(), actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The record is signed off."))
        return self.back()


class CancelMeetingView(MeetingActionMixin, ServiceFormMixin, FormView):
    template_name = "staff/activities/meeting_form.html"
    form_class = forms.CancelForm
    success_message = gettext_lazy("The meeting is cancelled.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "organization": self.get_meeting().organization,
            "title": _("Cancel the meeting"),
        }

    def perform(self, form: forms.CancelForm) -> Any:
        return services.cancel_meeting(
            meeting=self.get_meeting(), reason=form.cleaned_data["reason"], actor=self.request.user
        )


class AttachmentUploadView(MeetingActionMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = forms.AttachmentForm(
            request.POST, request.FILES, signed_off=self.get_meeting().is_signed_off
        )
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self.back()
        try:
            services.attach_file(
                meeting=self.get_meeting(),
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                actor=request.user,
                change_reason=form.cleaned_data.get("change_reason", ""),
            )
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The file is attached."))
        return self.back()


class AttachmentDownloadView(StaffView, View):
    """Attachments live outside the static root and are served only to who may see the meeting."""

    permission_required = "activities.view_meeting"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(
            Attachment.objects.visible_to(request.user).select_related("meeting"), pk=pk
        )
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


class MakeUpListView(StaffView, ListView):
    permission_required = "activities.view_meeting"
    template_name = "staff/activities/make_up_list.html"
    context_object_name = "tasks"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[MakeUpTask]:
        qs = MakeUpTask.objects.visible_to(self.request.user).select_related(
            "member", "meeting", "meeting__organization"
        )
        if self.request.GET.get("show") != "all":
            qs = qs.filter(done_on__isnull=True)
        return qs.order_by("done_on", "due_on")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "today": timezone.localdate(),
            "show": self.request.GET.get("show", ""),
        }


class MakeUpDoneView(StaffView, ServiceFormMixin, FormView):
    permission_required = "activities.change_meeting"
    template_name = "staff/activities/meeting_form.html"
    form_class = forms.MakeUpForm
    success_message = gettext_lazy("The make-up study is recorded.")
    success_url = reverse_lazy("staff:make-up-list")

    def get_task(self) -> MakeUpTask:
        return get_object_or_404(
            MakeUpTask.objects.visible_to(self.request.user).select_related("member", "meeting"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        task = self.get_task()
        return {
            **super().get_context_data(**kwargs),
            "organization": task.meeting.organization,
            "title": _("Make-up study of %(name)s") % {"name": task.member.full_name},
        }

    def get_initial(self) -> dict[str, Any]:
        task = self.get_task()
        if task.reported_on:  # the member's own report (党员端), for the secretary to confirm
            return {"done_on": task.reported_on, "note": task.report_note}
        return super().get_initial()

    def perform(self, form: forms.MakeUpForm) -> Any:
        return services.complete_make_up(
            task=self.get_task(),
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )


class ComplianceView(StaffView, TemplateView):
    """Branches × months for a year, coloured by how complete their organisational life is."""

    permission_required = "activities.view_meeting"
    template_name = "staff/activities/compliance.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            year = int(self.request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year:
            year = today.year
        sector = self.request.GET.get("sector", "")
        if sector not in Sector.values:
            sector = ""
        table, counts = pagecache.cached(
            "compliance",
            self.request.user,
            (year, sector, today.isoformat()),
            lambda: self._heat_map(year, sector, today),
        )
        context.update(
            table=table,
            year=year,
            years=list(range(today.year, today.year - 5, -1)),
            sector=sector,
            sectors=Sector.choices,
            counts=counts,
        )
        return context

    def _heat_map(
        self, year: int, sector: str, today: dt.date
    ) -> tuple[str, list[tuple[str, int]]]:
        """The rendered heat map and the meetings held by kind (cached per scope, year, sector)."""
        branches = (
            Organization.objects.visible_to(self.request.user)
            .active()
            .filter(kind=OrganizationKind.BRANCH)
            .only("pk", "name", "path", "kind", "sub_district_id", "founded_on")  # what it needs
            .order_by("path")
        )
        if sector:
            branches = branches.filter(sector=sector)
        rows, by_kind = heat_map_with_counts(list(branches), year, today)
        table = render_to_string(
            "staff/activities/_heat_map.html", {"rows": heat_rows(rows), "months": range(1, 13)}
        )
        kind_labels = dict(MeetingKind.choices)
        lecture_labels = dict(LectureKind.choices)
        counts = [
            (str(lecture_labels.get(lecture_kind) or kind_labels.get(kind, kind)), n)
            for kind, lecture_kind, n in by_kind
        ]
        return table, counts


_HEAT_ROW = '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th>{}<td>{}</td></tr>'
_HEAT_CELL = '<td class="text-center"><span class="heat heat-{}" title="{}">{}</span></td>'


def heat_rows(rows: list[HeatRow]) -> SafeString:
    """The heat map's body: each branch's row with its address (reversed once, not per row),
    its twelve cells and its rate, as markup written by a Python pass rather than the template
    language, which spent most of the heat map's build resolving ~3,000 variables (`{% for %}`
    over every branch × month). A cell's state and figure are our own words and digits; the
    branch's name is escaped, and a cell's title (the unmet rules) is escaped once per distinct
    list of rules, not once per cell (format_html per cell was a fifth of an uncached build)."""
    titles: dict[tuple[int, ...], str] = {}
    url_template = organization_url_template()
    marked = []
    for row in rows:
        parts = []
        for cell in row.cells:
            key = tuple(rule.pk for rule in cell.missing)
            title = titles.get(key)
            if title is None:
                title = titles[key] = escape("、".join(cell.missing_labels))
            parts.append(_HEAT_CELL.format(cell.state, title, cell.figure))
        branch = row.organization
        url, name = url_template.format(branch.pk), escape(branch.name)
        rate = "—" if row.rate is None else f"{row.rate}%"
        marked.append(_HEAT_ROW.format(url, name, "".join(parts), rate))
    return mark_safe("\n".join(marked))  # noqa: S308  (every part escaped above)


def meeting_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret link (no sign-in: calendar apps cannot)."""
    from django.core import signing
    from django.http import Http404

    from activities.calendar import ics, meetings_for, read_token

    try:
        data = read_token(token)
        title, meetings = meetings_for(data)
    except (signing.BadSignature, Organization.DoesNotExist, Member.DoesNotExist):
        raise Http404 from None
    response = HttpResponse(ics(title, meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


class CalendarLinkView(StaffView, TemplateView):
    """The secret calendar links of an organisation in scope."""

    permission_required = "activities.view_meeting"
    template_name = "staff/activities/calendar_links.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from activities.calendar import token_for

        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(
            Organization.objects.visible_to(self.request.user).active(), pk=self.kwargs["org_pk"]
        )
        members = Member.objects.current().filter(organization=organization).order_by("full_name")
        build = self.request.build_absolute_uri
        context.update(
            organization=organization,
            organization_link=build(
                reverse("meeting-calendar", args=[token_for(organization=organization)])
            ),
            member_links=[
                (m, build(reverse("meeting-calendar", args=[token_for(member=m)])))
                for m in members[:200]
            ],
        )
        return context
