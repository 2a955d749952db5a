"""A party member on a 375-px phone casts the appraisal's secret ballot on /me/: writes the
self-assessment, grades every other member of the branch once, and sees that they voted; the
votes are stored without the voter."""

from __future__ import annotations

import datetime as dt

import pytest

from appraisal.models import Turnout, Vote
from appraisal.services import campaigns
from members.binding.services import member_of
from tests.e2e.test_member_pages import phone  # noqa: F401  (the 375-px phone fixture)
from tests.e2e.test_phone import WIDTH, sign_in, too_wide
from tests.members.factories import MemberFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clock"),
]


def test_member_casts_the_appraisal_ballot_on_a_phone(
    live_server,
    phone,  # noqa: F811
    member_user,
    branch,
    staff,
    clock,
):
    clock.set(dt.date(2026, 12, 10))
    colleagues = [MemberFactory(organization=branch, full_name=f"同志{i}") for i in range(3)]
    campaign = campaigns.open_campaign(
        organization=branch,
        year=2026,
        opens_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 20),
        actor=staff,
    )
    me = member_of(member_user)
    base = live_server.url
    sign_in(phone, base, "member")

    phone.goto(f"{base}/me/appraisal/")
    phone.click(f"a.btn[href='/me/appraisal/{campaign.pk}/']")
    phone.wait_for_selector("[data-testid=ballot]")
    assert too_wide(phone) <= WIDTH

    phone.fill("textarea[name=self_assessment]", "本年度认真参加组织生活，按时交纳党费。")
    phone.click("form:has(textarea[name=self_assessment]) button[type=submit]")
    phone.wait_for_selector("[data-testid=ballot]")

    # An incomplete ballot is refused on the page and stores nothing
    phone.click(f"label[for=g{colleagues[0].pk}_excellent]")
    phone.click("[data-testid=ballot] button[type=submit]")
    phone.wait_for_selector("[data-testid=ballot] .alert-danger")
    assert Vote.objects.count() == Turnout.objects.count() == 0
    assert too_wide(phone) <= WIDTH

    phone.click(f"label[for=g{colleagues[0].pk}_excellent]")
    for colleague in colleagues[1:]:
        phone.click(f"label[for=g{colleague.pk}_qualified]")
    phone.click("[data-testid=ballot] button[type=submit]")
    phone.wait_for_selector("p.text-success")
    assert not phone.locator("[data-testid=ballot]").count()
    assert too_wide(phone) <= WIDTH

    assert Turnout.objects.filter(campaign=campaign, voter=me).count() == 1
    assert sorted(Vote.objects.filter(campaign=campaign).values_list("grade", flat=True)) == [
        "excellent",
        "qualified",
        "qualified",
    ]
    phone.goto(f"{base}/me/appraisal/")
    assert too_wide(phone) <= WIDTH
