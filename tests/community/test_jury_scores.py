"""One jury score per (nomination, juror): each juror writes and sees their own row, the result
and the staff page use the average computed by the database, and only the jury scores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import AuditEntry
from community.errors import NominationRefused
from community.models import Campaign, JuryScore, Nomination
from community.services import campaigns, setup
from tests.accounts.factories import UserFactory
from tests.community.factories import CategoryFactory, NominationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighted(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(result_rule="weighted", jury_weight=50)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def jurors(weighted):
    first, second = UserFactory(full_name="评委甲"), UserFactory(full_name="评委乙")
    weighted.jurors.add(first, second)
    return first, second


def _scores():
    return sorted(JuryScore.objects.values_list("nomination_id", "juror_id", "score"))


def test_two_jurors_make_an_average(weighted, jurors):
    nomination = NominationFactory(category__campaign=weighted)
    first, second = jurors
    setup.record_jury_scores(campaign=weighted, scores={nomination.pk: Decimal(80)}, juror=first)
    setup.record_jury_scores(campaign=weighted, scores={nomination.pk: Decimal(91)}, juror=second)
    row = Nomination.objects.with_jury().get(pk=nomination.pk)
    assert (row.jury_average, row.jury_count) == (Decimal("85.5"), 2)


def test_a_second_save_replaces_the_jurors_own_score_only(weighted, jurors):
    one, two = NominationFactory.create_batch(2, category__campaign=weighted)
    first, second = jurors
    setup.record_jury_scores(
        campaign=weighted, scores={one.pk: Decimal(80), two.pk: Decimal(60)}, juror=first
    )
    setup.record_jury_scores(campaign=weighted, scores={one.pk: Decimal(90)}, juror=second)
    changed = setup.record_jury_scores(
        campaign=weighted, scores={one.pk: Decimal(70), two.pk: None}, juror=first
    )
    assert changed == 2
    assert _scores() == [
        (one.pk, first.pk, Decimal("70.00")),
        (one.pk, second.pk, Decimal("90.00")),
    ]


def test_the_database_keeps_one_row_per_juror(weighted, jurors):
    nomination = NominationFactory(category__campaign=weighted)
    JuryScore.objects.create(nomination=nomination, juror=jurors[0], score=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryScore.objects.create(nomination=nomination, juror=jurors[0], score=Decimal(2))


def test_someone_off_the_jury_is_refused_and_nothing_is_written(weighted, jurors, resident):
    nomination = NominationFactory(category__campaign=weighted)
    with pytest.raises(NominationRefused, match="评委"):
        setup.record_jury_scores(
            campaign=weighted, scores={nomination.pk: Decimal(50)}, juror=resident
        )
    assert not JuryScore.objects.exists()
    assert not AuditEntry.objects.filter(action="campaign.jury_scored").exists()


def test_a_secretary_of_the_sub_district_is_not_on_the_jury(weighted, secretary):
    nomination = NominationFactory(category__campaign=weighted)
    with pytest.raises(NominationRefused):
        setup.record_jury_scores(
            campaign=weighted, scores={nomination.pk: Decimal(50)}, juror=secretary
        )
    assert not JuryScore.objects.exists()


def test_a_bad_score_among_good_ones_writes_nothing(weighted, jurors):
    one, two = NominationFactory.create_batch(2, category__campaign=weighted)
    with pytest.raises(NominationRefused):
        setup.record_jury_scores(
            campaign=weighted, scores={one.pk: Decimal(50), two.pk: Decimal(101)}, juror=jurors[0]
        )
    assert not JuryScore.objects.exists()


def test_the_weighted_ranking_uses_the_average(weighted, jurors):
    category = CategoryFactory(campaign=weighted, winners=1)
    popular = NominationFactory(category=category, vote_count=100)
    esteemed = NominationFactory(category=category, vote_count=80)
    first, second = jurors
    setup.record_jury_scores(
        campaign=weighted, scores={popular.pk: Decimal(20), esteemed.pk: Decimal(100)}, juror=first
    )
    setup.record_jury_scores(
        campaign=weighted, scores={popular.pk: Decimal(60), esteemed.pk: Decimal(30)}, juror=second
    )
    ((_c, ranked),) = campaigns.results(weighted)
    assert [(n.pk, score, won) for n, score, won in ranked] == [
        (esteemed.pk, Decimal("72.50"), True),  # average 65 * .5 + 80 * .5
        (popular.pk, Decimal("70.00"), False),  # average 40 * .5 + 100 * .5
    ]


def test_staff_score_as_themselves_and_see_the_average(client, staff, weighted, jurors):
    nomination = NominationFactory(category__campaign=weighted)
    setup.record_jury_scores(
        campaign=weighted, scores={nomination.pk: Decimal(80)}, juror=jurors[0]
    )
    client.force_login(staff)
    url = reverse("staff:award-jury", args=[weighted.pk])
    page = client.get(url).content.decode()
    assert "评委平均分 80.00（1 位评委已评分）" in page
    assert 'value="80' not in page  # the field holds staff's own (empty) score
    assert client.post(url, {f"score_{nomination.pk}": "90"}).status_code == 302
    assert set(_scores()) == {
        (nomination.pk, jurors[0].pk, Decimal("80.00")),
        (nomination.pk, staff.pk, Decimal("90.00")),
    }
    page = client.get(url).content.decode()
    assert "评委平均分 85.00（2 位评委已评分）" in page
    assert 'value="90.00"' in page


def test_a_juror_sees_only_their_own_scores(client, weighted, jurors):
    nomination = NominationFactory(category__campaign=weighted)
    first, second = jurors
    setup.record_jury_scores(campaign=weighted, scores={nomination.pk: Decimal(61)}, juror=first)
    client.force_login(second)
    url = reverse("public:award-jury", args=[weighted.pk])
    page = client.get(url).content.decode()
    assert "61" not in page and "评委平均分" not in page
    assert client.post(url, {f"score_{nomination.pk}": "77"}).status_code == 302
    assert 'value="77.00"' in client.get(url).content.decode()
    assert _scores() == [
        (nomination.pk, first.pk, Decimal("61.00")),
        (nomination.pk, second.pk, Decimal("77.00")),
    ]


@pytest.mark.parametrize("page", ["staff", "public"])
def test_the_scoring_page_query_count_does_not_grow(
    client, staff, weighted, jurors, page, django_assert_max_num_queries
):
    user = staff if page == "staff" else jurors[0]
    url = reverse(f"{page}:award-jury", args=[weighted.pk])
    client.force_login(user)

    def add_scored():
        nomination = NominationFactory(category__campaign=weighted)
        for juror in jurors:
            JuryScore.objects.create(nomination=nomination, juror=juror, score=Decimal(50))

    add_scored()
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        add_scored()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["form"].fields) == 6
