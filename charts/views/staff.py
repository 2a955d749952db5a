"""The charts of the workbench: the page, each chart's JSON and XLSX, and the display screens'
links (made and revoked by sub-district staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.access import StaffView
from accounts.errors import DomainError
from accounts.service_form import domain_errors_on
from branches.models import Community, SubDistrict
from charts import figures as chart_figures
from charts.exporters import chart_xlsx
from charts.figures import CHARTS
from charts.models import DisplayScreen
from charts.reading import (
    FIRST_YEAR,
    VIEW_PERMISSION,
    chart_figures_for,
    chart_links,
    chosen_year,
)
from charts.scope import ChartScope
from charts.services import create_screen, revoke_screen
from config import pagecache


class ChartsView(StaffView, TemplateView):
    """The charts of the user's scope for a chosen year; each chart reads its own JSON."""

    permission_required = VIEW_PERMISSION
    template_name = "staff/charts/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_of = chosen_year(self.request)
        today = timezone.localdate()
        context["as_of"] = as_of
        context["years"] = list(range(today.year, max(FIRST_YEAR, today.year - 9) - 1, -1))
        context["charts"] = chart_links(CHARTS, as_of.year)
        context["due"] = pagecache.cached(
            "chart-due",
            self.request.user,
            (today.isoformat(),),
            lambda: [
                {**row, "organization": row["organization"].name}
                for row in chart_figures.what_is_due(ChartScope.of_user(self.request.user), today)
            ],
        )
        context["today"] = today
        return context


class ChartDataView(StaffView, View):
    permission_required = VIEW_PERMISSION

    def get(self, request: HttpRequest, key: str) -> JsonResponse:
        figures = chart_figures_for(request.user, key, chosen_year(request))
        response = JsonResponse(figures)
        response["Cache-Control"] = "private, max-age=60"
        return response


class ChartXlsxView(StaffView, View):
    permission_required = VIEW_PERMISSION

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        as_of = chosen_year(request)
        figures = chart_figures_for(request.user, key, as_of)
        body = chart_xlsx(figures, f"{as_of.year} · {as_of.day.isoformat()}")
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="chart-{key}-{as_of.year}.xlsx"'
        return response


class ScreenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    sub_district = forms.ModelChoiceField(
        label=gettext_lazy("Sub-district"), queryset=SubDistrict.objects.none()
    )
    community = forms.ModelChoiceField(
        label=gettext_lazy("Community"),
        queryset=Community.objects.none(),
        required=False,
        help_text=gettext_lazy("Empty: the whole sub-district."),
    )
    refresh_seconds = forms.IntegerField(
        label=gettext_lazy("Refresh every (seconds)"), min_value=15, max_value=3600, initial=60
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sub_districts = SubDistrict.objects.visible_to(user)
        self.fields["sub_district"].queryset = sub_districts
        self.fields["community"].queryset = Community.objects.filter(
            sub_district__in=sub_districts
        ).order_by("sub_district", "name")


class ScreenListView(StaffView, TemplateView):
    """The sub-district's display screens; a new link is shown once, here, after it is made."""

    permission_required = "charts.view_displayscreen"
    template_name = "staff/charts/screens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["screens"] = (
            DisplayScreen.objects.visible_to(self.request.user)
            .select_related("sub_district", "community", "created_by")
            .order_by("revoked_at", "sub_district", "name")
        )
        context.setdefault("form", ScreenForm(user=self.request.user))
        context["may_add"] = self.request.user.has_perm("charts.add_displayscreen")
        new_link = self.request.session.pop("charts_new_screen_link", None)
        context["new_link"] = new_link
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("charts.add_displayscreen"):
            raise Http404
        form = ScreenForm(request.POST, user=request.user)
        if form.is_valid():
            with domain_errors_on(form):
                screen, token = create_screen(
                    name=form.cleaned_data["name"],
                    sub_district=form.cleaned_data["sub_district"],
                    community=form.cleaned_data["community"],
                    refresh_seconds=form.cleaned_data["refresh_seconds"],
                    actor=request.user,
                )
            if not form.errors:
                link = request.build_absolute_uri(reverse("public:charts-screen", args=[token]))
                request.session["charts_new_screen_link"] = {"name": screen.name, "url": link}
                messages.success(request, _("The screen's link is made. Copy it now."))
                return redirect("staff:chart-screens")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ScreenRevokeView(StaffView, View):
    permission_required = "charts.change_displayscreen"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        screen = get_object_or_404(DisplayScreen.objects.visible_to(request.user), pk=pk)
        try:
            revoke_screen(screen=screen, actor=request.user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The link of %(name)s no longer opens.") % {"name": screen})
        return redirect("staff:chart-screens")
