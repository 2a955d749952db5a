from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from branches import scale


class Command(BaseCommand):
    help = (
        "Generate a city district for benchmarks: 14 sub-districts, about 3,000 organisations "
        "and 30,000 members (idempotent; under the district 规模测试区)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = scale.build()
        self.stdout.write(
            self.style.SUCCESS(
                "Scale data ready: {sub_districts} sub-districts, {organizations} organisations, "
                "{members} members.".format(**counts)
            )
        )
