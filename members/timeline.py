"""The member page's timeline: joined, stages, transfers, meetings attended, services (community
and volunteer), community registrations and record changes, by date.

Each source is one query (bounded by `limit`), so the page costs the same whatever the history.
Meetings (`activities/timeline.py`) and volunteer service (`volunteers/timeline.py`) come from the
apps above `members`, which register their sources in `members.extensions`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from members import extensions
from members.models import Member, MemberChange

FIELD_LABELS_CACHE: dict[str, str] = {}


@dataclass
class Event:
    on: dt.date
    kind: str
    title: str
    detail: str = ""
    actor: str = ""
    fields: list[str] = field(default_factory=list)


def _label(name: str) -> str:
    model_field = name[:-3] if name.endswith("_id") else name
    try:
        return str(Member._meta.get_field(model_field).verbose_name)
    except Exception:  # noqa: BLE001  (a field removed since the change was recorded)
        return model_field


def timeline_for(member: Member, *, limit: int = 200) -> list[Event]:
    events: list[Event] = []
    if member.joined_on:
        events.append(Event(member.joined_on, "joined", _("Joined the party")))
    if member.confirmed_on:
        events.append(Event(member.confirmed_on, "confirmed", _("Confirmed as full member")))
    for change in MemberChange.objects.filter(member=member).select_related("actor")[:limit]:
        events.append(
            Event(
                timezone.localtime(change.created_at).date(),
                "change",
                change.get_action_display(),
                change.summary,
                str(change.actor) if change.actor else "",
                [_label(name) for name in change.changes],
            )
        )
    for extra in _contributions(member):
        events.append(extra)
    sources = [*extensions.timeline_sources(), (40, _community)]
    for _position, source in sorted(sources, key=lambda pair: pair[0]):
        events.extend(source(member, limit))
    events.sort(key=lambda e: e.on, reverse=True)
    return events


def _contributions(member: Member) -> list[Event]:
    """Events of the other parts of the members app (transfers, stages, services)."""
    from members.models import Sanction, Transfer

    events = []
    for sanction in Sanction.objects.filter(member=member):
        detail = sanction.decided_by
        if sanction.ended_on:
            detail = _("%(body)s · until %(day)s") % {
                "body": sanction.decided_by,
                "day": sanction.ended_on.isoformat(),
            }
        events.append(
            Event(sanction.started_on, "sanction", str(sanction.get_kind_display()), detail)
        )
    for transfer in Transfer.objects.filter(member=member).select_related(
        "from_organization", "to_organization"
    ):
        source = transfer.from_organization or transfer.external_organization
        target = transfer.to_organization or transfer.external_organization
        events.append(
            Event(
                transfer.issued_on,
                "transfer",
                _("Transfer letter %(number)s") % {"number": transfer.number},
                f"{source} → {target} · {transfer.get_state_display()}",
            )
        )
    return events


def _community(member: Member, limit: int) -> list[Event]:
    """Community registrations and community services (with their review)."""
    from members.models import CommunityRegistration, CommunityService

    events = []
    for registration in (
        CommunityRegistration.objects.filter(member=member)
        .select_related("community")
        .order_by("-registered_on")[:limit]
    ):
        events.append(
            Event(
                registration.registered_on,
                "registration",
                _("Registered with %(community)s") % {"community": registration.community.name},
                registration.employer_name,
            )
        )
    for service in (
        CommunityService.objects.filter(member=member)
        .select_related("community")
        .order_by("-served_on")[:limit]
    ):
        events.append(
            Event(
                service.served_on,
                "service",
                _("Community service at %(community)s") % {"community": service.community.name},
                f"{service.description} · {service.hours} h · {service.get_status_display()}",
            )
        )
    return events
