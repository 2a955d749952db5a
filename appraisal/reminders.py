"""Reminders of the appraisal ballot to each member who votes (党员端): once when online voting
opens, and once the day before it closes to those who have not voted yet. By the member's own
channels (`activities.member_reminders.send_to_members`: SMS to the phone the branch holds,
email to the bound account, each unless turned off).

Found by a daily scan. Each notice is claimed by a `VoterReminder` row, written in the same
transaction as the messages under a lock on the campaign row, so two scans send it once. A
campaign whose paper ballots are counted has closed online voting (ADR 0009) and reminds no one.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.member_reminders import send_to_members
from appraisal.models import Campaign, Participant, Turnout, VoterReminder, VoterReminderKind


def remind_voters(*, today: dt.date | None = None) -> int:
    """Send the day's ballot notices; return the number of messages queued."""
    today = today or timezone.localdate()
    sent = 0
    open_now = Campaign.objects.filter(
        opens_on__lte=today,
        closes_on__gte=today,
        paper_ballots__isnull=True,
        decided_on__isnull=True,
    ).select_related("organization")
    for campaign in open_now:
        sent += _notify(campaign, VoterReminderKind.OPENED)
        if campaign.closes_on - today <= dt.timedelta(days=1):
            sent += _notify(campaign, VoterReminderKind.CLOSING)
    return sent


def _notify(campaign: Campaign, kind: str) -> int:
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        voters = Participant.objects.filter(campaign=campaign, can_vote=True).exclude(
            member_id__in=Turnout.objects.filter(campaign=campaign).values("voter_id")
        )
        due = list(
            voters.exclude(
                member_id__in=VoterReminder.objects.filter(campaign=campaign, kind=kind).values(
                    "member_id"
                )
            ).values_list("member_id", flat=True)
        )
        if not due:
            return 0
        VoterReminder.objects.bulk_create(
            VoterReminder(campaign=campaign, member_id=member_id, kind=kind) for member_id in due
        )
        with translation.override("zh-hans"):
            figures = {
                "branch": campaign.organization.name,
                "year": campaign.year,
                "closes": campaign.closes_on.isoformat(),
            }
            if kind == VoterReminderKind.OPENED:
                subject = _("Democratic appraisal: voting is open")
                body = (
                    _(
                        "%(branch)s's democratic appraisal of %(year)d is open until %(closes)s: "
                        "write your self-assessment and cast your secret ballot under 我的评议."
                    )
                    % figures
                )
            else:
                subject = _("Democratic appraisal: voting closes tomorrow")
                body = (
                    _(
                        "You have not yet voted in %(branch)s's democratic appraisal of %(year)d; "
                        "online voting closes on %(closes)s (我的评议)."
                    )
                    % figures
                )
        return send_to_members({member_id: (subject, body) for member_id in due})
