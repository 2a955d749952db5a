"""The registry of point sources: each kind of record the ledger is derived from.

A source kind is one set-based query. Given the members being recomputed (the temporary table
`points_scope`: member, branch, sub-district) and the period, it yields rows of

    (member_id, event, source_kind, source_id, link_pk, day, quantity, pre_approved, title)

`event` picks the rule, `source_id` identifies the record (with the member and the rule it is
the ledger's key), `day` the day it counts for, `quantity` what the rule's points multiply,
`pre_approved` says the record carries its own approval (a manual award), `title` what the
ledger shows of the record and `link_pk` the row whose page shows it.

Every source that exists today is registered here; an app added above (dues, appraisal) adds
its own kind with `register` from its AppConfig.ready() and nothing else changes: the
recomputation unions whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activities.models import Attendance, MakeUpTask, Meeting
from dues.models import DuesBill
from members.models import CommunityService, Member
from points import dialect
from volunteers.models import Enrollment, GoodDeed, ServiceActivity, Volunteer, Wish

# A source may read the temporary table `points_scope` and the years of the recomputation from
# `points_years (year)`; it writes its SQL for both databases through `points.dialect`.
# Parameters every source may use: %(first)s, %(last)s (dates, inclusive), %(first_at)s,
# %(after_at)s (the same days as aware datetimes, end exclusive), %(today)s, %(tz)s,
# %(first_year)s, %(last_year)s.


@dataclass(frozen=True)
class SourceKind:
    key: str
    label: str | Promise
    sql: Callable[[], str]
    url_name: str | None = None
    # Whether the link takes the record's key (a detail page) or none (a list page).
    url_takes_pk: bool = True

    def link(self, link_pk: int) -> str | None:
        if self.url_name is None:
            return None
        try:
            return reverse(self.url_name, args=[link_pk] if self.url_takes_pk else [])
        except NoReverseMatch:
            return None


_registry: dict[str, SourceKind] = {}


def register(source: SourceKind) -> None:
    _registry[source.key] = source


def registered() -> list[SourceKind]:
    return list(_registry.values())


def source(key: str) -> SourceKind | None:
    return _registry.get(key)


def _attendance() -> str:
    # The meeting is the record (the member is part of the key): a re-recorded meeting writes new
    # attendance rows, yet only the members whose status changed get new entries.
    return f"""
        SELECT a.member_id, 'attendance.' || m.kind || '.' || a.status, 'attendance', m.id, m.id,
               m.held_on, CAST(1 AS numeric), false, substr(m.topic, 1, 200)
        FROM {Attendance._meta.db_table} a
        JOIN points_scope s ON s.member_id = a.member_id
        JOIN {Meeting._meta.db_table} m ON m.id = a.meeting_id
        WHERE m.status = 'held' AND m.held_on BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _make_up() -> str:
    # Done by the day it was due: done, on the day it was done. Not done by then (done late, or
    # still open once the day has passed): overdue, on the day it was due.
    done = "(t.done_on IS NOT NULL AND t.done_on <= t.due_on)"
    return f"""
        SELECT t.member_id,
               CASE WHEN {done} THEN 'make_up_done' ELSE 'make_up_overdue' END,
               'make_up', t.meeting_id, t.meeting_id,
               CASE WHEN {done} THEN t.done_on ELSE t.due_on END,
               CAST(1 AS numeric), false, substr(m.topic, 1, 200)
        FROM {MakeUpTask._meta.db_table} t
        JOIN points_scope s ON s.member_id = t.member_id
        JOIN {Meeting._meta.db_table} m ON m.id = t.meeting_id
        WHERE ({done} OR t.due_on < %(today)s)
          AND CASE WHEN {done} THEN t.done_on ELSE t.due_on END BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _volunteer_hours() -> str:
    # Credit hours only (sign-in to sign-out); honour hours added afterwards do not earn points.
    return f"""
        SELECT v.member_id, 'volunteer_hours', 'volunteer', e.id, act.id,
               {dialect.local_date("act.starts_at")},
               round(e.credit_minutes / 60.0, 2), false, substr(act.title, 1, 200)
        FROM {Enrollment._meta.db_table} e
        JOIN {Volunteer._meta.db_table} v ON v.id = e.volunteer_id
        JOIN points_scope s ON s.member_id = v.member_id
        JOIN {ServiceActivity._meta.db_table} act ON act.id = e.activity_id
        WHERE e.credit_minutes > 0 AND e.status = 'signed_up'
          AND act.starts_at >= %(first_at)s AND act.starts_at < %(after_at)s
    """  # noqa: S608 - table names from the models, values are parameters


def _community_service() -> str:
    return f"""
        SELECT c.member_id, 'community_service', 'community_service', c.id, c.id, c.served_on,
               CAST(1 AS numeric), false, substr(c.description, 1, 200)
        FROM {CommunityService._meta.db_table} c
        JOIN points_scope s ON s.member_id = c.member_id
        WHERE c.status = 'approved' AND c.served_on BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _wish() -> str:
    # A wish claimed by one volunteer who is a member; a team's claim names no one person.
    return f"""
        SELECT v.member_id, 'wish_fulfilled', 'wish', w.id, w.id,
               {dialect.local_date("w.confirmed_at")}, CAST(1 AS numeric), false,
               substr(w.title, 1, 200)
        FROM {Wish._meta.db_table} w
        JOIN {Volunteer._meta.db_table} v ON v.id = w.claimed_by_volunteer_id
        JOIN points_scope s ON s.member_id = v.member_id
        WHERE w.status = 'confirmed'
          AND w.confirmed_at >= %(first_at)s AND w.confirmed_at < %(after_at)s
    """  # noqa: S608 - table names from the models, values are parameters


def _good_deed() -> str:
    through = GoodDeed.volunteers.through._meta.db_table
    return f"""
        SELECT v.member_id, 'good_deed', 'good_deed', g.id, g.id, g.done_on,
               CAST(1 AS numeric), false,
               substr(g.beneficiary || ': ' || g.description, 1, 200)
        FROM {GoodDeed._meta.db_table} g
        JOIN {through} gv ON gv.gooddeed_id = g.id
        JOIN {Volunteer._meta.db_table} v ON v.id = gv.volunteer_id
        JOIN points_scope s ON s.member_id = v.member_id
        WHERE g.done_on BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _dues() -> str:
    # A month's bill paid by the month's last day (or in advance): on time, counted on the month's
    # first day. Paid three months or more after the month began, or unpaid once three months
    # have passed: three months late, counted on the day it became so. Paid in between: neither.
    late_on = dialect.add_months("b.month", 3)
    on_time = f"(b.paid_on IS NOT NULL AND b.paid_on < {dialect.add_months('b.month', 1)})"
    late = f"((b.paid_on IS NULL AND {late_on} <= %(today)s) OR b.paid_on >= {late_on})"
    return f"""
        SELECT b.member_id,
               CASE WHEN {on_time} THEN 'dues_on_time' ELSE 'dues_three_months_late' END,
               'dues', b.id, b.member_id,
               CASE WHEN {on_time} THEN b.month ELSE {late_on} END,
               CAST(1 AS numeric), false, {dialect.year_month("b.month")}
        FROM {DuesBill._meta.db_table} b
        JOIN points_scope s ON s.member_id = b.member_id
        WHERE ({on_time} OR {late})
          AND CASE WHEN {on_time} THEN b.month ELSE {late_on} END BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _manual() -> str:
    from points.models import ManualAward

    return f"""
        SELECT a.member_id,
               CASE WHEN a.points > 0 THEN 'manual_award' ELSE 'manual_deduction' END,
               'manual', a.id, a.id, a.day, abs(a.points), true, substr(a.reason, 1, 200)
        FROM {ManualAward._meta.db_table} a
        JOIN points_scope s ON s.member_id = a.member_id
        WHERE a.status = 'approved' AND a.day BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _appraisal() -> str:
    # The grade the general meeting decided, on the day it decided; the record is the
    # participant row (one per member and campaign).
    from appraisal.models import Campaign, Participant

    return f"""
        SELECT p.member_id, 'appraisal.' || p.final_grade, 'appraisal', p.id, c.id,
               c.decided_on, CAST(1 AS numeric), false, CAST(c.year AS text)
        FROM {Participant._meta.db_table} p
        JOIN points_scope s ON s.member_id = p.member_id
        JOIN {Campaign._meta.db_table} c ON c.id = p.campaign_id
        WHERE p.final_grade <> '' AND c.decided_on BETWEEN %(first)s AND %(last)s
    """  # noqa: S608 - table names from the models, values are parameters


def _base() -> str:
    # The yearly base of every member on the roll some day of the year; the record is the year.
    return f"""
        SELECT s.member_id, 'base', 'base', y.year, s.member_id,
               {dialect.greatest(dialect.new_year("y.year"), "m.roll_from")},
               CAST(1 AS numeric), false, CAST(y.year AS text)
        FROM points_scope s
        JOIN {Member._meta.db_table} m ON m.id = s.member_id
        CROSS JOIN points_years y
        WHERE m.roll_from IS NOT NULL
          AND m.roll_from <= {dialect.new_years_eve("y.year")}
          AND m.roll_until > {dialect.new_year("y.year")}
    """  # noqa: S608 - table names from the models, values are parameters


for _source in (
    SourceKind("base", _("Yearly base"), _base, "staff:member-detail"),
    SourceKind("attendance", _("Meeting attendance"), _attendance, "staff:meeting-detail"),
    SourceKind("make_up", _("Make-up study"), _make_up, "staff:meeting-detail"),
    SourceKind("volunteer", _("Volunteer service"), _volunteer_hours, "public:volunteer-activity"),
    SourceKind(
        "community_service",
        _("In-service community service"),
        _community_service,
        "staff:community-service-list",
        url_takes_pk=False,
    ),
    SourceKind("wish", _("Small wish"), _wish, "staff:wish-board", url_takes_pk=False),
    SourceKind("good_deed", _("Good deed"), _good_deed, "staff:good-deed-list", url_takes_pk=False),
    SourceKind("dues", _("Membership dues"), _dues, "staff:dues-member"),
    SourceKind("manual", _("Manual award"), _manual, "staff:points-award-list", url_takes_pk=False),
    SourceKind("appraisal", _("Democratic appraisal"), _appraisal, "staff:appraisal-detail"),
):
    register(_source)
