"""The workbench menu: its entries, and which of them a user may open.

Whether an entry is shown is asked of the page's own view (`allows(user)`, the test its
`dispatch` applies: accounts/access.py), so the menu never offers a page that answers 403 and
never hides one the user may open; there is no second list of permissions to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import resolve, reverse
from django.utils.functional import Promise
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


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections of the menu with the entries the user may open; empty sections left out."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    sections = []
    for title, entries in MENU:
        shown = []
        for entry in entries:
            url = reverse(entry.url_name)
            if may_open(request, url):
                shown.append(
                    {"label": entry.label, "url": url, "current": entry.is_current(view_name)}
                )
        if shown:
            sections.append({"title": title, "entries": shown})
    return sections
