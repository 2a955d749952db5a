"""The ledger's state machine, deadlines, warnings once each, merging and anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext

from accounts.models import OutgoingSms
from governance.models import CategoryDeadline, Opinion, OpinionEvent, OpinionState
from governance.services import opinions as services
from tests.accounts.factories import UserFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _receive(community, *, author=None, category="environment", anonymous=False, **extra):
    return services.receive_opinion(
        community=community,
        channel="online",
        category=category,
        title="垃圾投放点不足",
        text="小区只有一个垃圾投放点。",
        author=author,
        is_anonymous=anonymous,
        actor=author,
        **extra,
    )


def test_deadline_comes_from_the_dated_table_else_the_default(held, community):
    assert _receive(community).deadline == DAY + dt.timedelta(days=7)
    CategoryDeadline.objects.create(
        sub_district=community.sub_district, category="environment", days=3, valid_from=DAY
    )
    assert _receive(community).deadline == DAY + dt.timedelta(days=3)


def test_the_full_life_and_no_step_skipped(held, community, branch, resident, staff):
    opinion = _receive(community, author=resident)
    with pytest.raises(services.WrongState):
        services.start_opinion(opinion=opinion, actor=staff)
    with pytest.raises(services.WrongState):
        services.reply_to_opinion(opinion=opinion, reply="好", actor=staff)
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    with pytest.raises(services.WrongState) as refused:
        services.reply_to_opinion(opinion=opinion, reply="好", actor=staff)
    assert refused.value.message
    services.start_opinion(opinion=opinion, actor=staff)
    services.reply_to_opinion(opinion=opinion, reply="已增设投放点", actor=staff)
    assert OutgoingSms.objects.filter(to=resident.phone).count() == 1
    other = UserFactory(phone="13900000999")
    with pytest.raises(services.LedgerRuleBroken):
        services.rate_reply(opinion=opinion, resident=other, rating=5)
    with pytest.raises(services.LedgerRuleBroken):
        services.rate_reply(opinion=opinion, resident=resident, rating=6)
    services.rate_reply(opinion=opinion, resident=resident, rating=4, comment="及时")
    opinion.refresh_from_db()
    assert (opinion.state, opinion.rating) == (OpinionState.CLOSED, 4)
    assert list(opinion.events.values_list("state", flat=True)) == [
        "received",
        "assigned",
        "in_progress",
        "replied",
        "closed",
    ]
    with pytest.raises(services.WrongState):
        services.rate_reply(opinion=opinion, resident=resident, rating=5)


def test_a_refused_transition_writes_nothing(held, community, branch, staff):
    opinion = _receive(community)
    events = OpinionEvent.objects.count()
    with pytest.raises(services.LedgerRuleBroken):
        services.assign_opinion(opinion=opinion, organization=branch, office="民政科", actor=staff)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.RECEIVED
    assert OpinionEvent.objects.count() == events


def test_unrated_replies_close_after_the_local_days(held, community, branch, staff):
    opinion = _receive(community)
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    services.start_opinion(opinion=opinion, actor=staff)
    services.reply_to_opinion(opinion=opinion, reply="已处理", actor=staff)
    held.set(DAY + dt.timedelta(days=6))
    assert services.close_unrated_opinions() == 0
    held.set(DAY + dt.timedelta(days=7), hour=11)
    assert services.close_unrated_opinions() == 1
    assert services.close_unrated_opinions() == 0
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.CLOSED and opinion.rating is None


def test_warnings_before_and_after_the_deadline_are_sent_once_each(
    held, community, branch, secretary, staff
):
    secretary.phone = "13900000555"
    secretary.save()
    opinion = _receive(community)  # deadline DAY + 7, warned 2 days ahead
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    held.set(DAY + dt.timedelta(days=4))
    assert services.warn_due_opinions() == {"before": 0, "after": 0}
    held.set(DAY + dt.timedelta(days=5))
    assert services.warn_due_opinions() == {"before": 1, "after": 0}
    assert services.warn_due_opinions() == {"before": 0, "after": 0}
    held.set(DAY + dt.timedelta(days=7))
    assert services.warn_due_opinions() == {"before": 0, "after": 0}
    held.set(DAY + dt.timedelta(days=8))
    assert services.warn_due_opinions() == {"before": 0, "after": 1}
    assert services.warn_due_opinions() == {"before": 0, "after": 0}
    assert OutgoingSms.objects.filter(to="13900000555").count() == 2


def test_merge_tells_both_residents_and_the_duplicate_follows_the_kept_one(
    held, community, staff, resident
):
    neighbour = UserFactory(username="neighbour", phone="13900000888")
    keep = _receive(community, author=resident)
    duplicate = _receive(community, author=neighbour)
    services.merge_opinions(duplicate=duplicate, into=keep, actor=staff)
    duplicate.refresh_from_db()
    assert duplicate.state == OpinionState.MERGED and duplicate.merged_into == keep
    assert OutgoingSms.objects.filter(to=resident.phone).count() == 1
    assert OutgoingSms.objects.filter(to=neighbour.phone).count() == 1
    with pytest.raises(services.WrongState):
        services.merge_opinions(duplicate=duplicate, into=keep, actor=staff)
    with pytest.raises(services.LedgerRuleBroken):
        services.merge_opinions(duplicate=keep, into=keep, actor=staff)


def test_anonymous_author_is_hidden_below_the_sub_district(
    held, community, branch, resident, staff, secretary
):
    opinion = _receive(community, author=resident, anonymous=True)
    services.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    opinion = Opinion.objects.select_related("author").get(pk=opinion.pk)
    assert services.author_shown(opinion, secretary) == gettext("Anonymous")
    assert services.author_shown(opinion, staff) == str(resident)
    settings = services.settings_for(community.sub_district)
    settings.anonymous_author_to_sub_district = False
    settings.save()
    assert services.author_shown(opinion, staff) == gettext("Anonymous")
    assert services.author_shown(opinion, resident) == str(resident)


def test_an_opinion_becomes_a_need_on_the_committee_list(held, community, staff):
    from tests.branches.factories import RegionalCommitteeFactory

    committee = RegionalCommitteeFactory(sub_district=community.sub_district)
    committee.communities.add(community)
    opinion = _receive(community)
    need = services.raise_need_from_opinion(opinion=opinion, committee=committee, actor=staff)
    assert need.source == "residents" and need.community == community
    with pytest.raises(services.WrongState):
        services.raise_need_from_opinion(opinion=opinion, committee=committee, actor=staff)


def _grid_opinion(community, staff):
    from branches.models import Grid

    grid = Grid.objects.create(community=community, name="第三网格")
    opinion = _receive(community)  # deadline DAY + 7
    return grid, services.assign_opinion(opinion=opinion, grid=grid, actor=staff)


def test_a_grid_opinion_warns_the_grid_leader_with_an_account(held, community, staff):
    from grids.models import GridRole

    staff.phone = "13900000556"
    staff.save()
    grid, opinion = _grid_opinion(community, staff)
    leader = UserFactory(username="grid_leader", phone="13900000557")
    GridRole.objects.create(grid=grid, kind="leader", user=leader, started_on=DAY)
    worker = UserFactory(username="grid_worker_x", phone="13900000558")
    GridRole.objects.create(grid=grid, kind="worker", user=worker, started_on=DAY)
    former = UserFactory(username="former_leader", phone="13900000559")
    GridRole.objects.create(
        grid=grid,
        kind="leader",
        user=former,
        started_on=DAY - dt.timedelta(days=400),
        ended_on=DAY - dt.timedelta(days=1),
    )
    assert services.owner_users(opinion) == [leader]
    held.set(DAY + dt.timedelta(days=5))
    assert services.warn_due_opinions() == {"before": 1, "after": 0}
    assert list(OutgoingSms.objects.values_list("to", flat=True)) == ["13900000557"]


def test_a_grid_led_without_an_account_warns_the_sub_district_staff(held, community, staff):
    from grids.models import GridRole

    staff.phone = "13900000556"
    staff.save()
    grid, opinion = _grid_opinion(community, staff)
    GridRole.objects.create(grid=grid, kind="leader", contact_name="王网格长", started_on=DAY)
    assert services.owner_users(opinion) == [staff]
    held.set(DAY + dt.timedelta(days=8))
    assert services.warn_due_opinions() == {"before": 0, "after": 1}
    assert list(OutgoingSms.objects.values_list("to", flat=True)) == ["13900000556"]
