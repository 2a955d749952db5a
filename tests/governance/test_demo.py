"""The demo: 北林路's parking plan through every step of 一征三议两公开, shown decided and
published on 国泰一品's public page, with a second matter still at its consultation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from branches import demo as branches_demo
from governance import demo
from governance.models import Matter, MatterStatus
from governance.rules import PROCEDURE_STEPS

pytestmark = pytest.mark.django_db


def test_beilinlu_matter_is_carried_through_and_published(clock):
    branches_demo.seed()
    demo.seed()
    demo.seed()  # idempotent
    parking = Matter.objects.get(title="小区停车位重新规划")
    assert parking.status == MatterStatus.DONE
    kinds = list(parking.steps.order_by("held_on", "pk").values_list("kind", flat=True))
    assert kinds == list(PROCEDURE_STEPS["solicit_three_two"])
    decide = parking.steps.get(kind="decide")
    assert (decide.eligible, decide.present, decide.votes_for) == (60, 47, 39)
    assert all(step.held_on <= clock.today for step in parking.steps.all())
    page = Client().get(reverse("public:community-disclosure", args=[parking.community_id]))
    text = page.content.decode()
    assert "关于小区停车位重新规划的决议公开" in text and "停车位改造实施结果公开" in text
    assert "是否同意议事厅周末延长开放至晚上8点?" in text
    assert Matter.objects.filter(community=parking.community).count() == 2


def test_a_candidate_is_under_public_notice_in_the_demo(clock):
    from branches.models import Community

    branches_demo.seed()
    demo.seed()
    demo.seed()
    community = Community.objects.get(name="联盟新城社区")
    page = Client().get(reverse("public:community-disclosure", args=[community.pk]))
    assert "周雨桐" in page.content.decode()
