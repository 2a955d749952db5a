"""Resident pages (phone-first): submit an opinion, my opinions, follow one, rate the reply,
answer a consultation; and the community's public disclosure page (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from branches.models import Community
from governance import disclosure, forms
from governance.models import (
    Channel,
    Consultation,
    Opinion,
    OpinionPhoto,
    OpinionState,
    Publication,
)
from governance.rules import mask_personal
from governance.services import matters as matter_services
from governance.services import opinions as services
from venues.photos import process_photo


class MyOpinionsView(LoginRequiredMixin, TemplateView):
    template_name = "public/governance/my_opinions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["opinions"] = (
            Opinion.objects.of_author(self.request.user)
            .select_related("community", "merged_into")
            .order_by("-received_on", "-pk")[:100]
        )
        return context


class SubmitOpinionView(LoginRequiredMixin, View):
    template_name = "public/governance/submit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.ResidentOpinionForm()
        profile = getattr(request.user, "resident_profile", None)
        if profile is not None and profile.community_id:
            form.fields["community"].initial = profile.community_id
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.ResidentOpinionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            with domain_errors_on(form, fields={"file": "photos"}):
                if len(data["photos"]) > services.MAX_PHOTOS:
                    raise services.LedgerRuleBroken(
                        _("At most %(n)d photos per opinion.") % {"n": services.MAX_PHOTOS},
                        field="photos",
                    )
                photos = [process_photo(f).image for f in data["photos"]]
                opinion = services.receive_opinion(
                    community=data["community"],
                    channel=Channel.ONLINE,
                    category=data["category"],
                    title=data["title"],
                    text=data["text"],
                    place=data["place"],
                    is_anonymous=data["is_anonymous"],
                    author=request.user,
                    photos=photos,
                    actor=request.user,
                )
            if not form.errors:
                messages.success(
                    request,
                    _("Thank you. Your opinion is in the ledger; a reply is due by %(day)s.")
                    % {"day": opinion.deadline.isoformat()},
                )
                return HttpResponseRedirect(reverse("public:opinion-detail", args=[opinion.pk]))
        return render(request, self.template_name, {"form": form}, status=400)


def _followed(user: Any) -> Any:
    """The opinions a resident follows: their own (a merged one leads to the one that stays)."""
    return Opinion.objects.followed_by(user)


class OpinionDetailView(LoginRequiredMixin, View):
    template_name = "public/governance/opinion.html"

    def context(self, opinion: Opinion, rate_form: Any = None) -> dict[str, Any]:
        return {
            "opinion": opinion,
            "events": opinion.events.all(),
            "photos": opinion.photos.all(),
            "mine": opinion.author_id == self.request.user.pk,
            "rate_form": rate_form or forms.RateForm(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        opinion = get_object_or_404(_followed(request.user).select_related("community"), pk=pk)
        return render(request, self.template_name, self.context(opinion))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        opinion = get_object_or_404(Opinion.objects.of_author(request.user), pk=pk)
        form = forms.RateForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                services.rate_reply(
                    opinion=opinion,
                    resident=request.user,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            if not form.errors:
                messages.success(request, _("Thank you for rating the reply."))
                return HttpResponseRedirect(reverse("public:opinion-detail", args=[pk]))
        opinion.refresh_from_db()
        return render(request, self.template_name, self.context(opinion, form), status=400)


class OpinionPhotoView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        photo = get_object_or_404(OpinionPhoto, pk=pk, opinion__in=_followed(request.user))
        return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


class ConsultationView(LoginRequiredMixin, View):
    template_name = "public/governance/consultation.html"

    def get_consultation(self, pk: int) -> Consultation:
        return get_object_or_404(
            Consultation.objects.select_related("matter", "matter__community"), pk=pk
        )

    def render_page(
        self, request: HttpRequest, consultation: Consultation, form: Any, status: int = 200
    ) -> HttpResponse:
        today = timezone.localdate()
        answered = consultation.responses.filter(resident=request.user).first()
        return render(
            request,
            self.template_name,
            {
                "consultation": consultation,
                "form": form,
                "answered": answered,
                "open": consultation.opens_on <= today <= consultation.closes_on,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_consultation(pk), forms.RespondForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        consultation = self.get_consultation(pk)
        form = forms.RespondForm(request.POST)
        if form.is_valid():
            try:
                matter_services.respond_online(
                    consultation=consultation,
                    resident=request.user,
                    stance=form.cleaned_data["stance"],
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as refused:
                messages.error(request, refused.message)
                return self.render_page(request, consultation, form, status=400)
            messages.success(request, _("Thank you; your view is recorded."))
            return HttpResponseRedirect(reverse("public:consultation", args=[pk]))
        return self.render_page(request, consultation, form, status=400)


class DisclosureIndexView(ListView):
    """Every community's public page, by sub-district: how a visitor without an account finds
    the page of their community (search by name; paginated)."""

    template_name = "public/governance/disclosure_index.html"
    context_object_name = "communities"
    paginate_by = 100

    def get_queryset(self) -> Any:
        qs = Community.objects.select_related("sub_district")
        query = self.request.GET.get("q", "").strip()[:50]
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(sub_district__name__icontains=query))
        return qs.order_by("sub_district__name", "sub_district_id", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "").strip()[:50]
        return context


class DisclosureView(TemplateView):
    """党务公开 / 居务公开: one community's public page, published from the records."""

    template_name = "public/governance/disclosure.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from activities.models import Meeting, MeetingKind
        from config.periods import period_containing

        context = super().get_context_data(**kwargs)
        community = get_object_or_404(Community, pk=kwargs["pk"])
        today = timezone.localdate()
        month = period_containing(today, "month")
        context["community"] = community
        publications = list(
            Publication.objects.shown_on(today)
            .filter(matter__community=community)
            .select_related("matter", "step")
        )
        for publication in publications:
            publication.title = mask_personal(publication.title)
            publication.body = mask_personal(publication.body)
        context["publications"] = publications
        context["consultations"] = Consultation.objects.filter(
            matter__community=community, opens_on__lte=today, closes_on__gte=today
        )
        context["theme_days"] = (
            Meeting.objects.filter(
                kind=MeetingKind.THEME_DAY,
                organization__communities=community,
                starts_at__date__gte=month.start,
                starts_at__date__lte=month.end,
            )
            .exclude(status="cancelled")
            .order_by("starts_at")
            .values("topic", "starts_at")
        )
        context["milestones"] = _milestones(community, today.year)
        context["opinions"] = Opinion.objects.filter(
            community=community, received_on__year=today.year
        ).aggregate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=OpinionState.CLOSED)),
        )
        context["volunteer_activities"] = _volunteer_activities(community, today)
        context["dues_totals"] = disclosure.dues_totals(community, today)
        context["admission_notices"] = disclosure.admission_notices(community, today)
        return context


MILESTONES = ("applied_on", "activist_on", "candidate_on", "approved_on", "confirmed_on")


def _milestones(community: Community, year: int) -> list[dict[str, Any]]:
    """Counts of the year's development milestones in the community's branches; no names."""
    from members.models import Development

    counts = Development.objects.filter(organization__communities=community).aggregate(
        **{name: Count("pk", filter=Q(**{f"{name}__year": year})) for name in MILESTONES}
    )
    return [
        {"label": Development._meta.get_field(name).verbose_name, "count": counts[name] or 0}
        for name in MILESTONES
    ]


def _volunteer_activities(community: Community, today: Any) -> Any:
    from volunteers.models import ServiceActivity

    return (
        ServiceActivity.objects.filter(
            team__community=community, status="scheduled", starts_at__date__gte=today
        )
        .order_by("starts_at")
        .values("pk", "title", "starts_at")[:10]
    )
