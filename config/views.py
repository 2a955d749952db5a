"""Project-level pages: the resident home, the staff workbench home, the health check and the
API docs."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularSwaggerSplitView

from accounts.access import StaffView
from accounts.errors import SERVER_ERROR
from branches.models import Organization, OrganizationEvent, OrganizationKind
from branches.structure import facts_of, figures_for
from charts.reading import chart_links
from committees.models import CommitteeTerm
from config import pagecache
from config.schema import schema_is_open_to


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page links: the static file. Not a
    permanent redirect: the file's name changes with its content in production."""
    return redirect(static("favicon.ico"))


class HomeView(TemplateView):
    template_name = "public/home.html"


# The few charts of the home page (the charts page has them all).
DASHBOARD_CHARTS = ("compliance-trend", "meetings-by-month", "dues-collection")


class DashboardView(StaffView, TemplateView):
    """The workbench home: the user's scope at a glance. Later features add their panels."""

    permission_required = "branches.view_organization"
    template_name = "staff/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visible = Organization.objects.visible_to(self.request.user).active()
        today = timezone.localdate()
        kind_counts, problem_count = pagecache.cached(
            "dashboard", self.request.user, (today.isoformat(),), lambda: _summary(visible, today)
        )
        context["kind_counts"] = kind_counts
        context["problem_count"] = problem_count
        context["top_organizations"] = visible.select_related("sub_district").order_by("path")[:12]
        context["terms_ending"] = (
            CommitteeTerm.objects.current()
            .filter(
                organization__in=visible,
                planned_end_on__lte=today + dt.timedelta(days=90),
            )
            .select_related("organization")
            .order_by("planned_end_on")[:10]
        )
        context["today"] = today
        context["recent_events"] = (
            OrganizationEvent.objects.filter(organization__in=visible)
            .select_related("organization")
            .order_by("-occurred_on", "-id")[:8]
        )
        # Drawn in the browser from the charts' own scoped, cached JSON: no query here.
        context["charts"] = chart_links(DASHBOARD_CHARTS, today.year)
        context["roles"] = self.request.user.active_assignments  # read with the permissions
        return context


def _summary(visible: Any, today: dt.date) -> tuple[list[tuple[str, int]], int]:
    """Organisations by kind, and how many have structure problems (cached per scope and day)."""
    organizations = facts_of(visible.order_by("path"))
    counts = Counter(org.kind for org in organizations)  # the rows are read anyway
    kind_counts = [
        (str(label), counts[value])
        for value, label in OrganizationKind.choices
        if counts.get(value)
    ]
    figures = figures_for(organizations, today)
    return kind_counts, sum(1 for org in organizations if figures[org.pk].warnings)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    from config.celery import app

    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        os.makedirs(folder, exist_ok=True)
        return os.access(folder, os.W_OK)
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer, 503 otherwise (for load balancers)."""
    database = _database_ok()
    broker = _broker_ok()
    healthy = database and broker
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": "ok" if database else "unavailable",
            "broker": "ok" if broker else "unavailable",
        },
        status=200 if healthy else 503,
    )


#: What the API answers when Django itself refuses a request before any viewset runs (an unknown
#: address under /api/, a request it cannot parse): JSON like every other API error.
_API_ERRORS = {
    400: _("The request could not be understood."),
    403: _("You do not have permission to perform this action."),
    404: _("Not found."),
}


def _api_error(status: int) -> JsonResponse:
    return JsonResponse({"detail": str(_API_ERRORS[status])}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the error page in the site's layout, or JSON for the API."""
    if request.path.startswith("/api/"):
        return _api_error(400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: the error page in the site's layout, or JSON for the API."""
    if request.path.startswith("/api/"):
        return _api_error(403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the error page in the site's layout, or JSON for the API."""
    if request.path.startswith("/api/"):
        return _api_error(404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the error page in the user's language, or JSON for the API.

    What the request was writing was rolled back with its transaction (every write is one
    service in one `transaction.atomic()`), so the message can promise that nothing was saved.
    Rendered without context processors: the database may be what failed.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(SERVER_ERROR)}, status=500)
    try:
        body = loader.get_template("500.html").render({"message": SERVER_ERROR})
    except Exception:  # a broken template must not hide the error page itself
        body = str(SERVER_ERROR)
    return HttpResponseServerError(body)


class SchemaDocsView(SpectacularSwaggerSplitView):
    """The Swagger UI; a signed-out visitor is sent to sign in when the schema is not public."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not schema_is_open_to(getattr(request, "user", None)):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
