"""The workbench menu shows each role exactly the pages it may open, and marks the current one."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from config.menu import MENU
from tests.accounts.factories import RoleAssignmentFactory, UserFactory
from tests.branches.factories import CoBuildingUnitFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

EVERY_ENTRY = [reverse(entry.url_name) for _title, entries in MENU for entry in entries]


@pytest.fixture
def liaison(sub_district):
    user = UserFactory(username="liaison")
    unit = CoBuildingUnitFactory(sub_district=sub_district, name="市供电公司")
    RoleAssignmentFactory(user=user, role=Role.UNIT_LIAISON, unit=unit)
    return user


def menu_links(body: str) -> list[str]:
    menu = re.search(r'<ul class="nav flex-column" data-testid="staff-menu">(.*?)</ul>', body, re.S)
    assert menu, "the page has no workbench menu"
    return re.findall(r'href="([^"]+)"', menu.group(1))


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("staff", "/staff/"),
        ("secretary", "/staff/"),
        ("liaison", "/staff/branches/joint/meetings/"),
    ],
)
def test_the_menu_offers_every_page_the_role_may_open_and_no_other(request, role, start):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    response = client.get(start)
    assert response.status_code == 200
    shown = menu_links(response.content.decode())
    assert shown, "the menu is empty"
    refused = [url for url in shown if client.get(url).status_code != 200]
    assert refused == [], f"{role} is offered pages that do not open"
    hidden_but_open = [
        url for url in EVERY_ENTRY if url not in shown and client.get(url).status_code != 403
    ]
    assert hidden_but_open == [], f"{role} may open pages the menu hides"


def test_a_liaison_sees_only_the_regional_pages_and_a_home_link_that_opens(client, liaison):
    client.force_login(liaison)
    body = client.get("/staff/branches/joint/meetings/").content.decode()
    shown = menu_links(body)
    assert "/staff/" not in shown
    assert "/staff/members/" not in shown
    assert "/staff/branches/joint/meetings/" in shown
    home = re.search(r'<a class="navbar-brand[^"]*" href="([^"]+)"', body).group(1)
    assert client.get(home).status_code == 200


def test_a_resident_opens_no_page_of_the_menu(client, resident):
    client.force_login(resident)
    for url in EVERY_ENTRY:
        if url.startswith("/staff/"):
            assert client.get(url).status_code == 403, url


def test_the_current_entry_is_marked_on_its_pages_and_their_sub_pages(client, staff, branch):
    member = MemberFactory(organization=branch)
    client.force_login(staff)
    for url, entry in [
        ("/staff/members/", "/staff/members/"),
        (reverse("staff:member-detail", args=[member.pk]), "/staff/members/"),
        ("/staff/members/transfers/", "/staff/members/transfers/"),
    ]:
        body = client.get(url).content.decode()
        current = re.findall(r'class="nav-link active" href="([^"]+)" aria-current="page"', body)
        assert current == [entry], url


def test_a_permission_granted_later_shows_its_entry(client, secretary, sub_district):
    """The menu is cached; the key follows the user's permissions and roles."""
    client.force_login(secretary)
    assert "/staff/venues/policy/" not in menu_links(client.get("/staff/").content.decode())
    RoleAssignmentFactory(user=secretary, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    secretary = type(secretary).objects.get(pk=secretary.pk)
    client.force_login(secretary)
    assert "/staff/venues/policy/" in menu_links(client.get("/staff/").content.decode())


def test_exactly_one_entry_is_current_on_each_menu_page(client, staff):
    client.force_login(staff)
    for url in menu_links(client.get("/staff/").content.decode()):
        body = client.get(url).content.decode()
        current = re.findall(r'class="nav-link active" href="([^"]+)" aria-current="page"', body)
        if url.startswith("/staff/"):
            assert current == [url], url


def test_the_resident_pages_link_each_role_to_a_workbench_page_it_may_open(
    client, staff, liaison, resident
):
    client.force_login(resident)
    assert 'data-testid="workbench-link"' not in client.get("/").content.decode()
    for user, home in [(staff, "/staff/"), (liaison, "/staff/branches/joint/meetings/")]:
        client.force_login(user)
        body = client.get("/").content.decode()
        assert f'<a class="nav-link" href="{home}" data-testid="workbench-link">' in body
        assert client.get(home).status_code == 200


def test_the_menu_is_worked_out_once_per_permission_set_then_costs_no_query(
    client, staff, sub_district, settings, monkeypatch, django_assert_num_queries
):
    """Uncached pages used to spend ~30% of their build asking each entry's view (a `resolve`, a
    view instance and a permission test per entry, twice a page): now once per permission set."""
    from config import menu

    settings.PAGE_CACHE_SECONDS = 0
    menu.clear()
    asked = []
    real = menu.may_open

    def may_open(request, url):
        asked.append(url)
        return real(request, url)

    monkeypatch.setattr(menu, "may_open", may_open)
    client.force_login(staff)
    first = menu_links(client.get("/staff/members/").content.decode())
    assert len(asked) == len(EVERY_ENTRY)
    asked.clear()
    # Another user with the same role and permissions, on another page: nothing asked again.
    colleague = UserFactory(username="colleague", is_staff=True)
    RoleAssignmentFactory(user=colleague, role=Role.SUB_DISTRICT_STAFF, sub_district=sub_district)
    client.force_login(colleague)
    assert menu_links(client.get("/staff/").content.decode()) == first
    assert asked == []
    # The menu itself reads nothing from the database once the page has loaded the user's
    # permissions and roles (the page's own permission test loads them).
    request = client.get("/staff/").wsgi_request
    request.user.get_all_permissions()
    with django_assert_num_queries(0):
        markup = menu.sidebar(request)
        assert menu.home_url(request) == "/staff/"
    assert menu_links(markup) == first
    assert asked == []


def test_the_menu_is_written_in_the_language_of_each_request(client, staff):
    """The markup is kept per permission set and language: one language's menu never shows in
    the other's page, and the current entry is still marked per request."""
    client.force_login(staff)
    for language, label, other in [
        ("zh-hans", "组织体系", "Organisation tree"),
        ("en", "Organisation tree", "组织体系"),
        ("zh-hans", "组织体系", "Organisation tree"),
    ]:
        client.cookies["django_language"] = language
        body = client.get("/staff/branches/tree/").content.decode()
        menu = re.search(r'data-testid="staff-menu">(.*?)</ul>', body, re.S).group(1)
        current = (
            f'class="nav-link active" href="/staff/branches/tree/" aria-current="page">{label}<'
        )
        assert current in menu, language
        assert other not in menu, language
