"""Volunteer service in a real browser: a resident on a phone, the team leader on a desktop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import ARTIFACTS
from tests.volunteers.factories import (
    CommunityFactory,
    ServiceActivityFactory,
    TeamMembershipFactory,
    VolunteerTeamFactory,
)
from volunteers import rules
from volunteers.models import Audience, Enrollment, MembershipStatus, TeamMembership

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _held_clock(clock):
    """The live server runs in this process: holding Django's clock at 10:00 holds the server's
    too, so 'today', 'in ten minutes' and 'ninety minutes ago' never straddle midnight."""
    return clock


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"volunteers-{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#submit-id-submit")
    page.wait_for_load_state()


def test_a_resident_joins_signs_up_signs_in_and_out_and_the_leader_corrects_hours(
    live_server, page, phone_page, sub_district
):
    base = live_server.url
    community = CommunityFactory(sub_district=sub_district, name="联盟新城社区")
    leader = UserFactory(username="leader", full_name="黄国强")
    team = VolunteerTeamFactory(community=community, name="小扫把环保队", leader=leader)
    TeamMembershipFactory(team=team, volunteer__user=leader, volunteer__sub_district=sub_district)
    now = timezone.now()
    activity = ServiceActivityFactory(
        team=team,
        title="关爱社区，爱护环境",
        starts_at=now + dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(minutes=130),
        capacity=5,
        audience=Audience.TEAM,
    )
    resident = UserFactory(username="walker", full_name="陈静")

    # The resident asks to join; the leader approves.
    log_in(phone_page, base, "walker")
    phone_page.goto(f"{base}/volunteers/teams/")
    phone_page.locator("[data-testid=team-card] input[name=message]").fill("我住在3号楼")
    phone_page.locator("[data-testid=team-card] button[type=submit]").click()
    phone_page.wait_for_load_state()
    assert "待审核" in phone_page.locator("[data-testid=team-card]").inner_text()

    log_in(page, base, "leader")
    page.goto(f"{base}/volunteers/lead/teams/{team.pk}/")
    assert "陈静" in page.locator("[data-testid=join-requests]").inner_text()
    shot(page, "join-request")
    page.locator("[data-testid=join-requests] button[type=submit]").first.click()
    page.wait_for_load_state()
    membership = TeamMembership.objects.get(team=team, volunteer__user=resident)
    assert membership.status == MembershipStatus.ACTIVE

    # The resident signs up (members only) and signs in with the leader's code.
    phone_page.goto(f"{base}/volunteers/activities/{activity.pk}/")
    phone_page.locator("form[action$='/sign-up/'] button").click()
    phone_page.wait_for_selector("[data-testid=my-status]")
    enrollment = Enrollment.objects.get(activity=activity, volunteer__user=resident)
    assert enrollment.status == "signed_up"
    shot(phone_page, "signed-up")

    page.goto(f"{base}/volunteers/lead/activities/{activity.pk}/")
    code = page.locator("[data-testid=sign-in-code]").inner_text().strip()
    phone_page.goto(f"{base}/volunteers/code/")
    phone_page.fill("input[name=code]", code)
    phone_page.click("button[name=action][value=in]")
    phone_page.wait_for_load_state()
    enrollment.refresh_from_db()
    assert enrollment.signed_in_at is not None
    # Signing in again changes nothing.
    first_sign_in = enrollment.signed_in_at
    phone_page.goto(f"{base}/volunteers/code/")
    phone_page.fill("input[name=code]", code)
    phone_page.click("button[name=action][value=in]")
    phone_page.wait_for_load_state()
    enrollment.refresh_from_db()
    assert enrollment.signed_in_at == first_sign_in

    # The browser cannot wait 90 minutes: move the clock of this activity instead (it started
    # 90 minutes ago and the resident arrived on time).
    moved = timezone.now()
    type(activity).objects.filter(pk=activity.pk).update(
        starts_at=moved - dt.timedelta(minutes=90), ends_at=moved + dt.timedelta(minutes=30)
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        signed_in_at=moved - dt.timedelta(minutes=90)
    )
    phone_page.goto(f"{base}/volunteers/code/")
    phone_page.fill("input[name=code]", code)
    phone_page.click("button[name=action][value=out]")
    phone_page.wait_for_load_state()
    enrollment.refresh_from_db()
    assert enrollment.signed_out_at is not None
    assert enrollment.credit_minutes >= 90

    phone_page.goto(f"{base}/volunteers/me/")
    assert phone_page.locator("[data-testid=credit-hours]").inner_text().strip().startswith("1.5")
    assert "关爱社区，爱护环境" in phone_page.locator("[data-testid=service-record]").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone_page, "my-hours")

    # The leader adds honour hours within the cap, then is refused above it.
    cap = rules.honour_cap(length_minutes=120, credit=enrollment.credit_minutes)
    page.goto(f"{base}/volunteers/lead/activities/{activity.pk}/")
    page.locator("[data-testid=roster-row] summary").click()
    page.fill("[data-testid=hours-form] input[name=hours]", "0.4")
    page.fill("[data-testid=hours-form] input[name=reason]", "提前到场布置")
    page.locator("[data-testid=hours-form] [type=submit]").click()
    page.wait_for_load_state()
    enrollment.refresh_from_db()
    assert enrollment.honour_minutes == 24
    assert enrollment.corrections.count() == 1

    page.goto(f"{base}/volunteers/lead/activities/{activity.pk}/")
    page.locator("[data-testid=roster-row] summary").click()
    page.fill("[data-testid=hours-form] input[name=hours]", "1")
    page.fill("[data-testid=hours-form] input[name=reason]", "补录")
    page.locator("[data-testid=hours-form] [type=submit]").click()
    page.wait_for_load_state()
    body = page.locator("body").inner_text()
    assert str(rules.hours(cap)) in body
    assert "不得超过" in body
    enrollment.refresh_from_db()
    assert enrollment.honour_minutes == 24
    assert enrollment.corrections.count() == 1
    shot(page, "hours-refused")
