"""The hall's display screen: opened by its secret link, no sign-in, no personal data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from charts.models import DisplayScreen
from charts.screen import cached_screen_figures
from charts.services import screen_for_token

# A screen says it is alive at most this often (one UPDATE a few minutes per TV).
SEEN_EVERY_SECONDS = 300


def _screen(token: str) -> DisplayScreen:
    screen = screen_for_token(token)
    if screen is None:
        raise Http404
    return screen


def _seen(screen: DisplayScreen) -> None:
    now = timezone.now()
    if (
        screen.last_seen_at is None
        or (now - screen.last_seen_at).total_seconds() > SEEN_EVERY_SECONDS
    ):
        DisplayScreen.objects.filter(pk=screen.pk).update(last_seen_at=now)


@require_GET
@never_cache
def screen_page(request: HttpRequest, token: str) -> HttpResponse:
    screen = _screen(token)
    response = render(
        request,
        "charts/screen.html",
        {
            "screen": screen,
            "data_url": reverse("public:charts-screen-data", args=[token]),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@never_cache
def screen_data(request: HttpRequest, token: str) -> JsonResponse:
    screen = _screen(token)
    _seen(screen)
    figures = cached_screen_figures(screen, timezone.now())
    response = JsonResponse({"name": screen.name, "place": screen.place, **figures})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
