"""The portal fields an upper system's template may ask for, per roster, and the transforms a
column may apply. A roster is read as values through the user's `visible_to` scope, one query,
with ID numbers and phones masked as everywhere else in the portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import (
    Category,
    CommunityRegistration,
    Education,
    Gender,
    Member,
    MembershipState,
    MemberStatus,
)
from members.rules import mask_phone
from volunteers.models import Volunteer


@dataclass(frozen=True)
class Field:
    label: Promise
    path: str  # the values() path
    code_table: str = ""  # the code table a "code" transform reads (education, ethnicity, …)
    choices: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Roster:
    label: Promise
    fields: dict[str, Field]
    rows: Callable[[Any, int], QuerySet]


def _members(user: Any, year: int) -> QuerySet:
    return (
        Member.objects.visible_to(user)
        .filter(state=MembershipState.ACTIVE)
        .order_by("organization__path", "full_name", "pk")
    )


def _volunteers(user: Any, year: int) -> QuerySet:
    tz = timezone.get_current_timezone()
    served = Q(
        enrollments__status="signed_up",
        enrollments__activity__status="scheduled",
        enrollments__activity__starts_at__gte=dt.datetime(year, 1, 1, tzinfo=tz),
        enrollments__activity__starts_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )
    return (
        Volunteer.objects.visible_to(user)
        .annotate(
            minutes=Sum(
                F("enrollments__credit_minutes") + F("enrollments__honour_minutes"), filter=served
            )
        )
        .order_by("full_name", "pk")
    )


def _registrations(user: Any, year: int) -> QuerySet:
    return (
        CommunityRegistration.objects.visible_to(user)
        .filter(ended_on__isnull=True)
        .order_by("community__name", "member__full_name", "pk")
    )


GENDERS = tuple(Gender.choices)
ROSTERS: dict[str, Roster] = {
    "members": Roster(
        _("Party members"),
        {
            "full_name": Field(_("Name"), "full_name"),
            "gender": Field(_("Gender"), "gender", "gender", GENDERS),
            "ethnicity": Field(_("Ethnicity"), "ethnicity", "ethnicity"),
            "birth_date": Field(_("Birth date"), "birth_date"),
            "education": Field(_("Education"), "education", "education", tuple(Education.choices)),
            "joined_on": Field(_("Joined the party on"), "joined_on"),
            "confirmed_on": Field(_("Confirmed as full member on"), "confirmed_on"),
            "status": Field(_("Status"), "status", "", tuple(MemberStatus.choices)),
            "category": Field(_("Category"), "category", "", tuple(Category.choices)),
            "branch": Field(_("Branch"), "organization__name"),
            "id_number": Field(_("ID number (masked)"), "id_number_masked"),
            "phone": Field(_("Mobile phone (masked)"), "phone"),
        },
        _members,
    ),
    "volunteers": Roster(
        _("Volunteers with hours"),
        {
            "full_name": Field(_("Name"), "full_name"),
            "gender": Field(_("Gender"), "gender", "gender", GENDERS),
            "birth_date": Field(_("Birth date"), "birth_date"),
            "community": Field(_("Community"), "community__name"),
            "registered_on": Field(_("Registered on"), "registered_on"),
            "hours": Field(_("Service hours in the year"), "minutes"),
            "phone": Field(_("Mobile phone (masked)"), "phone"),
        },
        _volunteers,
    ),
    "registrations": Roster(
        _("In-service members registered in communities"),
        {
            "full_name": Field(_("Name"), "member__full_name"),
            "gender": Field(_("Gender"), "member__gender", "gender", GENDERS),
            "branch": Field(_("Branch"), "member__organization__name"),
            "community": Field(_("Community"), "community__name"),
            "employer": Field(_("Employer"), "employer_name"),
            "registered_on": Field(_("Registered on"), "registered_on"),
            "phone": Field(_("Mobile phone (masked)"), "member__phone"),
        },
        _registrations,
    ),
}

TRANSFORMS: dict[str, Promise] = {
    "": _("As it is"),
    "date_iso": _("Date as YYYY-MM-DD"),
    "date_compact": _("Date as YYYYMMDD"),
    "label": _("Label in Chinese"),
    "code": _("Code from the code table"),
}


def cell_value(
    roster: str, field_key: str, transform: str, value: Any, codes: dict[tuple[str, str], str]
) -> Any:
    """One cell as the upper system wants it."""
    field = ROSTERS[roster].fields[field_key]
    if field_key == "phone":
        return mask_phone(value or "")
    if field_key == "hours":
        return round((value or 0) / 60, 1)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        if transform == "date_iso":
            return value.isoformat()
        if transform == "date_compact":
            return value.strftime("%Y%m%d")
        return value
    if transform == "code" and field.code_table:
        found = codes.get((field.code_table, str(value)))
        if found is not None:
            return found
        transform = "label"
    if transform == "label" and field.choices:
        return str(dict(field.choices).get(value, value))
    return value
