"""The workbench menu: its entries, and which of them a user may open.

Whether an entry is shown is asked of the page's own view (`allows(user)`, the test its
`dispatch` applies: accounts/access.py), so the menu never offers a page that answers 403 and
never hides one the user may open; there is no second list of permissions to keep in step.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    # Further pages (url names, or prefixes ending in "-") under which this entry is current.
    current_on: tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        """Whether the page `view_name` ("staff:member-detail") falls under this entry."""
        if view_name == self.url_name:
            return True
        namespace, _sep, name = view_name.rpartition(":")
        if namespace != self.url_name.rpartition(":")[0]:
            return False
        return any(
            name.startswith(prefix) if prefix.endswith(("-", "_")) else name == prefix
            for prefix in self.current_on
        )


# The organisation pages under "Organisations" (not "organization-tree": an entry of its own).
ORGANIZATION_ACTIONS = (
    "detail",
    "change-kind",
    "dissolve",
    "found",
    "merge",
    "move",
    "rename",
    "split",
)

MENU: tuple[tuple[str | Promise | None, tuple[Entry, ...]], ...] = (
    (None, (Entry(_("Home"), "staff:dashboard"),)),
    (
        _("Organisation"),
        (
            Entry(_("Organisation tree"), "staff:organization-tree"),
            Entry(
                _("Organisations"),
                "staff:organization-list",
                (
                    *(f"organization-{action}" for action in ORGANIZATION_ACTIONS),
                    "committee-",
                ),
            ),
            Entry(_("Structure health"), "staff:structure-health"),
            Entry(_("Regional committees"), "staff:regional-committee-list", ("regional-",)),
            Entry(_("Co-building units"), "staff:unit-list", ("unit-",)),
        ),
    ),
    (
        _("Regional work"),
        (
            Entry(
                _("Joint meetings"),
                "staff:joint-meeting-list",
                ("joint-meeting-", "joint-agenda-", "joint-topic-", "joint-resolution-"),
            ),
            Entry(_("Action items"), "staff:joint-action-list", ("joint-action-",)),
            Entry(_("Community action items"), "staff:joint-community-actions"),
            Entry(_("Needs list"), "staff:joint-need-list", ("joint-need-", "joint-lists-")),
            Entry(_("Resources list"), "staff:joint-resource-list", ("joint-resource-",)),
            Entry(_("Projects list"), "staff:joint-project-list", ("joint-project-",)),
        ),
    ),
    (
        _("Party members"),
        (
            Entry(_("Member roll"), "staff:member-list", ("member-",)),
            Entry(_("Transfers"), "staff:transfer-list", ("transfer-",)),
            Entry(_("Joining pipeline"), "staff:development-list", ("development-",)),
            Entry(_("Member accounts"), "staff:binding-list", ("binding-", "correction-")),
            Entry(
                _("In-service members in communities"),
                "staff:registration-list",
                ("registration-", "community-need-", "community-service-", "feedback-letter-"),
            ),
        ),
    ),
    (
        _("Party dues"),
        (
            Entry(
                _("Month register"),
                "staff:dues-register",
                ("dues-member", "dues-base", "dues-advance", "dues-voluntary", "dues-exception"),
            ),
            Entry(_("Dues arrears"), "staff:dues-arrears"),
            Entry(_("Bank statements"), "staff:dues-statements", ("dues-statement",)),
            Entry(_("Remittances upward"), "staff:dues-remittances"),
            Entry(_("Dues overview"), "staff:dues-overview"),
            Entry(_("Dues use ledger"), "staff:dues-ledger"),
            Entry(_("Dues disclosure"), "staff:dues-disclosure"),
        ),
    ),
    (
        _("Organisational life"),
        (
            Entry(_("Meetings"), "staff:meeting-list", ("meeting-",)),
            Entry(_("Elections"), "staff:election-list", ("election-",)),
            Entry(_("Compliance"), "staff:compliance"),
            Entry(_("Make-up study"), "staff:make-up-list", ("make-up-",)),
            Entry(_("Heart-to-heart talks"), "staff:talk-list", ("talk-",)),
            Entry(_("Democratic appraisal"), "staff:appraisal-list", ("appraisal-",)),
            Entry(
                _("Work targets"),
                "staff:assessment-plans",
                ("assessment-plan", "assessment-target", "assessment-report"),
            ),
            Entry(_("Weekly ranking"), "staff:assessment-ranking", ("assessment-ranking",)),
            Entry(
                _("Year-end assessment"),
                "staff:assessment-rounds",
                ("assessment-round", "assessment-branch"),
            ),
            Entry(
                _("Inspections"),
                "staff:assessment-inspections",
                ("assessment-inspection", "assessment-rectification"),
            ),
        ),
    ),
    (
        _("Grids and households"),
        (
            Entry(_("Grids"), "staff:grid-overview"),
            Entry(_("Missing daily reports"), "staff:grid-missing-reports"),
            Entry(_("Households"), "staff:grid-household-list", ("grid-household-",)),
            Entry(_("Disputes"), "staff:grid-dispute-list", ("grid-dispute-",)),
            Entry(_("Care visits"), "staff:grid-campaign-list", ("grid-campaign-",)),
        ),
    ),
    (
        _("Member points"),
        (
            Entry(
                _("Branches by stars"), "staff:points-overview", ("points-branch", "points-member")
            ),
            Entry(_("Awards and deductions"), "staff:points-award-list", ("points-award-",)),
            Entry(_("Points to approve"), "staff:points-approvals"),
            Entry(_("Point rules"), "staff:points-rules", ("points-rule-",)),
        ),
    ),
    (
        _("Volunteers"),
        (
            Entry(_("Volunteer teams"), "staff:volunteer-team-list", ("volunteer-team-",)),
            Entry(_("Volunteers"), "staff:volunteer-list", ("volunteer-detail",)),
            Entry(_("Good deeds"), "staff:good-deed-list"),
            Entry(_("Small wishes"), "staff:wish-board"),
            Entry(_("Rankings"), "staff:volunteer-rankings"),
        ),
    ),
    (
        _("Residents' voice"),
        (
            Entry(_("Opinions ledger"), "staff:opinion-ledger", ("opinion-",)),
            Entry(_("Community matters"), "staff:matter-list", ("matter-", "publication-")),
        ),
    ),
    (
        _("Community life"),
        (
            Entry(_("Seniors' college courses"), "staff:course-overview", ("course-",)),
            Entry(_("Award campaigns"), "staff:award-campaign-list", ("award-",)),
            Entry(_("Knowledge contests"), "staff:contest-list", ("contest-",)),
        ),
    ),
    (
        _("Service halls"),
        (
            Entry(
                _("Halls and calendars"),
                "staff:venues-hall-list",
                ("venues-hall-", "venues-room-", "venues-photo-", "venues-closed-period-"),
            ),
            Entry(_("Approval queue"), "staff:venues-approvals", ("venues-booking",)),
            Entry(_("Check-in"), "staff:venues-check-in"),
            Entry(_("No-shows"), "staff:venues-no-shows", ("venues-lift-suspension",)),
            Entry(_("Internal booking"), "staff:venues-internal-booking"),
            Entry(_("Block a room"), "staff:venues-block"),
            Entry(_("Utilisation"), "staff:venues-utilisation"),
            Entry(_("Booking policy"), "staff:venues-policy", ("venues-policy-of",)),
        ),
    ),
    (_("Reports"), (Entry(_("Quarterly reports"), "staff:report_list", ("report_",)),)),
    (
        _("Charts"),
        (
            Entry(_("Charts"), "staff:charts", ("chart-data", "chart-xlsx")),
            Entry(_("Display screens"), "staff:chart-screens", ("chart-screen-",)),
            Entry(
                _("Exports to upper systems"),
                "staff:export-template-list",
                ("export-template-",),
            ),
        ),
    ),
    (_("Security"), (Entry(_("Audit log"), "staff:audit-log"),)),
    (None, (Entry(_("Two-factor sign-in"), "accounts:two-factor-enrol"),)),
)


def may_open(request: HttpRequest, url: str) -> bool:
    """Whether the signed-in user may open the page at `url`, as its view decides.

    A view without an `allows` test (a page any signed-in person may open) is allowed.
    """
    match = resolve(url)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "allows"):
        return True
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return bool(view.allows(request.user))


def who(user: Any) -> tuple[Any, ...]:
    """What decides which pages a user may open: their permissions, roles and flags.

    An `allows(user)` test reads only these (the login, `uses_workbench`, the roles, `has_perms`),
    so two users with the same `who` see the same menu. A superuser holds every permission: the
    flag alone says so, without loading them."""
    if not user.is_authenticated:
        return ("anonymous",)
    if user.is_superuser:
        return ("superuser", user.is_active, ",".join(sorted(user.active_roles)))
    permissions = hashlib.blake2b(
        "\n".join(sorted(user.get_all_permissions())).encode(), digest_size=16
    ).hexdigest()
    roles = ",".join(sorted(user.active_roles))
    return (permissions, roles, user.is_active, user.is_staff)


# The entries each `who` may open, with their addresses: (title, ((entry, url), …)) per section.
# Worked out once per process for each permission set and URL configuration (a few tens of
# `resolve` calls and view instances: more than most pages' own content), then read from here.
_OPEN: dict[tuple[Any, ...], tuple[tuple[Any, tuple[tuple[Entry, str], ...]], ...]] = {}
_OPEN_LIMIT = 512  # permission sets are few (one per role mix); a bound all the same


def _key(request: HttpRequest) -> tuple[Any, ...]:
    return (who(request.user), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def _open_sections(request: HttpRequest) -> tuple[tuple[Any, tuple[tuple[Entry, str], ...]], ...]:
    key = _key(request)
    found = _OPEN.get(key)
    if found is None:
        sections = []
        for title, entries in MENU:
            shown = []
            for entry in entries:
                url = reverse(entry.url_name)
                if may_open(request, url):
                    shown.append((entry, url))
            if shown:
                sections.append((title, tuple(shown)))
        found = tuple(sections)
        if len(_OPEN) >= _OPEN_LIMIT:
            _OPEN.clear()
        _OPEN[key] = found
    return found


def clear() -> None:
    """Forget the worked-out menus (a view's `allows` or the URLs changed: tests)."""
    _OPEN.clear()
    _MARKUP.clear()


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


SIDEBAR_START = '\n    <ul class="nav flex-column" data-testid="staff-menu">\n      '
SIDEBAR_END = "\n    </ul>\n"
SECTION = '\n      <li class="nav-section">{}</li>'
ITEM = '\n      <li class="nav-item"><a class="nav-link" href="{}">{}</a></li>'
CURRENT_ITEM = (
    '\n      <li class="nav-item">'
    '<a class="nav-link active" href="{}" aria-current="page">{}</a></li>'
)

# The sidebar's markup per permission set, URL configuration and language: each section title
# once, each entry twice (as it reads when it is the current page and when not), escaped and
# translated once. A request joins the pieces, picking the current form for its page's entry:
# rendering ~50 translated links through a template was ~7 % of an uncached staff page.
_MARKUP: dict[tuple[Any, ...], tuple[tuple[Entry | None, str, str], ...]] = {}


def sidebar(request: HttpRequest) -> SafeString:
    """The workbench menu as markup (`<ul data-testid="staff-menu">`), the current entry marked
    (`active`, `aria-current`). No query and no view is asked once the user's permission set
    has been seen by this process."""
    key = (_key(request), get_language())
    pieces = _MARKUP.get(key)
    if pieces is None:
        built: list[tuple[Entry | None, str, str]] = []
        for title, entries in _open_sections(request):
            if title:
                heading = format_html(SECTION, title)
                built.append((None, heading, heading))
            for entry, url in entries:
                built.append(
                    (
                        entry,
                        format_html(ITEM, url, entry.label),
                        format_html(CURRENT_ITEM, url, entry.label),
                    )
                )
        pieces = tuple(built)
        if len(_MARKUP) >= _OPEN_LIMIT:
            _MARKUP.clear()
        _MARKUP[key] = pieces
    view_name = _view_name(request)
    body = "".join(
        current if entry is not None and entry.is_current(view_name) else plain
        for entry, plain, current in pieces
    )
    return mark_safe(SIDEBAR_START + body + SIDEBAR_END)  # noqa: S308 (built by format_html)


def home_url(request: HttpRequest) -> str:
    """The user's first menu entry ("" when none)."""
    for _title, entries in _open_sections(request):
        for _entry, url in entries:
            return url
    return ""
