"""`manage.py verify_minutes [--meeting ID | --branch ID | all] [--files]`: recompute the hash
chain of sealed minutes and name the first broken link of each meeting that fails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from activities.minutes.services import record_verification
from activities.minutes.verification import verify_all
from activities.models import Meeting
from branches.models import Organization


class Command(BaseCommand):
    help = (
        "Verify sealed minutes: recompute each meeting's chain of revisions and compare the "
        "last one with the record in the database. Exits with status 1 when any link is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scope", nargs="?", choices=["all"], help="every meeting")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--meeting", type=int, help="one meeting, by id")
        group.add_argument(
            "--branch", type=int, help="a branch (or any organisation) and the ones under it"
        )
        parser.add_argument(
            "--files", action="store_true", help="also read each attachment's file again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        chosen = [options["scope"], options["meeting"], options["branch"]]
        if sum(value is not None for value in chosen) != 1:
            raise CommandError("Give exactly one of: all, --meeting ID, --branch ID.")
        meetings = Meeting.objects.all()
        if options["meeting"] is not None:
            meetings = meetings.filter(pk=options["meeting"])
            if not meetings.exists():
                raise CommandError(f"No meeting {options['meeting']}.")
        elif options["branch"] is not None:
            organization = Organization.objects.filter(pk=options["branch"]).first()
            if organization is None:
                raise CommandError(f"No organisation {options['branch']}.")
            meetings = meetings.filter(organization__path__startswith=organization.path)
        counts = {"verified": 0, "broken": 0, "unsealed": 0}
        for meeting, result in verify_all(meetings, files=options["files"]):
            counts[result.state] += 1
            if result.ok is False:
                record_verification(meeting=meeting, result=result, actor=None)
                self.stdout.write(
                    f"BROKEN meeting {meeting.pk} ({meeting.held_on or '—'} {meeting.topic}): "
                    f"link {result.link}: {result.problem}"
                )
            elif options["meeting"] is not None:
                self.stdout.write(
                    f"{result.state} meeting {meeting.pk}: {result.links} link(s), "
                    f"head {result.head or '—'}"
                )
        total = sum(counts.values())
        self.stdout.write(
            f"checked {total}: {counts['verified']} verified, "
            f"{counts['unsealed']} not signed off, {counts['broken']} broken"
        )
        if counts["broken"]:
            raise CommandError(f"{counts['broken']} meeting(s) with a broken chain.")
