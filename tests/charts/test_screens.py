"""Display screen links: made and revoked by staff only, opened without sign-in by the link,
no personal data on the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from charts.models import DisplayScreen, token_digest
from charts.services import ScreenRefused, create_screen, revoke_screen
from tests.access import assert_access
from tests.activities.factories import MeetingFactory
from tests.branches.factories import CommunityFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def screen_and_token(sub_district, staff, clock):
    clock.set(dt.date(2026, 6, 15))
    return create_screen(name="大厅电视", sub_district=sub_district, actor=staff)


def test_only_the_digest_of_the_link_is_stored(screen_and_token):
    screen, token = screen_and_token
    assert screen.token_hash == token_digest(token)
    assert token not in str(DisplayScreen.objects.values_list().get(pk=screen.pk))
    assert AuditEntry.objects.filter(action="charts.screen_created").count() == 1


def test_screen_opens_by_link_without_sign_in_and_shows_no_personal_data(screen_and_token, branch):
    screen, token = screen_and_token
    MemberFactory(organization=branch, full_name="张秘密", phone="13912345678")
    MeetingFactory(organization=branch, held_on=dt.date(2026, 6, 2))
    anonymous = Client()
    page = anonymous.get(reverse("public:charts-screen", args=[token]))
    assert page.status_code == 200
    assert "vendor/echarts/echarts.min.js" in page.content.decode()
    data = anonymous.get(reverse("public:charts-screen-data", args=[token]))
    assert data.status_code == 200
    body = data.json()
    assert body["members"] == 1
    assert body["meetings_this_month"] == 1
    text = data.content.decode()
    assert "张秘密" not in text and "13912345678" not in text
    screen.refresh_from_db()
    assert screen.last_seen_at is not None


def test_a_wrong_or_revoked_link_is_404(screen_and_token, staff):
    screen, token = screen_and_token
    anonymous = Client()
    assert anonymous.get(reverse("public:charts-screen", args=[token + "x"])).status_code == 404
    revoke_screen(screen=screen, actor=staff)
    assert anonymous.get(reverse("public:charts-screen", args=[token])).status_code == 404
    assert anonymous.get(reverse("public:charts-screen-data", args=[token])).status_code == 404
    with pytest.raises(ScreenRefused):
        revoke_screen(screen=screen, actor=staff)


def test_community_screen_counts_only_the_community(
    sub_district, staff, branch, other_branch, clock
):
    clock.set(dt.date(2026, 6, 15))
    community = CommunityFactory(sub_district=sub_district)
    branch.communities.add(community)
    MemberFactory.create_batch(2, organization=branch)
    MemberFactory.create_batch(3, organization=other_branch)
    _screen, token = create_screen(
        name="社区屏", sub_district=sub_district, community=community, actor=staff
    )
    body = Client().get(reverse("public:charts-screen-data", args=[token])).json()
    assert body["members"] == 2 and body["branches"] == 1


def test_community_of_another_sub_district_is_refused(sub_district, staff, clock):
    clock.set(dt.date(2026, 6, 15))
    elsewhere = CommunityFactory()
    with pytest.raises(ScreenRefused):
        create_screen(name="错", sub_district=sub_district, community=elsewhere, actor=staff)
    assert not DisplayScreen.objects.exists()


def test_screens_page_access_matrix(clients, screen_and_token):
    assert_access(
        clients,
        reverse("staff:chart-screens"),
        {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403, "staff": 200},
    )


def test_staff_make_a_screen_and_see_the_link_once(clients, sub_district, clock):
    clock.set(dt.date(2026, 6, 15))
    client = clients["staff"]
    response = client.post(
        reverse("staff:chart-screens"),
        {"name": "一楼大屏", "sub_district": sub_district.pk, "refresh_seconds": 60},
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:chart-screens")).content.decode()
    assert "/screen/" in page
    again = client.get(reverse("staff:chart-screens")).content.decode()
    assert "/screen/" not in again
    assert DisplayScreen.objects.get().name == "一楼大屏"


def test_bad_input_writes_nothing(clients, sub_district, other_sub_district_branch, clock):
    clock.set(dt.date(2026, 6, 15))
    client = clients["staff"]
    for data in (
        {"name": "", "sub_district": sub_district.pk, "refresh_seconds": 60},
        {"name": "x", "sub_district": sub_district.pk, "refresh_seconds": 5},
        {
            "name": "x",
            "sub_district": other_sub_district_branch.sub_district_id,
            "refresh_seconds": 60,
        },
        {"name": "x" * 200, "sub_district": sub_district.pk, "refresh_seconds": 60},
    ):
        assert client.post(reverse("staff:chart-screens"), data).status_code == 400
    assert not DisplayScreen.objects.exists()


def test_revoke_is_scoped_and_audited(clients, screen_and_token):
    screen, _token = screen_and_token
    url = reverse("staff:chart-screen-revoke", args=[screen.pk])
    refusals = {"anonymous": 302, "resident": 403, "other_secretary": 403, "secretary": 403}
    for role, status in refusals.items():
        assert clients[role].post(url).status_code == status, role
        screen.refresh_from_db()
        assert screen.revoked_at is None, role
    assert clients["staff"].post(url).status_code == 302
    screen.refresh_from_db()
    assert screen.revoked_at is not None
    assert AuditEntry.objects.filter(action="charts.screen_revoked").count() == 1


def test_staff_of_another_sub_district_cannot_revoke(screen_and_token, other_sub_district_branch):
    from accounts.roles import Role
    from tests.accounts.factories import RoleAssignmentFactory, UserFactory

    screen, _token = screen_and_token
    outsider = UserFactory(username="outsider", is_staff=True)
    RoleAssignmentFactory(
        user=outsider,
        role=Role.SUB_DISTRICT_STAFF,
        sub_district=other_sub_district_branch.sub_district,
    )
    client = Client()
    client.force_login(outsider)
    url = reverse("staff:chart-screen-revoke", args=[screen.pk])
    assert client.post(url).status_code == 404
    screen.refresh_from_db()
    assert screen.revoked_at is None


def test_the_ticker_shows_the_places_decisions_in_their_window(sub_district, staff, clock):
    from governance.models import MatterStep, Publication
    from governance.services import matters as matter_services

    clock.set(dt.date(2026, 6, 15))
    ours, elsewhere = (
        CommunityFactory(sub_district=sub_district),
        CommunityFactory(sub_district=sub_district),
    )

    def publish(community, title, starts_on):
        matter = matter_services.open_matter(community=community, title=title, actor=staff)
        step = MatterStep.objects.create(
            matter=matter, kind="publish_decision", held_on=starts_on, participants="两委"
        )
        Publication.objects.create(
            matter=matter,
            step=step,
            title=f"{title}决议公开",
            body="公开",
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=7),
        )

    publish(ours, "加装电梯", dt.date(2026, 6, 12))
    publish(ours, "停车管理", dt.date(2026, 5, 1))  # taken down before today
    publish(elsewhere, "绿化改造", dt.date(2026, 6, 14))
    _screen, token = create_screen(
        name="社区屏", sub_district=sub_district, community=ours, actor=staff
    )
    body = Client().get(reverse("public:charts-screen-data", args=[token])).json()
    assert [d["title"] for d in body["decisions"]] == ["加装电梯决议公开"]
    _hall_screen, hall_token = create_screen(name="街道屏", sub_district=sub_district, actor=staff)
    every = Client().get(reverse("public:charts-screen-data", args=[hall_token])).json()
    assert [d["title"] for d in every["decisions"]] == ["绿化改造决议公开", "加装电梯决议公开"]
    assert every["courses"] == []
