"""Under parallel requests: one consultation response per resident, one rating per reply, one
record of each matter step (PostgreSQL: the unique constraint and the row locks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from governance.models import ConsultationResponse, MatterStep, Procedure
from governance.services import matters, opinions
from tests.parallel import run_together

from .conftest import DAY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and constraints under parallel requests are tested on PostgreSQL")


def test_one_response_per_resident_under_parallel_submits(held, community, staff, resident):
    from governance.models import CommunityProcedure

    CommunityProcedure.objects.create(community=community, procedure=Procedure.SOLICIT_THREE_TWO)
    matter = matters.open_matter(community=community, title="停车位", actor=staff)
    consultation = matters.open_consultation(
        matter=matter,
        question="同意吗?",
        opens_on=DAY,
        closes_on=DAY + dt.timedelta(days=3),
        actor=staff,
    )
    outcomes = run_together(
        [
            lambda: matters.respond_online(
                consultation=consultation, resident=resident, stance="agree"
            )
            for _ in range(4)
        ]
    )
    assert sum(isinstance(o, ConsultationResponse) for o in outcomes) == 1
    assert all(isinstance(o, ConsultationResponse | matters.AlreadyResponded) for o in outcomes)
    assert ConsultationResponse.objects.count() == 1


def test_one_record_of_a_step_under_parallel_submits(held, community, staff):
    matter = matters.open_matter(community=community, title="加装电梯", actor=staff)
    outcomes = run_together(
        [
            lambda: matters.record_step(
                matter=matter,
                kind="propose",
                held_on=DAY,
                participants="支委",
                minutes="提议",
                actor=staff,
            )
            for _ in range(3)
        ]
    )
    assert sum(isinstance(o, MatterStep) for o in outcomes) == 1
    assert MatterStep.objects.count() == 1


def test_one_rating_under_parallel_submits(held, community, branch, staff, resident):
    opinion = opinions.receive_opinion(
        community=community,
        channel="online",
        category="safety",
        title="路口缺红绿灯",
        text="学校门口路口缺红绿灯。",
        author=resident,
        actor=resident,
    )
    opinions.assign_opinion(opinion=opinion, organization=branch, actor=staff)
    opinions.start_opinion(opinion=opinion, actor=staff)
    opinions.reply_to_opinion(opinion=opinion, reply="已协调交警部门", actor=staff)
    outcomes = run_together(
        [
            lambda n=n: opinions.rate_reply(opinion=opinion, resident=resident, rating=n)
            for n in (3, 5)
        ]
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    opinion.refresh_from_db()
    assert opinion.events.filter(state="closed").count() == 1
