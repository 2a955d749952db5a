from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from demo import scale


class Command(BaseCommand):
    help = (
        "Generate a city district for benchmarks: 12 sub-districts, about 3,000 organisations "
        "and 30,000 members, three years of meetings with attendance, a year of bookings and "
        "of volunteer hours (idempotent; under the district 规模测试区)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = scale.build_all()
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
