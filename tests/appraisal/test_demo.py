from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from activities.models import Talk
from activities.talks import compliance_for
from appraisal.figures import summary_by_branch
from appraisal.models import Campaign, FollowUp
from branches.models import Organization
from tests.appraisal.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_shows_an_appraisal_and_a_year_of_talks_for_ruyihu():
    call_command("seed_demo", stdout=io.StringIO())
    first = (Campaign.objects.count(), Talk.objects.count(), FollowUp.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Campaign.objects.count(), Talk.objects.count(), FollowUp.objects.count()) == first

    branches = list(
        Organization.objects.filter(
            sub_district__name="如意湖办事处", kind="branch", status="active"
        )
    )
    decided = Campaign.objects.filter(year=TODAY.year - 1, decided_on__isnull=False)
    assert decided.count() == len(branches)
    assert FollowUp.objects.count() == 1
    summary = summary_by_branch([b.pk for b in branches], TODAY.year - 1)
    assert all(s.decided and s.graded for s in summary.values())
    assert (
        Campaign.objects.get(organization__name="联盟新城社区党支部", year=TODAY.year).decided_on
        is None
    )

    reports = compliance_for(branches, TODAY.year, TODAY)
    assert all(r.talks or len(r.silent) < 2 for r in reports.values())
    assert sum(1 for r in reports.values() if r.talks) >= 3
    assert any(not r.met for r in reports.values())  # some branches are behind
    assert any(r.required_pairs and r.missing_count < r.required_pairs for r in reports.values())
