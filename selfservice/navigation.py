"""The tabs of the member's pages, one list. A feature that adds a member page (dues, points, the
appraisal ballot) adds one `Tab` here, in the order members read them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tab:
    url_name: str
    label: Promise
    also_active_on: tuple[str, ...] = ()


TABS: list[Tab] = [
    Tab("public:me", _("My branch")),
    Tab(
        "public:me-meetings",
        _("My organisational life"),
        ("public:me-meeting", "public:me-make-up", "public:me-leave", "public:me-check-in"),
    ),
    Tab("public:me-service", _("My community service"), ("public:me-service-report",)),
    Tab("public:me-appraisals", _("My appraisal"), ("public:me-appraisal",)),
    Tab("public:me-dues", _("My dues")),
    Tab("public:me-points", _("My points")),
    Tab("public:me-record", _("My information")),
]
