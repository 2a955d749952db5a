"""The public disclosure page's dues totals (per quarter, totals only) and the 5-working-day
公示 of development candidates: shown only in its window, with no phone or ID number."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dues.models import DuesBill
from dues.services.billing import bill_month
from dues.services.payments import record_payments
from governance import rules
from members.models import Development
from tests.dues.factories import DuesBaseFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db
FRIDAY_BEFORE = DAY - dt.timedelta(days=3)  # DAY is a Monday


def _page(community) -> str:
    response = Client().get(reverse("public:community-disclosure", args=[community.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _candidate(branch, name: str, trained_on: dt.date, **extra) -> Development:
    return Development.objects.create(
        organization=branch,
        full_name=name,
        phone="13912345678",
        stage="candidate",
        applied_on=dt.date(2023, 1, 5),
        activist_on=dt.date(2023, 3, 1),
        candidate_on=dt.date(2024, 6, 1),
        training_completed_on=trained_on,
        training_hours=24,
        **extra,
    )


def test_the_notice_window_is_five_working_days_after_the_training():
    assert rules.admission_notice_window(dt.date(2026, 2, 27)) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 6),
    )
    # Trained on a Wednesday: Thursday to the next Wednesday, over the weekend.
    assert rules.admission_notice_window(dt.date(2026, 3, 4)) == (
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 11),
    )


def test_a_candidate_is_shown_only_during_the_notice(clock, community, branch):
    clock.set(DAY)
    _candidate(branch, "李明远", FRIDAY_BEFORE)
    _candidate(branch, "王晓东", DAY)  # notice starts tomorrow
    _candidate(branch, "赵子谦", DAY - dt.timedelta(days=20))  # notice long over
    page = _page(community)
    assert "李明远" in page and branch.name in page
    assert "2026-03-02" in page and "2026-03-06" in page
    assert "王晓东" not in page and "赵子谦" not in page
    clock.set(DAY + dt.timedelta(days=4))  # Friday, the last day
    page = _page(community)
    assert "李明远" in page and "王晓东" in page
    clock.set(DAY + dt.timedelta(days=7))  # the next Monday
    page = _page(community)
    assert "李明远" not in page and "王晓东" in page


def test_a_candidate_of_another_community_or_stage_is_not_shown(
    clock, community, branch, other_branch
):
    clock.set(DAY)
    _candidate(other_branch, "外支部人", FRIDAY_BEFORE)
    admitted = _candidate(branch, "已接收人", FRIDAY_BEFORE)
    Development.objects.filter(pk=admitted.pk).update(stage="probationary")
    page = _page(community)
    assert "外支部人" not in page and "已接收人" not in page
    assert "No candidate" in page or "暂无" in page or "没有" in page


def _bill_quarter(branch) -> None:
    DuesBaseFactory(member__organization=branch, member__full_name="甲党员", amount=Decimal("6500"))
    DuesBaseFactory(member__organization=branch, member__full_name="乙党员", amount=Decimal("2800"))
    for month in (10, 11, 12):
        bill_month(dt.date(2025, month, 1))


def test_dues_totals_per_quarter_without_a_members_amount(clock, community, branch, secretary):
    clock.set(dt.date(2025, 12, 20))
    _bill_quarter(branch)
    first = DuesBill.objects.filter(member__full_name="甲党员").values_list("pk", flat=True)
    record_payments(
        actor=secretary, bill_ids=list(first), paid_on=dt.date(2025, 12, 20), method="cash"
    )
    clock.set(DAY)
    late = DuesBill.objects.filter(member__full_name="乙党员", month=dt.date(2025, 12, 1))
    record_payments(
        actor=secretary,
        bill_ids=list(late.values_list("pk", flat=True)),
        paid_on=DAY,
        method="cash",
    )
    page = _page(community)
    table = page[page.index('data-testid="dues-totals"') :]
    assert "2025Q4" in table
    assert "334.50" in table  # 3 × (97.50 + 14.00) due
    assert "292.50" in table  # paid by the quarter's end; January's payment does not count
    assert "87.4%" in table
    assert "97.50" not in page and "14.00" not in page
    assert "甲党员" not in page and "乙党员" not in page


def test_no_dues_figures_is_said_plainly(clock, community):
    clock.set(DAY)
    page = _page(community)
    assert 'data-testid="dues-totals"' not in page


def test_the_page_shows_no_phone_or_id_number(clock, community, branch):
    clock.set(DAY)
    _candidate(branch, "李明远", FRIDAY_BEFORE, birth_date=dt.date(1990, 1, 1))
    page = _page(community)
    assert "李明远" in page
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", page)
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", page)
    assert "1990-01-01" not in page


def test_query_count_does_not_grow_with_candidates_or_members(clock, community, branch):
    clock.set(dt.date(2025, 12, 20))
    _bill_quarter(branch)
    clock.set(DAY)
    _candidate(branch, "甲", FRIDAY_BEFORE)
    with CaptureQueriesContext(connection) as few:
        _page(community)
    for n in range(6):
        _candidate(branch, f"候选{n}", FRIDAY_BEFORE)
    clock.set(dt.date(2025, 12, 20))
    DuesBaseFactory.create_batch(5, member__organization=branch, amount=Decimal("4000"))
    for month in (10, 11, 12):
        bill_month(dt.date(2025, month, 1))
    clock.set(DAY)
    with CaptureQueriesContext(connection) as many:
        page = _page(community)
    assert page.count('data-testid="admission-notice"') == 7
    assert len(many) == len(few)
    assert len(many) <= 30


def test_the_index_lists_every_community_and_searches(
    clock, community, django_assert_max_num_queries
):
    from tests.branches.factories import CommunityFactory

    clock.set(DAY)
    for n in range(5):
        CommunityFactory(sub_district=community.sub_district, name=f"测试{n}社区")
    url = reverse("public:community-disclosures")
    with django_assert_max_num_queries(6):
        page = Client().get(url).content.decode()
    assert page.count('data-testid="community"') == 6
    assert reverse("public:community-disclosure", args=[community.pk]) in page
    found = Client().get(url, {"q": "联盟"}).content.decode()
    assert found.count('data-testid="community"') == 1
    none = Client().get(url, {"q": "<script>不存在"})
    assert none.status_code == 200 and "&lt;script&gt;" in none.content.decode()
    assert 'data-testid="community"' not in none.content.decode()
