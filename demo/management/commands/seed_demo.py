from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from activities import demo as activities_demo
from activities import demo_talks as talks_demo
from activities.elections import demo as elections_demo
from appraisal import demo as appraisal_demo
from assessment import demo as assessment_demo
from branches import demo as branches_demo
from charts import demo as charts_demo
from committees import demo as committees_demo
from community import demo as community_demo
from demo import people as accounts_demo
from dues import demo as dues_demo
from governance import demo as governance_demo
from grids import demo as grids_demo
from members import demo as members_demo
from points import demo as points_demo
from regional import demo as regional_demo
from selfservice import demo as selfservice_demo
from venues import demo as venues_demo
from volunteers import demo as volunteers_demo


class Command(BaseCommand):
    help = (
        "Load the demo dataset (three Zhengzhou sub-districts) and the demo accounts. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            branches_demo.seed()
            regional_demo.seed()
            accounts_demo.seed()
            members_demo.seed()
            committees_demo.seed()
            venues_demo.seed()
            activities_demo.seed()
            elections_demo.seed()
            talks_demo.seed()
            appraisal_demo.seed()
            volunteers_demo.seed()
            assessment_demo.seed()
            selfservice_demo.seed(password=accounts_demo.DEMO_PASSWORD)
            governance_demo.seed()
            grids_demo.seed(password=accounts_demo.DEMO_PASSWORD)
            community_demo.seed(password=accounts_demo.DEMO_PASSWORD)
            community_demo.seed_contests(password=accounts_demo.DEMO_PASSWORD)
            charts_demo.seed()
            dues_demo.seed()
            points_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
