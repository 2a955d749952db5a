"""Workbench pages: the opinions ledger and community matters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.scope import scope_for
from accounts.service_form import domain_errors_on
from branches.models import Community
from config.documents import document_bytes, new_document
from governance import forms
from governance.models import (
    Category,
    Channel,
    Matter,
    Opinion,
    OpinionState,
    Publication,
    StepKind,
)
from governance.services import matters as matter_services
from governance.services import opinions as services


def communities_for(user: Any) -> QuerySet[Community]:
    scope = scope_for(user)
    if scope.everything:
        return Community.objects.all()
    q = Q(sub_district_id__in=scope.sub_district_ids)
    for path in scope.organization_paths:
        q |= Q(organizations__path__startswith=path)
    return Community.objects.filter(q).distinct().order_by("sub_district", "name")


class LedgerView(StaffView, ListView):
    permission_required = "governance.view_opinion"
    template_name = "staff/governance/ledger.html"
    context_object_name = "opinions"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Opinion]:
        qs = Opinion.objects.visible_to(self.request.user).select_related(
            "community", "author", "owner_organization", "owner_grid", "owner_unit"
        )
        get = self.request.GET
        if get.get("category") in Category.values:
            qs = qs.filter(category=get["category"])
        if get.get("channel") in Channel.values:
            qs = qs.filter(channel=get["channel"])
        if get.get("state") in OpinionState.values:
            qs = qs.filter(state=get["state"])
        if get.get("community", "").isdigit():
            qs = qs.filter(community_id=int(get["community"]))
        if get.get("overdue"):
            qs = qs.overdue_on(timezone.localdate())
        query = get.get("q", "").strip()
        if query:
            qs = qs.filter(
                Q(title__icontains=query) | Q(text__icontains=query) | Q(place__icontains=query)
            )
        return qs.order_by("-received_on", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        services.label_authors(context["opinions"], self.request.user)
        context.update(
            categories=Category.choices,
            channels=Channel.choices,
            states=OpinionState.choices,
            communities=communities_for(self.request.user),
            today=timezone.localdate(),
            filters=self.request.GET,
        )
        return context


class RecordOpinionView(StaffView, View):
    permission_required = "governance.add_opinion"
    template_name = "staff/governance/form.html"

    def form(self, data: Any = None) -> forms.StaffOpinionForm:
        return forms.StaffOpinionForm(
            data,
            communities=communities_for(self.request.user),
            initial={"received_on": timezone.localdate()},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, self.template_name, {"form": self.form(), "title": _("Record an opinion")}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with domain_errors_on(form):
                opinion = services.receive_opinion(
                    community=data["community"],
                    channel=data["channel"],
                    category=data["category"],
                    title=data["title"],
                    text=data["text"],
                    place=data["place"],
                    is_anonymous=data["is_anonymous"],
                    author_name=data["author_name"],
                    forum_attendance=data["forum_attendance"],
                    received_on=data["received_on"],
                    actor=request.user,
                )
            if not form.errors:
                messages.success(request, _("The opinion is in the ledger."))
                return HttpResponseRedirect(reverse("staff:opinion-detail", args=[opinion.pk]))
        return render(
            request, self.template_name, {"form": form, "title": _("Record an opinion")}, status=400
        )


class OpinionView(StaffView, View):
    permission_required = "governance.view_opinion"
    template_name = "staff/governance/opinion.html"

    def get_opinion(self, pk: int) -> Opinion:
        return get_object_or_404(
            Opinion.objects.visible_to(self.request.user).select_related(
                "community",
                "author",
                "owner_organization",
                "owner_grid",
                "owner_unit",
                "need",
                "matter",
            ),
            pk=pk,
        )

    def context(self, opinion: Opinion, **bound: Any) -> dict[str, Any]:
        visible = Opinion.objects.visible_to(self.request.user)
        services.label_authors([opinion], self.request.user)
        return {
            "opinion": opinion,
            "events": opinion.events.all(),
            "photos": opinion.photos.all(),
            "assign_form": bound.get("assign") or forms.AssignForm(opinion=opinion),
            "reply_form": bound.get("reply") or forms.ReplyForm(),
            "merge_form": bound.get("merge") or forms.MergeForm(opinion=opinion, visible=visible),
            "need_form": bound.get("need") or forms.NeedForm(opinion=opinion),
            "matters": Matter.objects.visible_to(self.request.user).filter(
                community_id=opinion.community_id
            ),
            "can_change": self.request.user.has_perm("governance.change_opinion"),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        opinion = self.get_opinion(pk)
        return render(request, self.template_name, self.context(opinion))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("governance.change_opinion"):
            return HttpResponse(status=403)
        opinion = self.get_opinion(pk)
        action = request.GET.get("action") or request.POST.get("action", "")
        user = request.user
        bound: dict[str, Any] = {}
        try:
            if action == "assign":
                form = bound["assign"] = forms.AssignForm(request.POST, opinion=opinion)
                if form.is_valid():
                    d = form.cleaned_data
                    with domain_errors_on(form):
                        services.assign_opinion(
                            opinion=opinion,
                            organization=d["organization"],
                            grid=d["grid"],
                            unit=d["unit"],
                            office=d["office"],
                            actor=user,
                        )
                        return self.done(pk, _("Assigned."))
            elif action == "start":
                services.start_opinion(opinion=opinion, actor=user)
                return self.done(pk, _("Taken in hand."))
            elif action == "close":
                services.close_opinion(opinion=opinion, actor=user)
                return self.done(pk, _("Closed."))
            elif action == "reply":
                form = bound["reply"] = forms.ReplyForm(request.POST)
                if form.is_valid():
                    with domain_errors_on(form):
                        services.reply_to_opinion(
                            opinion=opinion, reply=form.cleaned_data["reply"], actor=user
                        )
                        return self.done(pk, _("Replied; the resident is told."))
            elif action == "merge":
                form = bound["merge"] = forms.MergeForm(
                    request.POST, opinion=opinion, visible=Opinion.objects.visible_to(user)
                )
                if form.is_valid():
                    with domain_errors_on(form):
                        keep = services.merge_opinions(
                            duplicate=opinion, into=form.cleaned_data["into"], actor=user
                        )
                        messages.success(request, _("Merged; both residents are told."))
                        return HttpResponseRedirect(reverse("staff:opinion-detail", args=[keep.pk]))
            elif action == "need":
                form = bound["need"] = forms.NeedForm(request.POST, opinion=opinion)
                if form.is_valid():
                    with domain_errors_on(form):
                        services.raise_need_from_opinion(
                            opinion=opinion, committee=form.cleaned_data["committee"], actor=user
                        )
                        return self.done(pk, _("Put on the needs list."))
            elif action == "matter":
                matter = get_object_or_404(
                    Matter.objects.visible_to(user), pk=request.POST.get("matter") or 0
                )
                services.link_opinion_to_matter(opinion=opinion, matter=matter, actor=user)
                return self.done(pk, _("Linked to the matter."))
            else:
                messages.error(request, _("Unknown action."))
                return HttpResponseRedirect(reverse("staff:opinion-detail", args=[pk]))
        except DomainError as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(reverse("staff:opinion-detail", args=[pk]))
        opinion.refresh_from_db()
        return render(request, self.template_name, self.context(opinion, **bound), status=400)

    def done(self, pk: int, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(reverse("staff:opinion-detail", args=[pk]))


class MatterListView(StaffView, ListView):
    permission_required = "governance.view_matter"
    template_name = "staff/governance/matters.html"
    context_object_name = "matters"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Matter]:
        qs = Matter.objects.visible_to(self.request.user).select_related("community")
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(title__icontains=query)
        return qs.order_by("-created_at", "-pk")


class MatterCreateView(StaffView, View):
    permission_required = "governance.add_matter"
    template_name = "staff/governance/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.MatterForm(communities=communities_for(request.user))
        return render(request, self.template_name, {"form": form, "title": _("Open a matter")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.MatterForm(request.POST, communities=communities_for(request.user))
        if form.is_valid():
            with domain_errors_on(form):
                matter = matter_services.open_matter(actor=request.user, **form.cleaned_data)
                return HttpResponseRedirect(reverse("staff:matter-detail", args=[matter.pk]))
        return render(
            request, self.template_name, {"form": form, "title": _("Open a matter")}, status=400
        )


class MatterView(StaffView, View):
    permission_required = "governance.view_matter"
    template_name = "staff/governance/matter.html"

    def get_matter(self, pk: int) -> Matter:
        return get_object_or_404(
            Matter.objects.visible_to(self.request.user).select_related("community"), pk=pk
        )

    def meetings(self, matter: Matter) -> Any:
        from activities.models import Meeting, MeetingKind

        return Meeting.objects.filter(
            kind=MeetingKind.GENERAL_MEETING,
            status="held",
            organization__communities=matter.community_id,
        ).order_by("-starts_at")[:50]

    def context(self, matter: Matter, **bound: Any) -> dict[str, Any]:
        consultation = getattr(matter, "consultation", None)
        next_kind = matter_services.next_step_of(matter)
        step_form = bound.get("step") or forms.StepForm(
            meetings=self.meetings(matter),
            initial={"kind": next_kind, "held_on": timezone.localdate()},
        )
        return {
            "matter": matter,
            "steps": matter.steps.select_related("meeting", "publication"),
            "next_kind": StepKind(next_kind).label if next_kind else None,
            "step_form": step_form,
            "consultation": consultation,
            "summary": matter_services.consultation_summary(consultation) if consultation else None,
            "consultation_form": bound.get("consultation") or forms.ConsultationForm(),
            "offline_form": bound.get("offline") or forms.OfflineResponsesForm(),
            "can_change": self.request.user.has_perm("governance.change_matter"),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(self.get_matter(pk)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("governance.change_matter"):
            return HttpResponse(status=403)
        matter = self.get_matter(pk)
        action = request.GET.get("action", "step")
        bound: dict[str, Any] = {}
        if action == "consultation":
            form = bound["consultation"] = forms.ConsultationForm(request.POST)
            if form.is_valid():
                with domain_errors_on(form):
                    matter_services.open_consultation(
                        matter=matter, actor=request.user, **form.cleaned_data
                    )
                    return self.done(pk, _("The consultation is open."))
        elif action == "offline":
            form = bound["offline"] = forms.OfflineResponsesForm(request.POST)
            consultation = getattr(matter, "consultation", None)
            if form.is_valid() and consultation is not None:
                matter_services.record_offline_responses(
                    consultation=consultation, stances=form.cleaned_data, actor=request.user
                )
                return self.done(pk, _("Offline responses added."))
        else:
            form = bound["step"] = forms.StepForm(request.POST, meetings=self.meetings(matter))
            if form.is_valid():
                with domain_errors_on(form):
                    matter_services.record_step(
                        matter=matter, actor=request.user, **form.cleaned_data
                    )
                    return self.done(pk, _("Step recorded."))
        return render(request, self.template_name, self.context(matter, **bound), status=400)

    def done(self, pk: int, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return HttpResponseRedirect(reverse("staff:matter-detail", args=[pk]))


class NoticeView(StaffView, View):
    """The A4 notice of a publication, for the community's notice board."""

    permission_required = "governance.view_matter"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        publication = get_object_or_404(
            Publication.objects.visible_to(request.user).select_related("matter__community"),
            pk=pk,
        )
        community = publication.matter.community
        document = new_document(header=_("%(c)s · Public notice") % {"c": community.name})
        document.add_heading(publication.title, level=1)
        for line in publication.body.splitlines():
            document.add_paragraph(line)
        document.add_paragraph(
            _("Shown from %(a)s through %(b)s.")
            % {"a": publication.starts_on.isoformat(), "b": publication.ends_on.isoformat()}
        )
        document.add_paragraph(_("%(c)s residents' committee") % {"c": community.name})
        response = HttpResponse(
            document_bytes(document),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="notice-{publication.pk}.docx"'
        return response
