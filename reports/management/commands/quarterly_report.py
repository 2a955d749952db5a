"""Build a quarterly report pack from the shell, the same way the worker does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from accounts.errors import DomainError
from branches.models import Organization, SubDistrict
from regional.models import RegionalCommittee
from reports.figures import build_figures
from reports.models import ExportFormat
from reports.scope import ReportScope
from reports.services import check_quarter
from reports.writers import WRITERS


class Command(BaseCommand):
    help = "Write the quarterly report pack of a sub-district (or one organisation or committee)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sub-district", required=True, help="name of the sub-district")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", required=True, choices=ExportFormat.values)
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--organization", help="only this organisation's subtree (name)")
        parser.add_argument("--committee", help="only this regional committee (name)")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sub_district = SubDistrict.objects.get(name=options["sub_district"])
        except SubDistrict.DoesNotExist:
            raise CommandError(f"no sub-district is named {options['sub_district']!r}") from None
        organization = committee = None
        if options["organization"]:
            organization = Organization.objects.filter(
                sub_district=sub_district, name=options["organization"]
            ).first()
            if organization is None:
                raise CommandError(f"no organisation is named {options['organization']!r}")
        if options["committee"]:
            committee = RegionalCommittee.objects.filter(
                sub_district=sub_district, name=options["committee"]
            ).first()
            if committee is None:
                raise CommandError(f"no regional committee is named {options['committee']!r}")
        try:
            check_quarter(options["year"], options["quarter"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"the folder {output.parent} does not exist")
        scope = ReportScope(
            sub_district=sub_district, organization=organization, committee=committee
        )
        started = timezone.now()
        with translation.override(options["language"]):
            figures = build_figures(scope, options["year"], options["quarter"])
            meta = {
                "version": "—",
                "generated_at": timezone.localtime(started).strftime("%Y-%m-%d %H:%M"),
                "generated_by": "manage.py quarterly_report",
            }
            partial = output.with_name(output.name + ".partial")
            with partial.open("wb") as handle:
                WRITERS[options["format"]](figures, handle, meta)
            partial.replace(output)
        elapsed = (timezone.now() - started) / dt.timedelta(seconds=1)
        self.stdout.write(f"wrote {output} ({output.stat().st_size} bytes) in {elapsed:.1f} s")
