"""Award campaigns: review, vote windows, one vote per category per day (also in parallel),
rate limits, burst flags, results by rule, party honours without a public vote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from community import rules
from community.errors import AlreadyVoted, NominationRefused, VoteRefused
from community.models import (
    CampaignKind,
    JuryScore,
    Nomination,
    NominationStatus,
    ResultRule,
    Vote,
    VoteLimit,
)
from community.services import campaigns
from tests.accounts.factories import UserFactory
from tests.community.factories import CampaignFactory, CategoryFactory, NominationFactory
from tests.parallel import run_together

pytestmark = pytest.mark.django_db


def _old_user(**kwargs):
    user = UserFactory(**kwargs)
    user.date_joined = timezone.now() - dt.timedelta(days=400)
    user.save(update_fields=["date_joined"])
    return user


def test_one_vote_per_category_per_day(campaign, clock):
    category = CategoryFactory(campaign=campaign)
    a, b = NominationFactory(category=category), NominationFactory(category=category)
    voter = _old_user()
    campaigns.cast_vote(nomination=a, voter=voter)
    with pytest.raises(AlreadyVoted):
        campaigns.cast_vote(nomination=b, voter=voter)
    clock.advance(days=1)
    campaigns.cast_vote(nomination=b, voter=voter)
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.vote_count, b.vote_count) == (1, 1)
    assert Vote.objects.count() == 2


def test_one_vote_per_category_for_the_whole_campaign(sub_district, clock):
    campaign = CampaignFactory(sub_district=sub_district, vote_limit=VoteLimit.PER_CAMPAIGN)
    nomination = NominationFactory(category__campaign=campaign)
    voter = _old_user()
    campaigns.cast_vote(nomination=nomination, voter=voter)
    clock.advance(days=1)
    with pytest.raises(AlreadyVoted):
        campaigns.cast_vote(nomination=nomination, voter=voter)
    assert Vote.objects.count() == 1


def test_votes_only_in_the_window_and_for_accepted_nominees(campaign, clock):
    pending = NominationFactory(category__campaign=campaign, status=NominationStatus.PENDING)
    voter = _old_user()
    with pytest.raises(VoteRefused):
        campaigns.cast_vote(nomination=pending, voter=voter)
    accepted = NominationFactory(category__campaign=campaign)
    clock.advance(days=6)
    with pytest.raises(VoteRefused):
        campaigns.cast_vote(nomination=accepted, voter=voter)
    assert not Vote.objects.exists()


def test_honours_campaign_has_no_public_vote_and_nominations_stay_in_scope(
    sub_district, secretary, other_branch, branch
):
    from members.models import Member
    from tests.members.factories import MemberFactory

    honours = CampaignFactory(
        sub_district=sub_district,
        kind=CampaignKind.HONOURS,
        public_vote=False,
        vote_opens_at=None,
        vote_closes_at=None,
        nomination_closes_at=timezone.now() + dt.timedelta(days=3),
        result_rule=ResultRule.WEIGHTED,
    )
    category = CategoryFactory(campaign=honours, name="优秀共产党员")
    outsider = MemberFactory(organization=other_branch)
    with pytest.raises(NominationRefused):
        campaigns.nominate(
            category=category,
            by=secretary,
            nominee_name="外支部党员",
            citation="认真履行党员义务，带头参加志愿服务。",
            member=outsider,
        )
    own = MemberFactory(organization=branch)
    nomination = campaigns.nominate(
        category=category,
        by=secretary,
        nominee_name=own.full_name,
        citation="认真履行党员义务，带头参加志愿服务。",
        member=Member.objects.get(pk=own.pk),
    )
    campaigns.review_nomination(nomination=nomination, by=secretary, accept=True)
    with pytest.raises(VoteRefused):
        campaigns.cast_vote(nomination=nomination, voter=_old_user())
    assert Nomination.objects.count() == 1


def test_nomination_checks_window_text_and_photo(campaign, resident, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    category = CategoryFactory(campaign=campaign)
    with pytest.raises(NominationRefused):  # nominations closed ten days ago
        campaigns.nominate(
            category=category, by=resident, nominee_name="王阿姨", citation="热心肠，常年帮助邻居。"
        )
    clock.set(timezone.localdate(campaign.nomination_opens_at) + dt.timedelta(days=1))
    with pytest.raises(NominationRefused):
        campaigns.nominate(category=category, by=resident, nominee_name="王阿姨", citation="好")
    from venues.photos import PhotoRefused

    with pytest.raises(PhotoRefused):
        campaigns.nominate(
            category=category,
            by=resident,
            nominee_name="王阿姨",
            citation="热心肠，常年帮助邻居。",
            photo=SimpleUploadedFile("a.jpg", b"<script>not a photo</script>", "image/jpeg"),
        )
    assert not Nomination.objects.exists()
    nomination = campaigns.nominate(
        category=category, by=resident, nominee_name="王阿姨", citation="热心肠，常年帮助邻居。"
    )
    assert nomination.status == NominationStatus.PENDING


def test_rejection_needs_a_reason(campaign, staff):
    nomination = NominationFactory(category__campaign=campaign, status=NominationStatus.PENDING)
    with pytest.raises(NominationRefused):
        campaigns.review_nomination(nomination=nomination, by=staff, accept=False)
    campaigns.review_nomination(nomination=nomination, by=staff, accept=False, reason="材料不实")
    nomination.refresh_from_db()
    assert (nomination.status, nomination.reason) == ("rejected", "材料不实")


def test_rate_limit_per_account(sub_district):
    campaign = CampaignFactory(sub_district=sub_district)
    voter = _old_user()
    nominees = [NominationFactory(category__campaign=campaign) for _ in range(7)]
    for nomination in nominees[: rules.VOTES_PER_ACCOUNT_PER_MINUTE]:
        campaigns.cast_vote(nomination=nomination, voter=voter)
    with pytest.raises(VoteRefused):
        campaigns.cast_vote(nomination=nominees[-1], voter=voter)
    assert Vote.objects.count() == rules.VOTES_PER_ACCOUNT_PER_MINUTE


def test_rate_limit_per_ip(campaign, monkeypatch):
    monkeypatch.setattr(rules, "VOTES_PER_IP_PER_MINUTE", 3)
    nomination = NominationFactory(category__campaign=campaign)
    for _ in range(3):
        campaigns.cast_vote(nomination=nomination, voter=_old_user(), ip="10.0.0.9")
    with pytest.raises(VoteRefused):
        campaigns.cast_vote(nomination=nomination, voter=_old_user(), ip="10.0.0.9")
    campaigns.cast_vote(nomination=nomination, voter=_old_user(), ip="10.0.0.10")
    nomination.refresh_from_db()
    assert nomination.vote_count == 4


def test_burst_of_new_accounts_flags_the_nominee_and_votes_still_count(campaign, monkeypatch):
    monkeypatch.setattr(rules, "BURST_VOTES", 3)
    nomination = NominationFactory(category__campaign=campaign)
    for _ in range(2):
        campaigns.cast_vote(nomination=nomination, voter=UserFactory())
    nomination.refresh_from_db()
    assert nomination.flagged_at is None
    campaigns.cast_vote(nomination=nomination, voter=UserFactory())
    nomination.refresh_from_db()
    assert nomination.flagged_at is not None
    assert nomination.vote_count == 3


def test_results_by_votes_and_weighted_with_the_jury(campaign):
    category = CategoryFactory(campaign=campaign, winners=1)
    popular = NominationFactory(category=category, vote_count=100)
    esteemed = NominationFactory(category=category, vote_count=80)
    first, second = UserFactory(), UserFactory()
    # Averages 40 and 65: the last juror alone (60, 30) would rank them the other way.
    for nomination, one, two in [(popular, "20", "60"), (esteemed, "100", "30")]:
        JuryScore.objects.create(nomination=nomination, juror=first, score=Decimal(one))
        JuryScore.objects.create(nomination=nomination, juror=second, score=Decimal(two))
    ((_c, ranked),) = campaigns.results(campaign)
    assert [(n.pk, won) for n, _s, won in ranked] == [(popular.pk, True), (esteemed.pk, False)]
    campaign.result_rule = ResultRule.WEIGHTED
    campaign.jury_weight = 50
    campaign.save()
    ((_c, ranked),) = campaigns.results(campaign)
    assert [n.pk for n, _s, won in ranked if won] == [esteemed.pk]
    assert ranked[0][1] == Decimal("72.50")  # 65 * .5 + 80 * .5
    assert ranked[1][1] == Decimal("70.00")  # 40 * .5 + 100 * .5


def test_publication_waits_for_the_vote_to_close(campaign, staff, clock):
    with pytest.raises(VoteRefused):
        campaigns.publish_results(campaign=campaign, by=staff)
    clock.advance(days=6)
    assert campaigns.publish_results(campaign=campaign, by=staff).published_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="unique constraint under test")
def test_parallel_votes_of_one_voter_count_once(sub_district):
    campaign = CampaignFactory(sub_district=sub_district)
    category = CategoryFactory(campaign=campaign)
    nominees = [NominationFactory(category=category) for _ in range(3)]
    voter = _old_user()
    calls = [
        partial(campaigns.cast_vote, nomination=nominees[i % 3], voter=voter) for i in range(10)
    ]
    outcomes = run_together(calls)
    assert sum(isinstance(o, Vote) for o in outcomes) == 1
    assert all(isinstance(o, (Vote, AlreadyVoted, VoteRefused)) for o in outcomes)
    assert Vote.objects.count() == 1
    assert sum(Nomination.objects.values_list("vote_count", flat=True)) == 1
