"""iCalendar feeds of planned meetings, per branch and per member, behind a secret link.

The link carries a signed token (django.core.signing, its own salt): whoever holds it can read
the feed without signing in (calendar apps cannot), and nobody can forge one for another branch.
Changing SECRET_KEY revokes every link.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event

from activities.models import Meeting, MeetingStatus
from branches.models import Organization
from members.models import Member

SALT = "activities.calendar"


def token_for(*, organization: Organization | None = None, member: Member | None = None) -> str:
    if organization is not None:
        return signing.dumps({"o": organization.pk}, salt=SALT, compress=True)
    if member is not None:
        return signing.dumps({"m": member.pk}, salt=SALT, compress=True)
    raise ValueError("a calendar is for an organisation or a member")


def read_token(token: str) -> dict[str, int]:
    """The token's content, or signing.BadSignature for a forged or damaged link."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not ({"o", "m"} & set(data)):
        raise signing.BadSignature("not a calendar token")
    return data


def meetings_for(data: dict[str, int]) -> tuple[str, list[Meeting]]:
    now = timezone.now()
    qs = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gte=now - dt.timedelta(days=30)
    ).select_related("organization")
    if "o" in data:
        organization = Organization.objects.get(pk=data["o"])
        qs = qs.filter(organization__path__startswith=organization.path)
        return organization.name, list(qs.order_by("starts_at")[:500])
    member = Member.objects.select_related("organization", "party_group").get(pk=data["m"])
    targets = [member.organization_id]
    if member.party_group_id:
        targets.append(member.party_group_id)
    qs = qs.filter(organization_id__in=targets)
    return member.full_name, list(qs.order_by("starts_at")[:500])


def ics(title: str, meetings: list[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//dangjian-portal//activities//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@activities.dangjian-portal")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2))
        event.add("summary", f"{meeting.kind_label}：{meeting.topic}")
        event.add("location", meeting.place)
        event.add("description", meeting.organization.name)
        calendar.add_component(event)
    return calendar.to_ical()
