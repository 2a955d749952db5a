"""Community matters: steps in order, the vote's boundaries, the general meeting link, the
consultation (one response per resident) and the publication window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Meeting, MeetingKind, MeetingStatus
from governance.models import (
    CommunityProcedure,
    MatterStatus,
    MatterStep,
    Procedure,
    Publication,
)
from governance.services import matters as services
from tests.accounts.factories import UserFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db

START = DAY - dt.timedelta(days=30)


def _step(matter, kind, offset, **extra):
    return services.record_step(
        matter=matter,
        kind=kind,
        held_on=START + dt.timedelta(days=offset),
        participants=extra.pop("participants", "两委成员"),
        minutes=extra.pop("minutes", "同意。"),
        actor=None,
        **extra,
    )


@pytest.fixture
def general_meeting(branch):
    return Meeting.objects.create(
        organization=branch,
        kind=MeetingKind.GENERAL_MEETING,
        topic="审议加装电梯",
        starts_at=timezone.make_aware(
            dt.datetime.combine(START + dt.timedelta(days=3), dt.time(15))
        ),
        held_on=START + dt.timedelta(days=3),
        status=MeetingStatus.HELD,
    )


@pytest.fixture
def matter(held, community, staff):
    return services.open_matter(community=community, title="加装电梯", actor=staff)


def test_steps_cannot_be_skipped(matter):
    assert matter.procedure == Procedure.FOUR_TWO
    with pytest.raises(services.MatterRuleBroken) as refused:
        _step(matter, "deliberate", 0)
    assert refused.value.field == "kind"
    assert not MatterStep.objects.exists()
    _step(matter, "propose", 0)
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "propose", 1)
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "review", 1)


def test_a_step_cannot_predate_the_previous_one(matter):
    _step(matter, "propose", 5)
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "deliberate", 4)


def test_the_review_links_a_held_general_meeting_of_a_covering_branch(matter, general_meeting):
    _step(matter, "propose", 0)
    _step(matter, "deliberate", 1)
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "review", 3)
    general_meeting.status = MeetingStatus.PLANNED
    general_meeting.save()
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "review", 3, meeting=general_meeting)
    general_meeting.status = MeetingStatus.HELD
    general_meeting.save()
    step = _step(matter, "review", 3, meeting=general_meeting)
    assert step.meeting == general_meeting


@pytest.mark.parametrize(
    ("eligible", "present", "votes_for", "ok"),
    [
        (40, 20, 20, False),  # exactly half attend: not valid
        (40, 21, 11, True),  # more than half attend, more than half of them for
        (40, 21, 10, False),  # fewer than half of those present
        (41, 21, 11, True),
        (40, 22, 11, False),  # exactly half of those present: not passed
    ],
)
def test_decision_quorum_and_majority_boundaries(
    matter, general_meeting, eligible, present, votes_for, ok
):
    _step(matter, "propose", 0)
    _step(matter, "deliberate", 1)
    _step(matter, "review", 3, meeting=general_meeting)
    if ok:
        step = _step(matter, "decide", 5, eligible=eligible, present=present, votes_for=votes_for)
        assert step.votes_for == votes_for
    else:
        with pytest.raises(services.MatterRuleBroken) as refused:
            _step(matter, "decide", 5, eligible=eligible, present=present, votes_for=votes_for)
        assert str(present) in refused.value.message
        assert not MatterStep.objects.filter(kind="decide").exists()


def test_publications_keep_the_minimum_window_and_show_only_inside_it(
    matter, general_meeting, held
):
    _step(matter, "propose", 0)
    _step(matter, "deliberate", 1)
    _step(matter, "review", 3, meeting=general_meeting)
    _step(matter, "decide", 5, eligible=40, present=30, votes_for=25)
    first = START + dt.timedelta(days=6)
    with pytest.raises(services.MatterRuleBroken):
        _step(
            matter,
            "publish_decision",
            6,
            publication_title="决议公开",
            publication_text="通过。",
            shown_from=first,
            shown_through=first + dt.timedelta(days=5),  # 6 days
        )
    _step(
        matter,
        "publish_decision",
        6,
        publication_title="决议公开",
        publication_text="通过。",
        shown_from=first,
        shown_through=first + dt.timedelta(days=6),  # 7 days
    )
    assert Publication.objects.shown_on(first).count() == 1
    assert Publication.objects.shown_on(first - dt.timedelta(days=1)).count() == 0
    assert Publication.objects.shown_on(first + dt.timedelta(days=7)).count() == 0
    _step(
        matter,
        "publish_outcome",
        20,
        publication_title="结果公开",
        publication_text="已完工。",
        shown_from=DAY,
        shown_through=DAY + dt.timedelta(days=10),
    )
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DONE
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "publish_outcome", 21)


def test_consultation_one_response_per_resident(held, community, staff, resident):
    CommunityProcedure.objects.create(community=community, procedure=Procedure.SOLICIT_THREE_TWO)
    matter = services.open_matter(community=community, title="停车位规划", actor=staff)
    with pytest.raises(services.MatterRuleBroken):
        _step(matter, "solicit", 0)  # no consultation yet
    consultation = services.open_consultation(
        matter=matter,
        question="是否同意?",
        opens_on=DAY - dt.timedelta(days=2),
        closes_on=DAY + dt.timedelta(days=2),
        actor=staff,
    )
    services.respond_online(consultation=consultation, resident=resident, stance="agree")
    with pytest.raises(services.AlreadyResponded):
        services.respond_online(consultation=consultation, resident=resident, stance="disagree")
    services.respond_online(
        consultation=consultation, resident=UserFactory(username="r2"), stance="disagree"
    )
    services.record_offline_responses(
        consultation=consultation, stances={"agree": 3, "other": 1}, actor=staff
    )
    summary = services.consultation_summary(consultation)
    assert summary == {"agree": 4, "disagree": 1, "other": 1, "total": 6, "online": 2}
    step = services.record_step(
        matter=matter,
        kind="solicit",
        held_on=DAY,
        participants="居民",
        minutes="征求意见汇总。",
        actor=staff,
    )
    assert "6" in step.minutes
