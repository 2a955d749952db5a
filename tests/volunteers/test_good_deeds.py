"""Good deeds: recorded by a team (`record_good_deed`), closed once with the resident's rating
and comment (`close_good_deed`), on the leader's page and through the API, within scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from tests.access import assert_access
from tests.volunteers.factories import TeamMembershipFactory, VolunteerFactory
from volunteers.errors import GoodDeedClosed, GoodDeedRefused
from volunteers.models import GoodDeed
from volunteers.services.teams import close_good_deed, record_good_deed

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(team):
    return TeamMembershipFactory(team=team).volunteer


@pytest.fixture
def deed(team, leader, helper, clock):
    return record_good_deed(
        team=team,
        done_on=clock.today,
        beneficiary="王奶奶",
        description="帮助修理水龙头",
        volunteers=[helper],
        actor=leader,
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _state(pk: int) -> tuple:
    return tuple(GoodDeed.objects.filter(pk=pk).values_list("closed_at", "rating", "comment")[0])


# --- record_good_deed -----------------------------------------------------------------------


def test_a_good_deed_is_recorded_open_with_its_volunteers(deed, helper, leader):
    assert list(deed.volunteers.all()) == [helper]
    assert deed.recorded_by == leader and not deed.is_closed and deed.rating is None
    assert AuditEntry.objects.filter(action="good_deed.recorded").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"done_on": "tomorrow"}, "done_on"),
        ({"beneficiary": "  "}, "beneficiary"),
        ({"description": ""}, "description"),
        ({"volunteers": "outsider"}, "volunteers"),
    ],
)
def test_a_bad_good_deed_is_refused_and_nothing_is_written(team, leader, clock, change, field):
    data = {
        "team": team,
        "done_on": clock.today,
        "beneficiary": "王奶奶",
        "description": "送餐",
        "volunteers": [],
        "actor": leader,
    }
    if change.get("done_on") == "tomorrow":
        change = {"done_on": clock.today + dt.timedelta(days=1)}
    if change.get("volunteers") == "outsider":
        change = {"volunteers": [VolunteerFactory()]}  # another sub-district
    with pytest.raises(GoodDeedRefused) as refused:
        record_good_deed(**{**data, **change})
    assert refused.value.field == field
    assert not GoodDeed.objects.exists()


def test_a_good_deed_may_be_dated_today(team, leader, clock):
    deed = record_good_deed(
        team=team, done_on=clock.today, beneficiary="李大爷", description="陪同就医", actor=leader
    )
    assert deed.done_on == clock.today


# --- close_good_deed ------------------------------------------------------------------------


def test_closing_records_the_residents_rating_and_comment(deed, leader, clock):
    closed = close_good_deed(deed=deed, rating=5, comment=" 非常满意 ", actor=leader)
    assert closed.is_closed and closed.rating == 5 and closed.comment == "非常满意"
    assert closed.closed_by == leader
    assert abs(closed.closed_at - clock.now) < dt.timedelta(seconds=1)
    entry = AuditEntry.objects.get(action="good_deed.closed")
    assert entry.data == {"rating": 5}


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5", None])
def test_a_bad_rating_is_refused_and_nothing_is_written(deed, leader, rating):
    with pytest.raises(GoodDeedRefused) as refused:
        close_good_deed(deed=deed, rating=rating, actor=leader)
    assert refused.value.field == "rating"
    assert _state(deed.pk) == (None, None, "")


@pytest.mark.parametrize("rating", [1, 5])
def test_the_rating_bounds_are_accepted(deed, leader, rating):
    assert close_good_deed(deed=deed, rating=rating, actor=leader).rating == rating


def test_closing_twice_is_refused_and_keeps_the_first_rating(deed, leader):
    close_good_deed(deed=deed, rating=4, comment="好", actor=leader)
    first = _state(deed.pk)
    with pytest.raises(GoodDeedClosed):
        close_good_deed(deed=deed, rating=1, comment="改主意", actor=leader)
    assert _state(deed.pk) == first
    assert AuditEntry.objects.filter(action="good_deed.closed").count() == 1


def test_the_database_refuses_a_closed_deed_without_a_rating(deed):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        GoodDeed.objects.filter(pk=deed.pk).update(closed_at=timezone.now())


# --- the leader's page ----------------------------------------------------------------------


def test_the_leader_closes_a_deed_on_the_team_page(deed, leader, team):
    page = _client(leader).get(reverse("public:volunteer-lead-team", args=[team.pk]))
    assert b'data-testid="open-deeds"' in page.content and "王奶奶" in page.content.decode()
    url = reverse("public:volunteer-lead-team-action", args=[team.pk, "close-deed"])
    response = _client(leader).post(url, {"deed": deed.pk, "rating": "3", "comment": "还行"})
    assert response.status_code == 302
    assert _state(deed.pk)[1:] == (3, "还行")


def test_a_bad_rating_on_the_page_is_a_message_and_writes_nothing(deed, leader, team):
    url = reverse("public:volunteer-lead-team-action", args=[team.pk, "close-deed"])
    response = _client(leader).post(url, {"deed": deed.pk, "rating": "9"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert _state(deed.pk) == (None, None, "")


def test_closing_on_the_page_is_for_the_leader_and_staff(deed, team, clients):
    url = reverse("public:volunteer-lead-team-action", args=[team.pk, "close-deed"])
    data = {"deed": deed.pk, "rating": "4"}
    for role, status in (
        ("anonymous", 302),  # to the sign-in page
        ("resident", 404),
        ("other_secretary", 404),
        ("secretary", 404),
    ):
        assert clients[role].post(url, data).status_code == status, role
        assert _state(deed.pk) == (None, None, ""), role
    assert clients["staff"].post(url, data).status_code == 302
    assert _state(deed.pk)[1] == 4


# --- the API --------------------------------------------------------------------------------


def test_recording_through_the_api_is_for_the_teams_managers(team, helper, clients, clock):
    data = {
        "team": team.pk,
        "done_on": clock.today.isoformat(),
        "beneficiary": "张阿姨",
        "description": "代买药品",
        "volunteers": [helper.pk],
    }
    assert_access(
        clients,
        "/api/v1/good-deeds/",
        {"anonymous": 403, "resident": 400, "other_secretary": 400, "secretary": 400, "staff": 201},
        method="post",
        data=data,
        content_type="application/json",
        snapshot=lambda: GoodDeed.objects.count(),
    )
    deed = GoodDeed.objects.get()
    assert list(deed.volunteers.all()) == [helper] and deed.rating is None


def test_the_leader_records_and_closes_through_the_api(team, leader, clock):
    client = _client(leader)
    response = client.post(
        "/api/v1/good-deeds/",
        {
            "team": team.pk,
            "done_on": clock.today.isoformat(),
            "beneficiary": "张阿姨",
            "description": "代买药品",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    url = f"/api/v1/good-deeds/{pk}/close/"
    response = client.post(url, {"rating": 5, "comment": "谢谢"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["rating"] == 5 and response.json()["closed_at"]
    again = client.post(url, {"rating": 1}, content_type="application/json")
    assert again.status_code == 409
    assert _state(pk)[1:] == (5, "谢谢")


def test_a_future_date_through_the_api_is_a_400_on_the_field(team, leader, clock):
    response = _client(leader).post(
        "/api/v1/good-deeds/",
        {
            "team": team.pk,
            "done_on": (clock.today + dt.timedelta(days=1)).isoformat(),
            "beneficiary": "张阿姨",
            "description": "代买药品",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "done_on" in response.json()
    assert not GoodDeed.objects.exists()


def test_closing_through_the_api_is_scoped(deed, clients):
    url = f"/api/v1/good-deeds/{deed.pk}/close/"
    assert_access(
        clients,
        url,
        {"anonymous": 403, "resident": 404, "other_secretary": 404, "secretary": 404, "staff": 200},
        method="post",
        data={"rating": 2},
        content_type="application/json",
        snapshot=lambda: _state(deed.pk),
    )


@pytest.mark.parametrize("rating", [0, 6, "x"])
def test_a_bad_rating_through_the_api_is_a_400_on_the_field(deed, leader, rating):
    response = _client(leader).post(
        f"/api/v1/good-deeds/{deed.pk}/close/", {"rating": rating}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "rating" in response.json()
    assert _state(deed.pk) == (None, None, "")


def test_staff_of_another_sub_district_cannot_close(other_sub_district_team, deed, clients):
    from tests.accounts.factories import UserFactory

    leader = UserFactory(username="far_leader")
    other_sub_district_team.leader = leader
    other_sub_district_team.save()
    response = _client(leader).post(
        f"/api/v1/good-deeds/{deed.pk}/close/", {"rating": 3}, content_type="application/json"
    )
    assert response.status_code == 404
    assert _state(deed.pk) == (None, None, "")


def test_the_good_deed_list_api_is_a_fixed_number_of_queries(
    team, leader, helper, clients, clock, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            record_good_deed(
                team=team,
                done_on=clock.today,
                beneficiary=f"居民{i}",
                description="帮忙",
                volunteers=[helper],
                actor=leader,
            )

    add(2)
    with django_assert_max_num_queries(12) as small:
        assert clients["staff"].get("/api/v1/good-deeds/").status_code == 200
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = clients["staff"].get("/api/v1/good-deeds/")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_of_parallel_closes_exactly_one_wins(team, leader, clock):
    from django.db import connection

    from tests.parallel import run_together

    if connection.vendor != "postgresql":
        pytest.skip("parallel updates need PostgreSQL")
    deed = record_good_deed(
        team=team, done_on=clock.today, beneficiary="王奶奶", description="送餐", actor=leader
    )
    outcomes = run_together(
        [
            lambda rating=rating: close_good_deed(deed=deed, rating=rating, actor=leader)
            for rating in (1, 2, 3, 4, 5)
        ]
    )
    winners = [o for o in outcomes if isinstance(o, GoodDeed)]
    assert len(winners) == 1
    assert all(isinstance(o, GoodDeedClosed) for o in outcomes if o not in winners)
    assert _state(deed.pk)[1] == winners[0].rating
    assert AuditEntry.objects.filter(action="good_deed.closed").count() == 1
