"""Demo data of the charts app: one display screen of 如意湖办事处 with a known link.

The demo link's secret is fixed and printed in the README, so it is marked as a demo in its
name; a real screen's link is random and shown once (`charts.services.create_screen`)."""

from __future__ import annotations

from branches.models import SubDistrict
from charts.models import DisplayScreen, token_digest

DEMO_SCREEN_TOKEN = "demo-ruyihu-hall-screen"  # noqa: S105 (a demo link, printed in the README)


def seed() -> None:
    sub_district = SubDistrict.objects.filter(name="如意湖办事处").first()
    if sub_district is None:
        return
    DisplayScreen.objects.get_or_create(
        token_hash=token_digest(DEMO_SCREEN_TOKEN),
        defaults={
            "name": "如意湖党群服务中心大厅（演示链接）",
            "sub_district": sub_district,
            "refresh_seconds": 60,
        },
    )
