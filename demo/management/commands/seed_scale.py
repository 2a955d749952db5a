from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from demo import scale


class Command(BaseCommand):
    help = (
        "Generate a city district for benchmarks: 12 sub-districts, about 3,000 organisations "
        "and 30,000 members who joined over five decades (some since left, died, moved between "
        "branches or came from outside, with their transfer letters), three years of meetings "
        "with attendance, a year of bookings and of volunteer hours (idempotent; under the "
        "district 规模测试区)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--factor",
            type=int,
            default=1,
            help=(
                "Make a K-times district: K x 12 sub-districts of the same size (default 1). "
                "Run with 2 after 1 to add the second half and keep the first as it was."
            ),
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="2 sub-districts of 8 branches and 10 members each, a year of meetings: for "
            "development, in seconds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        factor = options["factor"]
        if factor < 1:
            self.stderr.write("--factor must be 1 or more.")
            raise SystemExit(2)
        started = time.monotonic()
        shape = scale.SMALL if options["small"] else scale.ScaleShape()
        counts = scale.build_all(shape, factor=factor)
        self.stdout.write(
            self.style.SUCCESS(
                "Scale data ready in {seconds:.0f} s: {sub_districts} sub-districts, "
                "{organizations} organisations, {members} members, {meetings} meetings with "
                "{attendance} attendance rows, {bookings} bookings, {enrollments} volunteer "
                "enrollments ({volunteer_hours} hours).".format(
                    seconds=time.monotonic() - started, **counts
                )
            )
        )
