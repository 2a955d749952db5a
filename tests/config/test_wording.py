"""Resident pages print each name once, volunteer hours carry their unit, and a button that cancels
a sign-up does not read like signing out."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from tests.branches.factories import CommunityFactory
from tests.venues.factories import RoomFactory, ServiceHallFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_joined_prints_each_name_once_and_skips_empty_ones():
    source = "{% load names %}{% joined a b c %}"
    assert render(source, a="国泰一品社区", b="国泰一品社区", c="") == "国泰一品社区"
    assert render(source, a="党群服务中心", b="休闲吧", c=None) == "党群服务中心 · 休闲吧"
    assert render(source, a="<b>", b="x", c="x") == "&lt;b&gt; · x"


def test_the_hall_list_does_not_repeat_a_name(client, sub_district):
    community = CommunityFactory(sub_district=sub_district, name="国泰一品社区")
    hall = ServiceHallFactory(
        sub_district=sub_district,
        name="国泰一品党群服务站",
        address="国泰一品社区",
        community=community,
    )
    RoomFactory(hall=hall, name="休闲吧", kind="leisure")
    body = client.get("/venues/").content.decode()
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(r"\s+", " ", text)
    assert "国泰一品社区 · 国泰一品社区" not in text
    assert "国泰一品社区" in text
    assert "休闲吧 休闲吧" not in text
    assert "休闲吧" in text


def test_volunteer_hours_carry_their_unit():
    assert render("{% load volunteer_hours %}{{ h|hours }}", h="32.6") == "32.6 小时"


def test_cancelling_a_sign_up_is_not_called_sign_out():
    with open("templates/public/volunteers/activity_detail.html", encoding="utf-8") as f:
        source = f.read()
    assert '{% translate "Withdraw" %}' not in source
    assert '{% translate "Cancel sign-up" %}' in source
